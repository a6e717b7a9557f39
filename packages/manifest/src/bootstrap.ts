import type { Bootstrap } from './types';
import { BOOTSTRAP_ELEMENT_ID } from './marker';

/**
 * JSON for a `<script type="application/json">` body: `<`, `>` and `&` escaped so that no
 * `</script>` or `<!--` can end or confuse the script element, and U+2028/U+2029 escaped for
 * parsers that treat them as line ends. `JSON.parse` reads it back unchanged.
 */
export function serializeForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function bootstrapScript(bootstrap: Bootstrap): string {
  return `<script type="application/json" id="${BOOTSTRAP_ELEMENT_ID}">${serializeForScript(bootstrap)}</script>`;
}
