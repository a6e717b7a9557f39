/**
 * The edge cache of base pages through `createEdgeHandler`, as scenarios: hit, miss, stale and
 * revalidate driven by the origin's `Surrogate-Control`, browser headers driven by its
 * `Cache-Control`, and what may never be stored. Web APIs only: the same scenarios run in Node
 * (cache.test.ts, with @splice/dev's in-memory Cache API) and, bundled, in workerd (its real
 * Cache API); both hold them to cache.expect.ts. The clock is the handler's own (`clock`), so
 * ages are exact; the caches are the runtime's.
 */
import { createEdgeHandler, cacheBuild, cacheKey, createPreviewToken, defineConfig, preparePageSync } from '../src/index';
import type { CacheStorageLike, SpliceConfig } from '../src/index';
import type { SpliceManifest } from '@splice/manifest';
import { manifest, page } from './handlerFaults';
import { SECRET } from './experiments';

const START = 1_700_000_000_000;
let run = 0;

/** One scenario's world: an origin that counts and can change its answer, a clock, waitUntil collected. */
function world(originHeaders: Record<string, string>, options: { config?: SpliceConfig; manifest?: SpliceManifest; index?: boolean; cache?: unknown; name?: string; origin?: (r: Request) => Promise<Response>; baseTimeoutMs?: number; page?: string } = {}) {
  // A cache of its own per scenario (and per run): scenarios never see each other's entries.
  const name = options.name ?? `splice-test-${Date.now()}-${run++}`;
  const state = {
    now: START,
    body: options.page ?? page,
    headers: { 'content-type': 'text/html; charset=utf-8', ...originHeaders } as Record<string, string>,
    status: 200,
    calls: [] as { url: string; ifNoneMatch: string | null; cookie: string | null }[],
    errors: [] as string[],
    pending: [] as Promise<unknown>[],
  };
  const prepared = options.index ? preparePageSync(options.page ?? page) : null;
  const origin = async (request: Request) => {
    state.calls.push({ url: request.url, ifNoneMatch: request.headers.get('if-none-match'), cookie: request.headers.get('cookie') });
    if (state.status === 304 || (state.headers.etag !== undefined && request.headers.get('if-none-match') === state.headers.etag)) {
      return new Response(null, { status: 304, headers: { etag: state.headers.etag ?? '', ...(state.headers['surrogate-control'] ? { 'surrogate-control': state.headers['surrogate-control'] } : {}), ...(state.headers.date ? { date: state.headers.date } : {}) } });
    }
    return new Response(prepared ? (prepared.html as Uint8Array<ArrayBuffer>) : state.body, { status: state.status, headers: state.headers });
  };
  const config = { ...(options.config ?? {}), cache: { ...(options.config?.cache ?? {}), name } };
  const m = options.manifest ?? manifest;
  const handler = createEdgeHandler({
    manifest: m,
    config,
    origin: options.origin ?? origin,
    ...(options.baseTimeoutMs !== undefined ? { baseTimeoutMs: options.baseTimeoutMs } : {}),
    clock: () => state.now,
    onError: (error) => { state.errors.push(String(error)); },
    ...(prepared ? { index: () => prepared.index } : {}),
    ...(options.cache !== undefined ? { cache: options.cache as never } : {}),
  });
  const ctx = { waitUntil: (p: Promise<unknown>) => { state.pending.push(p); } };
  /** One request; the background work it left (a store, a revalidation) finished before it returns. */
  async function get(path = '/', headers: Record<string, string> = {}, method = 'GET') {
    const res = await handler.fetch(new Request(`http://shop.test${path}`, { method, headers }), { SPLICE_SECRET: SECRET }, ctx);
    const body = await res.text();
    while (state.pending.length > 0) await state.pending.shift();
    return {
      status: res.status,
      cache: res.headers.get('x-splice-cache'),
      age: res.headers.get('age'),
      cacheControl: res.headers.get('cache-control'),
      splice: res.headers.get('x-splice'),
      surrogate: [res.headers.get('surrogate-control'), res.headers.get('cdn-cache-control'), res.headers.get('cloudflare-cdn-cache-control')].filter((v) => v !== null),
      setCookie: res.headers.get('set-cookie'),
      encoding: res.headers.get('content-encoding'),
      date: res.headers.get('date'),
      title: /<h1[^>]*>([^<]*)<\/h1>/.exec(body)?.[1] ?? null,
      body,
    };
  }
  /** What the cache holds for a path, read straight from it. */
  async function stored(path = '/', query: string[] = [], buildId = cacheBuild(m.buildId, prepared?.index)) {
    const storage = (globalThis as unknown as { caches: CacheStorageLike }).caches;
    const cache = await storage.open(name);
    const entry = await cache.match(new Request(cacheKey(`http://shop.test${path}`, query, buildId)));
    if (entry === undefined) return null;
    const headers: Record<string, string> = {};
    entry.headers.forEach((v, k) => { headers[k] = v; });
    return { headers, body: await entry.text() };
  }
  return { state, get, stored, name };
}

