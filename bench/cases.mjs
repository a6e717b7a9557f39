// The bench's cases, written against web-standard APIs only so that the very same code runs in
// Node and, bundled into bench/dist/worker/bench-worker.mjs, in workerd. Everything a case
// needs that is not code (pages, manifest, overrides, HTMLRewriter edits) is plain data, made
// once in Node (bench/run.mjs) and handed to the worker as JSON and bytes.

/** A byte no page of the bench contains (a control character). */
const ABSENT = 0x01;

/** Views of `bytes` of `size` bytes each (no copies: the pass-through hands on these very views). */
export function chunksOf(bytes, size) {
  const out = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, Math.min(bytes.length, i + size)));
  return out;
}

/** A byte stream that hands out `chunks` one per pull, as a network body would. */
export function streamOf(chunks) {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++]);
      else controller.close();
    },
  });
}

/** Reads a stream to its end; returns the number of bytes (so the work cannot be skipped). */
export async function drain(stream) {
  const reader = stream.getReader();
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return n;
    n += value.length;
  }
}

/** Reads a stream to its end into one array (for checks, never while timing). */
export async function collect(stream) {
  const reader = stream.getReader();
  const parts = [];
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    n += value.length;
  }
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/**
 * The override sets of a page with `cards` product cards:
 * - `ten`: the storefront's variant B (Hero, Header, card 2's name: 6 elements) plus the name of
 *   the middle card and of the last card: 10 elements rewritten, spread over the whole page;
 * - `every`: the name of every card (2 elements per card: img alt, h2);
 * - `burst`: the same on the burst page.
 * (`name` is the card's only `value` prop since ProductCard's badge, price and features became
 * structural: value-only sets must not set those, or they are skipped without a renderer.)
 */
export function overrideSets(variantB, cards) {
  const mid = Math.floor(cards / 2);
  return {
    none: [],
    ten: [...variantB, { component: 'ProductCard', instance: mid, props: { name: 'Sale item' } }, { component: 'ProductCard', instance: cards - 1, props: { name: 'Sale item' } }],
    every: [{ component: 'ProductCard', props: { name: 'Sale item' } }],
    burst: [{ component: 'ProductCard', props: { name: 'Sale item' } }],
  };
}

/**
 * The same edits as HTMLRewriter rules, by CSS selector, as data: `{ selector, text?, attr?,
 * append? }`. `card(k)` is the selector of the k-th card (0-based) in the page's layout.
 * The bootstrap the patcher writes before `</body>` is appended to `body` with the same bytes.
 */
export function rewriterEdits(kind, { layout }, overrides, bootstrapHtml) {
  const card = (k) => (layout === 'tiles' ? `.tile:nth-child(${k + 1}) > .card` : `.card:nth-child(${k + 1})`);
  const edits = [];
  if (kind === 'every') {
    edits.push({ selector: '.card > .card-name', text: 'Sale item' }, { selector: '.card > .card-img', attr: ['alt', 'Sale item'] });
  } else if (kind === 'ten') {
    for (const o of overrides) {
      const p = o.props;
      if (o.component === 'Hero') {
        edits.push({ selector: '.hero-title', text: p.title }, { selector: '.hero-sub', text: p.subtitle }, { selector: '.cta', text: p.ctaLabel, attr: ['href', p.ctaHref] });
      } else if (o.component === 'Header') {
        edits.push({ selector: '.tagline', text: p.tagline });
      } else if (o.component === 'ProductCard') {
        const c = card(o.instance);
        if (p.badge !== undefined) edits.push({ selector: `${c} > .badge`, text: p.badge });
        if (p.price !== undefined) edits.push({ selector: `${c} > .price`, text: `Only ${p.price}` });
        if (p.name !== undefined) edits.push({ selector: `${c} > .card-name`, text: p.name }, { selector: `${c} > .card-img`, attr: ['alt', p.name] });
      }
    }
  } else {
    throw new Error(`rewriterEdits: unknown kind ${kind}`);
  }
  if (bootstrapHtml) edits.push({ selector: 'body', append: bootstrapHtml });
  return edits;
}

