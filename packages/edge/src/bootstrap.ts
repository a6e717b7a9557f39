import { bootstrapScript } from '@splice/manifest';
import type { Override } from '@splice/manifest';
import type { ResolvedOverride } from './types';
import { encoder } from './bytes';

/** The instances of one component key, in document order: `ids[ordinal]` is that instance's `useId`. */
export type InstanceIds = ReadonlyMap<string, readonly string[]>;

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
  for (const a of applied) {
    const ids = instanceIds.get(a.key) ?? [];
    const instance = a.override.instance;
    if (instance !== undefined) {
      const ordinal = typeof instance === 'number' ? instance : ids.indexOf(instance);
      const id = ids[ordinal];
      if (id === undefined) { if (wrote === undefined && typeof instance === 'string') out.push({ component: a.key, props: a.override.props, instance }); continue; }
      if (wrote !== undefined && !wrote(a.index, ordinal)) continue;
      out.push({ component: a.key, props: a.override.props, instance: id });
      continue;
    }
    let all = true;
    let some = false;
    for (let o = 0; o < ids.length; o++) {
      if (wrote === undefined || wrote(a.index, o)) some = true;
      else all = false;
    }
    if (wrote === undefined || (all && some)) {
      out.push({ component: a.key, props: a.override.props });
      continue;
    }
    ids.forEach((id, o) => { if (wrote(a.index, o)) out.push({ component: a.key, props: a.override.props, instance: id }); });
  }
  return out;
}

export function bootstrapBytes(
  buildId: string,
  assignments: Record<string, string> | undefined,
  applied: readonly ResolvedOverride[],
  instanceIds: InstanceIds,
  wrote?: (override: number, ordinal: number) => boolean,
): Uint8Array {
  return encoder.encode(
    bootstrapScript({ buildId, assignments: assignments ?? {}, overrides: overridesForClient(applied, instanceIds, wrote) }),
  );
}
