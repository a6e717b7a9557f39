import type { Override, SiteEntry, SpliceManifest } from '@splice/manifest';
import { exactPathPattern, hashString, pathPattern } from '@splice/manifest';
import { planOverrides } from './plan';
import { validManifest } from './validManifest';
import { concat } from './bytes';
import { isResponse, nullRecord } from './util';
import { assignVariant, inTraffic } from './assign';
import type { ComponentProps, Condition, Experiment, Exposure, RequestContext, SpliceConfig } from './config';
import { checkConfig, pathMatches } from './config';
import { SPLICE_HEADER, handleSpliceRequest, makePrivate, originFailure } from './handler';
import { isSurrogateHeader, lookupBase, stripSurrogate } from './baseCache';
import type { BaseLookup, CacheLike, CacheStatus, CacheStorageLike } from './baseCache';
import { cookieValues, matches, requestContext } from './requestContext';
import { sign, verify } from './signing';
import type { ExperimentSpan, PatchLimits, PatchReport, SpliceRenderer } from './types';

/** The Workers `ExecutionContext`, as far as the handler uses it. */
export interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void;
}

export type EdgeEnv = Record<string, unknown>;

// `E extends object`, not `EdgeEnv`: an app's `interface Env { ASSETS: … }` has no index signature,
// so it is not a Record, and `origin: (request, env: Env) => …` would fail strict TypeScript.
export interface EdgeHandlerOptions<C extends ComponentProps = ComponentProps, E extends object = EdgeEnv> {
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
  /** What one request may hold while it patches (`patchHtml`'s `limits`: `regionBytes`, `renderBytes`, …). */
  limits?: PatchLimits;
  baseTimeoutMs?: number;
  onReport?(report: PatchReport, request: Request): void;
  /** A personalization function or an `index()` threw, or the cache failed: the request went on without it. */
  onError?(error: unknown, request: Request): void;
  /**
   * The cache of base pages. Default: the runtime's Cache API (`caches.default`, or
   * `caches.open(config.cache.name)`); none where the runtime has none (`@splice/dev` gives Node
   * one). `null`: no caching.
   */
  cache?: CacheLike | null;
  /** The time in milliseconds, for the cache's ages (default `Date.now`): tests move it on. */
  clock?(): number;
}

const pageVersions = new WeakMap<object, string>();

/**
 * What the cache key calls the build: the manifest's build id and, with a page index, a hash of
 * it. The build id names the components; a deploy that changes only a page's markup keeps it,
 * and its index (the new byte ranges) would then be applied to the old page from the cache. The
 * index comes from the bundle (one object), so it is hashed once.
 */
export function cacheBuild(buildId: string, index: unknown): string {
  if (index === null || typeof index !== 'object') return buildId;
  let version = pageVersions.get(index);
  if (version === undefined) {
    try {
      version = hashString(JSON.stringify(index));
    } catch {
      version = '';
    }
    pageVersions.set(index, version);
  }
  return version === '' ? buildId : `${buildId}.${version}`;
}

