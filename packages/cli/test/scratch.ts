import { spawn, spawnSync } from 'child_process';
import type { ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const BIN = path.join(__dirname, '..', 'bin', 'splice.js');
const FIXTURE = path.join(__dirname, 'fixtures', 'devapp');
// Inside the repository (modules resolve from its node_modules), never committed (.gitignore).
const WORK = path.join(__dirname, '.work');
let made = 0;

/** A fresh copy of the fixture app to build and edit; `remove()` deletes it. */
export function scratchApp(name: string): { dir: string; remove(): void } {
  const dir = path.join(WORK, `${name}-${process.pid}-${++made}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(WORK, { recursive: true });
  fs.cpSync(FIXTURE, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}dist`) });
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Runs the built `splice` command to completion. */
export function splice(dir: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A running `splice dev`: its output so far, and a way to wait for a line. */
export interface Running {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `pattern` in the output after `from` (a length of `output()`). */
  waitFor(pattern: RegExp, from?: number, timeoutMs?: number): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

export function spliceDev(dir: string, args: string[]): Running {
  const child = spawn(process.execPath, [BIN, 'dev', ...args], { cwd: dir, env: { ...process.env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const listeners = new Set<() => void>();
  const heard = (chunk: Buffer) => {
    out += chunk.toString('utf8');
    for (const l of listeners) l();
  };
  child.stdout!.on('data', heard);
  child.stderr!.on('data', heard);
  child.once('exit', () => { for (const l of listeners) l(); });
  return {
    child,
    output: () => out,
    waitFor(pattern, from = 0, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = out.slice(from).match(pattern);
          if (m !== null) { done(); resolve(m); } else if (child.exitCode !== null) { done(); reject(new Error(`splice dev exited (${child.exitCode}) before ${pattern}:\n${out}`)); }
        };
        const timer = setTimeout(() => { done(); reject(new Error(`timed out waiting for ${pattern}:\n${out}`)); }, timeoutMs);
        const done = () => { clearTimeout(timer); listeners.delete(check); };
        listeners.add(check);
        check();
      });
    },
    stop() {
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}
