import type { SpliceManifest } from '@splice/manifest';
import { hostsOf, planOverrides } from './plan';
import { patchBody, patchHtml, preparePatching } from './patchStream';
import type { PreparedPatching } from './patchStream';
import { validManifest } from './validManifest';
import type { ClientFacts, PatchLimits, PatchOptions, PatchReport, ResolvedOverride, SpliceRenderer } from './types';
import { validatePageIndex } from './pageIndex';
import { isResponse } from './util';
import { stripSurrogate } from './baseCache';
import type { PageIndex } from './pageIndex';
import { peek } from './peek';
import type { Peeked } from './peek';

export interface SpliceRequestOptions {
  /** The build's `splice-manifest.json` (parsed). Validated here: a bad one means pass-through. */
  manifest: unknown;
  /** The overrides decided for this visitor (contract 3); untrusted input is fine. */
  overrides: unknown;
  /** Experiment assignments to hand the client in the bootstrap. */
  assignments?: Record<string, string>;
  /** The rest of what the bootstrap tells the client (`createEdgeHandler` fills it). */
  client?: ClientFacts;
  /**
   * Gets the page: a Cache API lookup, an assets binding or the origin. With `index`, this must
   * be the base page that index describes (the output of `preparePage`); without, a source page
   * (a server render with markers), which is scanned, and its index reported through `onReport`.
   */
  fetchBase(request: Request): Promise<Response>;
  /** The page index of the base page `fetchBase` returns (`PageIndex`); untrusted, validated. */
  index?: unknown;
  /** The edge module's renderer: overrides of structural props need it. */
  renderer?: SpliceRenderer;
  /** Per-render budget in milliseconds (default 50): the stream waits no longer for a re-render; an overrun leaves that instance default. */
  renderBudgetMs?: number;
  /** What one request may hold: `patchHtml`'s `limits` (`regionBytes`, `renderBytes`, …), passed on as they are. */
  limits?: PatchLimits;
  /** How long to wait for the base response's headers. Default 10 s. */
  baseTimeoutMs?: number;
  /** Called once the page has streamed, with what was patched and what was skipped. */
  onReport?(report: PatchReport): void;
}

/** Response header that says what the edge did, for people and for monitoring. */
export const SPLICE_HEADER = 'x-splice';
export const SKIPPED_HEADER = 'x-splice-skipped';

/**
 * The edge pipeline of one request: base HTML → plan the overrides → patch while streaming.
 * Fails open: whatever goes wrong, the visitor gets the base page unmodified, and the
 * `x-splice` header says why.
 */
