// "Did you mean …?": edit distance and the choice of a close candidate.
// Only ever called for a name that failed to resolve, so its cost does not weigh on valid workspaces.

/**
 * Optimal-string-alignment distance (Damerau–Levenshtein where a transposition of two adjacent
 * characters counts as one edit). Gives up early and returns `limit + 1` as soon as the distance
 * is known to exceed `limit`.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (a.length === 0 || b.length === 0) {
    const d = a.length + b.length;
    return d > limit ? limit + 1 : d;
  }
  let prev2 = new Array<number>(b.length + 1).fill(0); // row i-2
  let prev = new Array<number>(b.length + 1); // row i-1
  let cur = new Array<number>(b.length + 1); // row i
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        d = Math.min(d, prev2[j - 2] + 1);
      }
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return limit + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  const d = prev[b.length];
  return d > limit ? limit + 1 : d;
}

/**
 * How far a misspelling may be from the intended name: none for a single character, 1 edit for
 * names of 2 or 3 characters (otherwise `vp` would "correct" to any two-letter name), else 2, or a
 * third of the length for long names.
 */
export function suggestionLimit(name: string): number {
  const n = [...name].length;
  return n <= 1 ? 0 : n <= 3 ? 1 : Math.max(2, Math.floor(n / 3));
}

/**
 * The closest candidate within the limit, or undefined. A candidate equal but for letter case
 * always qualifies and wins. Ties go to the candidate listed first (callers list the preferred
 * scope first: event fields before lead attributes, …).
 */
export function closest(name: string, candidates: Iterable<string>, limit = suggestionLimit(name)): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    if (candidate.toLowerCase() === lower) return candidate;
    const d = editDistance(name, candidate, Math.min(limit, bestDistance - 1));
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
