/**
 * The edge cache of base pages: the origin's HTML, before any visitor's overrides, kept with the
 * Cache API. What is stored is never personalized (patching happens after the lookup, on the way
 * out), never carries `Set-Cookie`, and is keyed by URL and build, so a deploy starts fresh.
 * Lifetimes follow the origin: the edge's from `Surrogate-Control` / `CDN-Cache-Control`, the
 * browser's from `Cache-Control`, which the cache hands back untouched.
 */
import { isResponse } from './util';
import { peek } from './peek';

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
  | { state: 'miss'; stored: boolean; reason?: string; /** A condition the store waits on. */ once?: string }
  | { state: 'bypass'; reason: string }
  | { state: 'off' };

/** How long the edge may serve a page: fresh for `ttl` seconds, then stale (revalidated in the background) for `swr` more. */
export interface EdgeLifetime { ttl: number; swr: number }

/** The edge-only lifetime headers, most specific first: the first one present decides (RFC 9213). */
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
    // `must-revalidate`: never served stale, so no stale window.
    const swr = d.has('must-revalidate') ? 0 : seconds(d.get('stale-while-revalidate')) ?? 0;
    return ttl + swr > 0 ? { ttl, swr } : { reason: `${name} gives no lifetime` };
  }
  const value = headers.get('cache-control');
  const d = cacheDirectives(value);
  if (d.has('no-store') || d.has('private') || d.has('no-cache')) return { reason: `cache-control: ${value}` };
  const ttl = seconds(d.get('s-maxage')) ?? seconds(d.get('max-age'));
  if (ttl === null) return { reason: 'no edge lifetime (Surrogate-Control, CDN-Cache-Control or Cache-Control max-age)' };
  const swr = d.has('must-revalidate') || d.has('proxy-revalidate') ? 0 : seconds(d.get('stale-while-revalidate')) ?? 0;
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
  if ('reason' in life) return life.reason;
  if (initialAge(response.headers) >= life.ttl + life.swr) return 'already older than its lifetime (Age)';
  return null;
}

/** The age the origin (or a cache before it) says the response already has, in seconds (RFC 9111 §5.1). */
function initialAge(headers: Headers): number {
  const age = seconds(headers.get('age')?.trim() ?? undefined);
  return age ?? 0;
}

/** The page's URL as far as the cache is concerned: no fragment, only the allowed query parameters, sorted by name. */
export function normalizedUrl(url: string, query: readonly string[]): string {
  const u = new URL(url);
  const allowed = new Set(query);
  const kept: [string, string][] = [];
  u.searchParams.forEach((value, name) => { if (allowed.has(name) && name !== BUILD_PARAM) kept.push([name, value]); });
  kept.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  u.search = new URLSearchParams(kept).toString();
  u.hash = '';
  return u.toString();
}

/**
 * The cache key of a page: its normalized URL (so the order of parameters does not split the
 * cache) and the build, so a deploy never serves a page of the build before (its markers would
 * not match the manifest).
 */
export function cacheKey(url: string, query: readonly string[], buildId: string): string {
  const u = new URL(normalizedUrl(url, query));
  u.searchParams.append(BUILD_PARAM, buildId);
  return u.toString();
}

/** An edge-only lifetime header: `Surrogate-Control`, `CDN-Cache-Control` and its vendor forms (`Cloudflare-CDN-Cache-Control`, …). */
export function isSurrogateHeader(name: string): boolean {
  const n = name.toLowerCase();
  return n === 'surrogate-control' || n.endsWith('cdn-cache-control');
}

/** Removes the edge-only lifetimes: what leaves the edge carries only the browser's `Cache-Control`. */
export function stripSurrogate(headers: Headers): void {
  const found: string[] = [];
  headers.forEach((_, name) => { if (isSurrogateHeader(name)) found.push(name); });
  for (const name of found) headers.delete(name);
}

