// Webpack builds the bench needs, into bench/dist (ignored by git, like every dist/):
// - worker:   bench/worker.mjs as one ES module for workerd: @splice/edge, the shared cases and
//             the storefront's renderer (React production build, with SplicePlugin, as served);
// - render:   the storefront's server entry for Node, React production build, with SplicePlugin
//             (the storefront's own dist/server/server.js is a development build);
// - nosplice: the storefront's server entry built WITHOUT SplicePlugin (page weight baseline);
// - structural: bench/app/listing.tsx (a real React render of the storefront's components, 60
//             cards, ≈150 KB) for Node, React production build, with SplicePlugin, which also
//             writes its manifest and the edge module `splice-edge.mjs` next to it. Built before
//             the worker, which bundles that edge module (as the storefront's worker does).
// All start from examples/storefront/webpack.config.js, so loaders and resolution are the app's.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const webpack = require('webpack');
const { SplicePlugin } = require('@splice/webpack-plugin');

const benchDir = path.dirname(fileURLToPath(import.meta.url));
export const distDir = path.join(benchDir, 'dist');
const storefrontConfig = require(path.join(benchDir, '..', 'examples', 'storefront', 'webpack.config.js'));

/** Only the storefront's own sources are instrumented (not the bench, not the packages). */
const storefrontSrc = /examples[\\/]storefront[\\/]src[\\/].*\.[jt]sx?$/;

function configs() {
  const { server } = storefrontConfig;
  // What the worker and the Node renderer share: React's production build, instrumented, unminified
  // (a fresh plugin for each: one instance per compiler).
  const production = () => ({
    mode: 'production',
    optimization: { minimize: false },
    performance: { hints: false },
    plugins: [new SplicePlugin({ test: storefrontSrc })],
  });
  return {
    worker: {
      ...server,
      ...production(),
      name: 'bench-worker',
      target: 'webworker',
      entry: { 'bench-worker': path.join(benchDir, 'worker.mjs') },
      experiments: { outputModule: true },
      output: { path: path.join(distDir, 'worker'), filename: '[name].mjs', library: { type: 'module' }, chunkFormat: 'module' },
      // What a Workers bundler resolves: react-dom/server is its `workerd` build (server.edge),
      // whose renderToString is the same legacy renderer as Node's.
      resolve: {
        ...server.resolve,
        conditionNames: ['workerd', 'worker', 'browser', '...'],
        // The edge module SplicePlugin emitted for the structural bench's page (built first).
        alias: { 'splice-edge.mjs$': path.join(distDir, 'structural', 'splice-edge.mjs') },
      },
    },
    render: {
      ...server,
      ...production(),
      name: 'bench-render',
      // The server entry alone (the storefront's server build also has a streaming entry).
      entry: { server: server.entry.server },
      output: { path: path.join(distDir, 'render'), filename: 'server.js', library: { type: 'commonjs2' } },
    },
    structural: {
      ...server,
      ...production(),
      name: 'bench-structural',
      entry: { listing: path.join(benchDir, 'app', 'listing.tsx') },
      output: { path: path.join(distDir, 'structural'), filename: '[name].js', library: { type: 'commonjs2' } },
    },
    nosplice: {
      ...server,
      name: 'bench-nosplice',
      entry: { server: server.entry.server },
      output: { path: path.join(distDir, 'nosplice'), filename: 'server.js', library: { type: 'commonjs2' } },
      plugins: [],
    },
  };
}

/** Builds the named bundles (the worker needs `structural`'s edge module: built first); resolves to their output paths. */
export async function build(names) {
  const all = configs();
  const first = names.includes('structural') || names.includes('worker') ? ['structural'] : [];
  if (first.length > 0) await compile(first.map((n) => all[n]));
  const rest = names.filter((n) => n !== 'structural').map((n) => all[n]);
  if (rest.length > 0) await compile(rest);
  return {
    worker: path.join(distDir, 'worker', 'bench-worker.mjs'),
    render: path.join(distDir, 'render', 'server.js'),
    nosplice: path.join(distDir, 'nosplice', 'server.js'),
    structural: path.join(distDir, 'structural', 'listing.js'),
    structuralManifest: path.join(distDir, 'structural', 'splice-manifest.json'),
    structuralEdge: path.join(distDir, 'structural', 'splice-edge.mjs'),
  };
}

function compile(list) {
  return new Promise((resolve, reject) => {
    webpack(list, (err, stats) => {
      if (err) return reject(err);
      const info = stats.toJson({ all: false, errors: true, warnings: true });
      if (stats.hasErrors()) return reject(new Error(`bench build failed:\n${(info.errors ?? []).map((e) => e.message).join('\n')}`));
      resolve();
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const t = performance.now();
  const out = await build(process.argv.slice(2).length ? process.argv.slice(2) : ['worker', 'render', 'nosplice', 'structural']);
  console.log(`bench bundles built in ${((performance.now() - t) / 1000).toFixed(1)} s`, out);
}