export async function handleSpliceRequest(request: Request, options: SpliceRequestOptions): Promise<Response> {
  // Everything that does not depend on the page is decided before it arrives: with an index and
  // a renderer, the re-renders run while the page is on its way (see `preparePatching`).
  // What the page turns out to be (not HTML, another charset, a stale build) is checked after, in
  // the same order as ever; a patching prepared for nothing is dropped.
  let manifest: SpliceManifest | null = null;
  try {
    manifest = validManifest(options.manifest);
  } catch {
    manifest = null;
  }
  const planned = manifest === null ? null : planOverrides(manifest, options.overrides, { renderer: options.renderer !== undefined, hosts: hostsOf(options.renderer) });
  const patchOptions: PatchOptions = {
    manifest: manifest ?? options.manifest,
    overrides: options.overrides,
    assignments: options.assignments ?? {},
    ...(options.client !== undefined ? { client: options.client } : {}),
    ...(options.index !== undefined ? { index: options.index } : {}),
    ...(options.renderer !== undefined ? { renderer: options.renderer } : {}),
    ...(options.renderBudgetMs !== undefined ? { renderBudgetMs: options.renderBudgetMs } : {}),
    ...(options.limits !== undefined ? { limits: options.limits } : {}),
    ...(options.onReport ? { onReport: options.onReport } : {}),
  };
  // The fetch starts first (a throw is the origin failing, as a rejection is); the re-renders then
  // run while it is on its way.
  let fetching: Promise<unknown>;
  try {
    fetching = Promise.resolve(options.fetchBase(request));
  } catch (error) {
    fetching = Promise.reject(error);
  }
  const timed = withTimeout(fetching, options.baseTimeoutMs ?? 10_000);
  let early: PreparedPatching | null = null;
  if (manifest !== null && planned !== null && options.index !== undefined && options.renderer !== undefined && planned.applied.length > 0) {
    try {
      early = preparePatching(manifest, planned, patchOptions);
    } catch {
      // A bug in the patcher must not cost the visitor the page: it is prepared again, as it streams.
      early = null;
    }
  }

  let fetched: unknown;
  try {
    fetched = await timed;
  } catch (error) {
    const timedOut = error instanceof BaseTimeout;
    return originFailure(timedOut ? 504 : 502, timedOut ? 'origin-timeout' : 'origin-error');
  }
  // A fetchBase that resolves to something else (undefined, a string) is the origin failing too.
  if (!isResponse(fetched)) return originFailure(502, 'origin-error; fetchBase did not return a Response');
  const base = fetched;

  const type = base.headers.get('content-type') ?? '';
  // Only a whole page: a 206 is a byte range of one (nothing to scan), and other statuses are not
  // the cached page the overrides and the index are for.
  if (base.status === 206 || base.body === null || !/^text\/html\b/i.test(type)) return withHeader(base, 'pass-through; not-html-200');
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(type)?.[1]?.toLowerCase();
  // The patcher writes UTF-8 (and React renders it); bytes of another charset would be mixed with it.
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') return withHeader(base, `pass-through; charset=${charset}`);
  // Nothing is applied to these; but a server-rendering origin's error page, or any page when the
  // manifest is bad, still carries markers, instance state (props the browser must not get) and
  // region elements the client's tree does not have: hydrating them fails. Contract 1 holds
  // here too: the scan removes them, and writes nothing else.
  const markersOnly = base.status !== 200 ? 'pass-through; not-html-200' : manifest === null || planned === null ? 'pass-through; invalid-manifest' : null;

  let decoded: Awaited<ReturnType<typeof decodedBody>>;
  try {
    decoded = await decodedBody(base);
  } catch {
    // The origin's body failed before a byte could be sent: like an origin that failed.
    return originFailure(502, 'origin-error; the body failed');
  }
  // Still encoded, in a coding the edge cannot decode: the bytes go on as they came, label included.
  if ('encoded' in decoded) return withHeader(base, `pass-through; encoded=${decoded.encoded}`, decoded.encodedBody);
  const { coding } = decoded;
  let input = decoded.input;
  // Whether the page says what it is encoded in, in its header or its first bytes.
  let undeclared = false;
  if (charset === undefined) {
    // No charset in the header: the page may declare one (a BOM, <meta charset>) in its first bytes.
    let head: Peeked;
    try {
      head = await peek(input, 1024, SNIFF_WAIT_MS);
    } catch {
      return originFailure(502, 'origin-error; the body failed');
    }
    input = head.stream;
    const declared = declaredCharset(head.bytes);
    if (declared !== null && declared !== 'utf-8' && declared !== 'utf8') return passDecoded(base, `pass-through; charset=${declared}`, input);
    undeclared = declared === null;
  }
  if (markersOnly !== null || manifest === null || planned === null) return withoutMarkers(base, markersOnly ?? 'pass-through; invalid-manifest', input, options);

  const { skipped } = planned;
  let applied: readonly ResolvedOverride[] = planned.applied;
  // Assignments, or decisions for other pages, need a bootstrap even where nothing is patched;
  // assignments and decisions that depend on the visitor make the page theirs.
  const hasSite = Array.isArray(options.client?.site) && options.client.site.length > 0;
  const assignments = hasEntries(options.assignments) || hasSite;
  const personal = hasEntries(options.assignments) || (hasSite && options.client?.personal !== false);
  // With the page's index the outcome is known before a byte is read: say what will be done.
  const index = indexOf(options.index);
  if (index !== null) {
    const staleKey = staleFirstKey(index, manifest);
    if (staleKey !== null) return passDecoded(base, `stale; first marker ${staleKey} is not in build ${manifest.buildId}`, input);
    const reach = reachable(index, planned.applied);
    const unreached = planned.applied.length - reach.length;
    applied = reach;
    if (reach.length === 0 && !assignments) {
      const response = passDecoded(base, `unchanged; build=${manifest.buildId}; applied=0; skipped=${skipped.length + unreached}${unreached > 0 ? '; no instance on this page for some overrides' : ''}`, input);
      if (skipped.length > 0) response.headers.set(SKIPPED_HEADER, headerSafe(skipped.map((s) => `#${s.index}: ${s.reason}`).join(' | ')));
      return response;
    }
  }
  const headers = rewrittenHeaders(base);
  // The patcher writes UTF-8. A page that declares no charset would be read in a legacy encoding
  // (windows-1252; Firefox never guesses UTF-8 for a page from the network), and what an
  // override wrote beyond ASCII would show garbled and fail hydration: say what the bytes are.
  if (undeclared) headers.set('content-type', `${type.trim().replace(/;\s*$/, '')}; charset=utf-8`);
  if (applied.length > 0 || personal) {
    // A personalized page must never land in a shared cache, nor
    // one whose bootstrap carries this visitor's assignments or decisions.
    makePrivate(headers);
  }
  // A source page (no index) is known only once streamed: what is planned (onReport has the outcome).
  const verb = index === null ? 'planned' : 'patched';
  headers.set(SPLICE_HEADER, headerSafe(`${verb}; build=${manifest.buildId}; applied=${applied.length}; skipped=${skipped.length + planned.applied.length - applied.length}${coding === null ? '' : `; decoded=${coding}`}`));
  if (skipped.length > 0) headers.set(SKIPPED_HEADER, headerSafe(skipped.map((s) => `#${s.index}: ${s.reason}`).join(' | ')));

  const body = early !== null ? early.bodyFor(input) : patchBody(input, manifest, planned, patchOptions);
  return new Response(body, { status: base.status, statusText: base.statusText, headers });
}

