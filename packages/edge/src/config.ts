import type { JsonValue } from '@splice/manifest';
import { pathMatches } from '@splice/manifest';

export { pathMatches };
import type { CacheConfig } from './baseCache';
import { SITE_PATH } from '@splice/manifest';

/**
 * What a team writes in `splice.config.ts`: experiments, personalization rules, the cookie. Typed
 * by a map of component names to their overridable props (`SpliceComponents`, emitted by the
 * build next to the manifest), so that a misspelled component or prop is a type error; untyped
 * (any name, any JSON) without it.
 */
export type ComponentProps = Record<string, Record<string, JsonValue>>;

/** An override of one component (contract 3), typed by the component map. */
export type TypedOverride<C extends ComponentProps = ComponentProps> = {
  [K in keyof C & string]: { component: K; props: Partial<C[K]>; instance?: number | string };
}[keyof C & string];

/**
 * Conditions on the request; every field given must hold (a list: any of its values). Geography
 * comes from `request.cf` where the runtime gives it (Cloudflare), else from the usual CDN headers.
 */
export interface Condition {
  country?: string[];
  region?: string[];
  city?: string[];
  device?: DeviceClass[];
  /** Primary language tags of `Accept-Language` (`de`, `en-GB`): a tag matches itself and its subtags. */
  language?: string[];
  /** Name → the value it must have, or `true`: present with any value. */
  cookie?: Record<string, string | true>;
  header?: Record<string, string | true>;
  query?: Record<string, string | true>;
  /** Path patterns (see `Experiment.paths`). */
  path?: string[];
}

export type DeviceClass = 'mobile' | 'tablet' | 'desktop';

export interface Variant<C extends ComponentProps = ComponentProps> {
  name: string;
  /** Relative weight (any non-negative number; the weights of an experiment need not sum to 1). */
  weight: number;
  overrides: TypedOverride<C>[];
}

export interface Experiment<C extends ComponentProps = ComponentProps> {
  /** Stable id: it seeds the assignment and names the experiment in the cookie and the bootstrap. */
  id: string;
  variants: Variant<C>[];
  /** Share of eligible visitors in the experiment, 0–1 (default 1); the others see the default page and get no assignment. */
  traffic?: number;
  /** Where it runs: exact paths, or patterns with `*` (one segment) and a trailing `/**` (any depth). Default: everywhere. */
  paths?: string[];
  /** Who is eligible. */
  targeting?: Condition;
}

/** Overrides for the visitors a condition selects. */
export interface PersonalizeRule<C extends ComponentProps = ComponentProps> {
  when: Condition;
  overrides: TypedOverride<C>[];
}

/** Overrides computed from the request, for what rules cannot say. */
export type PersonalizeFunction<C extends ComponentProps = ComponentProps> = (context: RequestContext) => TypedOverride<C>[] | null | undefined;

export interface SpliceConfig<C extends ComponentProps = ComponentProps> {
  experiments?: Experiment<C>[];
  personalize?: PersonalizeRule<C>[] | PersonalizeFunction<C>;
  /** The assignment cookie (signed, HttpOnly). Default name `splice`, 90 days (refreshed once half of it has passed). */
  cookie?: { name?: string; maxAgeDays?: number };
  /**
   * Where geography comes from when the runtime gives no `request.cf` with a country: the headers
   * your CDN sets, and overwrites on every request (a header it does not set can be sent by
   * anyone). Default: Vercel's and CloudFront's, and `cf-ipcountry` (what `@splice/dev` reads).
   */
  geoHeaders?: { country?: string[]; region?: string[]; city?: string[] };
  /** The binding of `env` that holds the signing secret. Default `SPLICE_SECRET`. */
  secretBinding?: string;
  /** Where preview tokens are read: a query parameter and a cookie (default `splice-preview` for both). */
  preview?: { param?: string; cookie?: string };
  /** The edge cache of base pages (the Cache API): on by default where the runtime has it. */
  cache?: CacheConfig;
  /**
   * Called with the variants a page view showed, from the client's beacon (sent once per
   * experiment per view, after hydration or a client-side navigation), each checked against the
   * visitor's signed cookie: a beacon cannot claim a variant the visitor was not assigned. Runs
   * in `ctx.waitUntil`; send it on to your analytics. Without it no beacon is sent.
   */
  onExposure?(exposure: Exposure, context: { request: Request; env: Record<string, unknown> }): void | Promise<void>;
  /** The path the beacon posts to. Default `/__splice/exposure`. */
  exposurePath?: string;
}

/** One page view's exposures. */
export interface Exposure {
  /** The visitor id of the assignment cookie. */
  visitor: string;
  /** The path the view showed. */
  path: string;
  /** 0 for the page the visitor loaded, then 1, 2, … for each client-side navigation. */
  view: number;
  /** Each experiment once, with the variant the view rendered. */
  experiments: { experiment: string; variant: string }[];
}

/** What rules and personalization functions see of a request. */
export interface RequestContext {
  url: URL;
  path: string;
  country: string | null;
  region: string | null;
  city: string | null;
  device: DeviceClass;
  /** `Accept-Language` tags, most preferred first, lower-cased. */
  languages: string[];
  cookies: ReadonlyMap<string, string>;
  headers: Headers;
  query: URLSearchParams;
}

