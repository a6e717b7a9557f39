/**
 * The edge cache of base pages: the origin's HTML, before any visitor's overrides, kept with the
 * Cache API. What is stored is never personalized (patching happens after the lookup, on the way
 * out), never carries `Set-Cookie`, and is keyed by URL and build, so a deploy starts fresh.
 * Lifetimes follow the origin: the edge's from `Surrogate-Control` / `CDN-Cache-Control`, the
 * browser's from `Cache-Control`, which the cache hands back untouched.
 */

/** The part of the Web Cache API the edge uses (Workers' `caches.default`, `caches.open(name)`). */
export interface CacheLike {
  match(request: Request): Promise<Response | undefined>;
  put(request: Request, response: Response): Promise<void>;
  delete(request: Request): Promise<boolean>;
}

export interface CacheStorageLike {
  open(name: string): Promise<CacheLike>;
  /** Cloudflare's shared cache of the zone. */
  default?: CacheLike;
}

/** `cache` in `splice.config.ts`. */
export interface CacheConfig {
  /** `false`: every request goes to the origin. Default: on, where the runtime has the Cache API. */
  enabled?: boolean;
  /**
   * Query parameters that select a different page: only these stay in the cache key (sorted by
   * name). Every other parameter (`utm_source`, `gclid`, a preview token) shares the page without
   * it. Default: none.
   */
  query?: string[];
  /** A named cache (`caches.open(name)`) instead of the runtime's default one. */
  name?: string;
}

/** What the edge cache did for a request; the `x-splice-cache` header says it. */
export type CacheStatus =
  | { state: 'hit' | 'stale'; age: number; /** Why the entry was dropped after this use. */ dropped?: string }
  | { state: 'miss'; stored: boolean; reason?: string }
  | { state: 'bypass'; reason: string }
  | { state: 'off' };

/** How long the edge may serve a page: fresh for `ttl` seconds, then stale (revalidated in the background) for `swr` more. */
export interface EdgeLifetime { ttl: number; swr: number }

/** Headers meant for the edge alone (RFC 9213 and its vendor forms): the browser never sees them. */
const SURROGATE = ['cloudflare-cdn-cache-control', 'cdn-cache-control', 'surrogate-control'];

/** Bookkeeping headers of a stored entry; never sent on. */
const STORED_AT = 'x-splice-stored-at';
const STORED_TTL = 'x-splice-ttl';
const STORED_SWR = 'x-splice-swr';
const BROWSER_CC = 'x-splice-browser-cache-control';
const BUILD_PARAM = 'splice-build';

/** Directives of a `Cache-Control`-style header, names lower-cased: `max-age=60, private` → {max-age: '60', private: true}. */
export function cacheDirectives(value: string | null): Map<string, string | true> {
  const out = new Map<string, string | true>();
  if (value === null) return out;
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (name === '') continue;
    out.set(name, eq < 0 ? true : part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'));
  }
  return out;
}

function seconds(value: string | true | undefined): number | null {
  if (typeof value !== 'string' || !/^\d{1,10}$/.test(value)) return null;
  return Number(value);
}

/**
 * How long the edge may keep a response, or why not. The most specific header the origin sent
 * decides (`Cloudflare-CDN-Cache-Control`, `CDN-Cache-Control`, `Surrogate-Control`; per RFC 9213 a
 * CDN that finds one ignores `Cache-Control`); without one, `Cache-Control` as a shared cache reads
 * it (`s-maxage`, else `max-age`; never with `private`, `no-store` or `no-cache`).
 */
export function edgeLifetime(headers: Headers): EdgeLifetime | { reason: string } {
  for (const name of SURROGATE) {
    const value = headers.get(name);
    if (value === null) continue;
    const d = cacheDirectives(value);
    if (d.has('no-store') || d.has('private') || d.has('no-cache')) return { reason: `${name}: ${value}` };
    const ttl = seconds(d.get('max-age')) ?? 0;
    const swr = seconds(d.get('stale-while-revalidate')) ?? 0;
    return ttl + swr > 0 ? { ttl, swr } : { reason: `${name} gives no lifetime` };
  }
  const value = headers.get('cache-control');
  const d = cacheDirectives(value);
  if (d.has('no-store') || d.has('private') || d.has('no-cache')) return { reason: `cache-control: ${value}` };
  const ttl = seconds(d.get('s-maxage')) ?? seconds(d.get('max-age'));
  if (ttl === null) return { reason: 'no edge lifetime (Surrogate-Control, CDN-Cache-Control or Cache-Control max-age)' };
  const swr = seconds(d.get('stale-while-revalidate')) ?? 0;
  return ttl + swr > 0 ? { ttl, swr } : { reason: `cache-control: ${value}` };
}

