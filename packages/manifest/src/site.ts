import type { Override, SiteEntry } from './types';
import { validateOverrides } from './validate';

/**
 * Does `path` match a pattern: exact, `*` for one segment, a trailing `/**` for any depth (also
 * none). Shared by the edge (experiment paths, rule conditions) and the client (which entries of
 * the bootstrap's `site` hold after a client-side navigation), so both read a pattern alike.
 * Written small: the client's browser build ships it.
 */
export function pathMatches(pattern: string, path: string): boolean {
  const p = segments(pattern);
  const s = segments(path);
  const deep = p.length > 1 && p[p.length - 1] === '**';
  if (deep) p.pop();
  return (deep ? s.length >= p.length : s.length === p.length) && p.every((seg, i) => (seg === '*' ? s[i] !== '' : seg === s[i]));
}

/**
 * The segments, each percent-decoded: `location.pathname` and `request.url` give `/caf%C3%A9`,
 * a config says `/café`. One that does not decode stays as it is; `%2F` stays inside its segment.
 */
function segments(path: string): string[] {
  return path.split('/').map((seg) => {
    try {
      return decodeURIComponent(seg).replace(/\//g, '%2F');
    } catch {
      return seg;
    }
  });
}

/** Whether a site entry applies on `path`: every list of patterns has one that matches. */
export function entryApplies(entry: SiteEntry, path: string): boolean {
  return entry.paths === undefined || entry.paths.every((list) => list.some((p) => pathMatches(p, path)));
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
      : Array.isArray(e.paths) && e.paths.every((l) => Array.isArray(l) && l.every((p) => typeof p === 'string')) ? (e.paths as string[][]) : null;
    if (paths === null) continue;
    if (e.experiment !== undefined && (typeof e.experiment !== 'string' || typeof e.variant !== 'string')) continue;
    const touches = Array.isArray(e.touches) ? e.touches.filter((t): t is string => typeof t === 'string') : undefined;
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
