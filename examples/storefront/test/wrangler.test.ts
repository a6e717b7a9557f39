/**
 * The storefront's wrangler.toml, run by Wrangler itself (a devDependency): `wrangler deploy
 * --dry-run` accepts it, and under `wrangler dev` the worker answers the page requests, which
 * it did not before `run_worker_first` (Wrangler's assets served `/` unpatched: no x-splice).
 */
import { execFile, spawn } from 'child_process';
import type { ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { DEV_SECRET } from './helpers';

const root = path.join(__dirname, '..');
const wrangler = require.resolve('wrangler/bin/wrangler.js');
// No telemetry, no prompts, no colours: the output is read.
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: '1', NO_COLOR: '1', FORCE_COLOR: '0' };

jest.setTimeout(120_000);

it('wrangler deploy --dry-run accepts the worker and its assets, and the manifest is not an asset', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'splice-wrangler-'));
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [wrangler, 'deploy', '--dry-run', '--outdir', out], { cwd: root, env });
    expect(stdout).toContain('--dry-run: exiting now.');
    expect(stdout).toMatch(/env\.ASSETS\s+Assets/);
    expect(fs.readdirSync(out).some((f) => f.endsWith('.js') || f.endsWith('.mjs'))).toBe(true);
    const assets = fs.readdirSync(path.join(root, 'dist', 'public'), { recursive: true }).map(String);
    expect(assets).toContain('index.html');
    expect(assets.filter((f) => f.includes('splice-manifest') || f.includes('splice-pages'))).toEqual([]);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe('wrangler dev', () => {
  let child: ChildProcess;
  let base: string;
  let log = '';

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // Its own process group: stopping it stops the workerd it starts.
    child = spawn(process.execPath, [wrangler, 'dev', '--port', String(port), '--ip', '127.0.0.1', '--var', `SPLICE_SECRET:${DEV_SECRET}`, '--inspector-port', String(await freePort())], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (c: Buffer) => (log += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
    const deadline = Date.now() + 90_000;
    while (!/Ready on http/.test(log)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`wrangler dev did not start:\n${log}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  afterAll(() => {
    if (child?.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
  });

  it.each(['/', '/cart'])('the worker answers %s (run_worker_first), patched', async (page) => {
    const res = await fetch(`${base}${page}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-splice')).toMatch(/^(patched|unchanged); build=\w+; applied=\d+/);
    expect(await res.text()).toContain('id="__SPLICE__"');
  });

  it('other assets stay on the asset path', async () => {
    const res = await fetch(`${base}/client.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-splice')).toBeNull();
  });
});
