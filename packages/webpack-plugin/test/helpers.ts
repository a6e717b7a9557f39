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

export function getCompiler(extra: Configuration = {}) {
  const config: Configuration = {
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
  const compiler = webpack(config);
  compiler.outputFileSystem = createFsFromVolume(new Volume()) as any;
  return compiler;
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
