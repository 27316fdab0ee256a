// Fuzzing budgets. Harnesses are vitest files named `*.fuzz.test.ts`: `npm test` runs each at scale 1
// (a few seconds), `npm run fuzz` runs them all at NURTURE_FUZZ_SCALE (default 100) for long runs.
// NURTURE_FUZZ_SEED replays a run (fast-check prints the seed of a failure).

function positive(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** The multiplier of every harness's budget: 1 in `npm test`. */
export function fuzzScale(): number {
  return positive('NURTURE_FUZZ_SCALE') ?? 1;
}

/** A harness's number of cases: its base budget times the scale. */
export function fuzzRuns(base: number): number {
  return Math.max(1, Math.round(base * fuzzScale()));
}

/** fast-check parameters for a harness with this base budget (seed from NURTURE_FUZZ_SEED when given). */
export function fuzzParams(base: number): { numRuns: number; seed?: number } {
  const seed = positive('NURTURE_FUZZ_SEED');
  return seed === undefined ? { numRuns: fuzzRuns(base) } : { numRuns: fuzzRuns(base), seed };
}
