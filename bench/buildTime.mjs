// Build time of the storefront's webpack builds (client and server, as examples/storefront
// configures them) with SplicePlugin against the same builds without it, alternated in the same
// run, fresh compilers each round (no cache), median per setup. The plugin's cost includes the
// analysis and instrumentation of every module, the manifest and component map, the config
// check and the edge module (its own webpack compilation). Target of the value-holes issue:
// at most 1.10×. `npm run bench:build` (after `npm run build`); BENCH_ROUNDS=n (default 5).
// Also the same builds with webpack's filesystem cache warm on both sides (each setup its own
// cache folder, warmed before the timed rounds): an app's every build after its first.
// BENCH_CACHED=0 or 1 runs one of the two. BENCH_NO_EDGE=1 adds, without the cache, the builds
// with SplicePlugin and no edge module (`edgeModule: false`) to the same rounds: the analysis's
// share of the plugin's time, apart from the edge module's.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const webpack = require(require.resolve('webpack', { paths: [path.join(root, 'examples/storefront')] }));
const configs = require(path.join(root, 'examples/storefront/webpack.config.js'));

function run(config) {
  return new Promise((resolve, reject) => {
    const compiler = webpack(config);
    // Closed after each build, as a build process ends: a filesystem cache is written then.
    compiler.run((error, stats) => compiler.close(() => (error ? reject(error) : stats.hasErrors() ? reject(new Error(stats.toString({ all: false, errors: true }))) : resolve())));
  });
}

// The loader keeps compile results for the process (compileCache.ts): each round starts without
// them, as a build in a fresh process does; within a round the server and edge builds reuse the client's.
const { clearCompileCache } = require(path.join(root, 'packages/webpack-plugin/dist/compileCache.js'));

const { SplicePlugin } = require(path.join(root, 'packages/webpack-plugin/dist/index.js'));

/** The setup's plugins: the storefront's (`with`), without SplicePlugin, or with it and no edge module (`noEdge`). */
function pluginsFor(setup, plugins = []) {
  if (setup === 'with') return plugins;
  if (setup === 'without') return plugins.filter((p) => p.constructor.name !== 'SplicePlugin');
  return plugins.map((p) => (p.constructor.name === 'SplicePlugin' ? new SplicePlugin({ ...p.options, edgeModule: false }) : p));
}

/**
 * The client and server builds, into a fresh folder, with or without SplicePlugin (`setup`:
 * `with`, `without`, `noEdge`, or a boolean for the first two); with `cacheDirectory`, through
 * webpack's filesystem cache there (one per setup).
 */
async function buildOnce(setupOrPlugin, cacheDirectory) {
  const setup = setupOrPlugin === true ? 'with' : setupOrPlugin === false ? 'without' : setupOrPlugin;
  clearCompileCache();
  const out = mkdtempSync(path.join(tmpdir(), 'splice-build-time-'));
  const setups = [configs.client, configs.server].map((c) => ({
    ...c,
    output: { ...c.output, path: path.join(out, c.name), clean: false },
    ...(cacheDirectory ? { cache: { type: 'filesystem', cacheDirectory: path.join(cacheDirectory, setup), buildDependencies: {} } } : {}),
    plugins: pluginsFor(setup, c.plugins),
  }));
  const start = performance.now();
  for (const c of setups) await run(c);
  rmSync(out, { recursive: true, force: true });
  return performance.now() - start;
}

export async function buildTimeRatio(rounds = Number(process.env.BENCH_ROUNDS ?? 5), cached = false, noEdge = false) {
  const cacheDirectory = cached ? mkdtempSync(path.join(tmpdir(), 'splice-build-cache-')) : undefined;
  const setups = noEdge ? ['with', 'without', 'noEdge'] : ['with', 'without'];
  try {
    const times = Object.fromEntries(setups.map((s) => [s, []]));
    // Warm-up: module resolution caches of the process, JIT; and, cached, the caches filled.
    for (const s of setups) await buildOnce(s, cacheDirectory);
    for (let i = 0; i < rounds; i++) {
      // Alternated, so that drift on a shared machine hits every setup alike.
      for (const s of setups) times[s].push(await buildOnce(s, cacheDirectory));
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const out = { with: median(times.with), without: median(times.without), ratio: median(times.with) / median(times.without), rounds };
    if (noEdge) Object.assign(out, { noEdge: median(times.noEdge), noEdgeRatio: median(times.noEdge) / median(times.without) });
    return out;
  } finally {
    if (cacheDirectory) rmSync(cacheDirectory, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // BENCH_CACHED=0: without the cache only; =1: with it only.
  for (const cached of process.env.BENCH_CACHED === '0' ? [false] : process.env.BENCH_CACHED === '1' ? [true] : [false, true]) {
    const r = await buildTimeRatio(undefined, cached, !cached && process.env.BENCH_NO_EDGE === '1');
    console.log(`storefront client + server builds (webpack, development, ${cached ? 'filesystem cache warm' : 'no cache'}), median of ${r.rounds}: with SplicePlugin ${r.with.toFixed(0)} ms, without ${r.without.toFixed(0)} ms: **${r.ratio.toFixed(2)}×**${cached ? '' : ` (target ≤ 1.10×: ${r.ratio <= 1.1 ? 'holds' : 'fails'})`}`);
    if (r.noEdge !== undefined) console.log(`  with SplicePlugin and no edge module (edgeModule: false): ${r.noEdge.toFixed(0)} ms: ${r.noEdgeRatio.toFixed(2)}× (the edge module's share: ${(r.ratio - r.noEdgeRatio).toFixed(2)}×)`);
  }
}
