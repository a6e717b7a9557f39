// The storefront's server build run again by the same compiler (memory cache), as watch mode and
// `splice dev` rebuild it: the first build, then the median of the rebuilds, and the edge module's
// share of each (timed around SplicePlugin's buildEdgeModule). Ratios, not absolute times, are
// what to compare across machines. `node bench/rebuild.mjs` after `npm run build`; BENCH_ROUNDS=n (5).
import { createRequire } from 'node:module';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const webpack = require(require.resolve('webpack', { paths: [path.join(root, 'examples/storefront')] }));
const edgeModule = require(path.join(root, 'packages/webpack-plugin/dist/edgeModule.js'));
const configs = require(path.join(root, 'examples/storefront/webpack.config.js'));

export async function rebuildTimes(rounds = Number(process.env.BENCH_ROUNDS ?? 5)) {
  const edge = [];
  const build = edgeModule.buildEdgeModule;
  edgeModule.buildEdgeModule = async (...args) => { const t = performance.now(); await build(...args); edge.push(performance.now() - t); };
  const server = configs.server;
  const compiler = webpack({ ...server, cache: { type: 'memory' }, output: { ...server.output, path: mkdtempSync(path.join(tmpdir(), 'splice-rebuild-')), clean: false } });
  const run = () => new Promise((resolve, reject) => compiler.run((error, stats) => (error ? reject(error) : stats.hasErrors() ? reject(new Error(stats.toString({ all: false, errors: true }))) : resolve())));
  const times = [];
  try {
    for (let i = 0; i <= rounds; i++) {
      const start = performance.now();
      await run();
      times.push(performance.now() - start);
    }
  } finally {
    await new Promise((resolve) => compiler.close(resolve));
    edgeModule.buildEdgeModule = build;
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { first: times[0], firstEdge: edge[0], rebuild: median(times.slice(1)), rebuildEdge: median(edge.slice(1)), rounds };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await rebuildTimes();
  console.log(`storefront server build, then ${r.rounds} rebuilds by the same compiler (memory cache): first ${r.first.toFixed(0)} ms (edge module ${r.firstEdge.toFixed(0)} ms), rebuild median ${r.rebuild.toFixed(0)} ms (edge module ${r.rebuildEdge.toFixed(0)} ms): a rebuild takes ${(r.rebuild / r.first).toFixed(2)}× the first build`);
}