export interface BaseLookup {
  response: Response;
  status: CacheStatus;
  /**
   * Whether the page may be kept, once the handler has looked at it (a page of another build
   * must not be): stores a missed page; keeps a stored one (and refreshes it in the background
   * when stale) or drops it. Called once; later calls do nothing.
   */
  settle(keep: boolean): void;
  /** The handler gave up waiting (its timeout): the bodies are released, the cache is left as it is. */
  abandon(): void;
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
  /** How long a cache lookup may take before the origin is asked instead. Default 1000 ms. */
  lookupTimeoutMs?: number;
  /** How long a background refresh may wait for the origin. Default 10 s. */
  revalidateTimeoutMs?: number;
}

/** Revalidations running in this isolate, by key, with when they started: a burst of stale hits refreshes once; one that hangs is given up. */
const revalidating = new Map<string, number>();

/** A cache call that cannot throw synchronously, whatever the adapter does. */
function call<T>(f: () => Promise<T>): Promise<T> {
  return Promise.resolve().then(f);
}

function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof LATE> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<typeof LATE>((resolve) => { timer = setTimeout(() => resolve(LATE), ms); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
const LATE = Symbol('late');


/**
 * The base page for a request, from the cache when it is there and fresh (or stale within its
 * `stale-while-revalidate`, refreshed in the background once the handler keeps it), else from
 * the origin, stored once the handler settles it. A cache that fails, hangs or answers
 * nonsense is a miss: the origin still answers.
 */
export async function lookupBase(request: Request, options: BaseCacheOptions): Promise<BaseLookup> {
  const nothing = { settle(): void { /* nothing to keep */ }, abandon(): void { /* nothing held */ } };
  // A shared cache must not answer a request that carries credentials (RFC 9111 §3.5).
  if (request.headers.has('authorization')) {
    return { response: await options.origin(request), status: { state: 'bypass', reason: 'authorization' }, ...nothing };
  }
  const key = new Request(cacheKey(request.url, options.query, options.buildId), { method: 'GET' });
  let entry: Response | undefined;
  let lookupProblem: string | undefined;
  try {
    const asked = call(() => options.cache.match(key));
    const found = await within(asked, options.lookupTimeoutMs ?? 1000);
    if (found === LATE) {
      lookupProblem = 'the cache did not answer in time';
      // An entry that comes after all is not used: its body is released, not left to the collector.
      void asked.then((late) => { if (isResponse(late)) void late.body?.cancel().catch(() => undefined); }, () => undefined);
    } else if (isResponse(found)) entry = found;
  } catch (error) {
    lookupProblem = 'the cache failed';
    options.onError(error);
  }
  if (entry !== undefined) {
    const hit = hitOf(request, key, entry, options);
    if (hit !== null) return hit;
  }
  const response = await options.origin(request);
  // The origin got the visitor's URL: a page asked for with parameters the key leaves out may
  // differ from the page of the key, and must not be stored under it.
  const allowed = new Set(options.query);
  const foreign = [...new URL(request.url).searchParams.keys()].some((name) => !allowed.has(name) || name === BUILD_PARAM) ? 'query parameters outside cache.query' : null;
  const reason = foreign ?? unstorable(response);
  if (reason !== null) return { response, status: { state: 'miss', stored: false, reason: lookupProblem ?? reason }, ...nothing };
  const [forVisitor, forCache] = response.body!.tee();
  const visitorResponse = new Response(forVisitor, response);
  const storedAt = options.now() - initialAge(response.headers) * 1000;
  const headers = new Headers(response.headers);
  let settled = false;
  // fetch() decodes brotli and keeps the label, but a custom origin may hand the bytes over still
  // encoded, which cannot be decoded here: only the store's first bytes tell (`storeEntry`).
  const brotli = (response.headers.get('content-encoding') ?? '').trim().toLowerCase() === 'br';
  return {
    response: visitorResponse,
    status: { state: 'miss', stored: true, ...(brotli ? { once: 'if the body is decoded (brotli bytes are not stored)' } : {}) },
    settle(keep) {
      if (settled) return;
      settled = true;
      if (!keep) { void forCache.cancel().catch(() => undefined); return; }
      options.waitUntil(storeEntry(options, key, forCache, headers, storedAt).catch(options.onError));
    },
    abandon() {
      settled = true;
      void forCache.cancel().catch(() => undefined);
      void forVisitor.cancel().catch(() => undefined);
    },
  };
}

/** A stored entry as a hit or a stale hit, or null when it is past its window or unreadable (then a miss). */
function hitOf(request: Request, key: Request, entry: Response, options: BaseCacheOptions): BaseLookup | null {
  try {
    const storedAt = Number(entry.headers.get(STORED_AT));
    const ttl = Number(entry.headers.get(STORED_TTL));
    const swr = Number(entry.headers.get(STORED_SWR));
    const age = Math.max(0, Math.floor((options.now() - storedAt) / 1000));
    if (!(Number.isFinite(storedAt) && Number.isFinite(ttl) && Number.isFinite(swr) && age < ttl + swr)) {
      void entry.body?.cancel().catch(() => undefined);
      return null;
    }
    const state = age < ttl ? 'hit' : 'stale';
    const storedHeaders = new Headers(entry.headers);
    const response = restored(entry, age);
    let settled = false;
    return {
      response,
      status: { state, age },
      settle(keep) {
        if (settled) return;
        settled = true;
        if (!keep) { options.waitUntil(call(() => options.cache.delete(key)).catch(options.onError)); return; }
        // Refreshed only once the handler kept the page: a dropped entry is not put back.
        if (state === 'stale') startRevalidation(request, key, storedHeaders, options);
      },
      abandon() {
        settled = true;
        void response.body?.cancel().catch(() => undefined);
      },
    };
  } catch (error) {
    options.onError(error);
    return null;
  }
}

function startRevalidation(request: Request, key: Request, storedHeaders: Headers, options: BaseCacheOptions): void {
  const timeout = options.revalidateTimeoutMs ?? 10_000;
  const started = revalidating.get(key.url);
  if (started !== undefined && options.now() - started < 2 * timeout) return;
  revalidating.set(key.url, options.now());
  options.waitUntil(revalidate(request, key, storedHeaders, options, timeout).finally(() => revalidating.delete(key.url)));
}

/**
 * Stores a missed page: its body as the visitor got it, never labelled with a `Content-Encoding`.
 * `fetch()` hands a page over decoded but labelled; stored with that label, the Cache API would
 * encode it (workerd does) and hand back encoded bytes. A body still encoded (a custom origin)
 * would be encoded a second time the same way, and the handler, decoding once, would serve gzip
 * bytes as the page to every visitor: so a gzip or deflate body is stored decoded, and one in a
 * coding the edge cannot decode (br) is not stored. Either way the label (and length) go.
 */
async function storeEntry(options: BaseCacheOptions, key: Request, body: ReadableStream<Uint8Array>, headers: Headers, storedAt: number): Promise<void> {
  // Enough bytes to tell, as the handler reads them (`decodedBody`), whatever the chunking: a
  // first chunk of one byte of gzip is not "decoded", and stored unlabelled it would be served as
  // the page. Nothing waits on this: the store runs after the visitor's response.
  const { bytes: first, stream: whole } = await peek(body, 512);
  const coding = (headers.get('content-encoding') ?? '').trim().toLowerCase();
  const encoded = coding !== '' && coding !== 'identity' && first.length > 0 && looksEncoded(first, coding);
  const format = !encoded ? null : coding === 'gzip' || coding === 'x-gzip' ? 'gzip' : coding === 'deflate' ? 'deflate' : undefined;
  if (format === undefined || (format !== null && typeof DecompressionStream !== 'function')) {
    void whole.cancel().catch(() => undefined);
    return;
  }
  headers.delete('content-encoding');
  headers.delete('content-length');
  const stored = format === null ? whole : whole.pipeThrough(new DecompressionStream(format) as unknown as TransformStream<Uint8Array, Uint8Array>);
  await call(() => options.cache.put(key, storedEntry(new Response(stored, { status: 200, headers }), storedAt)));
}

/** The magic bytes of the coding the label names (gzip, zlib), or of brotli's, which has none to check: then believed. */
function looksEncoded(bytes: Uint8Array, coding: string): boolean {
  if (coding === 'gzip' || coding === 'x-gzip') return bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (coding === 'deflate') return bytes.length > 1 && (bytes[0]! & 0x0f) === 8 && (bytes[0]! * 256 + bytes[1]!) % 31 === 0;
  // Brotli has no signature: markup at the start means the body was decoded.
  let i = 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09 || bytes[i] === 0xef || bytes[i] === 0xbb || bytes[i] === 0xbf)) i++;
  return bytes[i] !== 0x3c;
}

