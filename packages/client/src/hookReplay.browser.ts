/**
 * `hookReplay` as a browser bundle gets it (package.json `browser` field): package hooks are
 * recorded only in a server render and replayed only at the edge, so in the browser the wrapper
 * calls the hook and nothing else, as the full module does there. Kept apart so that the
 * recorder (most of the runtime's bytes) never ships to browsers. Same exports, same signatures.
 */
import type { HookRecord } from '@splice/manifest';
import type { HookWindow, ReplaySession } from './hookReplay';

export type { HookWindow, ReplaySession };

/** An edge re-render bundled with browser file swaps would call package hooks live: it fails instead, and the instance stays as cached. */
export function replaying<T>(_replay: ReplaySession, _render: () => T): T {
  throw new Error('@splice/client was bundled with its browser build (package.json `browser` field): an edge renderer needs `resolve.aliasFields: []`');
}

export function hookWindowFor(_key: string, _id: string, _recording: boolean): HookWindow | null {
  return null;
}

export function openHookWindow(_window: HookWindow | null): void {
  // Nothing is recorded in a browser.
}

export function closeHookWindow(_window: HookWindow | null): HookRecord[] | null {
  return null;
}

export function useSpliceHook<A extends unknown[], R>(_id: string, hook: (...args: A) => R, ...args: A): R {
  return hook(...args);
}
