import { validateManifest } from '@splice/manifest';
import type { SpliceManifest } from '@splice/manifest';

const validated = new WeakMap<object, SpliceManifest>();

/**
 * `validateManifest`, once per manifest object. A Worker imports its manifest once and hands the
 * same object to every request; walking every component of it on each request would be pure
 * overhead on the request path. (A manifest mutated after its first use is not re-checked.)
 */
export function validManifest(value: unknown): SpliceManifest {
  if (typeof value === 'object' && value !== null) {
    const known = validated.get(value);
    if (known !== undefined) return known;
    const manifest = validateManifest(value);
    validated.set(value, manifest);
    return manifest;
  }
  return validateManifest(value);
}
