// `npm run bench`: the edge patcher against a plain pass-through stream, against HTMLRewriter
// (html-rewriter-wasm in Node, the native one in workerd) and against a full React render, in
// Node 20 and in workerd (through miniflare), on the storefront's real page and on listings of
// ≈150 KB, ≈1 MB and ≈10 MB, at 4 KB and 16 KB chunks; then heap growth on the 10 MB page, the
// 40,000-elements-in-one-chunk case, page weight (bench/weight.mjs), and one structural override
// (a card re-rendered by the edge module) on a real ≈150 KB React listing (bench/structural.mjs).
//
// Read the RATIOS to the pass-through measured in the same run and the same round: absolute
// times on shared 2-core machines are noise. Method and results: BENCHMARKS.md.
//
// Environment: BENCH_QUICK=1 (fewer, shorter rounds: a smoke run in about 1.5 minutes);
// BENCH_ONLY=node,workerd,burst,heap,weight,structural,scan,size,analyzer (any subset; default all;
// `analyzer` needs SPLICE_CORPUS, the corpus folders separated by `:`).
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { build, distDir } from './build.mjs';
import { checkCases, chunksOf, drain, makeCases, median, renderCases, streamOf } from './cases.mjs';
import { fmtBytes, tagDensity } from './pages.mjs';
import { benchDir, benchPages, edge, manifest, storefront, wasmRewrite } from './setup.mjs';
import { startWorkerd } from './workerd.mjs';
import { runStructural } from './structural.mjs';

const require = createRequire(import.meta.url);
const QUICK = process.env.BENCH_QUICK === '1';
const ONLY = new Set((process.env.BENCH_ONLY ?? 'node,workerd,burst,heap,weight,structural,scan,size,analyzer').split(',').map((s) => s.trim()));
const CHUNKS = [4096, 16384];
const CASES = ['pass', 'floorPull', 'floorEnqueue', 'floorIndexOf', 'fastNone', 'fastTen', 'fastEvery', 'fastTenParsed', 'parseIndex', 'slowTen', 'rwTen', 'rwEvery'];
const ROWS = [
  ['pass', 'pass-through (identity `new TransformStream()`): time per request'],
  ['floorPull', 'floor: a ReadableStream that pulls from the input and only enqueues (the fast path\'s own stream mechanics, no pipe)'],
  ['floorEnqueue', 'floor: TransformStream whose transform only enqueues'],
  ['floorIndexOf', 'floor: same + native indexOf of an absent byte over every chunk'],
  ['fastNone', '**patchHtml fast path, no overrides, no assignments**'],
  ['fastTen', '**fast path, 10 overrides** (10 elements + bootstrap)'],
  ['fastEvery', '**fast path, every card** (name: img alt + h2, 2 elements a card)'],
  ['fastTenParsed', 'fast path, 10 overrides, index JSON.parse’d per request (nothing cached per index)'],
  ['parseIndex', '… of which JSON.parse of the index (+ pass-through)'],
  ['slowTen', 'slow path: source page, no index, 10 overrides (cache fill)'],
  ['rwTen', 'HTMLRewriter, the same 10 edits + bootstrap'],
  ['rwEvery', 'HTMLRewriter, every card'],
  ['render', 'full renderToString of the page, variant B (React production build)'],
  ['renderServe', '… rendered, encoded and streamed out (one chunk through a pass-through)'],
  ['renderDev', 'renderToString with the storefront’s React development build'],
];
const SPREAD = new Set(['fastNone', 'fastTen', 'fastEvery']);
const started = performance.now();
const log = (...a) => console.error(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s]`, ...a);

log('building the bench bundles (structural page + edge module, workerd worker, production-React renderer, no-SplicePlugin server)…');
const bundles = await build(['structural', 'worker', 'render', 'nosplice']);
const renderProd = require(bundles.render);

// The listing pages are for the value-only parts; the structural part makes its own page.
const NEED_PAGES = ['node', 'workerd', 'burst', 'heap'].some((x) => ONLY.has(x));
if (NEED_PAGES) log('building pages…');
const pages = NEED_PAGES ? await benchPages() : [];
const byName = Object.fromEntries(pages.map((p) => [p.name, p]));
const timedPages = pages.filter((p) => p.name !== 'burst');

const git = (args) => spawnSync('git', args, { cwd: benchDir, encoding: 'utf8' }).stdout.trim();
const head = git(['rev-parse', '--short', 'HEAD']);
const dirty = git(['status', '--porcelain', '--', '../packages/*/src', '../examples/storefront/src']).split('\n').filter(Boolean).length;
const results = { date: new Date().toISOString(), quick: QUICK, node: process.version, commit: head, dirtyFiles: dirty, pages: {}, node_: {}, workerd: {}, checks: {} };
console.log(`## Splice bench, ${results.date.slice(0, 10)}${QUICK ? ' (BENCH_QUICK)' : ''}: Node ${process.version}, commit ${head}${dirty ? ` + ${dirty} uncommitted source file(s) in packages/*/src and the storefront's src` : ''}\n`);
for (const p of pages) {
  results.pages[p.name] = { label: p.label, base: p.base.length, source: p.source.length, cards: p.cards, sites: p.index.sites.length, ltEvery: +tagDensity(p.base).toFixed(1), indexJson: p.indexJson.length };
}

