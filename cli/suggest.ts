// Did-you-mean for command and flag names: the shared edit distance, plus prefixes ("comp" for
// "compile") and case-insensitivity, which suit typed commands better than the language's rule.
import { editDistance } from '../grammar/suggest.js';

export { editDistance };

export function closest(input: string, candidates: Iterable<string>): string | undefined {
  const needle = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const hay = c.toLowerCase();
    let dist = editDistance(needle, hay);
    // A prefix of at least 3 characters ("comp" for "compile") is a good hint too.
    if (needle.length >= 3 && hay.startsWith(needle)) dist = Math.min(dist, 1);
    const limit = needle.length <= 3 ? 1 : needle.length <= 6 ? 2 : 3;
    if (dist <= limit && dist < bestDistance) {
      best = c;
      bestDistance = dist;
    }
  }
  return best;
}