/** The index, if one was given and is valid (else the patcher reports why and passes the page through). */
function indexOf(value: unknown): PageIndex | null {
  if (value === undefined) return null;
  try {
    return validatePageIndex(value);
  } catch {
    return null;
  }
}

/** The key of the page's first marker when the manifest does not know it: the page is of another build (contract 5). */
function staleFirstKey(index: PageIndex, manifest: SpliceManifest): string | null {
  const first = index.sites[0];
  if (first === undefined) return null;
  const key = index.instances[first.instance]?.key;
  return key !== undefined && !Object.prototype.hasOwnProperty.call(manifest.components, key) ? key : null;
}

/** The overrides that name an instance the page has (all of a component's, or the one named by ordinal or id). */
function reachable(index: PageIndex, applied: readonly ResolvedOverride[]): ResolvedOverride[] {
  return applied.filter((a) => {
    const instance = a.override.instance;
    return index.instances.some((i) => i.key === a.key && (instance === undefined || i.ordinal === instance || i.id === instance));
  });
}

function hasEntries(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length > 0;
}

/** The answer when the origin fails: plain text, never stored, and `x-splice` says why. */
export function originFailure(status: 502 | 504, splice: string): Response {
  return new Response(status === 504 ? 'The origin did not answer in time.' : 'The origin could not be reached.', {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', [SPLICE_HEADER]: splice },
  });
}


/**
 * Never stored by a shared cache: `private, no-store`, and the CDN-only lifetimes removed, which
 * CDNs obey over `Cache-Control` (`CDN-Cache-Control`, `Cloudflare-CDN-Cache-Control`,
 * `Surrogate-Control`).
 */
export function makePrivate(headers: Headers): void {
  headers.set('cache-control', 'private, no-store');
  stripSurrogate(headers);
}

/** The base's headers for a body the edge rewrites. */
function rewrittenHeaders(base: Response): Headers {
  const headers = new Headers(base.headers);
  // The body changes length and bytes: the base's length and validators no longer describe it.
  headers.delete('content-length');
  // Decoded here, or by fetch() already (Workers and Node decode and keep the label): either way
  // the bytes that leave are not encoded, and the runtime compresses them again if it does.
  headers.delete('content-encoding');
  headers.delete('etag');
  headers.delete('last-modified');
  return headers;
}

/**
 * The page with its markers removed and nothing applied (`patchHtml` of a source page with no
 * overrides; a page without markers comes out byte for byte). Its caching headers stay: nothing
 * in it is the visitor's.
 */
function withoutMarkers(base: Response, splice: string, input: ReadableStream<Uint8Array>, options: SpliceRequestOptions): Response {
  const headers = rewrittenHeaders(base);
  headers.set(SPLICE_HEADER, headerSafe(splice));
  const body = patchHtml(input, { manifest: options.manifest, overrides: [], ...(options.onReport ? { onReport: options.onReport } : {}) });
  return new Response(body, { status: base.status, statusText: base.statusText, headers });
}