/**
 * The identity function that types a config: `export default defineConfig<SpliceComponents>({ … })`.
 * Checks nothing at run time; `checkConfig` (the handler runs it once) does.
 */
export function defineConfig<C extends ComponentProps = ComponentProps>(config: SpliceConfig<C>): SpliceConfig<C> {
  return config;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Throws a `ConfigError` naming the first thing wrong with a config: ids, weights, traffic, patterns. */
export function checkConfig(config: SpliceConfig): void {
  const token = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/;
  if (config.cookie?.name !== undefined && !token.test(config.cookie.name)) throw new ConfigError(`cookie.name ${JSON.stringify(config.cookie.name)} is not a cookie name (letters, digits and !#$%&'*+.^_\`|~-)`);
  const days = config.cookie?.maxAgeDays;
  // At least a second: the handler writes whole seconds, and `Max-Age=0` deletes the cookie at once (a new visitor on every request).
  if (days !== undefined && !(typeof days === 'number' && Number.isFinite(days) && Math.round(days * 86400) >= 1 && days <= 400)) throw new ConfigError('cookie.maxAgeDays must be a number of days, at least one second (1/86400) and at most 400 (browsers cap cookies at 400 days)');
  for (const [k, v] of [['preview.param', config.preview?.param], ['preview.cookie', config.preview?.cookie]] as const) {
    if (v !== undefined && !token.test(v)) throw new ConfigError(`${k} ${JSON.stringify(v)} is not a valid name`);
  }
  const cache = config.cache;
  if (cache !== undefined) {
    if (typeof cache !== 'object' || cache === null) throw new ConfigError('cache must be an object: { enabled?, query?, name? }');
    if (cache.enabled !== undefined && typeof cache.enabled !== 'boolean') throw new ConfigError('cache.enabled must be true or false');
    if (cache.query !== undefined && !(Array.isArray(cache.query) && cache.query.every((q) => typeof q === 'string' && q !== ''))) throw new ConfigError('cache.query must list the query parameter names that select a different page');
    if (cache.name !== undefined && (typeof cache.name !== 'string' || cache.name === '')) throw new ConfigError('cache.name must name a cache');
  }
  if (config.onExposure !== undefined && typeof config.onExposure !== 'function') throw new ConfigError('onExposure must be a function');
  if (config.exposurePath !== undefined && !(typeof config.exposurePath === 'string' && SITE_PATH.test(config.exposurePath))) throw new ConfigError('exposurePath must be a path of this site: one \'/\' then printable ASCII, no spaces and no \'\\\' (`//host/x` and `/\\host/x` would send beacons to another site)');
  if (config.secretBinding !== undefined && (typeof config.secretBinding !== 'string' || config.secretBinding === '')) throw new ConfigError('secretBinding must name a binding of env');
  const geo = config.geoHeaders;
  if (geo !== undefined) {
    if (!isPlainObject(geo)) throw new ConfigError('geoHeaders must be an object: { country?, region?, city? }, each a list of header names');
    for (const key of Object.keys(geo)) {
      if (!['country', 'region', 'city'].includes(key)) throw new ConfigError(`geoHeaders: unknown key ${JSON.stringify(key)}; the keys are country, region and city`);
      const names: unknown = (geo as Record<string, unknown>)[key];
      // Headers.get throws on a name that is not a token: on every request, the decision would fail.
      if (names !== undefined && !(Array.isArray(names) && names.every((n) => typeof n === 'string' && HEADER_NAME.test(n)))) throw new ConfigError(`geoHeaders.${key} must be a list of header names`);
    }
  }
  const ids = new Set<string>();
  let cookieBytes = 80;
  for (const [i, e] of (config.experiments ?? []).entries()) {
    const at = `experiments[${i}]${typeof e?.id === 'string' ? ` (${e.id})` : ''}`;
    if (typeof e?.id !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(e.id)) throw new ConfigError(`${at}: id must be 1–64 letters, digits, '_', '.' or '-'`);
    if (ids.has(e.id)) throw new ConfigError(`${at}: the id is used twice`);
    // The browser reads `shown[id]` of a parsed bootstrap, where such a name is always set (it is inherited).
    if (e.id in Object.prototype) throw new ConfigError(`${at}: the id ${JSON.stringify(e.id)} is a name every JavaScript object has: choose another`);
    if (e.id === '__proto__') throw new ConfigError(`${at}: __proto__ cannot be an id`);
    ids.add(e.id);
    if (!Array.isArray(e.variants) || e.variants.length === 0) throw new ConfigError(`${at}: needs at least one variant`);
    const names = new Set<string>();
    for (const v of e.variants) {
      if (typeof v?.name !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(v.name)) throw new ConfigError(`${at}: a variant name must be 1–64 letters, digits, '_', '.' or '-'`);
      if (names.has(v.name)) throw new ConfigError(`${at}: variant ${v.name} is named twice`);
      names.add(v.name);
      if (typeof v.weight !== 'number' || !Number.isFinite(v.weight) || v.weight < 0) throw new ConfigError(`${at}: variant ${v.name} needs a finite weight ≥ 0`);
      if (!Array.isArray(v.overrides)) throw new ConfigError(`${at}: variant ${v.name} needs an overrides array (empty for the control)`);
    }
    if (e.variants.every((v) => v.weight === 0)) throw new ConfigError(`${at}: every weight is 0`);
    // assignVariant scales a hash by the sum: an infinite sum would hand every visitor the last variant.
    if (!Number.isFinite(e.variants.reduce((sum, v) => sum + v.weight, 0))) throw new ConfigError(`${at}: the weights add up to more than a number can hold`);
    cookieBytes += e.id.length + Math.max(...e.variants.map((v) => v.name.length)) + 6;
    if (e.traffic !== undefined && !(typeof e.traffic === 'number' && e.traffic >= 0 && e.traffic <= 1)) throw new ConfigError(`${at}: traffic must be between 0 and 1`);
    if (e.paths !== undefined) {
      if (!Array.isArray(e.paths)) throw new ConfigError(`${at}: paths must be a list of path patterns`);
      for (const p of e.paths) checkPattern(p, at);
    }
    if (e.targeting !== undefined) checkCondition(e.targeting, `${at}: targeting`);
  }
  // The cookie holds every assignment: signed and base64-encoded it must stay under the 4 KB browsers keep.
  if (cookieBytes > 2800) throw new ConfigError(`the experiments' ids and variant names take ${cookieBytes} bytes in the assignment cookie, more than 2800: shorten them, or end experiments that are over`);
  if (Array.isArray(config.personalize)) {
    for (const [i, r] of config.personalize.entries()) {
      if (typeof r?.when !== 'object' || r.when === null || !Array.isArray(r.overrides)) throw new ConfigError(`personalize[${i}]: a rule is { when, overrides }`);
      checkCondition(r.when, `personalize[${i}]: when`);
    }
  } else if (config.personalize !== undefined && typeof config.personalize !== 'function') {
    throw new ConfigError('personalize must be a list of rules or a function of the request context');
  }
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const LISTS = ['country', 'region', 'city', 'language'] as const;
const PAIRS = ['cookie', 'header', 'query'] as const;
const CONDITIONS: readonly string[] = [...LISTS, 'device', ...PAIRS, 'path'];
const DEVICES: readonly string[] = ['mobile', 'tablet', 'desktop'] satisfies DeviceClass[];

function isPlainObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A condition as `matches` reads it. An unknown key (`countries`) would be a condition that is
 * never checked, so the entry would hold for every visitor: it is an error, like a value
 * `matches` would throw on at every request (a `null` condition, a header name that is not one).
 */
function checkCondition(condition: unknown, at: string): void {
  if (!isPlainObject(condition)) throw new ConfigError(`${at} must be an object of conditions (${CONDITIONS.join(', ')})`);
  const c = condition as Record<string, unknown>;
  for (const key of Object.keys(c)) {
    if (!CONDITIONS.includes(key)) throw new ConfigError(`${at}: unknown condition ${JSON.stringify(key)} (it would hold for every visitor); the conditions are ${CONDITIONS.join(', ')}`);
  }
  for (const key of LISTS) {
    const list = c[key];
    if (list !== undefined && !(Array.isArray(list) && list.every((v) => typeof v === 'string' && v !== ''))) throw new ConfigError(`${at}.${key} must be a list of strings (any of them holds)`);
  }
  const device = c.device;
  if (device !== undefined && !(Array.isArray(device) && device.every((d) => DEVICES.includes(d as string)))) throw new ConfigError(`${at}.device must be a list of ${DEVICES.join(', ')}`);
  for (const key of PAIRS) {
    const pairs = c[key];
    if (pairs === undefined) continue;
    if (!isPlainObject(pairs)) throw new ConfigError(`${at}.${key} must be an object: name → the value it must have, or true for any value`);
    for (const [name, value] of Object.entries(pairs)) {
      if (name === '' || (key !== 'query' && !HEADER_NAME.test(name))) throw new ConfigError(`${at}.${key}: ${JSON.stringify(name)} is not a ${key} name`);
      if (value !== true && typeof value !== 'string') throw new ConfigError(`${at}.${key}.${name} must be a string (the value it must have) or true (any value)`);
    }
  }
  const path = c.path;
  if (path !== undefined) {
    if (!Array.isArray(path)) throw new ConfigError(`${at}.path must be a list of path patterns`);
    for (const p of path) checkPattern(p, at);
  }
}

function checkPattern(pattern: unknown, at: string): void {
  if (typeof pattern !== 'string' || !pattern.startsWith('/')) throw new ConfigError(`${at}: path pattern ${JSON.stringify(pattern)} must start with '/'`);
  if (/[?#\\]/.test(pattern)) throw new ConfigError(`${at}: path pattern ${JSON.stringify(pattern)} holds '?', '#' or '\\': a pattern matches a URL's path alone (for the query, use a condition on \`query\`)`);
}
