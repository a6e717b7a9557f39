// Heap growth of one streamed request over the 10 MB page (or another the run wrote), in a fresh process per case:
//   node --expose-gc bench/heap.mjs <pass|fastNone|fastTen|fastEvery|slowTen> <chunkBytes> [page, default 10m]
// Reads the page bench/run.mjs wrote to bench/dist/pages. Prints JSON (bytes):
// - peakFree: highest (V8 heap used + ArrayBuffers) seen after each chunk read, over the level
//   before the request, with the GC left alone (includes garbage not yet collected);
// - peakLive: the same with a full gc() before every sample: what the stream holds (HEAP_GC_EVERY=n
//   collects before every n-th sample only: faster, but a sample may then include garbage);
// - after: live after the stream ended and was dropped.
// The page's bytes, its index and the manifest exist before the request (they are the cache's),
// so they are in the baseline; what the stream allocates, copies or holds is not.
// HEAP_FRESH=1: each chunk is a new copy when read, as a network body's chunks are (by default
// they are views of the page in the baseline, so a stream that keeps references to them costs
// nothing here): then keeping the chunks it was handed counts.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chunksOf, streamOf as viewStreamOf } from './cases.mjs';

const require = createRequire(import.meta.url);
const { patchHtml } = require('@splice/edge');
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'dist', 'pages');
const [which, sizeArg, pageName = '10m'] = process.argv.slice(2);
const size = Number(sizeArg ?? 16384);
if (typeof gc !== 'function') throw new Error('run with node --expose-gc');

const base = new Uint8Array(readFileSync(path.join(dir, `${pageName}.base.html`)));
const source = new Uint8Array(readFileSync(path.join(dir, `${pageName}.source.html`)));
const { index, sets, manifest } = JSON.parse(readFileSync(path.join(dir, `${pageName}.json`), 'utf8'));
const baseChunks = chunksOf(base, size);
const sourceChunks = chunksOf(source, size);
const fresh = process.env.HEAP_FRESH === '1';
const streamOf = fresh ? (chunks) => {
  let i = 0;
  return new ReadableStream({ pull(controller) { if (i < chunks.length) controller.enqueue(chunks[i++].slice()); else controller.close(); } });
} : viewStreamOf;

const make = {
  pass: () => streamOf(baseChunks).pipeThrough(new TransformStream()),
  fastNone: () => patchHtml(streamOf(baseChunks), { manifest, overrides: sets.none, index }),
  fastTen: () => patchHtml(streamOf(baseChunks), { manifest, overrides: sets.ten, index }),
  fastEvery: () => patchHtml(streamOf(baseChunks), { manifest, overrides: sets.every, index }),
  slowTen: () => patchHtml(streamOf(sourceChunks), { manifest, overrides: sets.ten }),
}[which];
if (make === undefined) throw new Error(`unknown case ${which}`);

function level() {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

async function once(gcEvery) {
  gc();
  gc();
  const before = level();
  let reader = make().getReader();
  let peak = 0;
  let n = 0;
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    // The end is sampled too: a stream may hold most (the slow path's index, and the copy of it
    // in its report) just when it has finished.
    if (gcEvery > 0 && (done || ++n % gcEvery === 0)) gc();
    peak = Math.max(peak, level() - before);
    if (done) break;
    bytes += value.length;
  }
  reader = null;
  // Let the pipe settle (its last promise reactions) before asking what is still held.
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
  gc();
  gc();
  return { peak, after: level() - before, bytes };
}

await once(0); // warm-up: compiled code and lazily made objects are not the request's
const free = await once(0);
const live = await once(Number(process.env.HEAP_GC_EVERY ?? 1));
console.log(JSON.stringify({ case: which, chunk: size, fresh, peakFree: free.peak, peakLive: live.peak, after: live.after, bytes: free.bytes }));
