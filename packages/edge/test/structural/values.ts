import fc from 'fast-check';
import type { JsonValue } from '@splice/manifest';

/**
 * Override values of the same type as an example value: the fixtures' cases say what a prop
 * holds (a string, a count, a list of tags, an object), and the property tests try many others
 * of that type. Lists are generated without duplicates: components key their items by value.
 */
export function valuesLike(example: JsonValue): fc.Arbitrary<JsonValue> {
  if (example === null) return fc.constant(null);
  if (typeof example === 'string') return fc.string({ unit: 'grapheme', maxLength: 12 });
  if (typeof example === 'boolean') return fc.boolean();
  if (typeof example === 'number') {
    return Number.isInteger(example)
      ? fc.integer({ min: -1000, max: 1_000_000 })
      : fc.double({ min: -1e4, max: 1e4, noNaN: true }).map((n) => (Object.is(n, -0) ? 0 : n));
  }
  if (Array.isArray(example)) {
    if (example.length === 0) return fc.constant([]);
    return fc.uniqueArray(valuesLike(example[0] as JsonValue), { maxLength: 4, selector: (v) => JSON.stringify(v) });
  }
  const fields: Record<string, fc.Arbitrary<JsonValue>> = {};
  for (const [k, v] of Object.entries(example)) fields[k] = valuesLike(v);
  return fc.record(fields);
}

/** Props of the same types as `props`. */
export function propsLike(props: Record<string, JsonValue>): fc.Arbitrary<Record<string, JsonValue>> {
  const fields: Record<string, fc.Arbitrary<JsonValue>> = {};
  for (const [k, v] of Object.entries(props)) fields[k] = valuesLike(v);
  return fc.record(fields);
}
