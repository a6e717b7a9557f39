import { overrideNames } from '@splice/manifest';
import type { Bootstrap } from '@splice/manifest';
import type { ViewExposure } from '../types';
import { applies, isList } from './provider';

/** `view experiment` pairs reported, for the whole window: two providers (two roots) report a view once. */
const sent = new Set<string>();

/** As `../exposure.ts`, which documents the rules. */
export function exposureFor(bootstrap: Bootstrap | null, view: number, path: string): ViewExposure {
  const beacon = bootstrap?.beacon;
  let pending: { experiment: string; variant: string }[] = [];
  return {
    rendered(ref) {
      if (typeof beacon !== 'string' || !/^\/(?!\/)/.test(beacon)) return;
      for (const entry of bootstrap!.site!) {
        const { experiment, variant, touches } = entry;
        const key = `${view} ${experiment}`;
        if (typeof experiment !== 'string' || entry.partial === true || sent.has(key) || !(view ? applies(entry, path) : bootstrap!.shown?.[experiment] === true)
          || !isList(touches) || !touches.some((t) => overrideNames(t, ref))) continue;
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
