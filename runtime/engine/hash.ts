// Stable, fast, non-cryptographic hashing for the runtime: holdout groups, split branches and
// action ids. FNV-1a (32 bit) over UTF-16 code units, followed by the murmur3 `fmix32` finaliser so
// that similar inputs (L1, L2, …) spread evenly over the whole 32-bit range. Pure functions of their
// input: the same lead always lands in the same group, on every host and every run.

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** A 32-bit unsigned hash of `s` (FNV-1a + fmix32). `seed` selects an independent hash family. */
export function hash32(s: string, seed = 0): number {
  let h = (FNV_OFFSET ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return fmix32(h);
}

/** The murmur3 finaliser: full avalanche of a 32-bit value. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A stable number in [0, 1) derived from `s`. */
export function unitHash(s: string, seed = 0): number {
  return hash32(s, seed) / 4294967296;
}

/** Separator between the parts of a hashed key (never part of a lead id in practice, and harmless if it is). */
export const SEP = '\u0000';

/** Seeds, one per use, so that holdout membership and split branches are independent of each other. */
export const SEED_HOLDOUT = 0x486f6c64; // "Hold"
export const SEED_SPLIT = 0x53706c74; // "Splt"
export const SEED_ID_A = 0x49644131;
export const SEED_ID_B = 0x49644232;

/** Is the lead in the holdout group of `journey` (holdout `percent`, 0–100)? */
export function inHoldout(lead: string, journey: string, percent: number): boolean {
  if (percent <= 0) return false;
  if (percent >= 100) return true;
  return unitHash(lead + SEP + journey, SEED_HOLDOUT) * 100 < percent;
}

/** The split point of (lead, journey, step) in [0, 100). */
export function splitPoint(lead: string, journey: string, step: number): number {
  return unitHash(lead + SEP + journey + SEP + step, SEED_SPLIT) * 100;
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
function hex32(n: number): string {
  return HEX[(n >>> 24) & 255]! + HEX[(n >>> 16) & 255]! + HEX[(n >>> 8) & 255]! + HEX[n & 255]!;
}

/**
 * The stable id of the `seq`-th action emitted for `lead` (16 hex digits: two independent 32-bit
 * hashes). The per-lead sequence only depends on the lead's input stream, never on batching.
 */
export function actionId(lead: string, seq: number): string {
  const key = lead + SEP + seq;
  return hex32(hash32(key, SEED_ID_A)) + hex32(hash32(key, SEED_ID_B));
}
