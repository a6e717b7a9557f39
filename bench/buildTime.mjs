// Build time of the storefront's webpack builds (client and server, as examples/storefront
// configures them) with SplicePlugin against the same builds without it, alternated in the same
// run, fresh compilers each round (no cache), median per setup. The plugin's cost includes the
// analysis and instrumentation of every module, the manifest and component map, the config
// check and the edge module (its own webpack compilation). Target of the value-holes issue:
// at most 1.10×. `npm run bench:build` (after `npm run build`); BENCH_ROUNDS=n (default 5).
import { createRequire } from 'node:module';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const webpack = require(require.resolve('webpack', { paths: [path.join(root, 'examples/storefront')] }));
const configs = require(path.join(root, 'examples/storefront/webpack.config.js'));

function run(config) {
  return new Promise((resolve, reject) => {
    webpack(config, (error, stats) => (error ? reject(error) : stats.hasErrors() ? reject(new Error(stats.toString({ all: false, errors: true }))) : resolve()));
  });
}

// The loader keeps compile results for the process (compileCache.ts): each round starts without
// them, as a build in a fresh process does; within a round the server and edge builds reuse the client's.
const { clearCompileCache } = require(path.join(root, 'packages/webpack-plugin/dist/compileCache.js'));

/** The client and server builds, into a fresh folder, with or without SplicePlugin. */
async function buildOnce(withPlugin) {
  clearCompileCache();
  const out = mkdtempSync(path.join(tmpdir(), 'splice-build-time-'));
  const setups = [configs.client, configs.server].map((c) => ({
    ...c,
    output: { ...c.output, path: path.join(out, c.name), clean: false },
    plugins: withPlugin ? c.plugins : (c.plugins ?? []).filter((p) => p.constructor.name !== 'SplicePlugin'),
  }));
  const start = performance.now();
  for (const c of setups) await run(c);
  return performance.now() - start;
}

export async function buildTimeRatio(rounds = Number(process.env.BENCH_ROUNDS ?? 5)) {
  const times = { with: [], without: [] };
  await buildOnce(true); // warm-up: module resolution caches of the process, JIT
  await buildOnce(false);
  for (let i = 0; i < rounds; i++) {
    // Alternated, so that drift on a shared machine hits both alike.
    times.with.push(await buildOnce(true));
    times.without.push(await buildOnce(false));
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { with: median(times.with), without: median(times.without), ratio: median(times.with) / median(times.without), rounds };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await buildTimeRatio();
  console.log(`storefront client + server builds (webpack, development, no cache), median of ${r.rounds}: with SplicePlugin ${r.with.toFixed(0)} ms, without ${r.without.toFixed(0)} ms: **${r.ratio.toFixed(2)}×** (target ≤ 1.10×: ${r.ratio <= 1.1 ? 'holds' : 'fails'})`);
}
