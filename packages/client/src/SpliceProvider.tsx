import { createContext, useEffect, useState } from 'react';
import { entryApplies } from '@splice/manifest';
import type { Bootstrap, Override } from '@splice/manifest';
import { bootstrapProblem, readBootstrap } from './bootstrap';
import { DEV, checkPage, scheduleUnclaimedCheck } from './devChecks';
import { viewPath } from './navigation';
import { exposureFor } from './exposure';
import type { SpliceProviderProps, SpliceState, SpliceView, ViewExposure } from './types';

export const SpliceContext = createContext<SpliceState | null>(null);

export function SpliceProvider({ overrides, instanceState = true, markers = true, children }: SpliceProviderProps) {
  // One state object per mounted provider: the ordinals must restart for every render of a page.
  const [state] = useState<SpliceState>(() => {
    const bootstrap = readBootstrap();
    if (DEV && typeof document !== 'undefined') {
      try { checkPage(bootstrapProblem()); } catch { /* a development message never breaks the page */ }
    }
    let latest: { n: number; view: SpliceView } | null = null;
    return {
      instanceState,
      markers,
      view(n) {
        // Read when a component renders, not subscribed to: whatever renders after a navigation
        // (the new route's components, in the router's own update, transition or not) renders
        // for the new path, and the old route's components are not made to re-render with it
        // before the router replaces them.
        if (latest === null || latest.n !== n) {
          const path = viewPath(n);
          latest = { n, view: viewOf(overridesOf(bootstrap, n, path, overrides), exposureFor(bootstrap, n, path)) };
        }
        return latest.view;
      },
    };
  });
  useEffect(() => {
    if (!DEV) return;
    const bootstrap = readBootstrap();
    if (bootstrap !== null) scheduleUnclaimedCheck(bootstrap.overrides);
  }, []);
  return <SpliceContext.Provider value={state}>{children}</SpliceContext.Provider>;
}

function viewOf(overrides: readonly Override[], exposure: ViewExposure): SpliceView {
  const counts = new Map<string, number>();
  const ordinals = new Map<string, number>();
  return {
    overrides,
    exposure,
    ordinalOf(key, id) {
      const known = ordinals.get(`${key} ${id}`);
      if (known !== undefined) return known;
      const n = counts.get(key) ?? 0;
      counts.set(key, n + 1);
      ordinals.set(`${key} ${id}`, n);
      return n;
    },
  };
}

/**
 * The overrides of a view. The page the edge served (view 0) renders exactly what the edge
 * applied, so hydration matches its HTML; a client-side navigation renders the visitor's
 * decisions for the new path, from the bootstrap's `site` (no request to the edge, so nothing
 * waits and nothing flickers). Without a bootstrap (no edge in front), the provider's own.
 */
function overridesOf(bootstrap: Bootstrap | null, view: number, path: string, own: readonly Override[] | undefined): readonly Override[] {
  if (bootstrap === null) return own ?? [];
  if (view === 0) return bootstrap.overrides;
  return (bootstrap.site ?? []).filter((e) => entryApplies(e, path)).flatMap((e) => e.overrides);
  // (An entry the edge found partly refused still applies what it kept; it reports no exposure.)
}
