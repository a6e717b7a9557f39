import type { Bootstrap } from './types';
import { BOOTSTRAP_ELEMENT_ID } from './marker';

/**
 * JSON for a `<script type="application/json">` body: `<`, `>` and `&` escaped so that no
 * `</script>` or `<!--` can end or confuse the script element, and U+2028/U+2029 escaped for
 * parsers that treat them as line ends. `JSON.parse` reads it back unchanged.
 */
export function serializeForScript(value: unknown): string {
  const json = JSON.stringify(value);
  // One pass, and none when nothing needs escaping (the edge writes this on every request).
  return SCRIPT_UNSAFE.test(json) ? json.replace(SCRIPT_UNSAFE_ALL, (c) => SCRIPT_ESCAPES[c] as string) : json;
}

const SCRIPT_UNSAFE = /[<>&\u2028\u2029]/;
const SCRIPT_UNSAFE_ALL = /[<>&\u2028\u2029]/g;
const SCRIPT_ESCAPES: Record<string, string> = {
  '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029',
};

export function bootstrapScript(bootstrap: Bootstrap): string {
  return `<script type="application/json" id="${BOOTSTRAP_ELEMENT_ID}">${serializeForScript(bootstrap)}</script>`;
}
