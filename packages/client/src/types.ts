import type { ReactElement, ReactNode } from 'react';
import type { ComponentRef, Override } from '@splice/manifest';

// The runtime's types, in a module of their own: both builds (the full one and the browser's,
// see ./browser) implement them, and the browser build must not pull the full one in to name them.

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

/** One page view: its overrides, its document-order ordinals, its exposure reports. */
export interface SpliceView {
  overrides: readonly Override[];
  /**
   * The instance's position among this view's instances of `key`, in the order they first
   * rendered in it: for `instance: n` overrides. Kept by `useId`, so a render React throws away
   * and renders again (StrictMode, a suspended render retried) keeps its place.
   */
  ordinalOf(key: string, id: string): number;
  /** Instances report that they were committed in this view (browser only). */
  /** An instance of `ref` was committed in this view (browser only): reports the exposures it completes. */
  rendered(ref: ComponentRef): void;
}

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

export interface SpliceInstance<P> {
  /** The props to render with: the component's own, with the overrides that apply to this instance. */
  props: P;
  /**
   * The value of the `data-splice` marker of element `element` (contract 1). `texts` are the
   * element's text-hole values when it has two or more: the marker records which render empty.
   * `undefined` in the browser: markers exist only in the HTML a server render writes, and the
   * edge (or the prerender) removes them before a browser sees it, so hydration renders none.
   */
  marker(element: number, texts?: readonly unknown[]): string | undefined;
  /** Wraps what a re-renderable component returns in the root probe (see `SpliceRoot`). */
  root(child: ReactNode): ReactElement;
  /**
   * Closes the instance's package-hook window if `root()` has not (the component threw or
   * suspended): the compiler calls it in a `finally` around the body of a re-renderable component.
   */
  done(): void;
  /**
   * Elements the instance received, rendered in place as slot `n` (see `SLOT_TAG`): in a source
   * page wrapped in the slot element; in an edge re-render, where the state holds the
   * placeholder, an empty slot element the edge fills with the cached bytes.
   */
  slot(n: number, value: ReactNode): ReactNode;
}