/** Headers the handler adds. */
export const PREVIEW_HEADER = 'x-splice-preview';
export const EXPERIMENTS_HEADER = 'x-splice-experiments';
/** What the edge cache did: `hit; age=N`, `stale; age=N`, `miss; storing`, `miss; not stored (why)`, `bypass; why`, `off`. */
export const CACHE_HEADER = 'x-splice-cache';

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
  /** The visitor's decisions for other pages, for client-side navigation (the bootstrap's `site`). */
  site: SiteEntry[];
  /** Whether `site` is this visitor's (an experiment, a rule on more than paths) or everyone's (rules on paths alone). */
  sitePersonal: boolean;
  /** Per experiment running on this page: which of `overrides` are its variant's, and the components it touches. */
  experiments: Record<string, ExperimentSpan>;
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
export function createEdgeHandler<C extends ComponentProps = ComponentProps, E extends object = EdgeEnv>(options: EdgeHandlerOptions<C, E>): { fetch(request: Request, env?: E, ctx?: WaitUntil): Promise<Response> } {
  checkConfig(options.config as SpliceConfig);
  const config = options.config as SpliceConfig;
  const handles = options.handles ?? ((r: Request) => r.method === 'GET' || r.method === 'HEAD');
  const manifestBuild = (options.manifest as { buildId?: unknown } | null)?.buildId;
  const buildId = typeof manifestBuild === 'string' ? manifestBuild : '';
  const clock = options.clock ?? Date.now;
  let store: Promise<CacheLike | null> | undefined;
  const exposurePath = config.exposurePath ?? DEFAULT_EXPOSURE_PATH;
  return {
    async fetch(request, env = {} as E, ctx) {
      if (config.onExposure !== undefined && request.method === 'POST' && new URL(request.url).pathname === exposurePath) {
        return receiveExposure(config, request, env as EdgeEnv, ctx, (error) => { try { options.onError?.(error, request); } catch { /* ignored */ } });
      }
      if (!handles(request)) {
        // Untouched, but the origin failing is answered as it is for a page (a 502), not thrown
        // out of the worker.
        let passed: unknown;
        try {
          passed = await options.origin(request, env, ctx);
        } catch {
          return originFailure(502, 'origin-error');
        }
        if (!isResponse(passed)) return originFailure(502, 'origin-error; origin did not return a Response');
        return withoutSurrogate(passed);
      }
      const report = (error: unknown) => { try { options.onError?.(error, request); } catch { /* a reporter that throws changes nothing */ } };
      let decision: Decision;
      try {
        decision = await decide(config, request, env as EdgeEnv, report);
      } catch (error) {
        report(error);
        decision = { overrides: [], assignments: {}, cookie: null, preview: null, off: 'the decision failed (onError has the error)', site: [], sitePersonal: false, experiments: {} };
      }
      let index: unknown;
      try {
        index = options.index?.(request);
      } catch (error) {
        report(error);
      }
      const waitUntil = (promise: Promise<unknown>) => {
        const quiet = promise.catch(report);
        if (ctx !== undefined) ctx.waitUntil(quiet);
      };
      store ??= cacheOf(options.cache, config).catch((error: unknown) => { report(error); return null; });
      let lookup: BaseLookup | null = null;
      let cacheStatus: CacheStatus = { state: 'off' };
      let answered = false;
      let awaitingReport = false;
      const fetchBase = async (r: Request): Promise<Response> => {
        const cache = await store!;
        if (cache === null) return options.origin(r, env, ctx);
        const found = await lookupBase(r, {
          cache, query: config.cache?.query ?? [], buildId: cacheBuild(buildId, index), origin: (o) => options.origin(o, env, ctx), waitUntil, now: clock, onError: report,
          ...(options.baseTimeoutMs !== undefined ? { revalidateTimeoutMs: options.baseTimeoutMs } : {}),
        });
        // Too late (the handler gave up waiting): its bodies are released, the cache left as it is.
        if (answered) found.abandon();
        else { lookup = found; cacheStatus = found.status; }
        return found.response;
      };
      // The page is decided here, per visitor: the origin's answer to a conditional or range
      // request (a 304, a 206) would bypass the assignment.
      const originRequest = new Request(request.url, { method: 'GET', headers: withoutConditionals(request.headers), redirect: 'manual' });
      const response = await handleSpliceRequest(originRequest, {
        manifest: options.manifest,
        overrides: decision.overrides,
        assignments: decision.assignments,
        client: {
          site: checkedSite(options.manifest, decision.site),
          personal: decision.sitePersonal,
          experiments: decision.experiments,
          // No exposures from QA previews: they are not the visitor's assignment.
          ...(config.onExposure !== undefined && decision.preview === null && decision.site.some((e) => e.experiment !== undefined) ? { beacon: exposurePath } : {}),
        },
        fetchBase,
        ...(index !== undefined ? { index } : {}),
        ...(options.renderer ? { renderer: options.renderer } : {}),
        ...(options.renderBudgetMs !== undefined ? { renderBudgetMs: options.renderBudgetMs } : {}),
        ...(options.limits !== undefined ? { limits: options.limits } : {}),
        ...(options.baseTimeoutMs !== undefined ? { baseTimeoutMs: options.baseTimeoutMs } : {}),
        onReport: (report: PatchReport) => {
          // A source page (no index) is known to be of this build only once it has streamed.
          if (awaitingReport) (lookup as BaseLookup | null)?.settle(!report.stale);
          options.onReport?.(report, request);
        },
      });
      answered = true;
      // A page of another build (contract 5) or a failed body is not kept: the next request asks the origin again.
      const verdict = response.headers.get(SPLICE_HEADER) ?? '';
      const keep = !verdict.startsWith('stale') && !verdict.startsWith('origin-');
      awaitingReport = verdict.startsWith('planned');
      // A HEAD's body is never streamed: a source page would never show it is of this build. A
      // miss is not stored for it; an entry found stays as it is (it was shown to be of this build
      // before it was stored), since dropping it would make every HEAD evict the page.
      if (awaitingReport && request.method === 'HEAD') {
        awaitingReport = false;
        const s = cacheStatus as CacheStatus;
        (lookup as BaseLookup | null)?.settle(s.state === 'hit' || s.state === 'stale');
        if (s.state === 'miss' && s.stored) cacheStatus = { state: 'miss', stored: false, reason: 'a HEAD of a page without an index' };
      }
      if (!awaitingReport) (lookup as BaseLookup | null)?.settle(keep);
      const status = cacheStatus as CacheStatus;
      const why = verdict.startsWith('stale') ? 'a page of another build' : 'the origin failed';
      if (!keep && status.state === 'miss' && status.stored) cacheStatus = { state: 'miss', stored: false, reason: why };
      if (awaitingReport && status.state === 'miss' && status.stored) cacheStatus = { ...status, once: status.once === undefined ? 'if the page is of this build' : `${status.once}, and if the page is of this build` };
      if (!keep && (status.state === 'hit' || status.state === 'stale')) cacheStatus = { ...status, dropped: why };
      const decided = withDecision(response, decision, cacheStatus);
      // A HEAD gets the headers the GET would get (private when it is personalized), no body.
      if (request.method === 'HEAD') {
        void decided.body?.cancel().catch(() => undefined);
        return new Response(null, { status: decided.status, statusText: decided.statusText, headers: decided.headers });
      }
      return decided;
    },
  };
}

