import type { ContextPath, HookRecord, InstanceState, JsonValue } from './types';

/** React's `useId` values: `_` + prefix + `R_` + tree id (+ `H` + local id) + `_`. The prefix is the app's own. */
const ID = /^_[\s\S]{0,64}R_[0-9a-v]{1,40}_$/;

/**
 * Reads an instance state written by the server render (contract 1, root markers). Untrusted:
 * it comes from a page. `null` for anything malformed; the edge then refuses to re-render that
 * instance and says so.
 */
export function parseInstanceState(json: string, contexts: number): InstanceState | null {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return null;
  }
  return checkInstanceState(v, contexts);
}

/** `parseInstanceState` for a value already parsed (a page index read back from storage). */
export function checkInstanceState(v: unknown, contexts: number): InstanceState | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const s = v as Record<string, unknown>;
  if (typeof s.refused === 'string') return { refused: s.refused };
  if (typeof s.props !== 'object' || s.props === null || Array.isArray(s.props)) return null;
  if (!Array.isArray(s.contexts) || s.contexts.length !== contexts) return null;
  if (typeof s.tree !== 'string' || !ID.test(s.tree)) return null;
  const state: InstanceState = { props: s.props as Record<string, JsonValue>, contexts: s.contexts as JsonValue[], tree: s.tree };
  if (s.functions !== undefined) {
    if (!isContextPaths(s.functions, state.contexts)) return null;
    state.functions = s.functions;
  }
  if (s.hooks !== undefined) {
    if (!isHookRecords(s.hooks)) return null;
    state.hooks = s.hooks;
  }
  return state;
}

/**
 * Places in the recorded context values where functions were: each through containers that are
 * there (an object's own key, an array's index) to a slot JSON left empty (a key the object does
 * not have, or null in an array), at most 32 deep. A forged path (`__proto__`, a key that holds
 * data) would have the edge write over the record or outside it.
 */
function isContextPaths(v: unknown, contexts: JsonValue[]): v is ContextPath[] {
  if (!Array.isArray(v) || v.length === 0 || v.length > MAX_CONTEXT_FUNCTIONS) return false;
  return v.every((p: unknown) => {
    if (!Array.isArray(p) || p.length === 0 || p.length > 33 || !Number.isInteger(p[0]) || p[0] < 0 || p[0] >= contexts.length) return false;
    let at: unknown = contexts[p[0] as number];
    for (let i = 1; i < p.length; i++) {
      const key: unknown = p[i];
      const last = i === p.length - 1;
      if (Array.isArray(at)) {
        if (!Number.isInteger(key) || (key as number) < 0 || (key as number) >= at.length) return false;
        at = at[key as number];
        if (last) return at === null;
      } else if (typeof at === 'object' && at !== null) {
        if (typeof key !== 'string' || key === '__proto__') return false;
        const own = Object.prototype.hasOwnProperty.call(at, key);
        if (last) return !own;
        if (!own) return false;
        at = (at as Record<string, unknown>)[key];
      } else {
        return false;
      }
    }
    // The whole context is the function: JSON recorded null.
    return p.length === 1 && at === null;
  });
}

const MAX_CONTEXT_FUNCTIONS = 256;

/** A list of recorded package-hook calls, in shape (the values are checked as the edge decodes them). */
export function isHookRecords(v: unknown): v is HookRecord[] {
  if (!Array.isArray(v) || v.length > MAX_HOOK_CALLS) return false;
  return v.every((r: unknown) => {
    if (typeof r !== 'object' || r === null) return false;
    const { hook, args, ids, at, value } = r as Record<string, unknown>;
    return typeof hook === 'string' && (args === null || typeof args === 'string') && Number.isInteger(ids) && (ids as number) >= 0 && (ids as number) <= MAX_LOCAL_IDS
      && (at === undefined || (Number.isInteger(at) && (at as number) >= 0)) && value !== undefined;
  });
}

/** More package-hook calls than any component makes, or ids than one hook takes: a forged state. */
const MAX_HOOK_CALLS = 256;
const MAX_LOCAL_IDS = 64;
