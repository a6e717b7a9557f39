import { BOOTSTRAP_ELEMENT_ID, SITE_PATH, readSite, validateOverrides } from '@splice/manifest';
import type { Bootstrap } from '@splice/manifest';
import { DEV, reportLeftOut } from './devChecks';

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
  let read: Bootstrap | null = null;
  const el = bootstrapElement();
  if (el !== undefined && el.textContent !== null) {
    try {
      const parsed = JSON.parse(el.textContent) as Bootstrap;
      read = checkedBootstrap(parsed);
      if (DEV && typeof parsed === 'object' && parsed !== null) reportLeftOut(parsed, read);
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
  }
  // While the page is still being parsed the edge's bootstrap, the last one, may be yet to come.
  if (document.readyState !== 'loading') cached = read;
  return read;
}

/**
 * The edge's bootstrap element: the page's last `<script id="__SPLICE__">`. The edge writes it
 * before the last `</body>`, behind all of the page's own content; `getElementById` gives the
 * first element with the id, which the page's content can hold (user HTML whose sanitizer keeps
 * `id`, as DOMPurify does; a page saved with an earlier bootstrap), and hydration would then
 * apply its overrides instead of the edge's, over a DOM that does not hold them. A script only:
 * an element of the page with that id is never the edge's, also where the edge wrote none.
 */
export function bootstrapElement(): Element | undefined {
  const all = document.querySelectorAll(`script#${BOOTSTRAP_ELEMENT_ID}`);
  return all[all.length - 1];
}

/** For tests that hydrate several pages in one document. */
export function resetBootstrapCache(): void {
  cached = undefined;
  problem = null;
}

/**
 * A parsed bootstrap as the client may trust it: overrides validated (contract 3), `site` as
 * `readSite` keeps it, `shown` and `beacon` normalized. The full build reads every bootstrap
 * through this; the browser build only in development (see ./browser/provider).
 */
export function checkedBootstrap(parsed: unknown): Bootstrap {
  const value = parsed as Bootstrap;
  const { overrides } = validateOverrides(value.overrides);
  const read: Bootstrap = { buildId: String(value.buildId), assignments: value.assignments ?? {}, overrides };
  const site = readSite(value.site);
  if (site.length > 0) read.site = site;
  if (typeof value.shown === 'object' && value.shown !== null) {
    read.shown = {};
    for (const [k, v] of Object.entries(value.shown)) if (v === true) read.shown[k] = true;
  }
  if (typeof value.beacon === 'string' && SITE_PATH.test(value.beacon)) read.beacon = value.beacon;
  // Exposures are reported to the beacon: without one, none (see `SiteEntry.touches`).
  else for (const entry of site) delete entry.touches;
  return read;
}
