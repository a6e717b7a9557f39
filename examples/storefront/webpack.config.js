// The storefront's webpack setup: an ordinary React + Babel build. The Splice part is the one
// `new SplicePlugin()` line in `plugins` of the client and server builds, and the exports
// `splice build` and `splice dev` read: the three builds, the routes to prerender, the static
// files and the worker's local bindings.
const path = require('path');
const { SplicePlugin } = require('@splice/webpack-plugin');

const dist = path.join(__dirname, 'dist');

const babelRule = {
  test: /\.[jt]sx?$/,
  exclude: /node_modules/,
  use: {
    loader: require.resolve('babel-loader'),
    options: {
      babelrc: false,
      configFile: false,
      presets: [
        [require.resolve('@babel/preset-react'), { runtime: 'automatic' }],
        [require.resolve('@babel/preset-typescript'), {}],
      ],
    },
  },
};

const common = {
  context: __dirname,
  // The example ships React's development build so that hydration warnings are visible
  // (the browser test asserts there are none).
  mode: 'development',
  devtool: false,
  // `symlinks: false`: the Splice packages are workspace links in this repository; resolved
  // through node_modules they are what they are in an app that installed them, a package's
  // built JavaScript, which the Babel rule and SplicePlugin leave alone (by their real path,
  // packages/*/dist, every build would transpile and analyse them).
  resolve: { extensions: ['.tsx', '.ts', '.jsx', '.js'], symlinks: false },
  // A missing export is a broken bundle, not a warning.
  module: { rules: [babelRule], parser: { javascript: { exportsPresence: 'error' } } },
  infrastructureLogging: { level: 'error' },
  stats: 'errors-warnings',
};

/** Browser bundle: hydrates the page. */
const client = {
  ...common,
  name: 'client',
  target: 'web',
  entry: { client: './src/client.tsx' },
  output: { path: path.join(dist, 'public'), filename: '[name].js', clean: false },
  plugins: [new SplicePlugin()],
};

/** Node bundle for prerendering (and for the oracle in tests). */
const server = {
  ...common,
  name: 'server',
  target: 'node',
  // `stream`: the same app rendered per request with renderToPipeableStream (docs/streaming-ssr.md).
  entry: { server: './src/server.tsx', stream: './src/stream.tsx' },
  output: { path: path.join(dist, 'server'), filename: '[name].js', library: { type: 'commonjs2' } },
  // The server build also emits the component map (splice-components.d.ts) and checks the
  // config's overrides against the manifest: a misspelled component or prop fails the build.
  plugins: [new SplicePlugin({ config: './src/splice.config.ts' })],
};

/** The edge worker, an ES module for workerd; Node imports the same file. */
const worker = {
  ...common,
  // Breakpoints bind in worker.ts and splice.config.ts (node --inspect, splice dev --inspect).
  devtool: 'source-map',
  name: 'worker',
  target: 'webworker',
  entry: { worker: './src/worker.ts' },
  experiments: { outputModule: true },
  output: { path: path.join(dist, 'worker'), filename: '[name].mjs', library: { type: 'module' }, chunkFormat: 'module' },
  resolve: {
    ...common.resolve,
    alias: {
      'splice-manifest.json$': path.join(dist, 'server', 'splice-manifest.json'),
      'splice-pages.json$': path.join(dist, 'server', 'splice-pages.json'),
      // The edge module SplicePlugin emits next to the server build's manifest.
      'splice-edge.mjs$': path.join(dist, 'server', 'splice-edge.mjs'),
    },
  },
};

module.exports = {
  client,
  server,
  worker,
  // The server bundle's `prerender(route)` renders each page; the worker serves and patches them.
  prerender: { routes: { '/': 'index.html', '/cart': 'cart/index.html' } },
  publicDir: 'public',
  // What the worker gets from `splice dev` besides ASSETS: a development signing secret.
  dev: { env: { SPLICE_SECRET: require('./scripts/dev-secret').DEV_SECRET } },
  dist,
};