/** Applies `edits` with an HTMLRewriter-like object (`on(selector, handlers)`). Counts elements matched. */
export function applyEdits(rewriter, edits, counter) {
  for (const e of edits) {
    rewriter.on(e.selector, {
      element(el) {
        counter.n++;
        if (e.text !== undefined) el.setInnerContent(e.text);
        if (e.attr !== undefined) el.setAttribute(e.attr[0], e.attr[1]);
        if (e.append !== undefined) el.append(e.append, { html: true });
      },
    });
  }
  return rewriter;
}

/**
 * The cases, as functions that run one streamed request over a prepared page and resolve to the
 * bytes written. `page`: `{ base, source, index, baseChunks, sourceChunks, ... }`.
 * `rewrite(stream, edits, counter)`: the runtime's HTMLRewriter as a stream transform.
 */
export function makeCases({ patchHtml, rewrite, manifest, sets, edits }) {
  return {
    pass: (page) => drain(streamOf(page.baseChunks).pipeThrough(new TransformStream())),
    // Floors for a patcher that touches every chunk: a TransformStream whose transform only
    // enqueues, and one that also runs a native indexOf over every chunk for a byte that is
    // absent (what any search of the page costs at least).
    // The same loop patchHtml's output stream runs (it pulls from the input's reader; no pipe),
    // doing nothing but enqueue: the floor of the fast path's stream mechanics.
    floorPull: (page) => {
      const reader = streamOf(page.baseChunks).getReader();
      return drain(new ReadableStream({
        async pull(c) { const { done, value } = await reader.read(); if (done) c.close(); else c.enqueue(value); },
        cancel(r) { return reader.cancel(r); },
      }));
    },
    floorEnqueue: (page) => drain(streamOf(page.baseChunks).pipeThrough(new TransformStream({ transform(c, ctl) { ctl.enqueue(c); } }))),
    floorIndexOf: (page) => drain(streamOf(page.baseChunks).pipeThrough(new TransformStream({
      transform(c, ctl) { if (c.indexOf(ABSENT) >= 0) throw new Error('absent byte found'); ctl.enqueue(c); },
    }))),
    fastNone: (page) => drain(patchHtml(streamOf(page.baseChunks), { manifest, overrides: sets.none, index: page.index })),
    fastTen: (page) => drain(patchHtml(streamOf(page.baseChunks), { manifest, overrides: sets.ten, index: page.index })),
    fastEvery: (page) => drain(patchHtml(streamOf(page.baseChunks), { manifest, overrides: sets.every, index: page.index })),
    // The index read back from storage on every request (a Cache API header, KV): a new object
    // each time, so nothing the patcher keeps per index object applies; JSON.parse included.
    fastTenParsed: (page) => drain(patchHtml(streamOf(page.baseChunks), { manifest, overrides: sets.ten, index: JSON.parse(page.indexJson) })),
    // …and that JSON.parse alone, with a pass-through: fastTenParsed − parseIndex is the patcher.
    parseIndex: (page) => { if (JSON.parse(page.indexJson).length < 0) throw new Error('?'); return drain(streamOf(page.baseChunks).pipeThrough(new TransformStream())); },
    slowTen: (page) => drain(patchHtml(streamOf(page.sourceChunks), { manifest, overrides: sets.ten })),
    rwTen: rewrite === null ? null : (page) => drain(rewrite(streamOf(page.baseChunks), edits.ten, { n: 0 })),
    rwEvery: rewrite === null ? null : (page) => drain(rewrite(streamOf(page.baseChunks), edits.every, { n: 0 })),
  };
}

/**
 * Rendering instead of patching, for the storefront page: `renderToString` alone, and rendered,
 * encoded and streamed out (what serving a render costs, comparable with the stream cases).
 */