// ---------------------------------------------------------------------------------------------
// The harness. `exec(case, k)` runs a case k times back to back and resolves to elapsed ms.
// Per cell: calibrate each case to batches of ≈targetMs, then `rounds` rounds, each running
// every case once (rotating the order); a case's ratio is the median over rounds of
// (its time per run) / (the pass-through's time per run in the same round).
// ---------------------------------------------------------------------------------------------
async function measureCell(exec, names, { targetMs, minMs, rounds }) {
  const k = {};
  for (const name of names) {
    await exec(name, 1); // warm-up
    let n = 1;
    let ms = await exec(name, n);
    while (ms < minMs) {
      n = Math.min(n * 16, Math.max(n * 2, Math.ceil((n * minMs * 1.3) / Math.max(ms, 0.05))));
      ms = await exec(name, n);
    }
    k[name] = Math.max(1, Math.round((n * targetMs) / ms));
  }
  const per = Object.fromEntries(names.map((n) => [n, []]));
  const extra = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    const order = names.map((_, i) => names[(i + r) % names.length]);
    for (const name of order) {
      const out = await exec(name, k[name], true);
      per[name].push((typeof out === 'number' ? out : out.ms) / k[name]);
      if (typeof out === 'object') extra[name].push(out.alt / k[name]);
    }
  }
  const cell = {};
  for (const name of names) {
    const ratios = per[name].map((t, r) => t / per.pass[r]);
    const sorted = [...ratios].sort((a, b) => a - b);
    const q = (f) => sorted[Math.round(f * (sorted.length - 1))];
    cell[name] = {
      k: k[name], ms: median(per[name]), ratio: median(ratios), q1: q(0.25), q3: q(0.75), lo: sorted[0], hi: sorted.at(-1),
      // Another estimate, robust to bursts of load from other processes: fastest ÷ fastest.
      minRatio: Math.min(...per[name]) / Math.min(...per.pass), rounds: per[name],
    };
    if (extra[name].length > 0) cell[name].altRatio = median(extra[name].map((t, r) => t / extra.pass[r]));
  }
  return cell;
}

const fmtRatio = (c) => (c === undefined ? '–' : c.ratio >= 10 ? `${c.ratio.toFixed(0)}×` : `${c.ratio.toFixed(2)}×`);
const fmtMs = (ms) => (ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 1 ? `${ms.toFixed(1)} ms` : `${(ms * 1000).toFixed(0)} µs`);

