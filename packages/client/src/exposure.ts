import { entryApplies, overrideNames } from '@splice/manifest';
import type { Bootstrap } from '@splice/manifest';
import type { ViewExposure } from './types';

/**
 * Exposure, in both builds: which experiments a page view showed the visitor's variant of,
 * reported once per experiment per view. An experiment is exposed in a view when an instance of
 * a component it touches (one any of its variants changes) was committed in that view, and the
 * view showed the visitor's variant whole: on the page the edge served, the bootstrap's `shown`
 * says so (an override the edge could not apply means the visitor saw the default); after a
 * client-side navigation the client renders the variant itself, unless the edge marked it
 * `partial` (some of its overrides refused). The control is exposed the same way, so both arms
 * are counted on the same views.
 */

/** `view experiment` pairs reported, for the whole window: two providers (two roots) report a view once, view 0 included after many navigations. */
const sent = new Set<string>();

export function exposureFor(bootstrap: Bootstrap | null, view: number, path: string): ViewExposure {
  const beacon = bootstrap?.beacon;
  let pending: { experiment: string; variant: string }[] = [];
  return {
    rendered(ref) {
      if (typeof beacon !== 'string' || !/^\/(?!\/)/.test(beacon)) return;
      for (const entry of bootstrap!.site ?? []) {
        const { experiment, variant, touches } = entry;
        const key = `${view} ${experiment}`;
        if (typeof experiment !== 'string' || entry.partial === true || sent.has(key) || !(view ? entryApplies(entry, path) : bootstrap!.shown?.[experiment] === true)
          || !Array.isArray(touches) || !touches.some((t) => overrideNames(t, ref))) continue;
        sent.add(key);
        // Every instance committed in this render has run its effect by the next task: one beacon for them all.
        if (pending.push({ experiment, variant: variant! }) === 1) {
          setTimeout(() => {
            const body = JSON.stringify({ path, view, experiments: pending });
            pending = [];
            try {
              // `sendBeacon` survives the page being left; `fetch` with `keepalive` where it refuses. A text body needs no CORS preflight.
              if (!navigator.sendBeacon?.(beacon, body)) void fetch(beacon, { method: 'POST', body, keepalive: true }).catch(() => undefined);
            } catch { /* reporting never breaks the page */ }
          });
        }
      }
    },
  };
}
