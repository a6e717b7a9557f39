// Heap over many requests of one structural case on the structural bench's page (bench/structural.mjs),
// in a fresh process:
//   node --expose-gc bench/heap-structural.mjs <pass|value|struct|structFirst> [requests, default 2000] [chunkBytes, default 16384]
// Needs the bench bundle (bench/build.mjs structural). Prints JSON (bytes of V8 heap used +
// ArrayBuffers, each after two full gc()): `before` (after 50 warm-up requests: compiled code, the
// first-render verdict, the planning caches are in it), `samples` after 1/4, 1/2, 3/4 of the
// requests, `after` all of them.
import { chunksOf, drain, makeStructuralCases, memoRenderer, streamOf } from './cases.mjs';
import { structuralPage } from './structural.mjs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const edge = require('@splice/edge');
if (typeof gc !== 'function') throw new Error('run with node --expose-gc');
const [which = 'struct', nArg = '2000', sizeArg = '16384'] = process.argv.slice(2);
const n = Number(nArg);
const page = structuralPage();
const memo = await memoRenderer(page.renderer, page.request);
const cases = makeStructuralCases({ patchHtml: edge.patchHtml, preparePageSync: edge.preparePageSync, renderer: page.renderer, memo, manifest: page.manifest, sets: page.sets, request: page.request });
const fn = cases[which];
if (fn === undefined) throw new Error(`unknown case ${which}`);
const cp = { ...page, baseChunks: chunksOf(page.base, Number(sizeArg)) };
void drain; void streamOf;

async function level() {
  // Let the last stream's promise reactions settle before asking what is still held.
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

for (let i = 0; i < 50; i++) await fn(cp);
const before = await level();
const samples = [];
let bytes = 0;
for (let i = 1; i <= n; i++) {
  bytes += await fn(cp);
  if (i % (n / 4) === 0 && i < n) samples.push(await level());
}
const after = await level();
console.log(JSON.stringify({ case: which, n, before, samples, after, bytesPerRequest: bytes / n }));
