// The structural bench (`BENCH_ONLY=structural`): one STRUCTURAL override (ProductCard 30:
// `badge` and `features`, both `structural` in the manifest) on a ≈150 KB page that is a real
// React render (bench/app/listing.tsx: the storefront's components, 60 cards), in Node (the
// bench bundle's production-React `createRenderer`) and in workerd (the emitted splice-edge.mjs,
// bundled into the bench worker). Three questions, in one run:
//
// 1. Time to consume the patched body, against the value-only patch of the same card (its
//    `name`), the renderer's own render() of that instance and the identity pass-through, all in
//    the same rounds. Target (the issue's): structural ≤ render + 1.10 × value-only, per round,
//    steady state (first-render verdict cached); the first request (a new index object: the
//    verification render runs) reported separately.
// 2. The first byte leaves before the render finishes: one instrumented request (renderer
//    wrapped), in both runtimes, with the input in memory and arriving one chunk per timer tick.
// 3. Heap stays flat over 2000 structural requests (bench/heap-structural.mjs, a fresh
//    `node --expose-gc`).
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkStructural, chunksOf, collect, firstByteOrder, makeStructuralCases, median, memoRenderer, streamOf } from './cases.mjs';

const require = createRequire(import.meta.url);
const benchDir = path.dirname(fileURLToPath(import.meta.url));
const edge = require('@splice/edge');

export const CARD = 30;
export const STRUCT_CASES = ['pass', 'value', 'struct', 'structRender', 'renderOne', 'renderTick', 'tick', 'renderScan', 'structMemo', 'renderThenMemo', 'structDeferred', 'valueFirst', 'structFirst', 'handlerValue', 'handlerStructRender'];
const CHUNKS = [16384, 4096];

/**
 * The page (Node side): the bench bundle's render → `preparePageSync` → base page + index; the
 * override sets; the render request the edge makes for card 30 (as the Splicer builds it).
 */
export function structuralPage(bundlePath = path.join(benchDir, 'dist', 'structural', 'listing.js')) {
  const bundle = require(bundlePath);
  const manifest = JSON.parse(readFileSync(path.join(path.dirname(bundlePath), 'splice-manifest.json'), 'utf8'));
  const source = bundle.renderPage([]);
  const prepared = edge.preparePageSync(source);
  if (prepared.problems.length > 0) throw new Error(`structural page: ${prepared.problems.join('; ')}`);
  const index = prepared.index;
  const key = Object.keys(manifest.components).find((k) => manifest.components[k].name === 'ProductCard');
  const inst = index.instances.find((i) => i.key === key && i.ordinal === CARD);
  const structProps = { badge: 'Sale', features: ['Free returns', 'Ships today'] };
  const sets = {
    value: [{ component: 'ProductCard', instance: CARD, props: { name: 'Alpine Parka (sale)' } }],
    struct: [{ component: 'ProductCard', instance: CARD, props: structProps }],
  };
  for (const p of Object.keys(structProps)) if (manifest.components[key].props[p]?.tier !== 'structural') throw new Error(`structural page: ${p} is not structural`);
  if (manifest.components[key].props.name?.tier !== 'value') throw new Error('structural page: name is not a value prop');
  const request = { key, props: inst.state.props, contexts: inst.state.contexts, id: inst.id, tree: inst.state.tree, overrides: [{ component: key, props: structProps, instance: inst.id }] };
  const cards = index.instances.filter((i) => i.key === key).length;
  return {
    name: 'structural', bundle, manifest, source: new TextEncoder().encode(source), base: prepared.html, index, indexJson: JSON.stringify(index), sets, request, cards,
    instance: { start: inst.start, end: inst.end, id: inst.id },
    renderer: bundle.createRenderer(),
  };
}

