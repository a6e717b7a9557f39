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
 * `written` (override index → ids of the instances whose bytes it changed) makes the list say
 * exactly what was done: an override that wrote nothing (its instance never appeared, its
 * element was refused or over budget) is left out, and one that wrote only some of the
 * instances it names is narrowed to those, so DOM and bootstrap always agree. Without
 * `written`, every applied override is taken as written.
 */
export function overridesForClient(
  applied: readonly ResolvedOverride[],
  instanceIds: InstanceIds,
  written?: ReadonlyMap<number, ReadonlySet<string>>,
): Override[] {
  const out: Override[] = [];
  for (const a of applied) {
    const ids = instanceIds.get(a.key) ?? [];
    const done = written?.get(a.index);
    const instance = a.override.instance;
    if (instance !== undefined) {
      const id = typeof instance === 'number' ? ids[instance] : instance;
      if (id === undefined || (written !== undefined && done?.has(id) !== true)) continue;
      out.push({ component: a.key, props: a.override.props, instance: id });
      continue;
    }
    if (written === undefined || ids.every((id) => done?.has(id) === true)) {
      if (written !== undefined && ids.length === 0) continue;
      out.push({ component: a.key, props: a.override.props });
      continue;
    }
    for (const id of ids) if (done?.has(id) === true) out.push({ component: a.key, props: a.override.props, instance: id });
  }
  return out;
}

export function bootstrapBytes(
  buildId: string,
  assignments: Record<string, string> | undefined,
  applied: readonly ResolvedOverride[],
  instanceIds: InstanceIds,
  written?: ReadonlyMap<number, ReadonlySet<string>>,
): Uint8Array {
  return encoder.encode(
    bootstrapScript({ buildId, assignments: assignments ?? {}, overrides: overridesForClient(applied, instanceIds, written) }),
  );
}
