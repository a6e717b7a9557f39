import { entryApplies, overrideNames } from '@splice/manifest';
import type { Bootstrap, Override } from '@splice/manifest';
import type { SpliceView } from './types';
import { viewPath } from './navigation';

/**
 * The page views of one provider, in both builds: `view(n)` is view `n`'s overrides, ordinals and
 * exposure. It is read when a component renders, not subscribed to: whatever renders after a
 * navigation (the new route's components, in the router's own update, transition or not)
 * renders for the new path, and the old route's components are not made to re-render with it
 * before the router replaces them. One call per mounted provider: the ordinals restart for
 * every render of a page.
 *
 * Views kept: view 0 (a boundary of the landing page may hydrate after many navigations, and
 * its instances take their places after those that hydrated before) and the newest; an older
 * one asked for again starts afresh.
 *
 * `bootstrap` is as the edge wrote it: its `site` shaped as `readSite` shapes one (well-formed
 * entries, no override that names an instance by id: that id is React's for the landing page).
 * The browser build ships this module, so it checks nothing the edge checked.
 */
export function viewsOf(bootstrap: Bootstrap | null, own: readonly Override[] | undefined): (n: number) => SpliceView {
  const views: SpliceView[] = [];
  // Only a newer view drops the newest: view 0 asked for late (after a navigation) must not.
  return (n) => (views[n] ??= (n && views.splice(1), viewOf(bootstrap, own, n, viewPath(n))));
}

/** `view experiment` pairs reported, for the whole window: two providers (two roots) report a view once, view 0 included after many navigations. */
const sent = new Set<string>();

/**
 * One view. The page the edge served (view 0) renders exactly what the edge applied, so
 * hydration matches its HTML; a client-side navigation renders the visitor's decisions for the
 * new path, from the bootstrap's `site` (no request to the edge, so nothing waits and nothing
 * flickers). Without a bootstrap (no edge in front), the provider's own.
 *
 * Exposure: which experiments the view showed the visitor's variant of, reported once per
 * experiment per view. An experiment is exposed in a view when an instance of a component it
 * touches (one any of its variants changes) was committed in that view, and the view showed the
 * visitor's variant whole: on the page the edge served, the bootstrap's `shown` says so (an
 * override the edge could not apply means the visitor saw the default); after a client-side
 * navigation the client renders the variant itself. The control is exposed the same way, so both
 * arms are counted on the same views. An entry carries `touches` only when its exposure is to be
 * reported: the edge writes them only with a `beacon`, on an experiment's entry none of whose
 * overrides it refused (one it refused some of still applies what it kept, and reports nothing).
 */
function viewOf(bootstrap: Bootstrap | null, own: readonly Override[] | undefined, n: number, path: string): SpliceView {
  const { site = [], shown, overrides = own ?? [], beacon } = bootstrap ?? {};
  // The entries this view shows: on the landing page those the edge showed whole, after a navigation those of its path.
  const here = site.filter((e) => (n ? entryApplies(e, path) : shown?.[e.experiment!]));
  // Per component key, how many of its instances have an ordinal; per instance (its `useId`: one
  // per instance, unique in a root), its ordinal. (Neither can be an Object.prototype name: keys
  // are `Name.hash`, ids React's.)
  const counts: Record<string, number> = {};
  const ordinals: Record<string, number> = {};
  return {
    // Without a bootstrap (no edge in front) the provider's own, in every view.
    overrides: bootstrap && n ? here.flatMap((e) => e.overrides) : overrides,
    // Kept by `useId`, so a render React throws away and renders again keeps its place.
    ordinalOf: (key, id) => (ordinals[id] ??= (counts[key] ??= 0, counts[key]++)),
    rendered(ref) {
      for (const { experiment, variant, touches } of here) {
        const key = `${n} ${experiment}`;
        if (touches?.some((t) => overrideNames(t, ref)) && !sent.has(key)) {
          sent.add(key);
          // At once, from the effect of the commit that showed it: a timer could be lost to the
          // visitor leaving the page. `sendBeacon` survives that, and a text body needs no CORS
          // preflight. One beacon per experiment exposed (the edge takes a list, as older clients sent).
          // `?.`: a browser may lack it (Firefox with beacon.enabled off, jsdom), and a throw from
          // an effect would unmount the whole root: reporting never breaks the page.
          navigator.sendBeacon?.(beacon!, JSON.stringify({ path, view: n, experiments: [{ experiment, variant }] }));
        }
      }
    },
  };
}
