// Stable, fast, non-cryptographic hashing for the runtime: holdout groups, split branches and
// action ids. FNV-1a (32 bit) over UTF-16 code units, followed by the murmur3 `fmix32` finaliser so
// that similar inputs (L1, L2, …) spread evenly over the whole 32-bit range. Pure functions of their
// input: the same lead always lands in the same group, on every host and every run.

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** A 32-bit unsigned hash of `s` (FNV-1a + fmix32). `seed` selects an independent hash family. */
export function hash32(s: string, seed = 0): number {
  return fmix32(fnvText((FNV_OFFSET ^ seed) >>> 0, s));
}

// The keys below (`lead SEP journey`, `lead SEP seq`, …) are hashed part by part, without building the
// key string: FNV-1a runs over the code units in order, so the result is the hash of the concatenation.

/** FNV-1a over the code units of `s`, from state `h`. */
function fnvText(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/** FNV-1a over the decimal digits of a non-negative integer (as `String(n)` writes it), from state `h`. */
function fnvUint(h: number, n: number): number {
  // Digits from the highest power of ten down: exact for safe integers (larger ones go through String).
  if (!(n <= Number.MAX_SAFE_INTEGER) || n !== Math.floor(n) || n < 0) return fnvText(h, String(n));
  let p = 1;
  while (p * 10 <= n) p *= 10;
  for (; p >= 1; p /= 10) h = Math.imul(h ^ (48 + (Math.floor(n / p) % 10)), FNV_PRIME);
  return h;
}

function fnvSep(h: number): number {
  return Math.imul(h ^ 0, FNV_PRIME); // SEP is U+0000
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
  // = unitHash(lead + SEP + journey, SEED_HOLDOUT)
  const h = fmix32(fnvText(fnvSep(fnvText((FNV_OFFSET ^ SEED_HOLDOUT) >>> 0, lead)), journey));
  return (h / 4294967296) * 100 < percent;
}

/** The split point of (lead, journey, step) in [0, 100). */
export function splitPoint(lead: string, journey: string, step: number): number {
  // = unitHash(lead + SEP + journey + SEP + step, SEED_SPLIT) * 100
  const h = fmix32(fnvUint(fnvSep(fnvText(fnvSep(fnvText((FNV_OFFSET ^ SEED_SPLIT) >>> 0, lead)), journey)), step));
  return (h / 4294967296) * 100;
}

/** The 8 hex digits of `n` (unsigned 32 bits) as char codes, most significant first, into `out` at `at`. */
function putHex(out: number[], n: number, at: number): void {
  for (let k = 7; k >= 0; k--) {
    const d = n & 15;
    out[at + k] = d < 10 ? 48 + d : 87 + d;
    n >>>= 4;
  }
}
const hex: number[] = new Array<number>(16).fill(0);

/**
 * The stable id of the `seq`-th action emitted for `lead` (16 hex digits: two independent 32-bit
 * hashes of `lead SEP seq`). The per-lead sequence only depends on the lead's input stream, never on batching.
 */
export function actionId(lead: string, seq: number): string {
  const c = hex;
  putHex(c, fmix32(fnvUint(fnvSep(fnvText((FNV_OFFSET ^ SEED_ID_A) >>> 0, lead)), seq)), 0);
  putHex(c, fmix32(fnvUint(fnvSep(fnvText((FNV_OFFSET ^ SEED_ID_B) >>> 0, lead)), seq)), 8);
  // sixteen arguments spelled out: `fromCharCode.apply` with an array is several times slower
  return String.fromCharCode(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!, c[10]!, c[11]!, c[12]!, c[13]!, c[14]!, c[15]!);
}
