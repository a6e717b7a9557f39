// The bench's worker for workerd (bundled by bench/build.mjs, started by bench/run.mjs through
// miniflare). It holds the pages Node uploads and runs a case K times per request, timing the
// batch with the worker's own clock; Node also times each request from outside (cross-check).
//
//   POST /page?name=N&part=base|source   the page's bytes
//   POST /meta?name=N                     { index, layout, cards, sets, edits, manifest }
//   POST /drop?name=N                     forget a page
//   GET  /check?name=N&chunk=S            what each case did (elements rewritten, problems)
//   GET  /run?name=N&chunk=S&case=C&k=K   { ms }: K sequential runs of case C
//   GET  /burst?name=N&k=K[&slow=1]       { ms, patched }: the page as ONE chunk, every card overridden
//                                         (slow=1: the source page, no index)
//   GET  /clock                           does the clock advance during synchronous code?
//   POST /struct/meta?name=N              { index, indexJson, manifest, sets, request }: the structural
//                                         bench's page (bench/structural.mjs); /run then runs its cases
//   GET  /struct/cold?name=N&chunk=S      the instrumented request below, once, before any other render
//   GET  /struct/check?name=N&chunk=S     what the structural cases did (reports, output hashes)
//   GET  /struct/order?name=N&chunk=S&reps=R  first chunk vs the render's call/return/resolve, instrumented
import { handleSpliceRequest, patchHtml, preparePageSync } from '@splice/edge';
import { renderPage, variants } from '../examples/storefront/src/server.tsx';
// The edge module SplicePlugin emitted for the structural bench's page (bench/build.mjs aliases it).
import { renderer as edgeRenderer } from 'splice-edge.mjs';
import { applyEdits, checkCases, checkStructural, chunksOf, drain, firstByteOrder, makeCases, makeStructuralCases, memoRenderer, renderCases, streamOf } from './cases.mjs';

const pages = new Map();
const renders = renderCases(renderPage, variants.b);

/** The native HTMLRewriter as a stream transform. */
function rewrite(stream, edits, counter) {
  // eslint-disable-next-line no-undef
  return applyEdits(new HTMLRewriter(), edits, counter).transform(new Response(stream)).body;
}

function page(name, chunk) {
  const p = pages.get(name);
  if (p === undefined) throw new Error(`no page ${name}`);
  if (chunk !== undefined && !p.chunked.has(chunk)) {
    p.chunked.set(chunk, { ...p, baseChunks: chunksOf(p.base, chunk), sourceChunks: chunksOf(p.source, chunk) });
  }
  return chunk === undefined ? p : p.chunked.get(chunk);
}

function json(value) {
  return new Response(JSON.stringify(value), { headers: { 'content-type': 'application/json' } });
}

async function time(k, fn) {
  const t0 = performance.now();
  const d0 = Date.now();
  for (let i = 0; i < k; i++) await fn();
  return { ms: performance.now() - t0, dateMs: Date.now() - d0 };
}

async function handle(request) {
  const url = new URL(request.url);
  const q = (k) => url.searchParams.get(k);
  const name = q('name');
  const chunk = q('chunk') === null ? undefined : Number(q('chunk'));
  const k = Number(q('k') ?? 1);
  switch (url.pathname) {
    case '/page': {
      const bytes = new Uint8Array(await request.arrayBuffer());
      const p = pages.get(name) ?? { chunked: new Map() };
      p[q('part')] = bytes;
      pages.set(name, p);
      return json({ ok: true, bytes: bytes.length });
    }
    case '/meta': {
      const meta = await request.json();
      const p = pages.get(name);
      Object.assign(p, meta);
      p.cases = makeCases({ patchHtml, rewrite, manifest: meta.manifest, sets: meta.sets, edits: meta.edits });
      return json({ ok: true });
    }
    case '/struct/meta': {
      const meta = await request.json();
      const p = pages.get(name);
      Object.assign(p, meta);
      // No render yet: /struct/cold is the edge module's first render in this isolate.
      p.ctx = { patchHtml, preparePageSync, handleSpliceRequest, renderer: edgeRenderer, memo: null, manifest: meta.manifest, sets: meta.sets, request: meta.request };
      return json({ ok: true });
    }
    case '/struct/cold':
      return json(await firstByteOrder(page(name).ctx, page(name, chunk), { fresh: true }));
    case '/struct/check': {
      const base = pages.get(name);
      if (base.ctx.memo === null) {
        base.ctx.memo = await memoRenderer(edgeRenderer, base.request);
        base.cases = makeStructuralCases(base.ctx);
        base.chunked.clear(); // chunked copies made before this lack the cases
      }
      const p = page(name, chunk);
      const res = await checkStructural(p.ctx, p);
      for (const v of Object.values(res)) if (v && typeof v === 'object') delete v.out;
      return json(res);
    }
    case '/struct/order': {
      const p = page(name, chunk);
      const reps = Number(q('reps') ?? 21);
      const o = {};
      for (const [label, opts] of JSON.parse(q('runs'))) {
        const runs = [];
        for (let i = 0; i < (opts.paced ? Math.min(reps, 7) : reps); i++) runs.push(await firstByteOrder(p.ctx, p, opts));
        o[label] = runs;
      }
      return json(o);
    }
    case '/drop':
      pages.delete(name);
      return json({ ok: true });
    case '/check': {
      const p = page(name, chunk);
      return json(await checkCases({ patchHtml, rewrite, manifest: p.manifest, sets: p.sets, edits: p.edits }, p));
    }
    case '/run': {
      const p = page(name, chunk);
      const fn = renders[q('case')] ?? p.cases[q('case')];
      return json(await time(k, () => fn(p)));
    }
    case '/burst': {
      const p = page(name);
      let patched = -1;
      const slow = q('slow') === '1';
      const r = await time(k, () => drain(patchHtml(streamOf([slow ? p.source : p.base]), {
        manifest: p.manifest, overrides: p.sets.burst, index: slow ? undefined : p.index, onReport: (rep) => { patched = rep.patchedElements; },
      })));
      return json({ ...r, patched });
    }
    case '/noop':
      return json({ ms: 0 });
    case '/clock': {
      // A synchronous loop: does performance.now() move while it runs, and with what step?
      const t0 = performance.now();
      let x = 0;
      for (let i = 0; i < 2e7; i++) x = (x + i) % 1000003;
      const sync = performance.now() - t0;
      const steps = [];
      let last = performance.now();
      for (let i = 0; i < 5e7 && steps.length < 20; i++) {
        const t = performance.now();
        if (t !== last) { steps.push(t - last); last = t; }
      }
      return json({ syncMs: sync, step: steps.length > 0 ? Math.min(...steps) : null, x });
    }
    default:
      return new Response('not found', { status: 404 });
  }
}

export default {
  async fetch(request) {
    try {
      return await handle(request);
    } catch (error) {
      return new Response(String(error?.stack ?? error), { status: 500 });
    }
  },
};