/** The entry as stored: the origin's response, the Cache API told to keep it for its whole window, the browser's `Cache-Control` kept aside. */
function storedEntry(response: Response, storedAt: number, lifetime?: EdgeLifetime): Response {
  const life = lifetime ?? (edgeLifetime(response.headers) as EdgeLifetime);
  const headers = new Headers(response.headers);
  const browser = headers.get('cache-control');
  if (browser !== null) headers.set(BROWSER_CC, browser);
  else headers.delete(BROWSER_CC);
  // The Cache API expires entries by their Cache-Control; the stale window is ours to serve.
  headers.set('cache-control', `max-age=${life.ttl + life.swr}`);
  headers.set(STORED_AT, String(storedAt));
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

/** Headers a 304 cannot update (RFC 9111 §3.2: they describe the body it does not have), and ours. */
const NOT_FROM_304 = new Set(['content-length', 'content-encoding', 'content-type', 'content-range', 'transfer-encoding', 'set-cookie', 'age', BROWSER_CC, STORED_AT, STORED_TTL, STORED_SWR]);

/**
 * Refreshes a stale entry from the page's normalized URL (what its key stands for): a
 * conditional request when the entry has validators (a 304 renews it without a body), else a
 * plain one; redirects are not followed. An origin that fails, hangs past the timeout or
 * answers 429 keeps the stale entry until its window ends; one that answers with something that
 * may not be stored removes it.
 */
async function revalidate(request: Request, key: Request, storedHeaders: Headers, options: BaseCacheOptions, timeoutMs: number): Promise<void> {
  try {
    const headers = new Headers(request.headers);
    const etag = storedHeaders.get('etag');
    const modified = storedHeaders.get('last-modified');
    if (etag !== null) headers.set('if-none-match', etag);
    if (modified !== null) headers.set('if-modified-since', modified);
    const asked = call(() => options.origin(new Request(normalizedUrl(request.url, options.query), { method: 'GET', headers, redirect: 'manual' })));
    const fresh = await within(asked, timeoutMs);
    if (fresh === LATE) {
      void asked.then((r) => r.body?.cancel(), () => undefined).catch(() => undefined);
      return;
    }
    if (fresh.status === 304) {
      void fresh.body?.cancel().catch(() => undefined);
      const sent = fresh.headers.get('etag');
      // A 304 for other validators than the entry's renews nothing (RFC 9111 §4.3.4).
      if (sent !== null && etag !== null && sent !== etag) return;
      const current = await call(() => options.cache.match(key));
      if (!isResponse(current)) return;
      const merged = new Headers(current.headers);
      const browser = current.headers.get(BROWSER_CC);
      if (browser !== null) merged.set('cache-control', browser);
      else merged.delete('cache-control');
      fresh.headers.forEach((value, name) => { if (!NOT_FROM_304.has(name)) merged.set(name, value); });
      const life = edgeLifetime(merged);
      if ('reason' in life) { await call(() => options.cache.delete(key)); return; }
      await call(() => options.cache.put(key, storedEntry(new Response(current.body, { status: 200, headers: merged }), options.now() - initialAge(fresh.headers) * 1000, life)));
      return;
    }
    if (fresh.status >= 500 || fresh.status === 429) { void fresh.body?.cancel().catch(() => undefined); return; }
    if (unstorable(fresh) !== null) {
      void fresh.body?.cancel().catch(() => undefined);
      await call(() => options.cache.delete(key));
      return;
    }
    await storeEntry(options, key, fresh.body!, new Headers(fresh.headers), options.now() - initialAge(fresh.headers) * 1000);
  } catch (error) {
    options.onError(error);
  }
}
