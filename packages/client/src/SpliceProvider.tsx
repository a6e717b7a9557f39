import { createContext, useState } from 'react';
import type { ReactNode } from 'react';
import type { Override } from '@splice/manifest';
import { readBootstrap } from './bootstrap';

export interface SpliceState {
  overrides: readonly Override[];
  /** Root markers carry instance states (false in an edge re-render, which has them already). */
  instanceState: boolean;
  /** False: write no markers (see `SpliceProviderProps.markers`). */
  markers: boolean;
  /** The next document-order ordinal per component key, for `instance: n` overrides. */
  nextOrdinal(key: string): number;
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
    const counts = new Map<string, number>();
    return {
      overrides: bootstrap !== null ? bootstrap.overrides : (overrides ?? []),
      instanceState,
      markers,
      nextOrdinal(key) {
        const n = counts.get(key) ?? 0;
        counts.set(key, n + 1);
        return n;
      },
    };
  });
  return <SpliceContext.Provider value={state}>{children}</SpliceContext.Provider>;
}
