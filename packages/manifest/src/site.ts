import type { Override, SiteEntry } from './types';
import { validateOverrides } from './validate';

/**
 * A path as patterns compare it: as the URL standard serializes a path, the form of
 * `location.pathname` and of `new URL(request.url).pathname` (non-ASCII and spaces
 * percent-encoded in UTF-8, other escapes kept as written, dot segments resolved). A config's
 * `/café` is `/caf%C3%A9`, what browsers request; `%2F` stays inside its segment. An escape
 * written another way (`%c3%a9`, `%73hop`) is another path, as it is for a URL's own equality.
 * (`pathPattern` matches `^` and `|` in both forms: URL parsers disagree on those two.)
 * The client compares `location.pathname` as it is, so it needs no decoder.
 */
export function normalizePath(path: string): string {
  // Appended to an origin rather than resolved against one: `//x/y` is a path, not another host.
  return new URL(`http://splice.invalid${path.startsWith('/') ? '' : '/'}${path}`).pathname;
}

// (A segment holds no `/`: the patterns join segments with it unescaped.)
const escapeRegExp = (text: string): string => text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');

/**
 * Text of a path matched literally, save for `^` and `|`: URL parsers serialize them differently
 * (Chromium writes `%5E` and `%7C`, workerd `%5E` and `|`, Node 20 both as they are), so the edge
 * (either runtime) and `location.pathname` would disagree; each matches both forms.
 */
const literal = (text: string): string => escapeRegExp(text).replace(/\\\^|%5E|\\\||%7C/g, (m) => (m === '\\^' || m === '%5E' ? '(?:\\^|%5E)' : '(?:\\||%7C)'));

/**
 * A list of path patterns (a path matches when any does) compiled to a regular expression's
 * source, matched against a path in `normalizePath`'s form. A pattern is exact, `*` stands for
 * one non-empty segment, and a trailing `/**` for any depth, none included (`/shop/**` matches
 * `/shop`, `/shop/` and `/shop/a/b`, not `/shopping`). The edge compiles the config's patterns
 * into the bootstrap's `site`, so a browser needs no pattern matcher (only `new RegExp`).
 */
export function pathPattern(patterns: readonly string[]): string {
  if (patterns.length === 0) return '(?!)';
  return `^(?:${patterns.map((pattern) => {
    const segs = normalizePath(pattern).split('/');
    const deep = segs.length > 1 && segs[segs.length - 1] === '**';
    if (deep) segs.pop();
    // `[^]` and not `.`: a path may hold any character.
    return segs.map((seg) => (seg === '*' ? '[^/]+' : literal(seg))).join('/') + (deep ? '(?:/[^]*)?' : '');
  }).join('|')})$`;
}

/** A path as a pattern source that matches it alone (its `*` and `**` segments are literal). */
export function exactPathPattern(path: string): string {
  return `^${literal(normalizePath(path))}$`;
}

/** Compiled patterns, for the edge, which matches the same config's patterns on every request. */
const compiled = /* @__PURE__ */ new Map<string, RegExp>();

/** Does `path` match a pattern (see `pathPattern`)? */
export function pathMatches(pattern: string, path: string): boolean {
  let re = compiled.get(pattern);
  if (re === undefined) {
    // A bound on what a long-running isolate keeps: patterns come from the config, so few.
    if (compiled.size >= 1024) compiled.clear();
    compiled.set(pattern, re = new RegExp(pathPattern([pattern])));
  }
  return re.test(normalizePath(path));
}

/**
 * Whether a site entry applies on `path` (in `normalizePath`'s form, as `location.pathname` is):
 * it matches every one of the entry's compiled lists.
 */
export function entryApplies(entry: SiteEntry, path: string): boolean {
  return !entry.paths || entry.paths.every((source) => new RegExp(source).test(path));
}

const MAX_ENTRIES = 256;

/**
 * The `site` of a bootstrap as the client may trust it: malformed entries left out, overrides
 * validated as contract 3 says. An override naming an instance by its id is dropped (that id is
 * React's for the page it was decided on); one naming it by position stays (the n-th instance
 * mounted in the view).
 */
export function readSite(value: unknown): SiteEntry[] {
  if (!Array.isArray(value)) return [];
  const out: SiteEntry[] = [];
  for (const raw of value.slice(0, MAX_ENTRIES)) {
    if (typeof raw !== 'object' || raw === null) continue;
    const e = raw as Record<string, unknown>;
    const paths = e.paths === undefined ? undefined
      : Array.isArray(e.paths) && e.paths.every(compiles) ? (e.paths as string[]) : null;
    if (paths === null) continue;
    if (e.experiment !== undefined && (typeof e.experiment !== 'string' || typeof e.variant !== 'string')) continue;
    // Exposure is reported for an experiment's entry shown whole (see `SiteEntry.touches`).
    const touches = Array.isArray(e.touches) && typeof e.experiment === 'string' && e.partial !== true ? e.touches.filter((t): t is string => typeof t === 'string') : undefined;
    const overrides: Override[] = validateOverrides(e.overrides).overrides.filter((o) => typeof o.instance !== 'string');
    const entry: SiteEntry = { overrides };
    if (paths !== undefined) entry.paths = paths;
    if (typeof e.experiment === 'string') { entry.experiment = e.experiment; entry.variant = e.variant as string; }
    if (touches !== undefined) entry.touches = touches;
    if (e.partial === true) entry.partial = true;
    out.push(entry);
  }
  return out;
}

/** A string that `new RegExp` takes. */
function compiles(source: unknown): boolean {
  if (typeof source !== 'string') return false;
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

/**
 * A path of this site: `/`, then printable ASCII up to 255 characters, no second `/` and no `\`
 * after the first (URL parsers read `\` as `/` in http(s) URLs: `//host` and `/\host` are other
 * sites). The browser posts exposures to it.
 */
export const SITE_PATH = /^\/(?!\/)[\x21-\x5b\x5d-\x7e]{0,255}$/;