const checkedEntries = new WeakMap<object, WeakMap<object, { overrides: Override[]; partial: boolean }>>();

/**
 * The site decisions as the client may render them: each entry's overrides planned against the
 * manifest as the edge plans its own (renderer or not: after a navigation the client renders),
 * those it would refuse left out (an unknown prop, a function prop, a bad value), and an
 * experiment missing some marked `partial`: never shown whole, so never reported as exposed.
 * Remembered per config array, which is the same object on every request.
 */
function checkedSite(manifest: unknown, site: SiteEntry[]): SiteEntry[] {
  let m: SpliceManifest;
  try {
    m = validManifest(manifest);
  } catch {
    return [];
  }
  let byArray = checkedEntries.get(m);
  if (byArray === undefined) checkedEntries.set(m, (byArray = new WeakMap()));
  const cache = byArray;
  return site.map((entry) => {
    let checked = cache.get(entry.overrides);
    if (checked === undefined) {
      const plan = planOverrides(m, entry.overrides, { renderer: true });
      checked = { overrides: plan.applied.map((a) => entry.overrides[a.index]!), partial: plan.skipped.length > 0 };
      cache.set(entry.overrides, checked);
    }
    if (!checked.partial) return entry;
    return { ...entry, overrides: checked.overrides, ...(entry.experiment !== undefined ? { partial: true as const } : {}) };
  });
}

