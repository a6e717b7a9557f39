import type { Experiment, Variant } from './config';

/**
 * A number in [0, 1) from a string, the same everywhere (no randomness, no clock): MurmurHash3's
 * 32-bit mixing of the UTF-16 code units, then its finalizer, so that visitor ids that differ by
 * one character land far apart. Hand-written: it runs per experiment on every request, and Web
 * Crypto's digest is asynchronous and heavier than this needs.
 */
export function unitHash(input: string): number {
  let h = 0x9747b28c;
  for (let i = 0; i < input.length; i++) {
    let k = input.charCodeAt(i);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= input.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/**
 * The variant a visitor gets in an experiment, deterministic from the visitor id and the
 * experiment id: null when the visitor falls outside the experiment's traffic. Traffic and
 * variant use independent hashes, so lowering traffic removes visitors without moving the others
 * between variants.
 */
export function assignVariant(experiment: Experiment, visitorId: string): Variant | null {
  if (!inTraffic(experiment, visitorId)) return null;
  const total = experiment.variants.reduce((sum, v) => sum + v.weight, 0);
  let point = unitHash(`variant:${experiment.id}:${visitorId}`) * total;
  for (const v of experiment.variants) {
    if (v.weight === 0) continue;
    if (point < v.weight) return v;
    point -= v.weight;
  }
  // Rounding at the very top: the last variant with weight.
  return [...experiment.variants].reverse().find((v) => v.weight > 0) ?? null;
}

/** Is the visitor in the experiment's share of traffic (independent of which variant they get)? */
export function inTraffic(experiment: Experiment, visitorId: string): boolean {
  const traffic = experiment.traffic ?? 1;
  return traffic >= 1 || unitHash(`traffic:${experiment.id}:${visitorId}`) < traffic;
}
