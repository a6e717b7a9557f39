import type { SpliceManifest } from '@splice/manifest';
import { planOverrides } from './plan';
import { patchBody } from './patchStream';
import { validManifest } from './validManifest';
import type { PatchReport, SpliceRenderer } from './types';

export interface SpliceRequestOptions {
  /** The build's `splice-manifest.json` (parsed). Validated here: a bad one means pass-through. */
  manifest: unknown;
  /** The overrides decided for this visitor (contract 3); untrusted input is fine. */
  overrides: unknown;
  /** Experiment assignments to hand the client in the bootstrap. */
  assignments?: Record<string, string>;
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
  /** Per-render budget in milliseconds (default 50): an overrun leaves that instance default. */
  renderBudgetMs?: number;
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
  let base: Response;
  try {
    base = await withTimeout(options.fetchBase(request), options.baseTimeoutMs ?? 10_000);
  } catch (error) {
    const timedOut = error instanceof BaseTimeout;
    return new Response(timedOut ? 'The origin did not answer in time.' : 'The origin could not be reached.', {
      status: timedOut ? 504 : 502,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', [SPLICE_HEADER]: timedOut ? 'origin-timeout' : 'origin-error' },
    });
  }

  const type = base.headers.get('content-type') ?? '';
  if (!base.ok || base.body === null || !/^text\/html\b/i.test(type)) return withHeader(base, 'pass-through; not-html-200');

  let manifest: SpliceManifest;
  try {
    manifest = validManifest(options.manifest);
  } catch {
    return withHeader(base, 'pass-through; invalid-manifest');
  }

  const planned = planOverrides(manifest, options.overrides, { renderer: options.renderer !== undefined });
  const { applied, skipped } = planned;
  const headers = new Headers(base.headers);
  // The body changes length and bytes: the base's length and validators no longer describe it.
  headers.delete('content-length');
  // fetch() in Workers and Node hands us the body already decoded: a gzip label would lie.
  headers.delete('content-encoding');
  headers.delete('etag');
  headers.delete('last-modified');
  if (applied.length > 0) {
    // A personalized page must never land in a shared cache (DESIGN.md, failure behaviour).
    headers.set('cache-control', 'private, no-store');
  }
  headers.set(SPLICE_HEADER, `patched; build=${manifest.buildId}; applied=${applied.length}; skipped=${skipped.length}`);
  if (skipped.length > 0) headers.set(SKIPPED_HEADER, headerSafe(skipped.map((s) => `#${s.index}: ${s.reason}`).join(' | ')));

  const body = patchBody(base.body, manifest, planned, {
    manifest,
    overrides: options.overrides,
    assignments: options.assignments ?? {},
    ...(options.index !== undefined ? { index: options.index } : {}),
    ...(options.renderer !== undefined ? { renderer: options.renderer } : {}),
    ...(options.renderBudgetMs !== undefined ? { renderBudgetMs: options.renderBudgetMs } : {}),
    ...(options.onReport ? { onReport: options.onReport } : {}),
  });
  return new Response(body, { status: base.status, statusText: base.statusText, headers });
}

class BaseTimeout extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BaseTimeout(`no base response within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function withHeader(response: Response, value: string): Response {
  const headers = new Headers(response.headers);
  headers.set(SPLICE_HEADER, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** Header values must be ASCII without control characters; reasons may quote user input. */
function headerSafe(text: string): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 512 ? clean.slice(0, 509) + '...' : clean;
}
