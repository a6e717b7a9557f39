import type { HookRecord, InstanceState, JsonValue } from './types';

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
  if (s.absent !== undefined) {
    if (!isAbsentList(s.absent, contexts)) return null;
    state.absent = s.absent;
  }
  if (s.hooks !== undefined) {
    if (!isHookRecords(s.hooks)) return null;
    state.hooks = s.hooks;
  }
  return state;
}

/** Ascending indices of contexts, each once. */
function isAbsentList(v: unknown, contexts: number): v is number[] {
  return Array.isArray(v) && v.length > 0 && v.every((i, n) => Number.isInteger(i) && i >= 0 && i < contexts && (n === 0 || i > (v[n - 1] as number)));
}

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