function printRuntimeTable(title, runtime) {
  const cells = [];
  for (const p of timedPages) for (const size of CHUNKS) if (runtime[`${p.name}/${size}`]) cells.push([p, size, runtime[`${p.name}/${size}`]]);
  const rows = [`### ${title}`, '', 'Ratios to the pass-through of the same run: median over rounds of (case ÷ pass-through of the same round); small print (goal rows): the middle half of the per-round ratios (25th–75th percentile).', ''];
  rows.push(`| case | ${cells.map(([p, s]) => `${p.name === 'real' ? 'storefront' : fmtBytes(p.base.length)}, ${s / 1024} KB`).join(' | ')} |`);
  rows.push(`|---|${cells.map(() => '---').join('|')}|`);
  for (const [key, label] of ROWS) {
    if (!cells.some(([, , c]) => c[key])) continue;
    const cell = (c) => {
      if (key === 'pass') return fmtMs(c.pass.ms);
      const x = c[key];
      if (x === undefined) return '';
      if (key.startsWith('render')) return `${fmtRatio(x)} (${fmtMs(x.ms)})`;
      // The spread over rounds, for the rows the goals are about.
      return SPREAD.has(key) ? `${fmtRatio(x)} <sub>${x.q1.toFixed(2)}–${x.q3.toFixed(2)}</sub>` : fmtRatio(x);
    };
    rows.push(`| ${label} | ${cells.map(([, , c]) => cell(c)).join(' | ')} |`);
  }
  rows.push(`| HTMLRewriter ÷ fast path (10 edits): times faster | ${cells.map(([, , c]) => `**${(c.rwTen.ms / c.fastTen.ms).toFixed(1)}×**`).join(' | ')} |`);
  console.log(rows.join('\n') + '\n');
}

// ---------------------------------------------------------------------------------------------
// Checks: what every case does on every page (elements rewritten, problems), once, in Node.
// ---------------------------------------------------------------------------------------------
if (NEED_PAGES) log('checking what each case does…');
for (const p of pages.filter((x) => x.name !== 'burst')) {
  const cp = { ...p, baseChunks: chunksOf(p.base, 16384), sourceChunks: chunksOf(p.source, 16384) };
  const res = await checkCases({ patchHtml: edge.patchHtml, rewrite: wasmRewrite, manifest, sets: p.sets, edits: p.edits }, cp);
  results.checks[p.name] = res;
  const bad = Object.entries(res).filter(([, v]) => v.problems.length > 0 || v.skipped > 0);
  if (bad.length > 0 || !res.fastNone.identical || !res.slowTen.sameAsFast) {
    console.log(`> CHECK FAILED on ${p.name}: ${JSON.stringify(res)}`);
  }
}
if (NEED_PAGES) {
  const lines = ['### What each case does (elements rewritten / matched)', '', '| page | base page | source page | `<` every | marked sites | fast 10 | fast every card | slow 10 | HTMLRewriter 10 (elements matched, incl. body) | HTMLRewriter every card | fast = base when no overrides | slow output = fast output |', '|---|---|---|---|---|---|---|---|---|---|---|---|'];
  for (const p of timedPages) {
    const r = results.checks[p.name];
    const m = results.pages[p.name];
    lines.push(`| ${p.label} | ${fmtBytes(m.base)} | ${fmtBytes(m.source)} | ${m.ltEvery} B | ${m.sites} | ${r.fastTen.patched} | ${r.fastEvery.patched} | ${r.slowTen.patched} | ${r.rwTen.patched} | ${r.rwEvery.patched} | ${r.fastNone.identical ? 'yes' : '**no**'} | ${r.slowTen.sameAsFast ? 'yes' : '**no**'} |`);
  }
  console.log(lines.join('\n') + '\n');
}

const timing = QUICK ? { node: { targetMs: 30, minMs: 8, rounds: 3 }, workerd: { targetMs: 40, minMs: 20, rounds: 3 } }
  : { node: { targetMs: 80, minMs: 10, rounds: 9 }, workerd: { targetMs: 100, minMs: 25, rounds: 7 } };