export function renderCases(renderPage, overrides) {
  const encoder = new TextEncoder();
  return {
    render: async () => renderPage(overrides).length,
    renderServe: () => drain(streamOf([encoder.encode(renderPage(overrides))]).pipeThrough(new TransformStream())),
  };
}

/** What each case did, once per page (not timed): elements rewritten, problems, output checks. */
export async function checkCases({ patchHtml, rewrite, manifest, sets, edits }, page) {
  const run = async (input, overrides, index) => {
    let report;
    const out = await collect(patchHtml(streamOf(input), { manifest, overrides, index, onReport: (r) => { report = r; } }));
    return { out, report };
  };
  const res = {};
  for (const [name, input, overrides, index] of [
    ['fastNone', page.baseChunks, sets.none, page.index],
    ['fastTen', page.baseChunks, sets.ten, page.index],
    ['fastEvery', page.baseChunks, sets.every, page.index],
    ['slowTen', page.sourceChunks, sets.ten, undefined],
  ]) {
    const { out, report } = await run(input, overrides, index);
    res[name] = { patched: report?.patchedElements ?? -1, problems: report?.problems ?? ['no report'], skipped: (report?.skipped ?? []).length, bytes: out.length, out };
  }
  const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
  res.fastNone.identical = same(res.fastNone.out, page.base);
  res.slowTen.sameAsFast = same(res.slowTen.out, res.fastTen.out);
  for (const k of ['rwTen', 'rwEvery']) {
    if (rewrite === null) continue;
    const counter = { n: 0 };
    const out = await collect(rewrite(streamOf(page.baseChunks), edits[k === 'rwTen' ? 'ten' : 'every'], counter));
    res[k] = { patched: counter.n, bytes: out.length, problems: [] };
  }
  for (const v of Object.values(res)) delete v.out;
  return res;
}

/** Median of numbers. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// ---------------------------------------------------------------------------------------------
// Structural overrides (bench/structural.mjs): one card of a real React listing re-rendered by
// the edge module's renderer and spliced in, against the value-only patch of the same card, the
// renderer's own render() of that instance and the identity pass-through. Web APIs only: the
// same code runs in Node (production-React renderer of the bench bundle) and in workerd (the
// emitted splice-edge.mjs).
// ---------------------------------------------------------------------------------------------

/**
 * A renderer that answers every request with the HTML the real one gave for it once (no React):
 * what the structural path costs besides the render itself (planning, the region, the budget
 * timer, the fragment scan of the rendered HTML, the splice).
 */
export async function memoRenderer(renderer, request) {
  const withOverride = await renderer.render(request);
  const plain = await renderer.render({ ...request, overrides: [] });
  return { render: (r) => Promise.resolve(r.overrides.length > 0 ? withOverride : plain) };
}

/**
 * The renderer with its work moved to the next timer tick (`setTimeout(0)`): what a user can do
 * today so that the first chunk reaches the consumer before a synchronous render runs.
 */
export function deferredRenderer(renderer) {
  return { render: (request) => new Promise((resolve) => setTimeout(resolve, 0)).then(() => renderer.render(request)) };
}

/** The next macrotask: setImmediate where there is one (Node), else setTimeout(0) (workerd). */
const nextTask = () => new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

