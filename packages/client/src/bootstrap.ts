import { BOOTSTRAP_ELEMENT_ID, readSite, validateOverrides } from '@splice/manifest';
import type { Bootstrap } from '@splice/manifest';

let cached: Bootstrap | null | undefined;
let problem: string | null = null;

/** Why the page's bootstrap could not be read, if it could not (for the development checks). */
export function bootstrapProblem(): string | null {
  readBootstrap();
  return problem;
}

/**
 * The bootstrap the edge injected (contract 2), read once per page. `null` on the server, and
 * in a page the edge did not patch. A malformed bootstrap reads as `null`: hydrating with the
 * default props is the consistent choice when we cannot know what the edge applied.
 */
export function readBootstrap(): Bootstrap | null {
  if (cached !== undefined) return cached;
  if (typeof document === 'undefined') return null;
  cached = null;
  const el = document.getElementById(BOOTSTRAP_ELEMENT_ID);
  if (el === null || el.textContent === null) return cached;
  try {
    const value = JSON.parse(el.textContent) as Bootstrap;
    const { overrides } = validateOverrides(value.overrides);
    const read: Bootstrap = { buildId: String(value.buildId), assignments: value.assignments ?? {}, overrides };
    const site = readSite(value.site);
    if (site.length > 0) read.site = site;
    if (typeof value.shown === 'object' && value.shown !== null) {
      read.shown = {};
      for (const [k, v] of Object.entries(value.shown)) if (v === true) read.shown[k] = true;
    }
    if (typeof value.beacon === 'string' && /^\/(?!\/)/.test(value.beacon)) read.beacon = value.beacon;
    cached = read;
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
    cached = null;
  }
  return cached;
}

/** For tests that hydrate several pages in one document. */
export function resetBootstrapCache(): void {
  cached = undefined;
  problem = null;
}
