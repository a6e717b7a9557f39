import { createContext, useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { entryApplies } from '@splice/manifest';
import type { Bootstrap, Override } from '@splice/manifest';
import { bootstrapProblem, readBootstrap } from './bootstrap';
import { DEV, checkPage, scheduleUnclaimedCheck } from './devChecks';
import { currentPath, landingPath } from './navigation';
import { exposureFor } from './exposure';
import type { ViewExposure } from './exposure';

export interface SpliceState {
  /**
   * Page view `n` (see `currentView`): view 0 on the server and at hydration, the current one
   * after a client-side navigation.
   */
  view(n: number): SpliceView;
  /** Root markers carry instance states (false in an edge re-render, which has them already). */
  instanceState: boolean;
  /** False: write no markers (see `SpliceProviderProps.markers`). */
  markers: boolean;
}

/** One page view: its overrides, its document-order ordinals, its exposure. */
export interface SpliceView {
  overrides: readonly Override[];
  /**
   * The instance's position among this view's instances of `key`, in the order they first
   * rendered in it: for `instance: n` overrides. Kept by `useId`, so a render React throws away
   * and renders again (StrictMode, a suspended render retried) keeps its place.
   */
  ordinalOf(key: string, id: string): number;
  /** Instances report that they were committed in this view (browser only). */
  exposure: ViewExposure;
}

export const SpliceContext = createContext<SpliceState | null>(null);

export interface SpliceProviderProps {
  /**
   * The overrides to render with on the server (prerender, origin, or an edge re-render).
   * In the browser the bootstrap the edge injected wins, so hydration renders exactly the
   * patched HTML; this prop is used there only when the page carries no bootstrap.
   */
  overrides?: readonly Override[];
  /**
   * Whether re-renderable instances write their state into the source page. Default true; the
   * edge's renderer turns it off (it has the state, and the HTML it scans is smaller).
   */
  instanceState?: boolean;
  /**
   * Default true. False renders what a browser renders: no markers, no boundaries, no instance
   * state. That is the page an origin serves when no edge stands in front of it, and the oracle
   * of contract 4 (a patched page equals it, byte for byte, rendered with the same overrides).
   */
  markers?: boolean;
  children?: ReactNode;
}

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
          const path = n === 0 ? landingPath() : currentPath();
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
