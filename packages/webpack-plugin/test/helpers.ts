import * as fs from 'fs';
import * as path from 'path';
import webpack from 'webpack';
import type { Configuration, Stats } from 'webpack';
import { createFsFromVolume, Volume } from 'memfs';
import { SplicePlugin } from '@splice/webpack-plugin';

export const fixtures = path.join(__dirname, 'fixtures');

/** The user's own rule: JSX through babel-loader, exactly as an app would have it. */
export function userRules() {
  return [
    {
      test: /\.jsx?$/,
      exclude: /node_modules/,
      use: { loader: require.resolve('babel-loader'), options: { babelrc: false, configFile: false, presets: [[require.resolve('@babel/preset-react'), { runtime: 'automatic' }]] } },
    },
  ];
}

/** The fixture app's configuration, with `extra` on top. */
export function config(extra: Configuration = {}): Configuration {
  return {
    mode: 'production',
    context: path.join(fixtures, 'app'),
    entry: './index.jsx',
    output: { path: '/out', filename: 'bundle.js', library: { type: 'commonjs2' } },
    externals: { react: 'react', 'react/jsx-runtime': 'react/jsx-runtime', '@splice/client': '@splice/client' },
    resolve: { extensions: ['.jsx', '.js'] },
    module: { rules: userRules() },
    optimization: { minimize: false },
    plugins: [new SplicePlugin()],
    infrastructureLogging: { level: 'error' },
    ...extra,
  };
}

export function getCompiler(extra: Configuration = {}) {
  const compiler = webpack(config(extra));
  compiler.outputFileSystem = createFsFromVolume(new Volume()) as any;
  return compiler;
}

/** Several builds in one run, as `webpack([client, server])` makes them (the app's client and server builds). */
export function getMultiCompiler(configs: Configuration[]) {
  const multi = webpack(configs.map((extra) => config(extra)));
  for (const compiler of multi.compilers) compiler.outputFileSystem = createFsFromVolume(new Volume()) as any;
  return multi;
}

export function compileMulti(multi: webpack.MultiCompiler): Promise<webpack.MultiStats> {
  return new Promise((resolve, reject) =>
    multi.run((err, stats) => {
      if (err) return reject(err);
      multi.close(() => resolve(stats!));
    }),
  );
}

/** The messages a build logged at info level, every logger's, in order. */
export function infoMessages(stats: Stats): string[] {
  const logging = stats.toJson({ all: false, logging: 'info', loggingTrace: false }).logging ?? {};
  return Object.values(logging).flatMap((l) => l.entries).map((e) => e.message ?? '');
}

export function compile(compiler: webpack.Compiler): Promise<Stats> {
  return new Promise((resolve, reject) =>
    compiler.run((err, stats) => {
      if (err) return reject(err);
      compiler.close(() => resolve(stats!));
    }),
  );
}

export function readAsset(compiler: webpack.Compiler, name: string): string {
  return (compiler.outputFileSystem as any).readFileSync(path.posix.join('/out', name), 'utf8');
}

/**
 * A new folder in test/.work (not committed): inside the repository, where the edge module
 * resolves React and @splice/client. With `app`, holding a copy of the fixture app.
 */
export function workDir(prefix: string, app = false): string {
  fs.mkdirSync(path.join(__dirname, '.work'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(__dirname, '.work', prefix));
  if (app) for (const f of fs.readdirSync(path.join(fixtures, 'app'))) fs.copyFileSync(path.join(fixtures, 'app', f), path.join(dir, f));
  return dir;
}

/** Webpack's filesystem cache in `cacheDirectory`, with no build dependencies of its own. */
export function diskCache(cacheDirectory: string) {
  return { type: 'filesystem' as const, cacheDirectory, buildDependencies: {} };
}

/**
 * A fresh compiler's Node build of the app in `dir` (development: React's server build is not
 * minified into the edge module), through the disk cache in `cacheDirectory` or none: its bundle
 * and its edge module, the build having no errors.
 */
export async function buildApp(dir: string, cacheDirectory: string | false, extra: Configuration = {}): Promise<{ bundle: string; edge: string }> {
  const compiler = getCompiler({ mode: 'development', devtool: false, target: 'node', context: dir, cache: cacheDirectory === false ? false : diskCache(cacheDirectory), ...extra });
  const stats = await compile(compiler);
  expect(stats.toJson({ all: false, errors: true }).errors).toEqual([]);
  return { bundle: readAsset(compiler, 'bundle.js'), edge: readAsset(compiler, 'splice-edge.mjs') };
}

/** An app whose `Banner` shows `process.env.GREETING` when `big` (a DefinePlugin's name, or the process's). */
export function writeEnvApp(dir: string): void {
  fs.writeFileSync(path.join(dir, 'env.js'), 'export function greeting() { return process.env.GREETING; }\n');
  fs.writeFileSync(path.join(dir, 'Banner.jsx'), "import { greeting } from './env';\nexport function Banner({ big }) { return big ? <strong>{greeting()}</strong> : <span>small</span>; }\n");
  fs.writeFileSync(path.join(dir, 'index.jsx'), "export { Banner } from './Banner';\n");
}
