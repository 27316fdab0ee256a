// Statistics behind the measures (LANGUAGE.md section 9): the lift's interval and the tests that compare
// a split's branches. Conversion counts in marketing are often small (a 10% holdout of a few hundred
// leads), so the methods are the ones that stay right there: Newcombe's hybrid score interval for a
// difference of proportions (not the normal approximation, which is too narrow and can leave [-1, 1]),
// Fisher's exact test for small tables, and Holm's step-down correction when several tests are made.

/** z for a two-sided 95% interval: the 97.5th percentile of the standard normal. */
export const Z95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/** Wilson's score interval for a proportion x/n (n > 0). */
export function wilson(x: number, n: number, z = Z95): Interval {
  const p = x / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p) + z2 / (4 * n)) / n);
  const denominator = 1 + z2 / n;
  return { low: Math.max(0, (centre - spread) / denominator), high: Math.min(1, (centre + spread) / denominator) };
}

/**
 * Newcombe's hybrid score interval (method 10 of Newcombe 1998) for p₁ − p₂ = x₁/n₁ − x₂/n₂: the two
 * Wilson intervals combined. Both groups must be non-empty.
 */
export function newcombeDifference(x1: number, n1: number, x2: number, n2: number, z = Z95): Interval & { estimate: number } {
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const w1 = wilson(x1, n1, z);
  const w2 = wilson(x2, n2, z);
  const estimate = p1 - p2;
  return {
    estimate,
    low: Math.max(-1, estimate - Math.sqrt((p1 - w1.low) ** 2 + (w2.high - p2) ** 2)),
    high: Math.min(1, estimate + Math.sqrt((w1.high - p1) ** 2 + (p2 - w2.low) ** 2)),
  };
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms: ~15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const y = x - 1;
  let a = c[0]!;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

const logChoose = (n: number, k: number): number => logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);

/**
 * Two-sided p-value of Fisher's exact test for the 2×2 table [[a, b], [c, d]]: the probability, under
 * fixed margins, of every table at most as likely as the one observed (with R's relative tolerance, so
 * that tables equal in probability up to rounding count alike).
 */
export function fisherExact(a: number, b: number, c: number, d: number): number {
  const row1 = a + b;
  const col1 = a + c;
  const n = a + b + c + d;
  if (n === 0) return 1;
  const logDenominator = logChoose(n, col1);
  const logP = (x: number) => logChoose(row1, x) + logChoose(n - row1, col1 - x) - logDenominator;
  const observed = logP(a);
  const lo = Math.max(0, col1 - (n - row1));
  const hi = Math.min(row1, col1);
  let p = 0;
  for (let x = lo; x <= hi; x++) {
    const lx = logP(x);
    if (lx <= observed + 1e-7) p += Math.exp(lx);
  }
  return Math.min(1, p);
}

/** The standard normal's upper tail Q(z) = P(Z > z). */
export function normalUpperTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** erfc(x) with relative error below 1.2e-7 everywhere (Numerical Recipes' Chebyshev fit). */
function erfc(x: number): number {
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const y =
    t *
    Math.exp(
      -x * x -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? y : 2 - y;
}

/** Two-sided p-value of the pooled two-proportion z test of x₁/n₁ against x₂/n₂. */
export function twoProportionZ(x1: number, n1: number, x2: number, n2: number): number {
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return 1;
  const z = Math.abs(x1 / n1 - x2 / n2) / se;
  return Math.min(1, 2 * normalUpperTail(z));
}

export interface ProportionTest {
  /** `fisher` when an expected count of the 2×2 table is below 5, else `z` (the two-proportion test). */
  test: 'fisher' | 'z';
  p: number;
}

/** Tests whether two conversion rates differ, with the test that fits the counts. */
export function compareProportions(x1: number, n1: number, x2: number, n2: number): ProportionTest {
  const n = n1 + n2;
  const converted = x1 + x2;
  const smallestExpected = n === 0 ? 0 : (Math.min(n1, n2) * Math.min(converted, n - converted)) / n;
  if (smallestExpected < 5) return { test: 'fisher', p: fisherExact(x1, n1 - x1, x2, n2 - x2) };
  return { test: 'z', p: twoProportionZ(x1, n1, x2, n2) };
}

/** Holm's step-down adjustment of p-values (the family-wise error rate), in the order given. */
export function holm(ps: readonly number[]): number[] {
  const order = ps.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const adjusted = new Array<number>(ps.length);
  let running = 0;
  order.forEach(([p, i], rank) => {
    running = Math.max(running, Math.min(1, (ps.length - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
