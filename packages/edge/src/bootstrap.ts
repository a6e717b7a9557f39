import type { Override } from '@splice/manifest';
import type { ResolvedOverride } from './types';
import { LONE_SURROGATE, defineOwn, safeMessage } from './util';

/**
 * The instances of each component key, in document order: as a map of `useId` lists, or asked
 * for one at a time (the hit path answers from its page survey without listing every instance).
 */
export type InstanceIds = ReadonlyMap<string, readonly string[]> | InstanceLookup;

export interface InstanceLookup {
  /** How many instances of `key` there are. */
  count(key: string): number;
  /** The `useId` of instance `ordinal` of `key`, if there is one. */
  id(key: string, ordinal: number): string | undefined;
  /** The ordinal of the instance of `key` with this `useId`, or -1. */
  ordinal(key: string, id: string): number;
}

export function lookupOf(ids: InstanceIds): InstanceLookup {
  if (!(ids instanceof Map)) return ids as InstanceLookup;
  const map = ids as ReadonlyMap<string, readonly string[]>;
  return {
    count: (key) => map.get(key)?.length ?? 0,
    id: (key, ordinal) => map.get(key)?.[ordinal],
    ordinal: (key, id) => map.get(key)?.indexOf(id) ?? -1,
  };
}

/**
 * The overrides as the client must see them (contracts 2 and 6). The client matches instances by
 * their `useId`, never by document order: order can differ under selective hydration, the id
 * cannot. So a numeric instance becomes the id the edge saw at that position. `component`
 * becomes the resolved key, so the client needs no name resolution.
 *
 * `wrote(override index, ordinal)` (did the override change bytes of that instance) makes the list say
 * exactly what was done: an override that wrote nothing (its instance never appeared, its
 * element was refused or over budget) is left out, and one that wrote only some of the
 * instances it names is narrowed to those, so DOM and bootstrap always agree. Without
 * `written`, every applied override is taken as written.
 */
export function overridesForClient(
  applied: readonly ResolvedOverride[],
  instanceIds: InstanceIds,
  wrote?: (override: number, ordinal: number) => boolean,
): Override[] {
  const out: Override[] = [];
  const ids = lookupOf(instanceIds);
  for (const a of applied) {
    const instance = a.override.instance;
    if (instance !== undefined) {
      const ordinal = typeof instance === 'number' ? instance : ids.ordinal(a.key, instance);
      const id = ordinal < 0 ? undefined : ids.id(a.key, ordinal);
      if (id === undefined) { if (wrote === undefined && typeof instance === 'string') out.push({ component: a.key, props: a.override.props, instance }); continue; }
      if (wrote !== undefined && !wrote(a.index, ordinal)) continue;
      out.push({ component: a.key, props: a.override.props, instance: id });
      continue;
    }
    const count = ids.count(a.key);
    let all = true;
    let some = false;
    for (let o = 0; o < count; o++) {
      if (wrote === undefined || wrote(a.index, o)) some = true;
      else all = false;
    }
    if (wrote === undefined || (all && some)) {
      out.push({ component: a.key, props: a.override.props });
      continue;
    }
    for (let o = 0; o < count; o++) if (wrote(a.index, o)) out.push({ component: a.key, props: a.override.props, instance: ids.id(a.key, o) as string });
  }
  return out;
}

/** At most this many assignments, each id and variant at most `MAX_ASSIGNMENT_CHARS` long. */
const MAX_ASSIGNMENTS = 64;
const MAX_ASSIGNMENT_CHARS = 256;

/**
 * The assignments the bootstrap can carry: a plain object of string to string, checked before a
 * byte is patched, so the bootstrap cannot fail to serialize at the end of a page whose elements
 * already changed (then DOM and bootstrap would disagree). Anything else is left out and named.
 */
export function readAssignments(value: unknown): { assignments: Record<string, string>; problem: string | null } {
  const assignments: Record<string, string> = {};
  if (value === undefined) return { assignments, problem: null };
  try {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || ![Object.prototype, null].includes(Object.getPrototypeOf(value))) {
      return { assignments, problem: 'assignments must be a plain object of strings; left out of the bootstrap' };
    }
    const dropped: string[] = [];
    for (const key of Object.keys(value)) {
      const v: unknown = (value as Record<string, unknown>)[key];
      const ok = typeof v === 'string' && key.length <= MAX_ASSIGNMENT_CHARS && v.length <= MAX_ASSIGNMENT_CHARS && Object.keys(assignments).length < MAX_ASSIGNMENTS
        && !LONE_SURROGATE.test(key) && !LONE_SURROGATE.test(v);
      if (ok) defineOwn(assignments, key, v as string);
      else dropped.push(key);
    }
    return { assignments, problem: dropped.length === 0 ? null : `assignments ${dropped.slice(0, 5).map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}${dropped.length > 5 ? ` and ${dropped.length - 5} more` : ''} left out of the bootstrap (each a string of at most ${MAX_ASSIGNMENT_CHARS} characters, at most ${MAX_ASSIGNMENTS})` };
  } catch (error) {
    return { assignments: {}, problem: `assignments cannot be read (${safeMessage(error)}); left out of the bootstrap` };
  }
}
