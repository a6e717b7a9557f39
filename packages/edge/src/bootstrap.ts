import { bootstrapScript } from '@splice/manifest';
import type { Override } from '@splice/manifest';
import type { ResolvedOverride } from './types';
import { encoder } from './bytes';

/**
 * The overrides as the client must see them (contract 2). The client matches instances by their
 * `useId`, never by document order: order can differ under selective hydration, the id cannot.
 * So a numeric instance becomes the id the edge saw at that position, and one whose position
 * never appeared is dropped (it patched nothing, so the client must not apply it either).
 * `component` becomes the resolved key, so the client needs no name resolution.
 */
export function overridesForClient(
  applied: readonly ResolvedOverride[],
  instanceIds: ReadonlyMap<string, readonly string[]>,
): Override[] {
  const out: Override[] = [];
  for (const a of applied) {
    const client: Override = { component: a.key, props: a.override.props };
    const instance = a.override.instance;
    if (typeof instance === 'number') {
      const id = instanceIds.get(a.key)?.[instance];
      if (id === undefined) continue;
      client.instance = id;
    } else if (typeof instance === 'string') {
      client.instance = instance;
    }
    out.push(client);
  }
  return out;
}

export function bootstrapBytes(
  buildId: string,
  assignments: Record<string, string> | undefined,
  applied: readonly ResolvedOverride[],
  instanceIds: ReadonlyMap<string, readonly string[]>,
): Uint8Array {
  return encoder.encode(
    bootstrapScript({ buildId, assignments: assignments ?? {}, overrides: overridesForClient(applied, instanceIds) }),
  );
}
