import { parseArgs } from 'util';
import { BuildError, buildProject } from './build';
import type { BuildLog } from './build';
import { startDev } from './dev';
import type { DevLog } from './dev';
import { loadProject, ProjectError } from './project';
import { PreviewError, previewPage } from './preview';
import type { Visitor } from './preview';

export interface CommandIO {
  stdout(s: string): void;
  stderr(s: string): void;
  cwd: string;
}

const processIO: CommandIO = {
  stdout: (s) => void process.stdout.write(s),
  stderr: (s) => void process.stderr.write(s),
  cwd: process.cwd(),
};

const DEFAULT_INSPECT_PORT = 9229;

const USAGE_OF = {
  build: 'Usage: splice build [--config webpack.config.js]',
  dev: 'Usage: splice dev [--config webpack.config.js] [--port 8787] [--host 127.0.0.1] [--runtime node|workerd] [--inspect[=9229]]',
  preview: 'Usage: splice preview <path> [--config webpack.config.js] [--country DE] [--cookie k=v] [--header k=v] [--variant exp=id]',
};

/**
 * `splice build | dev | preview`. Resolves to the exit code, or to null for `dev`, which runs until
 * the process is stopped.
 */
export async function run(command: 'build' | 'dev' | 'preview', argv: readonly string[], io: CommandIO = processIO): Promise<number | null> {
  const log: DevLog = {
    info: (l) => io.stdout(`${l}\n`),
    warn: (l) => io.stderr(`${l}\n`),
    error: (l) => io.stderr(`${l}\n`),
    request: (l) => io.stdout(`${l}\n`),
  };
  if (argv.includes('-h') || argv.includes('--help')) {
    io.stdout(`${USAGE_OF[command]}\n(docs/cli.md has every option)\n`);
    return 0;
  }
  let values: Record<string, string | string[] | boolean | undefined>;
  let positionals: string[];
  try {
    // `--inspect` alone means the default port, as with node.
    const args = argv.map((a) => (a === '--inspect' ? `--inspect=${DEFAULT_INSPECT_PORT}` : a));
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: command === 'preview',
      options: {
        config: { type: 'string', short: 'c' },
        ...(command === 'dev' ? { port: { type: 'string', short: 'p' }, host: { type: 'string' }, runtime: { type: 'string' }, inspect: { type: 'string' } } : {}),
        ...(command === 'preview' ? { country: { type: 'string' }, cookie: { type: 'string', multiple: true }, header: { type: 'string', multiple: true }, variant: { type: 'string', multiple: true } } : {}),
      },
      strict: true,
    }));
  } catch (error) {
    io.stderr(`splice ${command}: ${(error as Error).message}\n(splice --help lists the options)\n`);
    return 2;
  }
  try {
    const project = loadProject(io.cwd, values.config as string | undefined);
    if (command === 'build') {
      await buildProject(project, log);
      return 0;
    }
    if (command === 'preview') {
      if (positionals.length !== 1) {
        io.stderr('splice preview: give one path, e.g. splice preview / --country DE\n');
        return 2;
      }
      const visitor: Visitor = {
        ...(values.country !== undefined ? { country: values.country as string } : {}),
        cookies: pairs(values.cookie, '--cookie').map(([k, v]) => {
          // One cookie each: `a=1; b=2` would smuggle a second one into the header.
          if (/[;,\s]/.test(k) || /[;,]/.test(v)) throw new UsageError(`--cookie takes one name=value, without ';' or ',' (repeat --cookie for more): ${k}=${v}`);
          return [k, v] as [string, string];
        }),
        headers: pairs(values.header, '--header'),
        variants: Object.fromEntries(pairs(values.variant, '--variant')),
      };
      io.stdout(await previewPage(project, positionals[0]!, visitor));
      return 0;
    }
    const runtime = (values.runtime as string | undefined) ?? 'node';
    if (runtime !== 'node' && runtime !== 'workerd') throw new UsageError(`--runtime is node or workerd, not ${runtime}`);
    // An empty PORT is unset, as shells and hosts mean it; any other is checked like --port (a
    // NaN reached the server as a message about `options.port` that named neither).
    const port = numberOption(values.port as string | undefined, '--port') ?? numberOption(process.env.PORT || undefined, 'PORT') ?? 8787;
    const inspect = numberOption(values.inspect as string | undefined, '--inspect');
    const server = await startDev(project, {
      port, runtime, log,
      ...(values.host !== undefined ? { host: values.host as string } : {}),
      ...(inspect !== undefined ? { inspect } : {}),
    });
    io.stdout(`\nsplice dev: ${server.url}  (worker in ${runtime === 'node' ? 'Node' : 'workerd'}; Ctrl+C stops)\n`);
    return null;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`splice ${command}: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ProjectError || error instanceof BuildError || error instanceof PreviewError) {
      io.stderr(`splice ${command}: ${error.message}\n`);
      return 1;
    }
    // A busy port and the like come with what to do: the message, not a stack.
    io.stderr(`splice ${command}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

class UsageError extends Error {}

function pairs(value: unknown, option: string): [string, string][] {
  const list = (value as string[] | undefined) ?? [];
  return list.map((item) => {
    const at = item.indexOf('=');
    if (at <= 0) throw new UsageError(`${option} takes name=value, not ${item}`);
    return [item.slice(0, at), item.slice(at + 1)];
  });
}

function numberOption(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`${option} takes a port number (0–65535), not ${value}`);
  return n;
}

export type { BuildLog };
