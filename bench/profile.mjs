// Where the time of one case goes, in Node (V8's sampling profiler, started after the setup):
//   node bench/profile.mjs <case> <page> <chunkBytes> [seconds]
//   node bench/profile.mjs --summary bench/dist/prof/<file>.cpuprofile [runs]
// <case>: pass | fastNone | fastTen | fastEvery | slowTen | floorEnqueue | floorIndexOf;
// <page>: real | 150k | 1m | 10m; or, for the structural cases (struct | structFirst | structMemo |
// value | valueFirst | renderOne | renderScan | pass), `structural` (bench/structural.mjs; needs
// `node bench/build.mjs structural`). Writes bench/dist/prof/<case>-<page>-<chunk>.cpuprofile
// (open it in Chrome DevTools) and prints self time by function (file:line) and by file, also
// as µs per run.
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { buildPages } from './pages.mjs';
import { chunksOf, makeCases, makeStructuralCases, memoRenderer, overrideSets } from './cases.mjs';

const require = createRequire(import.meta.url);

export function summary(file, runs, top = 30, own = /packages[\\/]/) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = prof.timeDeltas;
  for (let i = 0; i < prof.samples.length; i++) self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (dt[i] ?? 0));
  const fn = new Map();
  const files = new Map();
  let total = 0;
  for (const [id, us] of self) {
    const n = byId.get(id);
    const cf = n.callFrame;
    const where = cf.url ? `${path.basename(cf.url)}:${cf.lineNumber + 1}` : '(native)';
    const key = `${cf.functionName || '(anonymous)'} ${where}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
    const f = cf.url ? path.basename(cf.url) : cf.functionName.startsWith('(') ? cf.functionName : '(native)';
    files.set(f, (files.get(f) ?? 0) + us);
    total += us;
  }
  const pct = (us) => `${((us / total) * 100).toFixed(1)}%`.padStart(6) + (runs ? `  ${(us / runs).toFixed(2).padStart(8)} µs/run` : '');
  console.log(`total ${(total / 1000).toFixed(0)} ms sampled\n\nby function (self):`);
  for (const [k, us] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${k}`);
  // Inclusive time of the functions in files matching `own` (a function on the stack twice counts once).
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const incl = new Map();
  for (const [id, us] of self) {
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const cf = byId.get(at).callFrame;
      if (!own.test(cf.url)) continue;
      const key = `${cf.functionName || '(anonymous)'} ${path.basename(cf.url)}:${cf.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      incl.set(key, (incl.get(key) ?? 0) + us);
    }
  }
  console.log('\nown code (the packages, or the bundle), by function (inclusive):');
  for (const [k, us] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${k}`);
  console.log('\nby file (self):');
  for (const [k, us] of [...files].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${pct(us)}  ${k}`);
}

if (process.argv[1] !== fileURLToPath(import.meta.url)) {
  // imported for `summary`
} else if (process.argv[2] === '--summary') {
  summary(process.argv[3], Number(process.argv[4] ?? 0));
} else {
  const [which = 'fastTen', pageName = 'real', chunkArg = '16384', secondsArg = '5'] = process.argv.slice(2);
  const edge = require('@splice/edge');
  let page;
  let cases;
  if (pageName === 'structural') {
    const { structuralPage } = await import('./structural.mjs');
    page = structuralPage();
    const memo = await memoRenderer(page.renderer, page.request);
    cases = makeStructuralCases({ patchHtml: edge.patchHtml, preparePageSync: edge.preparePageSync, renderer: page.renderer, memo, manifest: page.manifest, sets: page.sets, request: page.request });
  } else {
    const storefront = require('../examples/storefront/dist/server/server.js');
    const manifest = require('../examples/storefront/dist/server/splice-manifest.json');
    page = buildPages(storefront.renderPage([]), edge.preparePageSync).find((p) => p.name === pageName);
    const sets = overrideSets(storefront.variants.b, page.cards);
    cases = makeCases({ patchHtml: edge.patchHtml, rewrite: null, manifest, sets, edits: {} });
  }
  const size = Number(chunkArg);
  const cp = { ...page, baseChunks: chunksOf(page.base, size), sourceChunks: chunksOf(page.source, size) };
  const fn = cases[which];
  for (let i = 0; i < 200; i++) await fn(cp); // warm-up
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 50 });
  await session.post('Profiler.start');
  const until = performance.now() + Number(secondsArg) * 1000;
  let n = 0;
  const t0 = performance.now();
  while (performance.now() < until) { await fn(cp); n++; }
  const elapsed = performance.now() - t0;
  const { profile } = await session.post('Profiler.stop');
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'dist', 'prof');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${which}-${pageName}-${size}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  console.log(`${which} on ${pageName} at ${size} B chunks: ${n} runs, ${((elapsed / n) * 1000).toFixed(1)} µs a run; profile: ${path.relative(process.cwd(), file)}\n`);
  summary(file, n);
}
