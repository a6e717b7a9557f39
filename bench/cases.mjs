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
 * - `ten`: the storefront's variant B (Hero, Header, cards 0 and 2: 8 elements) plus a badge on
 *   the middle card and on the last card: 10 elements rewritten, spread over the whole page;
 * - `every`: badge and price of every card (2 elements per card);
 * - `burst`: name, badge and price of every card (4 elements per card: img alt, badge, name, price).
 */
export function overrideSets(variantB, cards) {
  const mid = Math.floor(cards / 2);
  return {
    none: [],
    ten: [...variantB, { component: 'ProductCard', instance: mid, props: { badge: 'Sale' } }, { component: 'ProductCard', instance: cards - 1, props: { badge: 'Sale' } }],
    every: [{ component: 'ProductCard', props: { badge: 'Sale', price: '€1.00' } }],
    burst: [{ component: 'ProductCard', props: { name: 'Sale item', badge: 'Sale', price: '€1.00' } }],
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
    edits.push({ selector: '.card > .badge', text: 'Sale' }, { selector: '.card > .price', text: 'Only €1.00' });
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
