import { createElement, useContext, useEffect, useId, useSyncExternalStore } from 'react';
import { currentView, serverView, subscribeNothing } from './navigation';
import type { ReactNode } from 'react';
import type { SpliceInstance } from './types';
import { MARKER_ATTRIBUTE, SLOT_TAG, formatMarker, isSlotPlaceholder, overrideNames, textMask } from '@splice/manifest';
import type { ComponentRef, Marker } from '@splice/manifest';
import { SpliceContext } from './SpliceProvider';
import { IN_BROWSER, SpliceRoot } from './SpliceRoot';
import { closeHookWindow, hookWindowFor, openHookWindow } from './hookReplay';
import { DEV, claim, noProvider, ownId } from './devChecks';

/**
 * The hook the compiler inserts at the top of every instrumented component. Identical on the
 * server and in the browser, so both render the same props and the same markers.
 */
export function useSpliceProps<P extends object>(ref: ComponentRef, props: P): SpliceInstance<P> {
  const state = useContext(SpliceContext);
  // useId is derived from tree position and is equal on the server and at hydration, also
  // under Suspense: it names the instance in the marker and in the edge's bootstrap.
  const id = useId();
  // The ordinal: the instance's place among its view's instances in the order they first rendered,
  // which is document order on the server; on the page the edge served the bootstrap names
  // instances by id instead.
  // The page view: 0 on the server and while hydrating (React takes the server snapshot then, so
  // a boundary that hydrates after a navigation still renders what the HTML holds).
  const n = useSyncExternalStore(subscribeNothing, currentView, serverView);
  const view = state === null ? null : state.view(n);
  const ordinal = view === null ? -1 : view.ordinalOf(ref.key, id);

  // Package hooks called from here to `root()` are this instance's: recorded in a source page,
  // replayed in an edge re-render (see `useSpliceHook`).
  const hooks = IN_BROWSER || ref.render === undefined ? null : hookWindowFor(ref.key, id, state !== null && state.markers !== false && state.instanceState);
  openHookWindow(hooks);

  // Committed in this view: for exposure (an effect, so renders React throws away count for
  // nothing; it runs again when the instance renders in a later view).
  useEffect(() => { view?.rendered(ref); }, [view, ref]);

  let merged = props;
  if (view === null && IN_BROWSER && DEV) noProvider(ref);
  if (DEV && n === 0 && state !== null) ownId(ref, id, state);
  if (view !== null) {
    for (const o of view.overrides) {
      if (!overrideNames(o.component, ref)) continue;
      if (o.instance !== undefined && o.instance !== ordinal && o.instance !== id) continue;
      if (DEV && n === 0 && o.instance === id) claim(o.component, o.instance);
      merged = { ...merged, ...(o.props as Partial<P>) };
    }
  }
  const instance: SpliceInstance<P> = {
    props: merged,
    marker(element, texts) {
      if (IN_BROWSER || state?.markers === false) return undefined;
      const mask = texts === undefined ? undefined : textMask(texts);
      const marker: Marker = { key: ref.key, element, instance: id };
      if (ordinal >= 0) marker.ordinal = ordinal;
      if (mask !== undefined) marker.mask = mask;
      return formatMarker(marker);
    },
    done() {
      closeHookWindow(hooks);
    },
    root(child) {
      // Element 0 names no element on a boundary: the tag says what it is.
      const recorded = closeHookWindow(hooks);
      return createElement(SpliceRoot, { component: ref, incoming: props, child, boundary: instance.marker(0), hooks: recorded });
    },
    slot(n, value) {
      if (IN_BROWSER || state?.markers === false) return value;
      if (isSlotPlaceholder(value)) return createElement(SLOT_TAG, { [MARKER_ATTRIBUTE]: slotMarker(ref, n, id) });
      // Text and nothing are recorded in the state as they are: no slot needed.
      if (value === null || typeof value !== 'object') return value;
      return createElement(SLOT_TAG, { [MARKER_ATTRIBUTE]: slotMarker(ref, n, id) }, value);
    },
  };
  return instance;
}

/** A slot's marker: the instance's key and id, and the slot's number where an element's index goes. */
function slotMarker(ref: ComponentRef, n: number, id: string): string {
  return formatMarker({ key: ref.key, element: n, instance: id });
}
