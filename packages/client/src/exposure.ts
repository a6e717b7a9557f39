import { entryApplies, overrideNames } from '@splice/manifest';
import type { Bootstrap } from '@splice/manifest';
import type { ViewExposure } from './types';

/**
 * Exposure: which experiments a page view showed the visitor's variant of, reported once per
 * experiment per view. An experiment is exposed in a view when an instance of a component it
 * touches (one any of its variants changes) was committed in that view, and the view showed the
 * visitor's variant whole: on the page the edge served, the bootstrap's `shown` says so (an
 * override the edge could not apply means the visitor saw the default); after a client-side
 * navigation the client renders the variant itself, unless the edge marked it `partial` (some
 * of its overrides refused). The control is exposed the same way, so both arms are counted on
 * the same views.
 */
const NONE: ViewExposure = { rendered() { /* nothing to report */ } };

/** Experiments reported per view, for the whole window: two providers (two roots) report a view once. */
const sentByView = new Map<number, Set<string>>();

export function exposureFor(bootstrap: Bootstrap | null, view: number, path: string): ViewExposure {
  if (bootstrap === null || bootstrap.beacon === undefined || bootstrap.site === undefined) return NONE;
  const beacon = bootstrap.beacon;
  const candidates = bootstrap.site.filter((e) => e.experiment !== undefined && e.variant !== undefined && e.partial !== true
    && (view === 0 ? bootstrap.shown?.[e.experiment] === true : entryApplies(e, path)));
  if (candidates.length === 0) return NONE;
  let sent = sentByView.get(view);
  if (sent === undefined) {
    sentByView.set(view, (sent = new Set()));
    // Only recent views can still report.
    // (View 0 stays: a boundary that hydrates late renders it again, and must not report it twice.)
    for (const v of sentByView.keys()) if (v !== 0 && v < view - 8) sentByView.delete(v);
  }
  const seen = sent;
  let pending: { experiment: string; variant: string }[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    timer = null;
    const experiments = pending;
    pending = [];
    if (experiments.length === 0) return;
    send(beacon, JSON.stringify({ path, view, experiments }));
  };
  return {
    rendered(ref) {
      for (const e of candidates) {
        const id = e.experiment as string;
        if (seen.has(id) || !(e.touches ?? []).some((t) => overrideNames(t, ref))) continue;
        seen.add(id);
        pending.push({ experiment: id, variant: e.variant as string });
        // Every instance committed in this render has run its effect by the next task: one beacon for them all.
        timer ??= setTimeout(flush, 0);
      }
    },
  };
}

/** `sendBeacon` survives the page being left; `fetch` with `keepalive` where it is missing. A text body needs no CORS preflight. */
function send(url: string, body: string): void {
  try {
    if (typeof navigator !== 'undefined' && typeof navigator.sendBeacon === 'function' && navigator.sendBeacon(url, body)) return;
    void fetch(url, { method: 'POST', body, keepalive: true, credentials: 'same-origin', headers: { 'content-type': 'text/plain;charset=UTF-8' } }).catch(() => undefined);
  } catch {
    // Reporting must never break the page.
  }
}
