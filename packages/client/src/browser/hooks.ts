import { createElement, useContext, useEffect, useId, useSyncExternalStore } from 'react';
import type { ReactNode } from 'react';
import { overrideNames } from '@splice/manifest';
import type { ComponentRef } from '@splice/manifest';
import type { SpliceInstance } from '../types';
import { SpliceContext } from './provider';
import { currentView, serverView, subscribeNothing } from '../navigation';
import { claim, noProvider, ownId } from '../devChecks';

declare const process: { env: { NODE_ENV?: string } };

/**
 * `useSpliceProps` in the browser: the props with the view's overrides merged in, and no markers
 * (the page a browser gets has none). Calls the same hooks in the same order as the full build.
 */
export function useSpliceProps<P extends object>(ref: ComponentRef, props: P): SpliceInstance<P> {
  const state = useContext(SpliceContext);
  const id = useId();
  const n = useSyncExternalStore(subscribeNothing, currentView, serverView);
  const view = state?.view(n);
  const ordinal = view?.ordinalOf(ref.key, id);
  useEffect(() => view?.rendered(ref), [view, ref]);
  if (process.env.NODE_ENV !== 'production') {
    if (view === undefined) noProvider(ref);
    else if (n === 0) ownId(ref, id, state);
  }
  // `props` becomes the merged props (new objects: the caller's are not changed).
  for (const o of view?.overrides ?? []) {
    if (!overrideNames(o.component, ref) || (o.instance !== undefined && o.instance !== ordinal && o.instance !== id)) continue;
    if (process.env.NODE_ENV !== 'production' && n === 0 && o.instance === id) claim(o.component, id);
    props = { ...props, ...(o.props as Partial<P>) };
  }
  // No markers and no hook window in a browser.
  return { props, marker: nothing, root: (child) => createElement(Root, null, child), done: nothing, slot: (_n, value) => value };
}

const nothing = (): undefined => undefined;

/** The root probe's browser half: one `useId` at the level the full build's `SpliceRoot` takes one. */
function Root({ children }: { children?: ReactNode }) {
  useId();
  return children;
}

/** Package hooks are recorded on the server and replayed at the edge; in the browser the call is the call. */
export function useSpliceHook<A extends unknown[], R>(_id: string, hook: (...args: A) => R, ...args: A): R {
  return hook(...args);
}

/** Only the edge module looks components up by key. */
export function registerSpliceComponent(_ref: ComponentRef): void { /* nothing in a browser */ }