/** Why a response from the origin cannot be stored, or null. */
export function unstorable(response: Response): string | null {
  if (response.status !== 200) return `status ${response.status}`;
  // A cookie belongs to one visitor: a cached page must never hand it to the next.
  if (response.headers.has('set-cookie')) return 'the origin sets a cookie';
  const vary = (response.headers.get('vary') ?? '').split(',').map((v) => v.trim().toLowerCase()).filter((v) => v !== '' && v !== 'accept-encoding');
  // The key is the URL alone: a page that differs by a request header cannot share it.
  if (vary.length > 0) return `vary: ${vary.join(', ')}`;
  if (response.body === null) return 'no body';
  const life = edgeLifetime(response.headers);
  return 'reason' in life ? life.reason : null;
}

/**
 * The cache key of a page: the URL without its fragment, with only the allowed query parameters
 * (sorted by name, so their order does not split the cache), and the build, so a deploy never
 * serves a page of the build before (its markers would not match the manifest).
 */
export function cacheKey(url: string, query: readonly string[], buildId: string): string {
  const u = new URL(url);
  const allowed = new Set(query);
  const kept: [string, string][] = [];
  u.searchParams.forEach((value, name) => { if (allowed.has(name) && name !== BUILD_PARAM) kept.push([name, value]); });
  kept.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const params = new URLSearchParams(kept);
  params.append(BUILD_PARAM, buildId);
  u.search = params.toString();
  u.hash = '';
  return u.toString();
}

/** Removes the edge-only lifetimes: what leaves the edge carries only the browser's `Cache-Control`. */
export function stripSurrogate(headers: Headers): void {
  for (const name of SURROGATE) headers.delete(name);
}

export interface BaseLookup {
  response: Response;
  status: CacheStatus;
  /**
   * Whether the page may be kept, once the handler has looked at it (a page of another build
   * must not be): stores a missed page, or drops a stored one. Called once; later calls do nothing.
   */
  settle(keep: boolean): void;
}

export interface BaseCacheOptions {
  cache: CacheLike;
  query: readonly string[];
  buildId: string;
  /** The origin, for a miss and for revalidation. */
  origin(request: Request): Promise<Response>;
  waitUntil(promise: Promise<unknown>): void;
  now(): number;
  onError(error: unknown): void;
}

/** Revalidations running in this isolate, by key: a burst of stale hits refreshes once. */
const revalidating = new Set<string>();

/**
 * The base page for a request, from the cache when it is there and fresh (or stale within its
 * `stale-while-revalidate`, refreshed in the background), else from the origin, stored once the
 * handler settles it. A cache that fails is a miss: the origin still answers.
 */
export async function lookupBase(request: Request, options: BaseCacheOptions): Promise<BaseLookup> {
  const done = { settle(): void { /* nothing to keep */ } };
  // A shared cache must not answer a request that carries credentials (RFC 9111 §3.5).
  if (request.headers.has('authorization')) {
    return { response: await options.origin(request), status: { state: 'bypass', reason: 'authorization' }, ...done };
  }
  const key = new Request(cacheKey(request.url, options.query, options.buildId), { method: 'GET' });
  let entry: Response | undefined;
  try {
    entry = await options.cache.match(key);
  } catch (error) {
    options.onError(error);
  }
  if (entry !== undefined) {
    const storedAt = Number(entry.headers.get(STORED_AT));
    const ttl = Number(entry.headers.get(STORED_TTL));
    const swr = Number(entry.headers.get(STORED_SWR));
    const age = Math.max(0, Math.floor((options.now() - storedAt) / 1000));
    if (Number.isFinite(storedAt) && Number.isFinite(ttl) && Number.isFinite(swr) && age < ttl + swr) {
      const state = age < ttl ? 'hit' : 'stale';
      if (state === 'stale' && !revalidating.has(key.url)) {
        revalidating.add(key.url);
        options.waitUntil(revalidate(request, key, entry.headers, options).finally(() => revalidating.delete(key.url)));
      }
      let settled = false;
      return {
        response: restored(entry, age),
        status: { state, age },
        settle(keep) {
          if (settled) return;
          settled = true;
          if (!keep) options.waitUntil(options.cache.delete(key).catch(options.onError));
        },
      };
    }
    // Past its stale window: fetched anew, like a miss.
    void entry.body?.cancel().catch(() => undefined);
  }
  const response = await options.origin(request);
  const reason = unstorable(response);
  if (reason !== null) return { response, status: { state: 'miss', stored: false, reason }, ...done };
  const [forVisitor, forCache] = response.body!.tee();
  const stored = storedEntry(new Response(forCache, response), options.now());
  const status: CacheStatus = { state: 'miss', stored: true };
  let settled = false;
  return {
    response: new Response(forVisitor, response),
    status,
    settle(keep) {
      if (settled) return;
      settled = true;
      if (!keep) { void forCache.cancel().catch(() => undefined); return; }
      options.waitUntil(options.cache.put(key, stored).catch(options.onError));
    },
  };
}

