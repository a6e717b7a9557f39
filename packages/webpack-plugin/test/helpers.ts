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
