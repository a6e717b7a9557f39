import { entryApplies } from '@splice/manifest';
import type { Bootstrap, Override } from '@splice/manifest';
import type { SpliceView } from './types';
import { viewPath } from './navigation';
import { exposureFor } from './exposure';

/**
 * The page views of one provider, in both builds: `view(n)` is view `n`'s overrides, ordinals and
 * exposure. It is read when a component renders, not subscribed to: whatever renders after a
 * navigation (the new route's components, in the router's own update, transition or not)
 * renders for the new path, and the old route's components are not made to re-render with it
 * before the router replaces them. One call per mounted provider: the ordinals restart for
 * every render of a page.
 *
 * `bootstrap.site` must be shaped as `readSite` shapes it (well-formed entries, no override that
 * names an instance by id: that id is React's for the landing page).
 */
export function viewsOf(bootstrap: Bootstrap | null, own: readonly Override[] | undefined): (n: number) => SpliceView {
  let latest: { n: number; view: SpliceView } | undefined;
  return (n) => {
    if (latest?.n !== n) {
      const path = viewPath(n);
      latest = { n, view: viewOf(overridesOf(bootstrap, n, path, own), bootstrap, n, path) };
    }
    return latest.view;
  };
}

/**
 * The overrides of a view. The page the edge served (view 0) renders exactly what the edge
 * applied, so hydration matches its HTML; a client-side navigation renders the visitor's
 * decisions for the new path, from the bootstrap's `site` (no request to the edge, so nothing
 * waits and nothing flickers). Without a bootstrap (no edge in front), the provider's own.
 * (An entry the edge found partly refused still applies what it kept; it reports no exposure.)
 */
function overridesOf(bootstrap: Bootstrap | null, n: number, path: string, own: readonly Override[] | undefined): readonly Override[] {
  if (bootstrap === null) return own ?? [];
  if (n === 0) return bootstrap.overrides;
  return (bootstrap.site ?? []).filter((e) => entryApplies(e, path)).flatMap((e) => e.overrides);
}

function viewOf(overrides: readonly Override[], bootstrap: Bootstrap | null, n: number, path: string): SpliceView {
  const counts = new Map<string, number>();
  const ordinals = new Map<string, number>();
  return {
    overrides,
    exposure: exposureFor(bootstrap, n, path),
    // Kept by `useId`, so a render React throws away and renders again keeps its place.
    ordinalOf(key, id) {
      const at = `${key} ${id}`;
      let ordinal = ordinals.get(at);
      if (ordinal === undefined) {
        ordinal = counts.get(key) ?? 0;
        counts.set(key, ordinal + 1);
        ordinals.set(at, ordinal);
      }
      return ordinal;
    },
  };
}
