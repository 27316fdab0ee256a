// The summaries behind the report's distributions (measures.ts).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { countsDistribution, distribution } from '../../runtime/engine/measures.js';

describe('countsDistribution (sends per lead and period, from a histogram)', () => {
  it('is the sorted distribution of the same counts', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 40 }), { maxLength: 300 }), (xs) => {
        expect(countsDistribution(Uint32Array.from(xs))).toEqual(distribution(xs));
      }),
      { numRuns: 500 },
    );
  });

  it('summarises a few counts by nearest rank', () => {
    expect(countsDistribution([0, 0, 3, 1, 0, 2, 0, 0, 0, 1])).toEqual({ count: 10, min: 0, median: 0, p95: 3, max: 3 });
    expect(countsDistribution([])).toEqual({ count: 0, min: null, median: null, p95: null, max: null });
    expect(countsDistribution([7])).toEqual({ count: 1, min: 7, median: 7, p95: 7, max: 7 });
  });
});