/** The entry as stored: the origin's response, the Cache API told to keep it for its whole window, the browser's `Cache-Control` kept aside. */
function storedEntry(response: Response, now: number, lifetime?: EdgeLifetime): Response {
  const life = lifetime ?? (edgeLifetime(response.headers) as EdgeLifetime);
  const headers = new Headers(response.headers);
  const browser = headers.get('cache-control');
  if (browser !== null) headers.set(BROWSER_CC, browser);
  else headers.delete(BROWSER_CC);
  // The Cache API expires entries by their Cache-Control; the stale window is ours to serve.
  headers.set('cache-control', `max-age=${life.ttl + life.swr}`);
  headers.set(STORED_AT, String(now));
  headers.set(STORED_TTL, String(life.ttl));
  headers.set(STORED_SWR, String(life.swr));
  headers.delete('age');
  return new Response(response.body, { status: 200, headers });
}

/** A stored entry as the origin sent it, with its age. */
function restored(entry: Response, age: number): Response {
  const headers = new Headers(entry.headers);
  const browser = headers.get(BROWSER_CC);
  if (browser !== null) headers.set('cache-control', browser);
  else headers.delete('cache-control');
  for (const name of [BROWSER_CC, STORED_AT, STORED_TTL, STORED_SWR]) headers.delete(name);
  headers.set('age', String(age));
  return new Response(entry.body, { status: 200, headers });
}

/**
 * Refreshes a stale entry: a conditional request when the entry has validators (a 304 renews it
 * without a body), else a plain one. An origin that fails keeps the stale entry until its window
 * ends; one that answers with something that may not be stored removes it.
 */
async function revalidate(request: Request, key: Request, storedHeaders: Headers, options: BaseCacheOptions): Promise<void> {
  try {
    const headers = new Headers(request.headers);
    const etag = storedHeaders.get('etag');
    const modified = storedHeaders.get('last-modified');
    if (etag !== null) headers.set('if-none-match', etag);
    if (modified !== null) headers.set('if-modified-since', modified);
    const fresh = await options.origin(new Request(request.url, { method: 'GET', headers }));
    if (fresh.status === 304) {
      void fresh.body?.cancel().catch(() => undefined);
      const current = await options.cache.match(key);
      if (current === undefined) return;
      // The 304's own lifetime headers, if it sent any, replace the stored ones.
      const merged = new Headers(current.headers);
      const browser = current.headers.get(BROWSER_CC);
      if (browser !== null) merged.set('cache-control', browser);
      else merged.delete('cache-control');
      for (const name of ['cache-control', 'etag', 'last-modified', 'expires', ...SURROGATE]) {
        const v = fresh.headers.get(name);
        if (v !== null) merged.set(name, v);
      }
      const life = edgeLifetime(merged);
      if ('reason' in life) { await options.cache.delete(key); return; }
      await options.cache.put(key, storedEntry(new Response(current.body, { status: 200, headers: merged }), options.now(), life));
      return;
    }
    if (fresh.status >= 500) { void fresh.body?.cancel().catch(() => undefined); return; }
    if (unstorable(fresh) !== null) {
      void fresh.body?.cancel().catch(() => undefined);
      await options.cache.delete(key);
      return;
    }
    await options.cache.put(key, storedEntry(fresh, options.now()));
  } catch (error) {
    options.onError(error);
  }
}
