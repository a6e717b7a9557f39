/**
 * Byte helpers. The patcher works on bytes, not text: decoding and re-encoding every chunk costs
 * more than all the patching (measured: ×5 over pass-through), so only the
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

/** The pieces as one array: the piece itself when there is one, else a copy. */
export function concat(pieces: readonly Uint8Array[]): Uint8Array {
  if (pieces.length === 1) return pieces[0] as Uint8Array;
  let total = 0;
  for (const p of pieces) total += p.length;
  const joined = new Uint8Array(total);
  let at = 0;
  for (const p of pieces) { joined.set(p, at); at += p.length; }
  return joined;
}

export function matchesAt(hay: Uint8Array, at: number, pattern: Uint8Array): boolean {
  if (at < 0 || at + pattern.length > hay.length) return false;
  for (let i = 0; i < pattern.length; i++) if (hay[at + i] !== pattern[i]) return false;
  return true;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && matchesAt(a, 0, b);
}

/**
 * How many bytes `text` takes as UTF-8, counted only up to `max` (past it, `max + 1`): a string
 * too large to hold as bytes should not be made into bytes to find that out. Every UTF-16 unit is
 * at least one byte and at most three (a surrogate pair, two units, is four; a lone one is U+FFFD).
 */
export function utf8Size(text: string, max: number): number {
  const n = text.length;
  if (n > max) return max + 1;
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) { bytes += 4; i++; }
    else bytes += 3;
    if (bytes > max) return max + 1;
  }
  return bytes;
}

/** Does `text` take more than `max` bytes as UTF-8? (See `utf8Size`.) */
export function utf8Over(text: string, max: number): boolean {
  return text.length > max || (text.length * 3 > max && utf8Size(text, max) > max);
}

/**
 * `buf.indexOf(c, from)` as a plain loop, up to `to`: `Uint8Array.prototype.indexOf` is a call
 * into the runtime that costs ≈ 50 ns however near the byte is, and the scan and the element
 * patch look for the next `<`, `=` or quote a few bytes on, thousands of times a page.
 */
export function findByte(buf: Uint8Array, c: number, from: number, to = buf.length): number {
  for (let i = from; i < to; i++) if (buf[i] === c) return i;
  return -1;
}