const SURROGATE = { 'surrogate-control': 'max-age=60, stale-while-revalidate=30', 'cache-control': 'public, max-age=10' };

export const cacheScenarios: Record<string, () => Promise<unknown>> = {
  /** A miss stores the base page; a request 5 s later is a hit that never reaches the origin. */
  async missThenHit() {
    const w = world(SURROGATE);
    const first = await w.get();
    const storedBody = (await w.stored())?.body ?? null;
    w.state.now += 5_000;
    const second = await w.get();
    return { first, second, originCalls: w.state.calls.length, storedEqualsOrigin: storedBody === page };
  },

  /**
   * Past `max-age`, inside `stale-while-revalidate`: the stale page at once, the origin asked in
   * the background (conditionally: the entry has an ETag), and the next request a hit on the new
   * page. A burst of stale requests revalidates once.
   */
  async staleRevalidate() {
    const w = world({ ...SURROGATE, etag: '"v1"' });
    await w.get();
    w.state.now += 70_000;
    w.state.body = page.replace('Hello', 'Hello again');
    w.state.headers.etag = '"v2"';
    const stale = await w.get();
    const revalidation = w.state.calls[1] ?? null;
    w.state.now += 1_000;
    const fresh = await w.get();
    // Five stale requests at once: the origin is asked once.
    w.state.now += 70_000;
    const before = w.state.calls.length;
    const burst = await Promise.all([w.get(), w.get(), w.get(), w.get(), w.get()]);
    return { stale, revalidation, fresh, burst: burst.map((b) => b.cache), burstOriginCalls: w.state.calls.length - before };
  },

  /** A revalidation the origin answers 304: the entry is renewed without a body, and still serves its page. */
  async notModified() {
    const w = world({ ...SURROGATE, etag: '"v1"' });
    await w.get();
    w.state.now += 70_000;
    const stale = await w.get();
    w.state.now += 50_000;
    // 120 s after the store, 50 s after the renewal: fresh again.
    const renewed = await w.get();
    return { stale: stale.cache, revalidationAsked: w.state.calls[1]?.ifNoneMatch ?? null, renewed, originCalls: w.state.calls.length };
  },

  /** Past its whole window (60 + 30 s): fetched anew, as a miss. An origin failing a revalidation keeps the stale page. */
  async expiredAndFailing() {
    const w = world(SURROGATE);
    await w.get();
    w.state.now += 95_000;
    const expired = await w.get();
    w.state.now += 65_000;
    w.state.status = 500;
    const staleWhileFailing = await w.get();
    w.state.now += 1_000;
    const stillStale = await w.get();
    return { expired: expired.cache, staleWhileFailing: staleWhileFailing.cache, stillStale: { cache: stillStale.cache, status: stillStale.status, title: stillStale.title } };
  },

  /** Which header decides what: the CDN's lifetime for the edge, `Cache-Control` for the browser; private and no-store never stored. */
  async headers() {
    const cdn = world({ 'cdn-cache-control': 'max-age=120', 'cache-control': 'no-cache' });
    await cdn.get();
    cdn.state.now += 100_000;
    const cdnHit = await cdn.get();
    const cfOverCdn = world({ 'cloudflare-cdn-cache-control': 'no-store', 'cdn-cache-control': 'max-age=120', 'cache-control': 'public, max-age=60' });
    const cfFirst = await cfOverCdn.get();
    const plain = world({ 'cache-control': 'public, s-maxage=30, max-age=5' });
    await plain.get();
    plain.state.now += 20_000;
    const plainHit = await plain.get();
    plain.state.now += 20_000;
    const plainAfter = await plain.get();
    const priv = world({ 'cache-control': 'private, max-age=600' });
    const privFirst = await priv.get();
    const none = world({});
    const noneFirst = await none.get();
    return {
      cdnHit: { cache: cdnHit.cache, cacheControl: cdnHit.cacheControl, surrogate: cdnHit.surrogate },
      cfOverCdn: { cache: cfFirst.cache, surrogate: cfFirst.surrogate },
      plain: { hit: plainHit.cache, after: plainAfter.cache, cacheControl: plainHit.cacheControl },
      private: { cache: privFirst.cache, stored: (await priv.stored()) !== null },
      none: { cache: noneFirst.cache },
    };
  },

  /**
   * Personalized responses and cookies never reach the cache: visitors in an experiment (one
   * patched to variant B, all getting an assignment cookie) leave the stored entry byte for byte
   * the origin's, with no Set-Cookie; an origin that sets a cookie is not stored at all.
   */
  async neverPersonalized() {
    const config = defineConfig<{ Hero: { title: string; href: string } }>({
      experiments: [{ id: 'hero', variants: [{ name: 'a', weight: 1, overrides: [] }, { name: 'b', weight: 1, overrides: [{ component: 'Hero', props: { title: 'B' } }] }] }],
    });
    const w = world(SURROGATE, { config });
    const visits = [];
    let returning: string | undefined;
    for (let i = 0; i < 12; i++) {
      // Six new visitors, then the first one six times more with their cookie (no Set-Cookie
      // then, only the assignment in the bootstrap: still private).
      const v = await w.get('/', i < 6 || returning === undefined ? {} : { cookie: returning });
      if (i === 0 && v.setCookie !== null) returning = v.setCookie.split(';')[0];
      visits.push({ cache: v.cache, title: v.title, setCookie: v.setCookie !== null, cacheControl: v.cacheControl, bootstrap: v.body.includes('__SPLICE__') });
      w.state.now += 1_000;
    }
    // QA previews of each variant (the token is not part of the key): the same entry serves both.
    for (const variant of ['a', 'b']) {
      const token = await createPreviewToken({ hero: variant }, SECRET, new Date(Date.now() + 3_600_000));
      const v = await w.get(`/?splice-preview=${encodeURIComponent(token)}`);
      visits.push({ cache: v.cache, title: v.title, setCookie: v.setCookie !== null, cacheControl: v.cacheControl, bootstrap: v.body.includes('__SPLICE__') });
    }
    const entry = await w.stored();
    const cookied = world({ ...SURROGATE, 'set-cookie': 'session=abc; Path=/' });
    const c1 = await cookied.get();
    const c2 = await cookied.get();
    return {
      visits,
      entry: entry === null ? null : { bodyIsOrigin: entry.body === page, setCookie: 'set-cookie' in entry.headers, hasB: entry.body.includes('>B<') },
      cookied: { first: c1.cache, second: c2.cache, originCalls: cookied.state.calls.length, stored: (await cookied.stored()) !== null },
    };
  },

  /** The key: the path and the allowed query parameters (in any order); tracking parameters share the page. */
  async queryKey() {
    const w = world(SURROGATE, { config: { cache: { query: ['page', 'sort'] } } });
    const results: Record<string, string | null> = {};
    for (const path of ['/', '/?utm_source=mail', '/?page=2&sort=price', '/?sort=price&page=2&gclid=x', '/?page=3', '/#top']) {
      results[path] = (await w.get(path)).cache;
    }
    return { results, originCalls: w.state.calls.length, originUrls: w.state.calls.map((c) => new URL(c.url).search) };
  },

  /**
   * A deploy that changes a page's markup but no component keeps the build id: the new page
   * index keys the cache anew, so the old page is not patched by the new index.
   */
  async pageChange() {
    const w = world(SURROGATE, { index: true });
    const before = await w.get();
    const again = await w.get();
    const edited = page.replace('<body>', '<body><p class="notice">Closed on Sunday</p>');
    const w2 = world(SURROGATE, { index: true, page: edited, name: w.name });
    const after = await w2.get();
    const afterAgain = await w2.get();
    return { before: [before.cache, again.cache], after: [after.cache, afterAgain.cache], notice: after.body.includes('Closed on Sunday'), edited: edited !== page };
  },

  /**
   * A new build id misses the old build's entries; a page of another build (its markers unknown
   * to the manifest) is never stored, and one found in the cache is dropped.
   */
  async buildInvalidation() {
    const w = world(SURROGATE, { index: true });
    const b1 = await w.get();
    const b1Again = await w.get();
    // The next deploy, on the same cache.
    const w2 = world(SURROGATE, { manifest: { ...manifest, buildId: 'b2' }, index: true, name: w.name });
    const other: SpliceManifest = { ...manifest, buildId: 'b3', components: { 'Hero.k9': manifest.components['Hero.k1']! } };
    const w3 = world(SURROGATE, { manifest: other, index: true, name: w.name });
    const staleFirst = await w3.get();
    const staleSecond = await w3.get();
    // A page of build b4 stored by a handler that knew it; then a manifest b4 that does not know
    // its markers finds it: dropped, not served again from the cache.
    const w4 = world(SURROGATE, { manifest: { ...manifest, buildId: 'b4' }, index: true, name: w.name });
    await w4.get();
    const w5 = world(SURROGATE, { manifest: { ...other, buildId: 'b4' }, index: true, name: w.name });
    const foundStale = await w5.get();
    const afterDrop = await w5.stored();
    return {
      b1: [b1.cache, b1Again.cache],
      b2: [(await w2.get()).cache, (await w2.get()).cache],
      staleFirst: staleFirst.cache,
      staleSecond: staleSecond.cache,
      staleStored: (await w3.stored()) !== null,
      b1StillStored: (await w.stored()) !== null,
      foundStale: foundStale.cache,
      droppedAfterStale: afterDrop === null,
    };
  },

  /** Requests the cache must not answer, and a cache that fails: the origin still answers, and onError hears of it. */
  async bypassAndFailures() {
    const w = world(SURROGATE);
    const auth = await w.get('/', { authorization: 'Bearer x' });
    // HEAD of a prerendered page (its index known): stored like a GET.
    const prerendered = world(SURROGATE, { index: true });
    const head = await prerendered.get('/', {}, 'HEAD');
    const headAgain = await prerendered.get('/', {}, 'HEAD');
    const notFound = world({ ...SURROGATE });
    notFound.state.status = 404;
    const nf = await notFound.get();
    const vary = world({ ...SURROGATE, vary: 'Accept-Language' });
    const v = await vary.get();
    const broken = {
      async match() { throw new Error('cache unavailable'); },
      async put() { throw new Error('cache full'); },
      async delete() { return false; },
    };
    const failing = world(SURROGATE, { cache: broken });
    const f = await failing.get();
    const off = world(SURROGATE, { config: { cache: { enabled: false } } });
    const o = await off.get();
    return {
      auth: auth.cache,
      head: [head.cache, headAgain.cache, head.body.length],
      notFound: nf.cache,
      vary: v.cache,
      failing: { cache: f.cache, status: f.status, title: f.title, errors: failing.state.errors },
      off: o.cache,
    };
  },

  // Regressions found by review: each ran wrong before its fix.

  /** A parameter outside the allow-list reaches the origin (the visitor asked for it) but never decides what others get. */
  async queryPoisoning() {
    const w = world(SURROGATE);
    const attack = await w.get('/?q=%3Cscript%3E');
    const victim = await w.get('/');
    const again = await w.get('/');
    return { attack: attack.cache, victim: victim.cache, again: again.cache, originUrls: w.state.calls.map((c) => new URL(c.url).search) };
  },

  /** A revalidation asks for the key's own URL, never follows a redirect, and gives up on an origin that hangs. */
  async revalidationRequests() {
    const seen: { redirect: string; search: string }[] = [];
    let hang = false;
    const w = world(SURROGATE, {
      origin: async (r) => {
        seen.push({ redirect: r.redirect, search: new URL(r.url).search });
        if (hang) return new Promise<Response>(() => undefined);
        return new Response(page, { headers: { 'content-type': 'text/html; charset=utf-8', ...SURROGATE } });
      },
      baseTimeoutMs: 50,
    });
    await w.get('/');
    w.state.now += 70_000;
    hang = true;
    const hung = await w.get('/?utm_source=x');
    hang = false;
    w.state.now += 1_000;
    // The hung refresh was given up: the next stale request refreshes again.
    const next = await w.get('/');
    w.state.now += 1_000;
    const after = await w.get('/');
    return { seen, hung: hung.cache, next: next.cache, after: after.cache };
  },

  /** An `Age` from the origin counts: a page 55 s old with max-age=60 is fresh for 5 s more at the edge. */
  async upstreamAge() {
    const w = world({ age: '55', 'cache-control': 'public, max-age=60' });
    const first = await w.get();
    w.state.now += 3_000;
    const fresh = await w.get();
    w.state.now += 5_000;
    const later = await w.get();
    const old = world({ age: '100', 'cache-control': 'public, max-age=60' });
    const tooOld = await old.get();
    return { first: first.cache, fresh: [fresh.cache, fresh.age], later: later.cache, tooOld: tooOld.cache };
  },

  /** A 304 renews the entry's Date with its age; a 304 for another ETag renews nothing. */
  async renewal() {
    const w = world({ ...SURROGATE, etag: '"v1"' });
    w.state.headers.date = new Date(w.state.now).toUTCString();
    await w.get();
    w.state.now += 500_000;
    // Past the 90 s window: a miss, stored again; then stale and renewed by a 304 carrying a new Date.
    await w.get();
    w.state.now += 70_000;
    w.state.headers.date = new Date(w.state.now).toUTCString();
    const stale = await w.get();
    w.state.now += 1_000;
    const renewed = await w.get();
    // The Date a visitor gets is the 304's (the renewal took it), or the runtime's own: workerd's
    // Cache API writes the time of the match. Either way not the first response's, 500 s old.
    const dated = renewed.date === w.state.headers.date || Math.abs(Date.parse(renewed.date ?? '') - Date.now()) < 5_000;
    return { stale: stale.cache, renewed: renewed.cache, dated };
  },

  /** Without an index, a page is stored only once its stream showed it is of this build. */
  async sourcePageOfAnotherBuild() {
    const other: SpliceManifest = { ...manifest, buildId: 'b9', components: { 'Hero.k9': manifest.components['Hero.k1']! } };
    const w = world(SURROGATE, { manifest: other });
    const first = await w.get();
    const second = await w.get();
    const ok = world(SURROGATE);
    const okFirst = await ok.get();
    const okSecond = await ok.get();
    return { first: first.cache, second: second.cache, stored: (await w.stored()) !== null, okFirst: okFirst.cache, okSecond: okSecond.cache };
  },

  /**
   * `fetch()` hands a gzip page over decoded, label kept: stored, renewed by a 304 and handed out
   * again it must stay one page, not gzip bytes labelled HTML or gzip twice.
   */
  async gzipLabelled() {
    const w = world({ ...SURROGATE, 'content-encoding': 'gzip', etag: '"g1"' });
    const miss = await w.get();
    const hit = await w.get();
    w.state.now += 70_000;
    await w.get();
    w.state.now += 1_000;
    const renewed = await w.get();
    const entry = await w.stored();
    return {
      titles: [miss.title, hit.title, renewed.title],
      caches: [miss.cache, hit.cache, renewed.cache],
      encodings: [miss.encoding, hit.encoding, renewed.encoding],
      storedLabel: entry?.headers['content-encoding'] ?? null,
    };
  },

  /** Caches that are slow, throw synchronously or answer null: every visitor still gets the page, and a slow answer deletes nothing. */
  async oddCaches() {
    const storage = (globalThis as unknown as { caches: CacheStorageLike }).caches;
    const real = await storage.open(`odd-${Date.now()}-${run++}`);
    let slow = false;
    let lateBodyCancelled = false;
    /** The entry as a body that says when it is cancelled. */
    const watched = (entry: Response) => {
      const reader = entry.body!.getReader();
      return new Response(new ReadableStream<Uint8Array>({
        async pull(c) { const { done, value } = await reader.read(); if (done) c.close(); else c.enqueue(value); },
        cancel() { lateBodyCancelled = true; return reader.cancel(); },
      }), entry);
    };
    const slowCache = {
      match: async (r: Request) => {
        if (!slow) return real.match(r);
        await new Promise((ok) => setTimeout(ok, 1_500));
        const entry = await real.match(r);
        return entry === undefined ? undefined : watched(entry);
      },
      put: (r: Request, res: Response) => real.put(r, res),
      delete: (r: Request) => real.delete(r),
    };
    const s = world(SURROGATE, { cache: slowCache });
    await s.get();
    slow = true;
    const slowAnswer = await s.get();
    // The entry the cache finds after the handler stopped waiting (at 1 s) is released when it comes.
    await new Promise((ok) => setTimeout(ok, 800));
    slow = false;
    const afterSlow = await s.get();
    const throwing = world(SURROGATE, { cache: { match: async () => undefined, put: () => { throw new Error('sync put'); }, delete: async () => false } });
    const t = await throwing.get();
    const nulls = world(SURROGATE, { cache: { match: async () => null, put: async () => undefined, delete: async () => false } });
    const n = await nulls.get();
    return {
      slow: [slowAnswer.status, slowAnswer.title, slowAnswer.cache],
      lateBodyCancelled,
      afterSlow: afterSlow.cache,
      throwing: [t.status, t.title, throwing.state.errors],
      nulls: [n.status, n.title],
    };
  },

  /**
   * A custom origin that hands its page over still encoded, label kept (the handler decodes it on
   * the way out). The entry must never hold encoded bytes the Cache API encodes again (workerd
   * does, for a labelled body) nor gzip bytes without their label: before, the label was kept (a
   * hit was gzip twice, decoded once, and served gzip bytes as the page to every visitor), or,
   * when the first chunk was one byte (taken for decoded), dropped with the bytes still gzip.
   * Brotli, which the edge cannot decode, is not stored.
   */
  async stillEncoded() {
    const encode = async (format: 'gzip' | 'deflate') => new Uint8Array(await new Response(new Blob([page]).stream().pipeThrough(new CompressionStream(format) as unknown as TransformStream<Uint8Array, Uint8Array>)).arrayBuffer());
    const once = async (coding: string, bytes: Uint8Array, firstChunk: number) => {
      const origin = async () => new Response(new ReadableStream<Uint8Array>({ start(c) { c.enqueue(bytes.slice(0, firstChunk)); c.enqueue(bytes.slice(firstChunk)); c.close(); } }), {
        headers: { 'content-type': 'text/html; charset=utf-8', 'content-encoding': coding, ...SURROGATE },
      });
      const w = world(SURROGATE, { origin });
      const miss = await w.get();
      const hit = await w.get();
      return { titles: [miss.title, hit.title], missCache: miss.cache, cache: hit.cache, sameBody: hit.body === miss.body };
    };
    const gz = await encode('gzip');
    return {
      gzip: await once('gzip', gz, 10),
      gzipFirstByte: await once('gzip', gz, 1),
      deflate: await once('deflate', await encode('deflate'), 10),
      br: await once('br', new Uint8Array([0x1b, 0x03, 0x00, 0xf8, 0x25, 0x82, 0x82, 0x88]), 4),
    };
  },

  /**
   * A HEAD (a monitor's, a link checker's) that finds a page without an index in the cache: its
   * body is never streamed, so it cannot show the page is of this build, and it must leave the
   * entry as it found it. Before, it settled the hit as "not to keep", which deleted the entry:
   * every HEAD evicted the page, and the next visitor went to the origin.
   */
  async headOnCachedSourcePage() {
    const w = world(SURROGATE);
    const miss = await w.get();
    const head = await w.get('/', {}, 'HEAD');
    const after = await w.get();
    // Stale: the HEAD gets the stale page's headers, and the entry is refreshed as for a GET.
    w.state.now += 70_000;
    const staleHead = await w.get('/', {}, 'HEAD');
    w.state.now += 1_000;
    const refreshed = await w.get();
    return { caches: [miss.cache, head.cache, after.cache, staleHead.cache, refreshed.cache], headBody: head.body, originCalls: w.state.calls.length };
  },

  /** A response the handler does not personalize (another method) loses the edge-only lifetimes too. */
  async otherMethods() {
    const w = world(SURROGATE);
    const post = await w.get('/', {}, 'POST');
    return { surrogate: post.surrogate };
  },

  /**
   * Another method to an origin that fails (a refused connection, a resolve to nothing): the
   * visitor gets the 502 a page request gets, not an exception out of the worker (before).
   */
  async otherMethodsOriginFails() {
    const outcomes: unknown[] = [];
    for (const origin of [async () => { throw new TypeError('connection refused'); }, async () => undefined as unknown as Response]) {
      const w = world(SURROGATE, { origin });
      try {
        const post = await w.get('/', {}, 'POST');
        outcomes.push([post.status, post.splice]);
      } catch (error) {
        outcomes.push(`threw: ${String(error)}`);
      }
    }
    return { outcomes };
  },
};