/** The response without the edge-only lifetimes (a new response only when it has one). */
function withoutSurrogate(response: Response): Response {
  let has = false;
  response.headers.forEach((_, name) => { if (isSurrogateHeader(name)) has = true; });
  if (!has) return response;
  const headers = new Headers(response.headers);
  stripSurrogate(headers);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** The cache the handler uses: the one given, else the runtime's Cache API, else none. */
async function cacheOf(given: CacheLike | null | undefined, config: SpliceConfig): Promise<CacheLike | null> {
  if (given !== undefined) return given;
  if (config.cache?.enabled === false) return null;
  const storage = (globalThis as { caches?: CacheStorageLike }).caches;
  if (storage === undefined || typeof storage.open !== 'function') return null;
  const name = config.cache?.name;
  if (name === undefined && storage.default !== undefined) return storage.default;
  return storage.open(name ?? 'splice');
}

function cacheHeader(status: CacheStatus): string {
  switch (status.state) {
    case 'hit': return `hit; age=${status.age}${status.dropped === undefined ? '' : `; dropped (${status.dropped})`}`;
    case 'stale': return `stale; age=${status.age}; ${status.dropped === undefined ? 'revalidating' : `dropped (${status.dropped})`}`;
    case 'miss': return status.stored ? `miss; storing${status.once === undefined ? '' : ` ${status.once}`}` : `miss; not stored (${status.reason ?? 'not storable'})`;
    case 'bypass': return `bypass; ${status.reason}`;
    case 'off': return 'off';
  }
}

export const DEFAULT_EXPOSURE_PATH = '/__splice/exposure';
const MAX_BEACON_BYTES = 8 * 1024;

/**
 * The exposure beacon: the client's report of the variants a view rendered. Trusted only as far
 * as the visitor's signed cookie goes: each experiment must be one of the config's, with the
 * variant the cookie assigns. Always a 204 (a beacon has no one to read an error), never cached.
 */
async function receiveExposure(config: SpliceConfig, request: Request, env: EdgeEnv, ctx: WaitUntil | undefined, onError: (error: unknown) => void): Promise<Response> {
  const done = () => new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });
  try {
    const text = await readCapped(request, MAX_BEACON_BYTES);
    if (text === null) return done();
    const body = JSON.parse(text) as { path?: unknown; view?: unknown; experiments?: unknown };
    // A path as `location.pathname` gives it (printable ASCII, percent-encoded), a view number a page could reach.
    if (typeof body !== 'object' || body === null || typeof body.path !== 'string' || !/^\/[\x21-\x7e]{0,2047}$/.test(body.path)
      || !Number.isInteger(body.view) || (body.view as number) < 0 || (body.view as number) > 1_000_000 || !Array.isArray(body.experiments)) return done();
    const path = body.path;
    const secret = env[config.secretBinding ?? 'SPLICE_SECRET'];
    if (typeof secret !== 'string' || secret.length < 16) return done();
    let state: CookieState | null = null;
    for (const value of cookieValues(request.headers.get('cookie'), config.cookie?.name ?? 'splice')) {
      state = await readCookie(value, secret);
      if (state !== null) break;
    }
    if (state === null) return done();
    // Each claim must be of an experiment that runs where the view was (its paths): nobody sees a variant elsewhere.
    const known = new Set((config.experiments ?? []).filter((e) => runsOn(e, path)).map((e) => e.id));
    const seen = new Set<string>();
    const experiments: Exposure['experiments'] = [];
    for (const e of body.experiments.slice(0, 64) as { experiment?: unknown; variant?: unknown }[]) {
      if (typeof e?.experiment !== 'string' || typeof e.variant !== 'string' || seen.has(e.experiment) || !known.has(e.experiment)) continue;
      if (state.a[e.experiment] !== e.variant) continue;
      seen.add(e.experiment);
      experiments.push({ experiment: e.experiment, variant: e.variant });
    }
    if (experiments.length === 0) return done();
    const exposure: Exposure = { visitor: state.v, path, view: body.view as number, experiments };
    const call = Promise.resolve().then(() => config.onExposure!(exposure, { request, env })).catch(onError);
    if (ctx !== undefined) ctx.waitUntil(call);
  } catch (error) {
    // Malformed JSON from a client is not the config's fault: nothing to report.
    if (!(error instanceof SyntaxError)) onError(error);
  }
  return done();
}

/** Whether an experiment's path conditions (its `paths`, its targeting's `path`) hold on a path. */
function runsOn(experiment: Experiment, path: string): boolean {
  const lists = [experiment.paths, experiment.targeting?.path].filter((l): l is string[] => l !== undefined);
  return lists.every((list) => list.some((p) => pathMatches(p, path)));
}

/** A request body as text, or null when it is longer than `max` bytes (read no further). */
async function readCapped(request: Request, max: number): Promise<string | null> {
  if (request.body === null) return null;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > max) { void reader.cancel().catch(() => undefined); return null; }
    chunks.push(value);
  }
  return new TextDecoder().decode(concat(chunks));
}

const CONDITIONALS = ['if-none-match', 'if-modified-since', 'if-match', 'if-unmodified-since', 'if-range', 'range'];

function withoutConditionals(headers: Headers): Headers {
  const out = new Headers(headers);
  for (const name of CONDITIONALS) out.delete(name);
  return out;
}

/**
 * Adds the cookie and the headers a decision calls for, and what the cache did. A response that
 * sets a cookie is never stored by a shared cache; the edge-only lifetimes never leave the edge.
 */
function withDecision(response: Response, decision: Decision, cache: CacheStatus): Response {
  const headers = new Headers(response.headers);
  stripSurrogate(headers);
  headers.set(CACHE_HEADER, cacheHeader(cache).replace(/[^\x20-\x7e]/g, '?').slice(0, 256));
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
  const site: SiteEntry[] = [];
  // Experiments are always the visitor's; rules only when they depend on more than the path.
  let sitePersonal = false;
  const spans = nullRecord<ExperimentSpan>();

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
      // Assigned wherever its targeting holds apart from paths: a client-side navigation can
      // reach its pages without asking the edge (the bootstrap's `site`).
      if (experiment.targeting !== undefined && !matches({ ...experiment.targeting, path: undefined }, context)) continue;
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
      const touches = [...new Set(experiment.variants.flatMap((v) => v.overrides.map((o) => o.component)))];
      // Targeting on the query or a header holds for this request's URL: pinned to this path.
      const paths = [...pathListsOf(experiment.paths, experiment.targeting?.path), ...pinned(experiment.targeting, context)];
      site.push({ ...(paths.length > 0 ? { paths } : {}), experiment: experiment.id, variant: variant.name, touches, overrides: variant.overrides as Override[] });
      sitePersonal = true;
      if (!eligible(experiment, context)) continue;
      Object.defineProperty(assignments, experiment.id, { value: variant.name, enumerable: true, writable: true, configurable: true });
      spans[experiment.id] = { from: overrides.length, to: overrides.length + variant.overrides.length, touches };
      overrides.push(...(variant.overrides as Override[]));
    }
    if (changed) cookie = await cookieHeader(cookieName, { ...state, i: now }, key, maxAge);
  }

  try {
    const personal = personalized(config, context);
    overrides.push(...personal.here);
    site.push(...personal.site);
    if (personal.personal) sitePersonal = true;
  } catch (error) {
    // Personalization failing takes nothing else with it: the experiments still apply.
    onError(error);
  }
  return { overrides, assignments: { ...assignments }, cookie, preview, off, site, sitePersonal, experiments: { ...spans } };
}

