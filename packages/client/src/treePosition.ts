/**
 * React's `useId` is derived from the instance's position in the tree: a bit string that every
 * array of children (index among N, `bitLength(N)` bits) and every component that calls `useId`
 * (one bit) extends. A region re-rendered alone starts at the root, so its ids would differ from
 * the full render's, and hydration would not match. React's own partial prerendering stores the
 * tree context with each postponed hole for the same reason.
 *
 * Here the position is read back from two ids the server render wrote: the instance's own and
 * its root probe's, one level down. The probe's level starts with a 1 bit, which gives the bit
 * length that the instance's id alone loses to leading zeros. The position is then rebuilt by
 * nesting the re-rendered element in arrays whose indices push exactly those bits. Positions
 * deep enough to reach React's 30-bit overflow are refused: their ids are not reproducible from
 * the strings alone.
 */
export interface TreePosition {
  /** The position's bits, low bits pushed first, without React's leading 1. */
  bits: number;
  length: number;
}

/** One array level: `total` children, the instance at `index`. */
export interface Push { total: number; index: number }

const MAX_ARRAY = 4096;

export function treeIdOf(id: string, identifierPrefix: string): string | null {
  const head = `_${identifierPrefix}R_`;
  if (!id.startsWith(head) || !id.endsWith('_')) return null;
  const tree = id.slice(head.length, -1);
  return /^[0-9a-v]{1,7}$/.test(tree) ? tree : null;
}

/** The position of an instance from its id and its probe's, or why it cannot be known. */
export function treePosition(id: string, probe: string, identifierPrefix: string): TreePosition | string {
  const own = treeIdOf(id, identifierPrefix);
  const below = treeIdOf(probe, identifierPrefix);
  if (own === null || below === null) return 'ids are not React useId values with this identifierPrefix';
  const n = parseInt(below, 32);
  if (!(n > 0) || n >= 2 ** 30) return 'the instance is too deep in the tree to reproduce its useId values';
  const length = 31 - Math.clz32(n);
  const bits = n - 2 ** length;
  if (bits.toString(32) !== own) return 'the instance id and its probe id disagree (a tree deeper than React\'s 30-bit ids)';
  return { bits, length };
}

/** The array levels that rebuild a position, outermost first. */
export function pushesFor(position: TreePosition): Push[] | string {
  const pushes: Push[] = [];
  let pos = 0;
  const { bits, length } = position;
  while (pos < length) {
    let k = Math.min(5, length - pos);
    // A level pushes its index + 1, never zero: widen the level until it holds a 1 bit, and let
    // the last one take the high zeros (they are the leading zeros of its index + 1).
    while (pos + k < length && chunk(bits, pos, k) === 0) k++;
    if (pos + k < length && chunk(bits, pos + k, length - pos - k) === 0) k = length - pos;
    const value = chunk(bits, pos, k);
    if (value === 0) return 'malformed tree position';
    const total = Math.max(value, 2 ** (k - 1));
    if (total > MAX_ARRAY) return 'the instance sits in a list too long to rebuild its position';
    pushes.push({ total, index: value - 1 });
    pos += k;
  }
  return pushes;
}

function chunk(bits: number, from: number, k: number): number {
  return Math.floor(bits / 2 ** from) % 2 ** k;
}