/** `page`: `{ baseChunks, index, indexJson }`; `sets`: `{ value, struct }` (one override each). */
export function makeStructuralCases({ patchHtml, preparePageSync, handleSpliceRequest, renderer, memo, manifest, sets, request }) {
  const deferred = deferredRenderer(renderer);
  // The request handler, its page fetched after one macrotask (standing for a cache lookup or the
  // origin): with an index it plans and starts the re-render before that fetch.
  const handled = async (page, overrides, r) => {
    const response = await handleSpliceRequest(new Request('https://bench.test/'), {
      manifest, overrides, index: page.index, ...(r ? { renderer: r } : {}),
      fetchBase: async () => { await nextTask(); return new Response(streamOf(page.baseChunks), { headers: { 'content-type': 'text/html; charset=utf-8' } }); },
    });
    return drain(response.body);
  };
  return {
    pass: (page) => drain(streamOf(page.baseChunks).pipeThrough(new TransformStream())),
    value: (page) => drain(patchHtml(streamOf(page.baseChunks), { manifest, overrides: sets.value, index: page.index })),
    // Steady state: the index object is the one of every request, so the first-render verdict is cached.
    struct: (page) => drain(patchHtml(streamOf(page.baseChunks), { manifest, overrides: sets.struct, index: page.index, renderer })),
    // Steady state, but a render every request: a new renderer object each time defeats the edge's
    // reuse of finished re-renders (kept per renderer), while the verdict (per index) stays cached.
    structRender: (page) => drain(patchHtml(streamOf(page.baseChunks), { manifest, overrides: sets.struct, index: page.index, renderer: { render: (r) => renderer.render(r) } })),
    // The component's own render: the renderer's render() of that one instance, with the override.
    // (Not `render`: the worker's /run also serves the storefront's renderCases under that name.)
    renderOne: async () => (await renderer.render(request)).length,
    // React's renderToString also schedules work for after it (`scheduleWork`: setImmediate in
    // Node's build, setTimeout(0) in the edge build), which a batch of back-to-back renders that
    // only await microtasks never runs: render() followed by one macrotask turn, and that turn alone.
    renderTick: async () => { const n = (await renderer.render(request)).length; await nextTask(); return n; },
    tick: async () => { await nextTask(); return 0; },
    // … and the scan the edge runs over the rendered HTML (markers out, instance checked): a page scan of it.
    renderScan: async () => preparePageSync(await renderer.render(request)).html.length,
    // The structural path with the render taken out (the same HTML, memoized).
    structMemo: (page) => drain(patchHtml(streamOf(page.baseChunks), { manifest, overrides: sets.struct, index: page.index, renderer: memo })),
    // The render and the memoized structural request one after the other (not raced): if this
    // costs what `struct` does, the gap between them is not the race but running React at all.
    renderThenMemo: async (page) => { await renderer.render(request); return drain(patchHtml(streamOf(page.baseChunks), { manifest, overrides: sets.struct, index: page.index, renderer: memo })); },
    // The render deferred to the next timer tick (first byte first, at the price of the timer's latency).
    structDeferred: (page) => drain(patchHtml(streamOf(page.baseChunks), { manifest, overrides: sets.struct, index: page.index, renderer: deferred })),
    // First request for an index (per isolate): a new index object every time (read back from
    // storage: JSON.parse included), so it is validated and surveyed again, and the structural
    // one also runs the verification render (no override) and compares it with the cached bytes.
    valueFirst: (page) => drain(patchHtml(streamOf(page.baseChunks), { manifest, overrides: sets.value, index: JSON.parse(page.indexJson) })),
    // The same through handleSpliceRequest: value-only, and structural with a render every request.
    handlerValue: (page) => handled(page, sets.value, undefined),
    handlerStructRender: (page) => handled(page, sets.struct, { render: (r) => renderer.render(r) }),
    structFirst: (page) => drain(patchHtml(streamOf(page.baseChunks), { manifest, overrides: sets.struct, index: JSON.parse(page.indexJson), renderer })),
  };
}

