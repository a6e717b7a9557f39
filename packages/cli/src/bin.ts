#!/usr/bin/env node
import { analyzePaths, MissingPathError } from './index';
import { formatReport } from './format';
import { SKIPPED_DIRECTORIES, SOURCE_EXTENSIONS } from './walk';
import { run } from './commands';

const USAGE = `Usage: splice analyze [--json] [--inline-env NAME]... [--no-framework-env] <dir|file>...
       splice build   [--config webpack.config.js]
       splice dev     [--config webpack.config.js] [--port 8787] [--host 127.0.0.1] [--runtime node|workerd] [--inspect[=9229]]
       splice preview <path> [--config webpack.config.js] [--country DE] [--cookie k=v] [--header k=v] [--variant exp=id]

build:    the client and server bundles, the prerendered pages, then the worker (docs/cli.md).
dev:      all of it in watch mode, served on the local edge with a request log; --inspect opens
          a debugger (breakpoints bind in your TypeScript); --runtime workerd runs the worker there.
preview:  one request to the built worker as that visitor: its decisions and what changed
          against the default page.

analyze:

Runs the Splice compiler's analysis (no webpack, nothing written) on every
${SOURCE_EXTENSIONS.join(' ')} file under the given paths and reports
how many props an edge override can patch (value or structural) and why the others cannot.
Skipped folders: ${SKIPPED_DIRECTORIES.join(', ')}. Also skipped: *.d.ts, symbolic links.

Options:
  --json      print one JSON object { components, summary } instead of the table
  --inline-env NAME
              a process.env name your build replaces by a constant (DefinePlugin;
              PREFIX_* for a prefix, as Next.js inlines NEXT_PUBLIC_*): components
              that read it can be re-rendered (SplicePlugin finds these itself)
  --no-framework-env
              do not count NEXT_PUBLIC_* as inlined in files of a package that
              declares \`next\` (Next.js inlines them when it builds; counted by default)
  -h, --help  print this help

Exit codes: 0 done, 1 no source files found, 2 usage error or a path that does not exist.
`;

interface Streams {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

/** The whole command, minus the process: returns the exit code. */
export function main(argv: readonly string[], io: Streams): number {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    // Asking for help succeeds; running without a command is a usage error.
    (command === undefined ? io.stderr : io.stdout)(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === 'build' || command === 'dev' || command === 'preview') {
    io.stderr(`splice ${command} runs asynchronously: call run() (the bin does)\n`);
    return 2;
  }
  if (command !== 'analyze') {
    io.stderr(`splice: unknown command '${command}'\n\n${USAGE}`);
    return 2;
  }

  let json = false;
  const paths: string[] = [];
  const inlinedEnv: string[] = [];
  let frameworkEnv = true;
  let optionsDone = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (!optionsDone && arg === '--') optionsDone = true;
    else if (!optionsDone && arg === '--json') json = true;
    else if (!optionsDone && (arg === '--inline-env' || arg.startsWith('--inline-env='))) {
      const name = arg === '--inline-env' ? rest[++i] : arg.slice('--inline-env='.length);
      if (name === undefined || !/^(?:[A-Za-z_][A-Za-z0-9_]*\*?|\*)$/.test(name)) {
        io.stderr(`splice analyze: --inline-env needs a process.env name (NAME, PREFIX_* or *), got ${name === undefined ? 'nothing' : `'${name}'`}\n\n${USAGE}`);
        return 2;
      }
      inlinedEnv.push(name);
    }
    else if (!optionsDone && arg === '--no-framework-env') frameworkEnv = false;
    else if (!optionsDone && (arg === '-h' || arg === '--help')) {
      io.stdout(USAGE);
      return 0;
    } else if (!optionsDone && arg.startsWith('-') && arg !== '-') {
      io.stderr(`splice analyze: unknown option '${arg}'\n\n${USAGE}`);
      return 2;
    } else paths.push(arg);
  }
  if (paths.length === 0) {
    io.stderr(`splice analyze: give at least one file or directory\n\n${USAGE}`);
    return 2;
  }

  let report;
  try {
    report = analyzePaths(paths, { frameworkEnv, ...(inlinedEnv.length > 0 ? { inlinedEnv } : {}) });
  } catch (err) {
    if (err instanceof MissingPathError) {
      io.stderr(`splice analyze: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (report.summary.files === 0) {
    io.stderr(`splice analyze: no source files (${SOURCE_EXTENSIONS.join(', ')}) found under ${paths.join(', ')}\n`);
    return 1;
  }
  io.stdout(json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return 0;
}

/**
 * The `splice` executable: `bin/splice.js` (committed, so that npm links it at install time,
 * before anything is built) calls this.
 */
export function runBin(argv: readonly string[] = process.argv.slice(2)): void {
  const command = argv[0];
  if (command === 'build' || command === 'dev' || command === 'preview') {
    void run(command, argv.slice(1)).then((code) => {
      if (code !== null) process.exitCode = code;
    });
    return;
  }
  // `splice analyze --json src | head` closes the pipe early: that is not an error worth a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  // exitCode rather than process.exit(): a large JSON report on a pipe must be flushed first.
  process.exitCode = main(argv, {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
  });
}

if (require.main === module) runBin();
