import type { Override } from '@splice/manifest';
import { assignVariant, inTraffic } from './assign';
import type { ComponentProps, Experiment, RequestContext, SpliceConfig } from './config';
import { checkConfig, pathMatches } from './config';
import { handleSpliceRequest, makePrivate } from './handler';
import { cookieValues, matches, requestContext } from './requestContext';
import { sign, verify } from './signing';
import type { PatchReport, SpliceRenderer } from './types';

/** The Workers `ExecutionContext`, as far as the handler uses it. */
export interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void;
}

export type EdgeEnv = Record<string, unknown>;

export interface EdgeHandlerOptions<C extends ComponentProps = ComponentProps, E extends EdgeEnv = EdgeEnv> {
  /** The build's `splice-manifest.json`. */
  manifest: unknown;
  /** The edge module's renderer (`splice-edge.mjs`), for structural overrides. */
  renderer?: SpliceRenderer;
  config: SpliceConfig<C>;
  /** The cached page for a request: an assets binding, the Cache API, the origin server. */
  origin(request: Request, env: E, ctx: WaitUntil | undefined): Promise<Response>;
  /** The page index of the base page `origin` returns for this request, when the build made one (a prerendered page). */
  index?(request: Request): unknown;
  /** Which requests are pages to personalize. Default: GET and HEAD. Others go to `origin` untouched. */
  handles?(request: Request): boolean;
  renderBudgetMs?: number;
  baseTimeoutMs?: number;
  onReport?(report: PatchReport, request: Request): void;
  /** A personalization function or an `index()` threw: the request went on without it. */
  onError?(error: unknown, request: Request): void;
}

/** Headers the handler adds. */
export const PREVIEW_HEADER = 'x-splice-preview';
export const EXPERIMENTS_HEADER = 'x-splice-experiments';

/** What a request was decided to get. */
export interface Decision {
  overrides: Override[];
  /** Experiment id → variant, for the experiments running on this page. */
  assignments: Record<string, string>;
  /** A new cookie to set (a new visitor, or a new assignment), or null. */
  cookie: string | null;
  /** What the preview header says, or null without a preview token. */
  preview: string | null;
  /** Why experiments are off, or null. */
  off: string | null;
}

interface CookieState { v: string; a: Record<string, string>; /** Issued at, epoch seconds. */ i: number }

/**
 * The whole worker for the common case: `export default createEdgeHandler({ manifest, renderer,
 * config, origin })`. Per request: the visitor's signed cookie (a tampered or foreign one gets a
 * fresh visitor), a preview token if any, each experiment's variant for this page (kept from the
 * cookie, else assigned from the visitor id), the personalization rules; then
 * `handleSpliceRequest`, and the cookie set when it changed. Fails open: whatever goes wrong in
 * deciding, the visitor gets the default page.
 */
export function createEdgeHandler<C extends ComponentProps = ComponentProps, E extends EdgeEnv = EdgeEnv>(options: EdgeHandlerOptions<C, E>): { fetch(request: Request, env?: E, ctx?: WaitUntil): Promise<Response> } {
  checkConfig(options.config as SpliceConfig);
  const config = options.config as SpliceConfig;
  const handles = options.handles ?? ((r: Request) => r.method === 'GET' || r.method === 'HEAD');
  return {
    async fetch(request, env = {} as E, ctx) {
      if (!handles(request)) return options.origin(request, env, ctx);
      const report = (error: unknown) => { try { options.onError?.(error, request); } catch { /* a reporter that throws changes nothing */ } };
      let decision: Decision;
      try {
        decision = await decide(config, request, env, report);
      } catch (error) {
        report(error);
        decision = { overrides: [], assignments: {}, cookie: null, preview: null, off: 'the decision failed (onError has the error)' };
      }
      let index: unknown;
      try {
        index = options.index?.(request);
      } catch (error) {
        report(error);
      }
      // The page is decided here, per visitor: the origin's answer to a conditional or range
      // request (a 304, a 206) would bypass the assignment.
      const originRequest = new Request(request.url, { method: 'GET', headers: withoutConditionals(request.headers), redirect: 'manual' });
      const response = await handleSpliceRequest(originRequest, {
        manifest: options.manifest,
        overrides: decision.overrides,
        assignments: decision.assignments,
        fetchBase: (r) => options.origin(r, env, ctx),
        ...(index !== undefined ? { index } : {}),
        ...(options.renderer ? { renderer: options.renderer } : {}),
        ...(options.renderBudgetMs !== undefined ? { renderBudgetMs: options.renderBudgetMs } : {}),
        ...(options.baseTimeoutMs !== undefined ? { baseTimeoutMs: options.baseTimeoutMs } : {}),
        ...(options.onReport ? { onReport: (report: PatchReport) => options.onReport!(report, request) } : {}),
      });
      const decided = withDecision(response, decision);
      // A HEAD gets the headers the GET would get (private when it is personalized), no body.
      if (request.method === 'HEAD') {
        void decided.body?.cancel().catch(() => undefined);
        return new Response(null, { status: decided.status, statusText: decided.statusText, headers: decided.headers });
      }
      return decided;
    },
  };
}