/** FNV-1a of bytes (to compare outputs across runtimes without shipping them). */
export function hashBytes(bytes) {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** What the structural cases did (not timed): reports and outputs (hash, length). */
export async function checkStructural({ patchHtml, renderer, memo, manifest, sets }, page) {
  const run = async (overrides, index, r) => {
    let report = null;
    const out = await collect(patchHtml(streamOf(page.baseChunks), { manifest, overrides, index, renderer: r, onReport: (x) => { report = x; } }));
    return { out, rerendered: report?.rerendered ?? -1, patched: report?.patchedElements ?? -1, problems: report?.problems ?? ['no report'], skipped: (report?.skipped ?? []).map((s) => s.reason), bytes: out.length, hash: hashBytes(out) };
  };
  const res = {};
  // The first request on a fresh index object (runs the verification), then the steady state.
  const fresh = JSON.parse(page.indexJson);
  res.structFirst = await run(sets.struct, fresh, renderer);
  res.struct = await run(sets.struct, fresh, renderer);
  res.structMemo = await run(sets.struct, JSON.parse(page.indexJson), memo);
  res.value = await run(sets.value, page.index, undefined);
  res.structDeferred = await run(sets.struct, page.index, deferredRenderer(renderer));
  const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
  res.firstSameAsSteady = same(res.structFirst.out, res.struct.out);
  res.memoSameAsSteady = same(res.structMemo.out, res.struct.out);
  res.deferredSameAsSteady = same(res.structDeferred.out, res.struct.out);
  return res;
}

/** A byte stream that hands out one chunk per timer tick (setTimeout 0), as a network body arriving over time would. */
export function pacedStreamOf(chunks) {
  let i = 0;
  return new ReadableStream({
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (i < chunks.length) controller.enqueue(chunks[i++]);
      else controller.close();
    },
  });
}

/**
 * One instrumented structural request: when the consumer receives the first chunk, when the
 * (wrapped) renderer's render() was called, returned (its synchronous part done) and resolved,
 * when the chunk holding the re-rendered instance arrived, and the end; ms since patchHtml was
 * called. `fresh`: a new index object (the first request, with the verification render).
 */
export async function firstByteOrder({ patchHtml, renderer: plain, manifest, sets }, page, { fresh = false, paced = false, defer = false } = {}) {
  const renderer = defer ? deferredRenderer(plain) : plain;
  const calls = [];
  let t0 = 0;
  const at = () => performance.now() - t0;
  // The order of the events, independent of the clock (workerd's has a 1 ms step).
  let seq = 0;
  const events = [];
  const wrapped = {
    render(request) {
      const call = { verification: request.overrides.length === 0, called: at(), calledSeq: ++seq, returned: -1, returnedSeq: -1, resolved: -1, resolvedSeq: -1 };
      calls.push(call);
      const what = call.verification ? 'verification render' : 'render';
      events.push(`${what} called`);
      const p = renderer.render(request);
      call.returned = at();
      call.returnedSeq = ++seq;
      events.push(`${what} returned`);
      const settle = () => { call.resolvedSeq = ++seq; events.push(`${what} resolved`); };
      p.then(() => { call.resolved = at(); settle(); }, () => { call.resolved = -at(); settle(); });
      return p;
    },
  };
  const index = fresh ? JSON.parse(page.indexJson) : page.index;
  const instance = index.instances.find((i) => i.key === page.request.key && i.id === page.request.id);
  let report = null;
  t0 = performance.now();
  const input = paced ? pacedStreamOf(page.baseChunks) : streamOf(page.baseChunks);
  const reader = patchHtml(input, { manifest, overrides: sets.struct, index, renderer: wrapped, onReport: (r) => { report = r; } }).getReader();
  let firstChunk = -1;
  let firstChunkSeq = -1;
  let regionChunk = -1;
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (firstChunk < 0) { firstChunk = at(); firstChunkSeq = ++seq; events.push('first chunk'); }
    bytes += value.length;
    if (regionChunk < 0 && bytes > instance.start) { regionChunk = at(); events.push('region chunk'); }
  }
  const end = at();
  events.push('end');
  const main = calls.find((c) => !c.verification);
  return {
    firstChunk, firstChunkSeq, regionChunk, end, calls, bytes, events, rerendered: report?.rerendered ?? -1,
    // By the order of events (not by the clock): the consumer had the first chunk before render() resolved.
    firstByteFirst: main !== undefined && firstChunkSeq > 0 && firstChunkSeq < main.resolvedSeq,
    // Did the first chunk reach the consumer only after the synchronous part of the render(s)?
    firstChunkAfterRenderReturned: calls.length > 0 && calls.every((c) => firstChunkSeq > c.returnedSeq),
  };
}