const fmtMs = (ms) => (ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(0)} µs`);
const fmtUs = (ms) => `${(ms * 1000).toFixed(ms < 0.01 ? 1 : 0)} µs`;
const fmtBytes = (n) => (n >= 1024 * 1024 ? `${(n / 1048576).toFixed(1)} MB` : `${(n / 1024).toFixed(1)} KB`);

/**
 * Per round r: struct_r ÷ (render_r + 1.10 × value_r); the target holds when the median is ≤ 1.
 * Also first_r ÷ (render_r + 1.10 × valueFirst_r) and ÷ (2 × render_r + 1.10 × valueFirst_r).
 */
function targets(cell) {
  const r = (k) => cell[k].rounds;
  const perRound = (f) => r('pass').map((_, i) => f(i));
  const q = (xs) => { const s = [...xs].sort((a, b) => a - b); return { median: median(xs), q1: s[Math.round(0.25 * (s.length - 1))], q3: s[Math.round(0.75 * (s.length - 1))] }; };
  return {
    steady: q(perRound((i) => r('struct')[i] / (r('renderOne')[i] + 1.1 * r('value')[i]))),
    steadyRender: q(perRound((i) => r('structRender')[i] / (r('renderOne')[i] + 1.1 * r('value')[i]))),
    handlerRender: q(perRound((i) => r('handlerStructRender')[i] / (r('renderOne')[i] + 1.1 * r('handlerValue')[i]))),
    first: q(perRound((i) => r('structFirst')[i] / (r('renderOne')[i] + 1.1 * r('valueFirst')[i]))),
    firstTwoRenders: q(perRound((i) => r('structFirst')[i] / (2 * r('renderOne')[i] + 1.1 * r('valueFirst')[i]))),
    // What the structural path adds to the value-only patch, in units of the render.
    extraOverRender: q(perRound((i) => (r('struct')[i] - r('value')[i]) / r('renderOne')[i])),
    structOverValue: q(perRound((i) => r('struct')[i] / r('value')[i])),
    renderOverValue: q(perRound((i) => r('renderOne')[i] / r('value')[i])),
  };
}

/** The part: checks, Node and workerd timings, the first-byte order, the heap. Returns markdown. */
export async function runStructural({ measureCell, timing, call, workerdBatch, workerdVersion, log, quick, results }) {
  const page = structuralPage();
  const out = [];
  const res = { page: { base: page.base.length, source: page.source.length, cards: page.cards, sites: page.index.sites.length, instance: page.instance, indexJson: page.indexJson.length, renderedBytes: 0 }, sets: page.sets, node: {}, workerd: {}, checks: {}, order: {}, heap: null };
  results.structural = res;
  // The very first structural request of this process (the renderer never called before): one sample.
  const cold = await firstByteOrder({ patchHtml: edge.patchHtml, renderer: page.renderer, manifest: page.manifest, sets: page.sets }, { ...page, baseChunks: chunksOf(page.base, 16384) }, { fresh: true });
  const memo = await memoRenderer(page.renderer, page.request);
  const ctx = { patchHtml: edge.patchHtml, preparePageSync: edge.preparePageSync, handleSpliceRequest: edge.handleSpliceRequest, renderer: page.renderer, memo, manifest: page.manifest, sets: page.sets, request: page.request };
  res.page.renderedBytes = (await page.renderer.render(page.request)).length;

  // ---- checks: what each case did, and the structural output against React's full render ----
  log('structural: checks (Node)…');
  const cp16 = { ...page, baseChunks: chunksOf(page.base, 16384) };
  const check = await checkStructural(ctx, cp16);
  const oracle = edge.preparePageSync(page.bundle.renderPage(page.sets.struct)).html;
  const valueOracle = edge.preparePageSync(page.bundle.renderPage(page.sets.value)).html;
  const noBoot = (bytes) => new TextDecoder().decode(bytes).replace(/<script type="application\/json" id="__SPLICE__">[\s\S]*?<\/script>/, '');
  const dec = new TextDecoder();
  check.structEqualsFullRender = noBoot(check.struct.out) === dec.decode(oracle);
  check.valueEqualsFullRender = noBoot(check.value.out) === dec.decode(valueOracle);
  for (const v of Object.values(check)) if (v && typeof v === 'object') delete v.out;
  res.checks.node = check;
  const bad = (c) => c.struct.rerendered !== 1 || c.structFirst.rerendered !== 1 || c.struct.problems.length > 0 || c.structFirst.problems.length > 0 || c.struct.skipped.length > 0 || c.value.patched < 1 || !c.firstSameAsSteady || !c.memoSameAsSteady || !c.deferredSameAsSteady;
  if (bad(check) || !check.structEqualsFullRender || !check.valueEqualsFullRender) out.push(`> STRUCTURAL CHECK FAILED (Node): ${JSON.stringify(check)}\n`);

  // ---- Node timings ----
  const nodeCases = makeStructuralCases(ctx);
  // Warm-up (the first cell measured must not pay for compilation).
  log('structural: node warm-up…');
  for (const name of STRUCT_CASES) for (let i = 0; i < 300; i++) await nodeCases[name](cp16);
  for (const size of CHUNKS) {
    const cp = { ...page, baseChunks: chunksOf(page.base, size) };
    log(`structural: node, ${size / 1024} KB chunks`);
    res.node[size] = await measureCell(async (name, k) => {
      const fn = nodeCases[name];
      const t0 = performance.now();
      for (let i = 0; i < k; i++) await fn(cp);
      return performance.now() - t0;
    }, STRUCT_CASES, timing.node);
    res.node[size].targets = targets(res.node[size]);
  }

  // ---- first byte vs render, Node ----
  log('structural: first-byte order (Node)…');
  res.order.node = await orderRuns((opts) => firstByteOrder(ctx, cp16, opts), quick);
  res.order.node.cold = cold;

  // ---- workerd ----
  if (call !== null) {
    log('structural: workerd setup + checks…');
    await call('/page?name=structural&part=base', { method: 'POST', body: page.base });
    await call('/page?name=structural&part=source', { method: 'POST', body: page.source });
    await call('/struct/meta?name=structural', { method: 'POST', body: JSON.stringify({ index: page.index, indexJson: page.indexJson, manifest: page.manifest, sets: page.sets, request: page.request }) });
    const wcold = await call('/struct/cold?name=structural&chunk=16384');
    const wcheck = await call('/struct/check?name=structural&chunk=16384');
    res.checks.workerd = wcheck;
    const same = ['struct', 'structFirst', 'value'].every((k) => wcheck[k].hash === check[k].hash && wcheck[k].bytes === check[k].bytes);
    res.checks.workerdSameAsNode = same;
    if (bad(wcheck) || !same) out.push(`> STRUCTURAL CHECK FAILED (workerd, or differs from Node): ${JSON.stringify(wcheck)}\n`);
    for (const name of STRUCT_CASES) await call(`/run?name=structural&chunk=16384&case=${name}&k=300`); // warm-up
    for (const size of CHUNKS) {
      log(`structural: workerd, ${size / 1024} KB chunks`);
      res.workerd[size] = await measureCell((name, k) => workerdBatch(`/run?name=structural&chunk=${size}&case=${name}&k=${k}`), STRUCT_CASES, timing.workerd);
      res.workerd[size].targets = targets(res.workerd[size]);
    }
    log('structural: first-byte order (workerd)…');
    const raw = await call(`/struct/order?name=structural&chunk=16384&reps=${quick ? 5 : 21}&runs=${encodeURIComponent(JSON.stringify(ORDER_RUNS))}`);
    res.order.workerd = { cold: wcold };
    for (const [k, runs] of Object.entries(raw)) res.order.workerd[k] = summarizeOrder(runs);
    await call('/drop?name=structural', { method: 'POST' });
  }

  // ---- heap: 2000 requests, a fresh node --expose-gc per case ----
  log('structural: heap over 2000 requests…');
  res.heap = {};
  for (const c of ['pass', 'value', 'struct', 'structFirst']) {
    const r = spawnSync(process.execPath, ['--expose-gc', path.join(benchDir, 'heap-structural.mjs'), c, '2000'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`heap-structural.mjs ${c}: ${r.stderr}`);
    res.heap[c] = JSON.parse(r.stdout);
  }

  out.push(tables(res, workerdVersion));
  return out.join('\n');
}

/** The instrumented request, repeated: the first one on a fresh index (verification), then steady, in memory and paced. */
async function orderRuns(once, quick) {
  const reps = quick ? 5 : 21;
  const o = {};
  for (const [name, opts] of ORDER_RUNS) {
    const runs = [];
    for (let i = 0; i < (opts.paced ? Math.min(reps, 7) : reps); i++) runs.push(await once(opts));
    o[name] = summarizeOrder(runs);
  }
  return o;
}

export const ORDER_RUNS = [['steady', {}], ['first', { fresh: true }], ['steadyPaced', { paced: true }], ['firstPaced', { fresh: true, paced: true }], ['steadyDeferred', { defer: true }]];

/** Medians of the instrumented runs (ms since patchHtml was called). */
export function summarizeOrder(runs) {
  const m = (f) => median(runs.map(f));
  const main = (r) => r.calls.find((c) => !c.verification) ?? { called: NaN, returned: NaN, resolved: NaN };
  const verify = (r) => r.calls.find((c) => c.verification);
  return {
    runs: runs.length,
    firstChunk: m((r) => r.firstChunk),
    renderCalled: m((r) => main(r).called),
    renderReturned: m((r) => main(r).returned),
    renderResolved: m((r) => main(r).resolved),
    verifyReturned: runs.some(verify) ? m((r) => verify(r)?.returned ?? NaN) : null,
    regionChunk: m((r) => r.regionChunk),
    end: m((r) => r.end),
    firstByteFirst: runs.filter((r) => r.firstByteFirst).length,
    firstChunkAfterRenderReturned: runs.filter((r) => r.firstChunkAfterRenderReturned).length,
    rerendered: Math.min(...runs.map((r) => r.rerendered)),
    // The order of events of the first run, and how many runs had that same order.
    events: runs[0].events,
    sameOrder: runs.filter((r) => r.events.join() === runs[0].events.join()).length,
  };
}

function tables(res, workerdVersion) {
  const p = res.page;
  const L = [];
  L.push(`### Structural override: one card re-rendered on a ${fmtBytes(p.base)} real React listing (${p.cards} cards)`, '');
  L.push(`Page: bench/app/listing.tsx rendered by React's production build (the storefront's Header, Hero, CartSummary and ${p.cards} ProductCards, each in a tile of unmarked markup), \`preparePageSync\` → base page ${p.base.toLocaleString('en')} B + index (${p.indexJson.toLocaleString('en')} B JSON, ${p.sites} marked sites). Card ${CARD} (\`${p.instance.id}\`, bytes ${p.instance.start}–${p.instance.end} of the base page; its re-render is ${p.renderedBytes} B of HTML with markers).`);
  L.push(`Overrides: structural \`${JSON.stringify(res.sets.struct[0])}\` (badge and features are \`structural\`: the card is re-rendered); value-only \`${JSON.stringify(res.sets.value[0])}\` (rewritten in place). Node: the bench bundle's \`createRenderer\` (React production); workerd: the emitted \`splice-edge.mjs\`.`, '');
  const c = res.checks;
  const chk = (x) => `rerendered ${x.rerendered}, elements ${x.patched}, problems ${x.problems.length}, skipped ${x.skipped.length}`;
  L.push('| check | Node | workerd |', '|---|---|---|');
  L.push(`| structural, first request (verification) | ${chk(c.node.structFirst)} | ${c.workerd ? chk(c.workerd.structFirst) : '–'} |`);
  L.push(`| structural, steady state | ${chk(c.node.struct)} | ${c.workerd ? chk(c.workerd.struct) : '–'} |`);
  L.push(`| value-only | ${chk(c.node.value)} | ${c.workerd ? chk(c.workerd.value) : '–'} |`);
  L.push(`| structural output = React's full render with the override (bootstrap removed) | ${c.node.structEqualsFullRender ? 'yes' : '**no**'} | ${c.workerd ? (c.workerdSameAsNode ? 'yes (same bytes as Node)' : '**no: differs from Node**') : '–'} |`);
  L.push(`| value-only output = React's full render with the override | ${c.node.valueEqualsFullRender ? 'yes' : '**no**'} | ${c.workerd ? (c.workerdSameAsNode ? 'yes (same bytes as Node)' : '**no**') : '–'} |`, '');

  const rows = [
    ['pass', 'pass-through (identity `new TransformStream()`): time per request'],
    ['value', 'value-only patch of card 30 (`name`: 2 elements)'],
    ['struct', '**structural override of card 30, steady state** (verdict cached; the finished re-render reused)'],
    ['structRender', '**structural override of card 30, rendered every request** (verdict cached; a new renderer object defeats the reuse)'],
    ['renderOne', 'the renderer\'s render() of that instance alone'],
    ['renderTick', '… render() and one macrotask turn after it (React\'s scheduled work runs)'],
    ['tick', '… that macrotask turn alone (setImmediate in Node, setTimeout(0) in workerd)'],
    ['renderScan', '… render() + the scan of its HTML (`preparePageSync` of it)'],
    ['structMemo', 'structural path with a memoized renderer (same HTML, no React)'],
    ['renderThenMemo', 'render() alone, then the memoized structural request (sequential: React runs in the request, but not inside the stream)'],
    ['structDeferred', 'structural, steady, the renderer deferred to the next timer tick (`setTimeout(0)` before render())'],
    ['valueFirst', 'value-only, first request for the index (new index object, JSON.parse)'],
    ['structFirst', '**structural, first request** (new index object: + the verification render)'],
    ['handlerValue', 'value-only through `handleSpliceRequest`, the page fetched after one macrotask'],
    ['handlerStructRender', '**structural through `handleSpliceRequest`, rendered every request** (the render starts before the fetch)'],
  ];
  const cells = [];
  for (const [rt, name] of [['node', 'Node'], ['workerd', 'workerd']]) for (const s of CHUNKS) if (res[rt][s]) cells.push([`${name}, ${s / 1024} KB`, res[rt][s]]);
  L.push('Ratios to the pass-through of the same round (median over rounds); small print: 25th–75th percentile; first row: the pass-through\'s time per request, for scale; absolute medians in parentheses.', '');
  L.push(`| case | ${cells.map(([h]) => h).join(' | ')} |`, `|---|${cells.map(() => '---').join('|')}|`);
  for (const [k, label] of rows) {
    L.push(`| ${label} | ${cells.map(([, cell]) => (k === 'pass' ? fmtMs(cell.pass.ms) : `${cell[k].ratio.toFixed(2)}× <sub>${cell[k].q1.toFixed(2)}–${cell[k].q3.toFixed(2)}</sub> (${fmtMs(cell[k].ms)})`)).join(' | ')} |`);
  }
  const t = (f) => cells.map(([, cell]) => f(cell.targets)).join(' | ');
  const v = (x) => `${x.median.toFixed(2)} <sub>${x.q1.toFixed(2)}–${x.q3.toFixed(2)}</sub>`;
  L.push(`| structural ÷ value-only | ${t((x) => `${v(x.structOverValue)}`)} |`);
  L.push(`| render ÷ value-only | ${t((x) => `${v(x.renderOverValue)}`)} |`);
  L.push(`| (structural − value-only) ÷ render | ${t((x) => `${v(x.extraOverRender)}`)} |`);
  L.push(`| **target: structural ÷ (render + 1.10 × value-only), steady; ≤ 1 holds** | ${t((x) => `**${x.steady.median.toFixed(2)}** <sub>${x.steady.q1.toFixed(2)}–${x.steady.q3.toFixed(2)}</sub> ${x.steady.median <= 1 ? 'holds' : '**fails**'}`)} |`);
  L.push(`| **target, with a render every request: structural ÷ (render + 1.10 × value-only); ≤ 1 holds** | ${t((x) => `**${x.steadyRender.median.toFixed(2)}** <sub>${x.steadyRender.q1.toFixed(2)}–${x.steadyRender.q3.toFixed(2)}</sub> ${x.steadyRender.median <= 1 ? 'holds' : '**fails**'}`)} |`);
  L.push(`| **the same through \`handleSpliceRequest\` (render started before the fetch): ÷ (render + 1.10 × handler value-only); ≤ 1 holds** | ${t((x) => `**${x.handlerRender.median.toFixed(2)}** <sub>${x.handlerRender.q1.toFixed(2)}–${x.handlerRender.q3.toFixed(2)}</sub> ${x.handlerRender.median <= 1 ? 'holds' : '**fails**'}`)} |`);
  L.push(`| first request ÷ (render + 1.10 × value-only first) | ${t((x) => v(x.first))} |`);
  L.push(`| first request ÷ (2 × render + 1.10 × value-only first) | ${t((x) => v(x.firstTwoRenders))} |`, '');

  L.push('#### First byte vs the render (one instrumented request; medians, ms since `patchHtml` was called)', '');
  L.push('The renderer is wrapped: `called`/`returned` around its render() call (the renderer renders synchronously, then returns a resolved promise), `resolved` when that promise\'s reaction ran. "first chunk": when the consumer\'s read() gave it the first chunk; "region chunk": the chunk holding the re-rendered card. "in memory": the base page handed out one 16 KB view per pull; "paced": one chunk per timer tick (`setTimeout(0)`), a body arriving over time.', '');
  L.push('Times are medians in µs since `patchHtml` was called, by the runtime\'s clock (workerd\'s steps by 1 ms: its times say little; read the order). "first byte first": runs where the consumer got the first chunk before render() resolved, by the order of events; "after returned": runs where it got it only after render() (and the verification render) had returned, i.e. after their synchronous work.', '');
  L.push('| runtime | request | runs | first chunk | render called | render returned | render resolved | verification returned | region chunk | end | first byte first | after returned | order of events (first run; runs with that order) |', '|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const [rt, name] of [['node', 'Node'], ['workerd', 'workerd']]) {
    const o = res.order[rt];
    if (!o) continue;
    const one = summarizeOrder([o.cold]);
    for (const [label, s] of [['the renderer\'s first call in the process / isolate (fresh index; one sample)', one], ['first request (fresh index)', o.first], ['steady', o.steady], ['first request, paced input', o.firstPaced], ['steady, paced input', o.steadyPaced], ['steady, renderer deferred to a timer tick', o.steadyDeferred]]) {
      L.push(`| ${name} | ${label} | ${s.runs} | ${fmtUs(s.firstChunk)} | ${fmtUs(s.renderCalled)} | ${fmtUs(s.renderReturned)} | ${fmtUs(s.renderResolved)} | ${s.verifyReturned === null ? '–' : fmtUs(s.verifyReturned)} | ${fmtUs(s.regionChunk)} | ${fmtUs(s.end)} | ${s.firstByteFirst}/${s.runs} | ${s.firstChunkAfterRenderReturned}/${s.runs} | ${s.events.filter((e) => e !== 'end').join(' → ')} (${s.sameOrder}/${s.runs}) |`);
    }
  }
  L.push('');
  const h = res.heap;
  if (h) {
    const MB = (b) => (b / 1048576).toFixed(2);
    L.push(`#### Heap over ${h.struct.n} requests (Node, \`--expose-gc\`; V8 heap used + ArrayBuffers after two gc(), MB)`, '');
    L.push(`| case | before | after ${h.struct.n / 4} | after ${h.struct.n / 2} | after ${(3 * h.struct.n) / 4} | after ${h.struct.n} | growth | per request |`, '|---|---|---|---|---|---|---|---|');
    const names = { pass: 'pass-through', value: 'value-only', struct: 'structural, steady', structFirst: 'structural, new index object every request (verification every time)' };
    for (const k of Object.keys(names)) {
      const x = h[k];
      const s = x.samples;
      L.push(`| ${names[k]} | ${MB(x.before)} | ${MB(s[0])} | ${MB(s[1])} | ${MB(s[2])} | ${MB(x.after)} | ${x.after - x.before >= 0 ? '+' : ''}${MB(x.after - x.before)} | ${((x.after - x.before) / x.n).toFixed(0)} B |`);
    }
    L.push('');
  }
  L.push('#### Against the target', '');
  for (const [rt, name] of [['node', 'Node'], ['workerd', 'workerd']]) {
    if (!res[rt][16384]) continue;
    const parts = CHUNKS.filter((s) => res[rt][s]).map((s) => {
      const x = res[rt][s].targets.steady.median;
      return `${s / 1024} KB: structural ÷ (render + 1.10 × value-only) = ${x.toFixed(2)} (${x <= 1 ? 'holds' : 'fails'})`;
    });
    const o = res.order[rt];
    const ff = o ? `first byte before render() resolved: steady ${o.steady.firstByteFirst}/${o.steady.runs}, first request ${o.first.firstByteFirst}/${o.first.runs}; the first chunk reached the consumer only after render() returned in ${o.steady.firstChunkAfterRenderReturned}/${o.steady.runs} steady runs` : '';
    L.push(`- ${name}: ${parts.join('; ')}. ${ff}.`);
  }
  if (h) L.push(`- Heap over ${h.struct.n} structural requests (Node): ${(h.struct.before / 1048576).toFixed(2)} MB → ${(h.struct.after / 1048576).toFixed(2)} MB steady; ${(h.structFirst.before / 1048576).toFixed(2)} MB → ${(h.structFirst.after / 1048576).toFixed(2)} MB with a new index object (and a verification render) every request.`);
  L.push('');
  if (workerdVersion) L.push(`(workerd: miniflare ${workerdVersion}.)`, '');
  return L.join('\n');
}

// `node bench/structural.mjs --check`: the page and the checks alone (no timing).
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--check') {
  const page = structuralPage();
  const memo = await memoRenderer(page.renderer, page.request);
  const ctx = { patchHtml: edge.patchHtml, preparePageSync: edge.preparePageSync, renderer: page.renderer, memo, manifest: page.manifest, sets: page.sets, request: page.request };
  const res = await checkStructural(ctx, { ...page, baseChunks: chunksOf(page.base, 16384) });
  const oracle = edge.preparePageSync(page.bundle.renderPage(page.sets.struct)).html;
  const got = new TextDecoder().decode(res.struct.out).replace(/<script type="application\/json" id="__SPLICE__">[\s\S]*?<\/script>/, '');
  for (const v of Object.values(res)) if (v && typeof v === 'object') delete v.out;
  console.log(JSON.stringify({ base: page.base.length, instance: page.instance, res, equalsFullRender: got === new TextDecoder().decode(oracle) }, null, 1));
  console.log(JSON.stringify(await firstByteOrder(ctx, { ...page, baseChunks: chunksOf(page.base, 16384) }, { fresh: true })));
  void collect; void streamOf;
}
