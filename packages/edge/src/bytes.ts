/**
 * Byte helpers. The patcher works on bytes, not text: decoding and re-encoding every chunk costs
 * more than all the patching (DESIGN.md, "Facts measured": ×5 over pass-through), so only the
 * few bytes being rewritten are ever decoded.
 */
export const encoder = new TextEncoder();

/** Fatal, so a marker that is not valid UTF-8 is rejected rather than silently altered. */
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

export function decodeStrict(bytes: Uint8Array): string | null {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return null;
  }
}

export function ascii(s: string): Uint8Array {
  return encoder.encode(s);
}

/**
 * UTF-8 bytes of a short string. Most rewritten values are short ASCII, for which a loop beats a
 * `TextEncoder` call (its fixed cost dominates below a few hundred bytes); the rest go to it.
 */
export function utf8(s: string): Uint8Array {
  const n = s.length;
  if (n > 256) return encoder.encode(s);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return encoder.encode(s);
    out[i] = c;
  }
  return out;
}

export function matchesAt(hay: Uint8Array, at: number, pattern: Uint8Array): boolean {
  if (at < 0 || at + pattern.length > hay.length) return false;
  for (let i = 0; i < pattern.length; i++) if (hay[at + i] !== pattern[i]) return false;
  return true;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && matchesAt(a, 0, b);
}