// ---------------------------------------------------------------------------------------------
// Node 20
// ---------------------------------------------------------------------------------------------
if (ONLY.has('node')) {
  for (const p of timedPages) {
    const cases = makeCases({ patchHtml: edge.patchHtml, rewrite: wasmRewrite, manifest, sets: p.sets, edits: p.edits });
    Object.assign(cases, renderCases(renderProd.renderPage, renderProd.variants.b));
    cases.renderDev = renderCases(storefront.renderPage, storefront.variants.b).render;
    for (const size of CHUNKS) {
      const cp = { ...p, baseChunks: chunksOf(p.base, size), sourceChunks: chunksOf(p.source, size) };
      const names = p.name === 'real' ? [...CASES, 'render', 'renderServe', 'renderDev'] : CASES;
      log(`node: ${p.label}, ${size / 1024} KB chunks`);
      results.node_[`${p.name}/${size}`] = await measureCell(async (name, k) => {
        const fn = cases[name];
        const t0 = performance.now();
        for (let i = 0; i < k; i++) await fn(cp);
        return performance.now() - t0;
      }, names, timing.node);
    }
  }
  printRuntimeTable('Node ' + process.version + ' (html-rewriter-wasm as HTMLRewriter)', results.node_);
}

// ---------------------------------------------------------------------------------------------
// workerd (miniflare)
// ---------------------------------------------------------------------------------------------
let mf = null;
let call = null;
let upload = null;
let workerdVersion = '';
let upload0 = null;
let workerClock = true;
let overhead = 0;
if (ONLY.has('workerd') || ONLY.has('burst') || ONLY.has('structural')) {
  log('starting workerd…');
  ({ mf, call, upload: upload0, version: workerdVersion } = await startWorkerd(bundles.worker));
  upload = (p) => upload0(p, manifest);
  const clock = await call('/clock');
  results.workerdClock = clock;
  // The in-worker clock is used when it advances during synchronous code (it does in local
  // workerd, with a 1 ms step); otherwise batches are timed from Node (round trip − overhead).
  workerClock = clock.syncMs > 0;
  const overheads = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    await call('/noop');
    overheads.push(performance.now() - t);
  }
  overhead = median(overheads);
  results.workerdOverheadMs = overhead;
  console.log(`workerd clock: a synchronous loop of ${clock.syncMs} ms by performance.now() (step ${clock.step} ms): timing with the ${workerClock ? "worker's own clock" : 'Node-side clock'}; dispatchFetch round trip ${overhead.toFixed(2)} ms.\n`);

  if (ONLY.has('workerd')) {
    for (const p of timedPages) {
      await upload(p);
      const check = await call(`/check?name=${p.name}&chunk=16384`);
      results.checks[`workerd:${p.name}`] = check;
      const expect = results.checks[p.name];
      for (const k of ['fastTen', 'fastEvery', 'slowTen', 'rwTen', 'rwEvery']) {
        if (expect && check[k].patched !== expect[k].patched) console.log(`> workerd differs from Node on ${p.name} ${k}: ${check[k].patched} vs ${expect[k].patched}`);
      }
      for (const size of CHUNKS) {
        log(`workerd: ${p.label}, ${size / 1024} KB chunks`);
        const names = p.name === 'real' ? [...CASES, 'render', 'renderServe'] : CASES;
        results.workerd[`${p.name}/${size}`] = await measureCell(async (name, k, both) => {
          const t = performance.now();
          const r = await call(`/run?name=${p.name}&chunk=${size}&case=${name}&k=${k}`);
          const outside = Math.max(0.001, performance.now() - t - overhead);
          const inside = r.ms;
          if (both) return workerClock ? { ms: inside, alt: outside } : { ms: outside, alt: inside };
          return workerClock ? inside : outside;
        }, names, timing.workerd);
      }
      await call(`/drop?name=${p.name}`, { method: 'POST' });
    }
    printRuntimeTable(`workerd (miniflare ${workerdVersion}; native HTMLRewriter)`, results.workerd);
    const lines = ['Clock cross-check (workerd): the same ratios timed from Node (round trip − empty-request overhead):', '', '| page | chunk | fast 10, worker clock | fast 10, Node clock | every card, worker | every card, Node | HTMLRewriter 10, worker | HTMLRewriter 10, Node |', '|---|---|---|---|---|---|---|---|'];
    for (const p of timedPages) {
      for (const size of CHUNKS) {
        const c = results.workerd[`${p.name}/${size}`];
        const alt = (x) => (x.altRatio === undefined ? '–' : `${x.altRatio.toFixed(2)}×`);
        lines.push(`| ${p.label} | ${size / 1024} KB | ${fmtRatio(c.fastTen)} | ${alt(c.fastTen)} | ${fmtRatio(c.fastEvery)} | ${alt(c.fastEvery)} | ${fmtRatio(c.rwTen)} | ${alt(c.rwTen)} |`);
      }
    }
    console.log(lines.join('\n') + '\n');
  }
}

