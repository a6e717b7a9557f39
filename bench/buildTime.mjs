// Build time of the storefront's webpack builds (client and server, as examples/storefront
// configures them) with SplicePlugin against the same builds without it, alternated in the same
// run, fresh compilers each round (no cache), median per setup. The plugin's cost includes the
// analysis and instrumentation of every module, the manifest and component map, the config
// check and the edge module (its own webpack compilation). Target of the value-holes issue:
// at most 1.10×. `npm run bench:build` (after `npm run build`); BENCH_ROUNDS=n (default 5).
// Also the same builds with webpack's filesystem cache warm on both sides (each setup its own
// cache folder, warmed before the timed rounds): an app's every build after its first.
// BENCH_CACHED=0 or 1 runs one of the two.
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

/**
 * The client and server builds, into a fresh folder, with or without SplicePlugin; with
 * `cacheDirectory`, through webpack's filesystem cache there (one per setup).
 */
async function buildOnce(withPlugin, cacheDirectory) {
  clearCompileCache();
  const out = mkdtempSync(path.join(tmpdir(), 'splice-build-time-'));
  const setups = [configs.client, configs.server].map((c) => ({
    ...c,
    output: { ...c.output, path: path.join(out, c.name), clean: false },
    ...(cacheDirectory ? { cache: { type: 'filesystem', cacheDirectory: path.join(cacheDirectory, withPlugin ? 'with' : 'without'), buildDependencies: {} } } : {}),
    plugins: withPlugin ? c.plugins : (c.plugins ?? []).filter((p) => p.constructor.name !== 'SplicePlugin'),
  }));
  const start = performance.now();
  for (const c of setups) await run(c);
  rmSync(out, { recursive: true, force: true });
  return performance.now() - start;
}

export async function buildTimeRatio(rounds = Number(process.env.BENCH_ROUNDS ?? 5), cached = false) {
  const cacheDirectory = cached ? mkdtempSync(path.join(tmpdir(), 'splice-build-cache-')) : undefined;
  try {
    const times = { with: [], without: [] };
    // Warm-up: module resolution caches of the process, JIT; and, cached, the two caches filled.
    await buildOnce(true, cacheDirectory);
    await buildOnce(false, cacheDirectory);
    for (let i = 0; i < rounds; i++) {
      // Alternated, so that drift on a shared machine hits both alike.
      times.with.push(await buildOnce(true, cacheDirectory));
      times.without.push(await buildOnce(false, cacheDirectory));
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    return { with: median(times.with), without: median(times.without), ratio: median(times.with) / median(times.without), rounds };
  } finally {
    if (cacheDirectory) rmSync(cacheDirectory, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // BENCH_CACHED=0: without the cache only; =1: with it only.
  for (const cached of process.env.BENCH_CACHED === '0' ? [false] : process.env.BENCH_CACHED === '1' ? [true] : [false, true]) {
    const r = await buildTimeRatio(undefined, cached);
    console.log(`storefront client + server builds (webpack, development, ${cached ? 'filesystem cache warm' : 'no cache'}), median of ${r.rounds}: with SplicePlugin ${r.with.toFixed(0)} ms, without ${r.without.toFixed(0)} ms: **${r.ratio.toFixed(2)}×**${cached ? '' : ` (target ≤ 1.10×: ${r.ratio <= 1.1 ? 'holds' : 'fails'})`}`);
  }
}
