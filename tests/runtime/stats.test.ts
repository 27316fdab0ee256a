import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { liftOf, MIN_LIFT_GROUP } from '../../runtime/engine/measures.js';
import { compareProportions, fisherExact, holm, newcombeDifference, twoProportionZ, wilson } from '../../runtime/engine/stats.js';

describe('Newcombe hybrid score interval', () => {
  // Newcombe (1998), "Interval estimation for the difference between independent proportions:
  // comparison of eleven methods", Statistics in Medicine 17, table II, method 10 (score, no correction).
  const published: [number, number, number, number, number, number][] = [
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [6, 7, 2, 7, 0.0582, 0.8062],
    [5, 56, 0, 29, -0.0381, 0.1926],
    [0, 10, 0, 20, -0.1611, 0.2775],
    [0, 10, 0, 10, -0.2775, 0.2775],
    [10, 10, 0, 20, 0.6791, 1],
    [10, 10, 0, 10, 0.6075, 1],
  ];
  it.each(published)('%i/%i − %i/%i: %f to %f', (x1, n1, x2, n2, low, high) => {
    const r = newcombeDifference(x1, n1, x2, n2);
    expect(r.estimate).toBeCloseTo(x1 / n1 - x2 / n2, 12);
    expect(r.low).toBeCloseTo(low, 4);
    expect(r.high).toBeCloseTo(high, 4);
  });

  it('holds the estimate, stays within [−1, 1], and is wider than the normal approximation for small groups', () => {
    const group = fc.integer({ min: 1, max: 60 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n)));
    fc.assert(
      fc.property(group, group, ([x1, n1], [x2, n2]) => {
        const r = newcombeDifference(x1, n1, x2, n2);
        expect(r.low).toBeLessThanOrEqual(r.estimate + 1e-12);
        expect(r.high).toBeGreaterThanOrEqual(r.estimate - 1e-12);
        expect(r.low).toBeGreaterThanOrEqual(-1);
        expect(r.high).toBeLessThanOrEqual(1);
        // Swapping the groups mirrors the interval.
        const s = newcombeDifference(x2, n2, x1, n1);
        expect(s.low).toBeCloseTo(-r.high, 12);
        expect(s.high).toBeCloseTo(-r.low, 12);
      }),
      { numRuns: 300 },
    );
  });

  it("Wilson's interval of 81/263 (Newcombe 1998b, example)", () => {
    const w = wilson(81, 263);
    expect(w.low).toBeCloseTo(0.2553, 4);
    expect(w.high).toBeCloseTo(0.3662, 4);
  });
});

describe("Fisher's exact test", () => {
  it('matches R: the lady tasting tea (3 1 / 1 3) and the dieting example (1 9 / 11 3)', () => {
    expect(fisherExact(3, 1, 1, 3)).toBeCloseTo(0.4857143, 6);
    expect(fisherExact(1, 9, 11, 3)).toBeCloseTo(0.002759456, 8);
  });

  /** The two-sided p from the hypergeometric probabilities computed directly, with exact products. */
  function bruteForce(a: number, b: number, c: number, d: number): number {
    const choose = (n: number, k: number) => {
      let r = 1;
      for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
      return r;
    };
    const row1 = a + b;
    const col1 = a + c;
    const n = a + b + c + d;
    const prob = (x: number) => (choose(row1, x) * choose(n - row1, col1 - x)) / choose(n, col1);
    const observed = prob(a);
    let p = 0;
    for (let x = Math.max(0, col1 - (n - row1)); x <= Math.min(row1, col1); x++) if (prob(x) <= observed * (1 + 1e-7)) p += prob(x);
    return Math.min(1, p);
  }

  it('equals the direct computation on small tables and is symmetric under transposition', () => {
    const cell = fc.integer({ min: 0, max: 15 });
    fc.assert(
      fc.property(cell, cell, cell, cell, (a, b, c, d) => {
        const p = fisherExact(a, b, c, d);
        expect(p).toBeGreaterThan(0);
        expect(p).toBeLessThanOrEqual(1);
        expect(p).toBeCloseTo(bruteForce(a, b, c, d), 9);
        expect(fisherExact(a, c, b, d)).toBeCloseTo(p, 9);
      }),
      { numRuns: 300 },
    );
  });
});

describe('two proportions and Holm', () => {
  it('the pooled z test: 56/70 vs 48/80 (z = 2.65)', () => {
    expect(twoProportionZ(56, 70, 48, 80)).toBeCloseTo(0.00805, 4);
    expect(twoProportionZ(0, 10, 0, 10)).toBe(1);
  });

  it('compareProportions uses Fisher when an expected count is below 5', () => {
    expect(compareProportions(3, 4, 1, 4)).toEqual({ test: 'fisher', p: fisherExact(3, 1, 1, 3) });
    expect(compareProportions(56, 70, 48, 80).test).toBe('z');
  });

  it("Holm's adjustment matches R's p.adjust", () => {
    expect(holm([0.01, 0.04, 0.03])).toEqual([0.03, 0.06, 0.06]);
    // p.adjust(c(0.02, 0.001, 0.5, 0.04), "holm") = 0.06 0.004 0.5 0.08
    const adjusted = holm([0.02, 0.001, 0.5, 0.04]);
    [0.06, 0.004, 0.5, 0.08].forEach((v, i) => expect(adjusted[i]).toBeCloseTo(v, 12));
  });
});

describe('the lift of the measures', () => {
  it("is Newcombe's interval in points when both groups have 30 leads or more", () => {
    const l = liftOf(56, 70, 48, 80);
    if (l === null || 'tooFew' in l) throw new Error('expected a measured lift');
    expect(l.points).toBeCloseTo(20, 10);
    expect(l.low).toBeCloseTo(5.24, 2);
    expect(l.high).toBeCloseTo(33.39, 2);
  });

  it('says there are too few leads below 30 in either group, and is null when a group is empty', () => {
    expect(MIN_LIFT_GROUP).toBe(30);
    expect(liftOf(15, 29, 1, 2)).toEqual({ tooFew: true, minimum: 30 });
    expect(liftOf(15, 300, 1, 29)).toEqual({ tooFew: true, minimum: 30 });
    expect(liftOf(15, 30, 1, 30)).not.toHaveProperty('tooFew');
    expect(liftOf(15, 30, 0, 0)).toBeNull();
  });
});
