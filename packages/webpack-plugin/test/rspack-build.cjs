// Builds the fixture app with rspack and SplicePlugin (the built package), twice with one
// compiler (the second analyzes nothing again), for test/rspack.test.ts. A child process: rspack 2
// is an ES module, which Jest's module system cannot load on Node 20.
const path = require('path');
const fs = require('fs');
const { rspack } = require('@rspack/core');
const { SplicePlugin } = require('@splice/webpack-plugin');

const [out, mode] = process.argv.slice(2);
const compiler = rspack({
  // `persistent`: rspack's persistent cache, which SplicePlugin refuses (SPLICE051).
  ...(mode === 'persistent' ? { cache: { type: 'persistent', storage: { type: 'filesystem', directory: path.join(out, '.cache') } } } : {}),
  mode: 'development',
  devtool: false,
  target: 'node',
  // `query`: an app that imports its component with a query (`./Hero.jsx?v=1`).
  context: path.join(__dirname, 'fixtures', mode === 'query' ? 'query' : 'app'),
  entry: './index.jsx',
  output: { path: out, filename: 'bundle.js', library: { type: 'commonjs2' } },
  externals: { react: 'react', 'react/jsx-runtime': 'react/jsx-runtime', '@splice/client': '@splice/client' },
  resolve: { extensions: ['.jsx', '.js'] },
  module: {
    rules: [{
      test: /\.jsx?$/,
      exclude: /node_modules/,
      use: { loader: require.resolve('babel-loader'), options: { babelrc: false, configFile: false, presets: [[require.resolve('@babel/preset-react'), { runtime: 'automatic' }]] } },
    }],
  },
  optimization: { minimize: false },
  plugins: [new SplicePlugin()],
  infrastructureLogging: { level: 'error' },
});
const run = () => new Promise((resolve, reject) => compiler.run((error, stats) => {
  if (error) return reject(error);
  if (stats.hasErrors()) return reject(new Error(stats.toString({ preset: 'errors-only' })));
  resolve(stats.toString({ preset: 'none', logging: 'info' }));
}));
(async () => {
  const log = await run();
  fs.renameSync(path.join(out, 'splice-manifest.json'), path.join(out, 'first-manifest.json'));
  const second = await run();
  await new Promise((r) => compiler.close(r));
  fs.writeFileSync(path.join(out, 'log.txt'), log);
  fs.writeFileSync(path.join(out, 'second-log.txt'), second);
})().catch((e) => { console.error(e); process.exit(1); });