/** This path alone, for a condition on the query or a header (true of this request's URL, not of the visitor's next page). */
function pinned(condition: Condition | undefined, context: RequestContext): string[] {
  return condition !== undefined && (condition.query !== undefined || condition.header !== undefined) ? [exactPathPattern(context.path)] : [];
}

/** The path conditions of an experiment or rule as the bootstrap's compiled lists (each list: any of its patterns). */
function pathListsOf(...lists: (string[] | undefined)[]): string[] {
  return lists.filter((l): l is string[] => l !== undefined).map(pathPattern);
}

/**
 * The personalization of this request (`here`), and for client-side navigation (`site`): each
 * rule whose conditions other than `path` hold, with its path patterns. A personalization
 * function is a function of this request: its overrides hold for this path alone (a navigation
 * elsewhere shows the defaults).
 */
function personalized(config: SpliceConfig, context: RequestContext): { here: Override[]; site: SiteEntry[]; personal: boolean } {
  const p = config.personalize;
  if (p === undefined) return { here: [], site: [], personal: false };
  if (typeof p === 'function') {
    const out = p(context);
    const here = Array.isArray(out) ? (out as Override[]) : [];
    return { here, site: here.length > 0 ? [{ paths: [exactPathPattern(context.path)], overrides: here }] : [], personal: here.length > 0 };
  }
  const here: Override[] = [];
  const site: SiteEntry[] = [];
  let anyPersonal = false;
  for (const rule of p) {
    if (!matches({ ...rule.when, path: undefined }, context)) continue;
    const paths = [...pathListsOf(rule.when.path), ...pinned(rule.when, context)];
    // Only a rule that depends on the visitor makes the page theirs; one on paths alone is everyone's.
    const personal = Object.entries(rule.when).some(([k, v]) => k !== 'path' && v !== undefined);
    if (personal) anyPersonal = true;
    site.push({ ...(paths.length > 0 ? { paths } : {}), overrides: rule.overrides as Override[] });
    if (matches(rule.when, context)) here.push(...(rule.overrides as Override[]));
  }
  return { here, site, personal: anyPersonal };
}

function eligible(experiment: Experiment, context: RequestContext): boolean {
  if (experiment.paths !== undefined && !experiment.paths.some((p) => pathMatches(p, context.path))) return false;
  return experiment.targeting === undefined || matches(experiment.targeting, context);
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
  // A token made for one host (staging) is not honoured on another (production) that shares the secret.
  const h = (value as { h?: unknown }).h;
  if (h !== undefined && h !== context.url.host) return { variants: {}, header: 'other-host' };
  const variants: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.p)) if (typeof v === 'string') variants[k] = v;
  return { variants, header: Object.entries(variants).map(([k, v]) => `${k}=${v}`).join('; ').replace(/[^\x20-\x7e]/g, '?').slice(0, 256) || 'none' };
}

/**
 * A preview token that forces the given variants until `expiresAt` (for QA links:
 * `https://shop.example/?splice-preview=<token>`). Signed with the deployment's secret, so only
 * whoever holds it can make one. With `host`, honoured only on that host (`shop.example`,
 * `staging.shop.example:8443`): deployments that share a secret do not share previews.
 */
export function createPreviewToken(variants: Record<string, string>, secret: string, expiresAt: Date, options: { host?: string } = {}): Promise<string> {
  // As `request.url` gives it: lower case, punycode, no default port.
  const host = options.host === undefined ? undefined : new URL(`https://${options.host}`).host;
  return sign({ t: 'preview', p: variants, exp: Math.floor(expiresAt.getTime() / 1000), ...(host !== undefined ? { h: host } : {}) }, secret);
}