// ---------------------------------------------------------------------------------------------
// 40,000 patched elements in one ≈7 MB chunk
// ---------------------------------------------------------------------------------------------
if (ONLY.has('burst')) {
  const p = byName.burst;
  const reps = QUICK ? 2 : 5;
  const burst = { bytes: p.base.length, sourceBytes: p.source.length, rows: [] };
  const nodeRun = async (slow) => {
    let report = null;
    const t = performance.now();
    await drain(edge.patchHtml(streamOf([slow ? p.source : p.base]), { manifest, overrides: p.sets.burst, index: slow ? undefined : p.index, onReport: (r) => { report = r; } }));
    return { ms: performance.now() - t, patched: report.patchedElements, problems: report.problems };
  };
  for (const slow of [false, true]) {
    log(`burst: Node, ${slow ? 'source page' : 'base page + index'}`);
    await nodeRun(slow); // warm-up
    const runs = [];
    for (let i = 0; i < reps; i++) runs.push(await nodeRun(slow));
    burst.rows.push({ runtime: 'Node', slow, ms: median(runs.map((r) => r.ms)), patched: runs[0].patched, problems: runs[0].problems.slice(0, 3) });
  }
  const passTimes = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await drain(streamOf([p.base]).pipeThrough(new TransformStream()));
    passTimes.push(performance.now() - t);
  }
  burst.passMs = median(passTimes);
  if (mf !== null) {
    await upload(p);
    for (const slow of [false, true]) {
      log(`burst: workerd, ${slow ? 'source page' : 'base page + index'}`);
      await call(`/burst?name=burst&k=1&slow=${slow ? 1 : 0}`);
      const runs = [];
      for (let i = 0; i < reps; i++) runs.push(await call(`/burst?name=burst&k=1&slow=${slow ? 1 : 0}`));
      burst.rows.push({ runtime: 'workerd', slow, ms: median(runs.map((r) => r.ms)), patched: runs[0].patched, problems: [] });
    }
    await call('/drop?name=burst', { method: 'POST' });
  }
  results.burst = burst;
  const n = burst.rows[0].patched;
  console.log([
    `### ${n.toLocaleString('en')} patched elements in one chunk (${p.cards.toLocaleString('en')} cards; the name of every card: img alt + h2)`, '',
    `| runtime | input (one chunk) | elements rewritten | time (median of ${reps}) | goal |`, '|---|---|---|---|---|',
    ...burst.rows.map((r) => `| ${r.runtime} | ${r.slow ? `source page, no index (cache fill), ${fmtBytes(p.source.length)}` : `base page + index, ${fmtBytes(p.base.length)}`} | ${r.patched} | ${fmtMs(r.ms)} | ${r.slow ? '–' : '< 1 s'} |`),
    '', `(pass-through of the same base-page chunk in Node: ${fmtMs(burst.passMs)})`,
    ...burst.rows.filter((r) => r.problems.length > 0).map((r) => `problems (${r.runtime}): ${r.problems.join('; ')}`), '',
  ].join('\n'));
}
// ---------------------------------------------------------------------------------------------
// One structural override on a real React listing: Node and workerd, first byte, heap
// ---------------------------------------------------------------------------------------------
if (ONLY.has('structural')) {
  // A batch in workerd, timed as the workerd part times it (the worker's clock unless it is frozen).
  const workerdBatch = async (url) => {
    const t = performance.now();
    const r = await call(url);
    return workerClock ? r.ms : Math.max(0.001, performance.now() - t - overhead);
  };
  console.log(await runStructural({ measureCell, timing, call, workerdBatch, workerdVersion, log, quick: QUICK, results }));
}
if (mf !== null) await mf.dispose();