const CONDITIONALS = ['if-none-match', 'if-modified-since', 'if-match', 'if-unmodified-since', 'if-range', 'range'];

function withoutConditionals(headers: Headers): Headers {
  const out = new Headers(headers);
  for (const name of CONDITIONALS) out.delete(name);
  return out;
}

/** Adds the cookie and the headers a decision calls for. A response that sets a cookie is never stored by a shared cache. */
function withDecision(response: Response, decision: Decision): Response {
  if (decision.cookie === null && decision.preview === null && decision.off === null) return response;
  const headers = new Headers(response.headers);
  if (decision.cookie !== null) {
    headers.append('set-cookie', decision.cookie);
    makePrivate(headers);
  }
  if (decision.preview !== null) headers.set(PREVIEW_HEADER, decision.preview);
  if (decision.off !== null) headers.set(EXPERIMENTS_HEADER, `off; ${decision.off}`.replace(/[^\x20-\x7e]/g, '?').slice(0, 256));
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** Everything that is decided before the page is fetched. Exported for tests and for custom workers. */
export async function decide(config: SpliceConfig, request: Request, env: EdgeEnv, onError: (error: unknown) => void = () => undefined): Promise<Decision> {
  const context = requestContext(request, config.geoHeaders);
  const overrides: Override[] = [];
  // Null-prototype records: an experiment id is a key like any other (even `constructor`).
  const assignments = Object.create(null) as Record<string, string>;
  const experiments = config.experiments ?? [];
  let cookie: string | null = null;
  let preview: string | null = null;
  let off: string | null = null;

  const binding = config.secretBinding ?? 'SPLICE_SECRET';
  const secret = env[binding];
  if (experiments.length > 0 && (typeof secret !== 'string' || secret.length < 16)) {
    // Unsigned assignments could be forged, and without a cookie they would not stick: none.
    off = `no signing secret in env.${binding} (at least 16 characters)`;
  } else if (experiments.length > 0) {
    const key = secret as string;
    const cookieName = config.cookie?.name ?? 'splice';
    const maxAge = Math.round((config.cookie?.maxAgeDays ?? 90) * 86400);
    // A parent domain may send a cookie of the same name: the one that verifies counts.
    let stored: CookieState | null = null;
    for (const value of cookieValues(request.headers.get('cookie'), cookieName)) {
      stored = await readCookie(value, key);
      if (stored !== null) break;
    }
    const now = Math.floor(Date.now() / 1000);
    const state: CookieState = stored ?? { v: crypto.randomUUID(), a: Object.create(null) as Record<string, string>, i: now };
    // New, or half its lifetime gone: set again, so an active visitor's assignment never expires.
    let changed = stored === null || now - state.i > maxAge / 2;
    // Only experiments of this config: ended ones would only grow the cookie.
    const ids = new Set(experiments.map((e) => e.id));
    for (const id of Object.keys(state.a)) if (!ids.has(id)) { delete state.a[id]; changed = true; }
    const forced = await readPreview(config, context, key);
    if (forced !== null) preview = forced.header;
    for (const experiment of experiments) {
      if (!eligible(experiment, context)) continue;
      const forcedName = forced?.variants[experiment.id];
      let variant = forcedName === undefined ? undefined : experiment.variants.find((v) => v.name === forcedName);
      if (variant === undefined) {
        const kept = state.a[experiment.id];
        // Kept while it still exists with a weight, and the visitor is still in the traffic share.
        variant = kept === undefined || !inTraffic(experiment, state.v) ? undefined : experiment.variants.find((v) => v.name === kept && v.weight > 0);
        if (variant === undefined) {
          const assigned = assignVariant(experiment, state.v);
          if (assigned === null) {
            if (kept !== undefined) { delete state.a[experiment.id]; changed = true; }
            continue;
          }
          variant = assigned;
          if (kept !== assigned.name) { state.a[experiment.id] = assigned.name; changed = true; }
        }
      }
      Object.defineProperty(assignments, experiment.id, { value: variant.name, enumerable: true, writable: true, configurable: true });
      overrides.push(...(variant.overrides as Override[]));
    }
    if (changed) cookie = await cookieHeader(cookieName, { ...state, i: now }, key, maxAge);
  }

  try {
    overrides.push(...personalized(config, context));
  } catch (error) {
    // Personalization failing takes nothing else with it: the experiments still apply.
    onError(error);
  }
  return { overrides, assignments: { ...assignments }, cookie, preview, off };
}

function eligible(experiment: Experiment, context: RequestContext): boolean {
  if (experiment.paths !== undefined && !experiment.paths.some((p) => pathMatches(p, context.path))) return false;
  return experiment.targeting === undefined || matches(experiment.targeting, context);
}

function personalized(config: SpliceConfig, context: RequestContext): Override[] {
  const p = config.personalize;
  if (p === undefined) return [];
  if (typeof p === 'function') {
    const out = p(context);
    return Array.isArray(out) ? (out as Override[]) : [];
  }
  return p.filter((rule) => matches(rule.when, context)).flatMap((rule) => rule.overrides as Override[]);
}

const VISITOR_ID = /^[A-Za-z0-9-]{8,64}$/;

async function readCookie(value: string | undefined, secret: string): Promise<CookieState | null> {
  if (value === undefined) return null;
  const v = await verify(value, secret);
  if (typeof v !== 'object' || v === null) return null;
  const { t, v: id, a, i } = v as Partial<CookieState> & { t?: unknown };
  if (t !== 'visitor' || typeof id !== 'string' || !VISITOR_ID.test(id) || typeof a !== 'object' || a === null || Array.isArray(a)) return null;
  const assignments = Object.create(null) as Record<string, string>;
  for (const [k, name] of Object.entries(a)) if (typeof name === 'string') Object.defineProperty(assignments, k, { value: name, enumerable: true, writable: true, configurable: true });
  return { v: id, a: assignments, i: typeof i === 'number' && Number.isFinite(i) ? i : 0 };
}

async function cookieHeader(name: string, state: CookieState, secret: string, maxAge: number): Promise<string> {
  return `${name}=${await sign({ t: 'visitor', v: state.v, a: { ...state.a }, i: state.i }, secret)}; Path=/; Max-Age=${maxAge}; HttpOnly; Secure; SameSite=Lax`;
}

/** A preview token's forced variants, when it verifies and has not expired; or what the header says about a bad one. */
async function readPreview(config: SpliceConfig, context: RequestContext, secret: string): Promise<{ variants: Record<string, string>; header: string } | null> {
  const param = config.preview?.param ?? 'splice-preview';
  const token = context.query.get(param) ?? context.cookies.get(config.preview?.cookie ?? 'splice-preview');
  if (token === undefined || token === null) return null;
  const value = await verify(token, secret);
  const p = value as { t?: unknown; p?: unknown; exp?: unknown } | null;
  if (typeof p !== 'object' || p === null || p.t !== 'preview' || typeof p.p !== 'object' || p.p === null || typeof p.exp !== 'number') return { variants: {}, header: 'invalid' };
  if (p.exp * 1000 < Date.now()) return { variants: {}, header: 'expired' };
  const variants: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.p)) if (typeof v === 'string') variants[k] = v;
  return { variants, header: Object.entries(variants).map(([k, v]) => `${k}=${v}`).join('; ').replace(/[^\x20-\x7e]/g, '?').slice(0, 256) || 'none' };
}

/**
 * A preview token that forces the given variants until `expiresAt` (for QA links:
 * `https://shop.example/?splice-preview=<token>`). Signed with the deployment's secret, so only
 * whoever holds it can make one.
 */
export function createPreviewToken(variants: Record<string, string>, secret: string, expiresAt: Date): Promise<string> {
  return sign({ t: 'preview', p: variants, exp: Math.floor(expiresAt.getTime() / 1000) }, secret);
}
