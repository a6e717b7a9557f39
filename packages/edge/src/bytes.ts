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

/** A pattern searched with the native `indexOf` on its rarest byte, then verified. */
export interface Needle {
  bytes: Uint8Array;
  /** Index in `bytes` of the byte we search for natively. */
  rare: number;
}

export function needle(text: string, rareChar: string): Needle {
  const bytes = ascii(text);
  const rare = text.indexOf(rareChar);
  if (rare < 0) throw new Error(`needle ${text} lacks ${rareChar}`);
  return { bytes, rare };
}

export function matchesAt(hay: Uint8Array, at: number, pattern: Uint8Array): boolean {
  if (at < 0 || at + pattern.length > hay.length) return false;
  for (let i = 0; i < pattern.length; i++) if (hay[at + i] !== pattern[i]) return false;
  return true;
}

/**
 * First complete occurrence of `n` starting at or after `from`, or -1. The loop runs once per
 * occurrence of the rare byte, not once per byte: `indexOf` is a native scan.
 */
export function findNeedle(hay: Uint8Array, from: number, n: Needle): number {
  const rareByte = n.bytes[n.rare] as number;
  const last = hay.length - n.bytes.length; // last possible start
  let i = hay.indexOf(rareByte, from + n.rare);
  while (i !== -1) {
    const start = i - n.rare;
    if (start > last) return -1;
    if (matchesAt(hay, start, n.bytes)) return start;
    i = hay.indexOf(rareByte, i + 1);
  }
  return -1;
}

/**
 * Length of the longest suffix of `hay[from..]` that is a proper prefix of one of the needles:
 * the only bytes that must wait for the next chunk. Everything before them can leave now.
 */
export function prefixTail(hay: Uint8Array, from: number, needles: readonly Needle[]): number {
  let max = 0;
  for (const n of needles) max = Math.max(max, n.bytes.length - 1);
  const available = hay.length - from;
  for (let k = Math.min(max, available); k > 0; k--) {
    const start = hay.length - k;
    for (const n of needles) {
      if (n.bytes.length > k && matchesAt(n.bytes.subarray(0, k), 0, hay.subarray(start))) return k;
    }
  }
  return 0;
}

/**
 * Joins pieces into one array. When the pieces are adjacent views of one buffer (the usual case:
 * a marker and its tag inside one chunk) this is a view, not a copy.
 */
export function join(pieces: readonly Uint8Array[]): Uint8Array {
  if (pieces.length === 0) return new Uint8Array(0);
  if (pieces.length === 1) return pieces[0] as Uint8Array;
  let contiguous = true;
  const first = pieces[0] as Uint8Array;
  let end = first.byteOffset + first.length;
  let total = first.length;
  for (let i = 1; i < pieces.length; i++) {
    const p = pieces[i] as Uint8Array;
    if (p.buffer !== first.buffer || p.byteOffset !== end) contiguous = false;
    end = p.byteOffset + p.length;
    total += p.length;
  }
  if (contiguous) return new Uint8Array(first.buffer, first.byteOffset, total);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of pieces) { out.set(p, at); at += p.length; }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && matchesAt(a, 0, b);
}