// ---------------------------------------------------------------------------------------------
// Heap growth on the 10 MB page (a fresh `node --expose-gc` per case)
// ---------------------------------------------------------------------------------------------
if (ONLY.has('heap')) {
  mkdirSync(path.join(distDir, 'pages'), { recursive: true });
  const p = byName['10m'];
  writeFileSync(path.join(distDir, 'pages', '10m.base.html'), p.base);
  writeFileSync(path.join(distDir, 'pages', '10m.source.html'), p.source);
  writeFileSync(path.join(distDir, 'pages', '10m.json'), JSON.stringify({ index: p.index, sets: p.sets, manifest }));
  const heap = {};
  for (const size of [16384, 4096]) {
    for (const c of ['pass', 'fastNone', 'fastTen', 'fastEvery', 'slowTen']) {
      log(`heap: ${c}, ${size / 1024} KB chunks`);
      const r = spawnSync(process.execPath, ['--expose-gc', path.join(benchDir, 'heap.mjs'), c, String(size)], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`heap.mjs ${c}: ${r.stderr}`);
      heap[`${c}/${size}`] = JSON.parse(r.stdout);
    }
  }
  results.heap = heap;
  const MBf = (b) => (b / 1048576).toFixed(2);
  const lines = [`### Heap growth, ${p.label}, streamed (MB of V8 heap + ArrayBuffers over the state before the request)`, '',
    '| case | chunk | peak, GC left alone | over pass-through | peak live (gc() before each sample) | over pass-through | after the stream, live |', '|---|---|---|---|---|---|---|'];
  const names = { pass: 'pass-through', fastNone: 'fast path, no overrides', fastTen: 'fast path, 10 overrides', fastEvery: 'fast path, every card', slowTen: 'slow path (source page), 10 overrides' };
  for (const size of [16384, 4096]) {
    const base = heap[`pass/${size}`];
    for (const c of Object.keys(names)) {
      const h = heap[`${c}/${size}`];
      lines.push(`| ${names[c]} | ${size / 1024} KB | ${MBf(h.peakFree)} | ${c === 'pass' ? '–' : `${h.peakFree - base.peakFree >= 0 ? '+' : ''}${MBf(h.peakFree - base.peakFree)}`} | ${MBf(h.peakLive)} | ${c === 'pass' ? '–' : `${h.peakLive - base.peakLive >= 0 ? '+' : ''}${MBf(h.peakLive - base.peakLive)}`} | ${MBf(h.after)} |`);
    }
  }
  console.log(lines.join('\n') + '\n');
}

// ---------------------------------------------------------------------------------------------
// The page scan (bench/scan.mjs, in a process of its own: the structural page and a card's re-render)
// ---------------------------------------------------------------------------------------------
if (ONLY.has('scan')) {
  log('scan: the page and a re-rendered card…');
  const r = spawnSync(process.execPath, [path.join(benchDir, 'scan.mjs')], { encoding: 'utf8', env: { ...process.env, BENCH_ROUNDS: QUICK ? '5' : '25' } });
  if (r.status !== 0) throw new Error(`scan.mjs: ${r.stderr}`);
  console.log(`### The page scan (\`preparePageSync\`), ÷ a plain byte loop over the same bytes\n\n${r.stdout}`);
}

// ---------------------------------------------------------------------------------------------
// Page weight
// ---------------------------------------------------------------------------------------------
if (ONLY.has('weight')) {
  const { weightTables } = await import('./weight.mjs');
  console.log(await weightTables({ nosplice: bundles.nosplice }));
}

