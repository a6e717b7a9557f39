/**
 * FNV-1a, 32 bit, in base 36. Used for component keys and build ids: it must give the same
 * answer in Node (compiler), in the browser and in workerd, so no crypto API (async there).
 */
export function hashString(input: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < input.length; i++) {
    h ^= input.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}