/** The page as it is, but for the encoding: the body handed on is not encoded any more (decoded here, or by fetch() with the label kept). */
function passDecoded(base: Response, splice: string, input: ReadableStream<Uint8Array>): Response {
  const headers = new Headers(base.headers);
  if (!/^(identity)?$/i.test((base.headers.get('content-encoding') ?? '').trim())) {
    headers.delete('content-encoding');
    headers.delete('content-length');
  }
  headers.set(SPLICE_HEADER, headerSafe(splice));
  return new Response(input, { status: base.status, statusText: base.statusText, headers });
}

/**
 * How long the charset sniff waits for its 1024 bytes once the page has begun (the HTML
 * standard's example: 1024 bytes or 500 ms, whichever comes first). A streamed render flushes a
 * shell and then waits for data, and an origin can stall: neither may hold back the response.
 */
const SNIFF_WAIT_MS = 500;

/** The charset a page declares in its first bytes (a BOM, `<meta charset>`, `<meta http-equiv content-type>`), lower-cased, or null. */
function declaredCharset(head: Uint8Array): string | null {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if ((head[0] === 0xfe && head[1] === 0xff) || (head[0] === 0xff && head[1] === 0xfe)) return 'utf-16';
  let text = '';
  for (let i = 0; i < head.length; i++) text += String.fromCharCode(head[i]!);
  const meta = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i.exec(text);
  return meta === null ? null : meta[1]!.toLowerCase();
}

/**
 * The page's bytes, unencoded, and the coding removed here (or null). `fetch()` in Workers and in
 * Node hands the body over already decoded but keeps `content-encoding`; a Cache API entry or a
 * custom `fetchBase` may hand it over still encoded. The first bytes tell which: a page starts
 * with markup. A gzip or deflate body is decoded with `DecompressionStream`; one the edge cannot
 * decode (brotli) comes back whole, to pass through.
 */
async function decodedBody(base: Response): Promise<{ input: ReadableStream<Uint8Array>; coding: string | null } | { encoded: string; encodedBody: ReadableStream<Uint8Array> }> {
  const body = base.body as ReadableStream<Uint8Array>;
  const coding = (base.headers.get('content-encoding') ?? '').trim().toLowerCase();
  if (coding === '' || coding === 'identity') return { input: body, coding: null };
  // Enough bytes to tell markup from a compressed stream, whatever the first chunk's size; but
  // no longer than the charset sniff waits: fetch() hands every compressed page over decoded with
  // the label kept, so a streamed shell under 512 bytes (or an origin that stalls after it) must
  // not hold back the response.
  const { bytes: first, stream: whole } = await peek(body, 512, SNIFF_WAIT_MS);
  if (first.length === 0 || looksLikeMarkup(first)) return { input: whole, coding: null };
  const b0 = first[0]!;
  const b1 = first[1] ?? 0;
  const format = (coding === 'gzip' || coding === 'x-gzip') && b0 === 0x1f && b1 === 0x8b ? 'gzip'
    // A zlib header: deflate method, and the two bytes a multiple of 31 (RFC 1950).
    : coding === 'deflate' && (b0 & 0x0f) === 8 && (b0 * 256 + b1) % 31 === 0 ? 'deflate' : null;
  if (format === null || typeof DecompressionStream !== 'function') return { encoded: coding, encodedBody: whole };
  return { input: whole.pipeThrough(new DecompressionStream(format) as unknown as TransformStream<Uint8Array, Uint8Array>), coding: format };
}

/** Markup, not compressed bytes: after a BOM and whitespace, `<`, and no control bytes in the first 512. */
function looksLikeMarkup(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0c || bytes[i] === 0x0d)) i++;
  if (i < bytes.length && bytes[i] !== 0x3c) return false;
  const end = Math.min(bytes.length, 512);
  for (let j = 0; j < end; j++) {
    const b = bytes[j]!;
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d) || b === 0x7f) return false;
  }
  return true;
}

class BaseTimeout extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BaseTimeout(`no base response within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function withHeader(response: Response, value: string, body: ReadableStream<Uint8Array> | null = response.body): Response {
  const headers = new Headers(response.headers);
  headers.set(SPLICE_HEADER, headerSafe(value));
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

/** Header values must be ASCII without control characters; reasons may quote user input. */
function headerSafe(text: string): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 512 ? clean.slice(0, 509) + '...' : clean;
}