// ---------------------------------------------------------------------------------------------
// Client runtime size
// ---------------------------------------------------------------------------------------------
if (ONLY.has('size')) {
  const { clientRuntimeSize } = await import('./clientSize.mjs');
  const { min, gzip } = await clientRuntimeSize();
  console.log(`### Client runtime size\n\n\`@splice/client\` for the browser (webpack production, React external): ${(min / 1024).toFixed(1)} KiB minified, **${(gzip / 1024).toFixed(2)} KiB gzip** (target ≤ 1 KiB: ${gzip <= 1024 ? 'holds' : 'fails'})\n`);
}

// ---------------------------------------------------------------------------------------------
// Analyzer throughput (needs the corpus: SPLICE_CORPUS, see bench/analyzer.mjs)
// ---------------------------------------------------------------------------------------------
if (ONLY.has('analyzer')) {
  const { analyzerThroughput, corpusDirs } = await import('./analyzer.mjs');
  const dirs = corpusDirs([]);
  if (dirs.length === 0) console.log('### Analyzer throughput\n\nnot measured: set SPLICE_CORPUS to the corpus folders (BENCHMARKS.md)\n');
  else {
    const r = analyzerThroughput(dirs);
    console.log(`### Analyzer throughput\n\n${r.components} components in ${r.files} files, ${r.ms.toFixed(0)} ms per warm pass: **${r.perSecond.toFixed(0)} components/s** (target ≥ 2,000: ${r.perSecond >= 2000 ? 'holds' : 'fails'})\n`);
  }
}

// ---------------------------------------------------------------------------------------------
// Goals
// ---------------------------------------------------------------------------------------------
function goals() {
  const out = ['### Against the goals', ''];
  const worst = (rt, key, sizes = CHUNKS, filter = () => true) => {
    let w = null;
    for (const p of timedPages.filter(filter)) for (const s of sizes) {
      const c = rt[`${p.name}/${s}`]?.[key];
      if (c && (w === null || c.ratio > w.ratio)) w = { ratio: c.ratio, where: `${p.label}, ${s / 1024} KB` };
    }
    return w;
  };
  const fmt = (w) => (w === null ? 'not measured' : `${w.ratio.toFixed(2)}× (worst: ${w.where})`);
  for (const [rt, name] of [[results.workerd, 'workerd'], [results.node_, 'Node']]) {
    if (Object.keys(rt).length === 0) continue;
    out.push(`- ${name}: fast path, 10 overrides, worst ratio ${fmt(worst(rt, 'fastTen'))}; at 16 KB ${fmt(worst(rt, 'fastTen', [16384]))}; at 4 KB ${fmt(worst(rt, 'fastTen', [4096]))}. Every card: ${fmt(worst(rt, 'fastEvery'))}. No overrides: ${fmt(worst(rt, 'fastNone'))}.`);
    let minSpeedup = null;
    for (const p of timedPages) for (const s of CHUNKS) {
      const c = rt[`${p.name}/${s}`];
      if (c) { const x = c.rwTen.ms / c.fastTen.ms; if (minSpeedup === null || x < minSpeedup.x) minSpeedup = { x, where: `${p.label}, ${s / 1024} KB` }; }
    }
    if (minSpeedup) out.push(`  - vs HTMLRewriter (same 10 edits): at least ${minSpeedup.x.toFixed(1)}× faster (${minSpeedup.where}).`);
    for (const s of CHUNKS) {
      const a = rt[`150k/${s}`]?.fastTen?.ratio, b = rt[`10m/${s}`]?.fastTen?.ratio;
      if (a && b) out.push(`  - ${s / 1024} KB: ratio 150 KB → 10 MB: ${a.toFixed(2)}× → ${b.toFixed(2)}×.`);
    }
  }
  return out.join('\n') + '\n';
}
if (ONLY.has('node') || ONLY.has('workerd')) console.log(goals());

mkdirSync(distDir, { recursive: true });
writeFileSync(path.join(distDir, 'results.json'), JSON.stringify(results, null, 1));
log(`done; raw numbers in ${path.relative(process.cwd(), path.join(distDir, 'results.json'))}`);
