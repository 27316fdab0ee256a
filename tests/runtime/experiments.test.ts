// Experiments (LANGUAGE.md 9; runtime/engine/experiments.ts): each split's branches side by side, the
// test of their difference, and a winner only when it is significant.
import { describe, expect, it } from 'vitest';
import { DAY, S, entryOn, ev, goalOn, runtime, type JourneySpec, type PlanSpec } from './helpers.js';

const plan = (journey: JourneySpec, extra: Partial<PlanSpec> = {}): PlanSpec => ({
  events: { signup: {}, buy: {} },
  channels: { email: null },
  contents: { m1: {}, m2: {}, m3: {} },
  stages: ['lead', 'mql'],
  journeys: { trial: journey },
  ...extra,
});

/** `n` leads sign up; those sent a content in `converts` (content → share) buy 2 days later. Returns the measures' splits. */
function experiment(spec: PlanSpec, n: number, converts: Record<string, number>) {
  const rt = runtime(spec, { audit: 'off' });
  rt.ingestBatch(Array.from({ length: n }, (_, i) => ev(`L${i}`, 'signup', '2026-01-05 09:00')));
  const seen: Record<string, number> = {};
  const buys: unknown[] = [];
  for (const a of rt.drainActions()) {
    if (a.type !== 'send') continue;
    const k = (seen[a.content] = (seen[a.content] ?? 0) + 1);
    const share = converts[a.content] ?? 0;
    if (Math.floor(k * share) > Math.floor((k - 1) * share)) buys.push(ev(a.lead, 'buy', '2026-01-07 09:00')); // exactly `share` of them
  }
  rt.ingestBatch(buys);
  return rt.measures().splits;
}

const twoWay = (steps = [S.split([[50, 1], [50, 2]]), S.send('m1', null), S.send('m2', null)]): JourneySpec => ({
  entries: [entryOn('signup')],
  goal: goalOn('buy', 14 * DAY),
  steps,
});

describe('split measures', () => {
  it('names the winner of a large, significant difference (two-proportion z test)', () => {
    const [x] = experiment(plan(twoWay()), 1000, { m1: 0.5, m2: 0.2 });
    expect(x).toMatchObject({ journey: 'trial', step: '0', goal: 'on buy', test: { method: 'two-proportions', adjusted: false }, winner: 'm1' });
    expect(x!.branches.map((b) => b.name)).toEqual(['m1', 'm2']);
    const [a, b] = x!.branches;
    expect(a!.entered + b!.entered).toBe(1000);
    expect(a!.rate).toBeCloseTo(a!.converted / a!.entered, 12);
    expect(a!.rate! - b!.rate!).toBeGreaterThan(0.2);
    expect(x!.test.p).toBeLessThan(1e-6);
  });

  it('names no winner when the difference is not significant, and uses Fisher’s exact test for small counts', () => {
    const [same] = experiment(plan(twoWay()), 1000, { m1: 0.3, m2: 0.3 });
    expect(same!.winner).toBeNull();
    expect(same!.test.p).toBeGreaterThan(0.05);
    const [small] = experiment(plan(twoWay()), 12, { m1: 1, m2: 0 });
    expect(small!.test.method).toBe('fisher');
    const [a, b] = small!.branches;
    expect(a!.converted).toBe(a!.entered);
    expect(b!.converted).toBe(0);
    // with 12 leads a 100% vs 0% split is significant only if each branch has enough of them
    expect(small!.winner === 'm1').toBe(small!.test.p! < 0.05);
  });

  it('three branches: Holm-adjusted tests of the best against each other branch', () => {
    const steps = [S.split([[34, 1], [33, 2], [33, 3]]), S.send('m1', null), S.send('m2', null), S.send('m3', null)];
    const [x] = experiment(plan(twoWay(steps)), 1500, { m1: 0.5, m2: 0.2, m3: 0.45 });
    expect(x!.test.adjusted).toBe(true);
    expect(x!.branches.map((b) => b.name)).toEqual(['m1', 'm2', 'm3']);
    // m1 beats m2 clearly, but not m3 (0.5 vs 0.45 on ~500 each): no winner
    expect(x!.winner).toBeNull();
    const [y] = experiment(plan(twoWay(steps)), 1500, { m1: 0.6, m2: 0.2, m3: 0.3 });
    expect(y!.winner).toBe('m1');
  });

  it('a journey without a goal: counts only, no test, no winner; branches without a distinct first send are numbered', () => {
    const steps = [S.split([[50, 1], [50, 2]]), S.wait(DAY, 3), S.wait(DAY, 3), S.send('m1', null)];
    const [x] = experiment(plan({ entries: [entryOn('signup')], steps }), 200, {});
    expect(x).toMatchObject({ goal: null, winner: null, test: { p: null } });
    expect(x!.branches.map((b) => [b.name, b.rate])).toEqual([['branch 1', null], ['branch 2', null]]);
    expect(x!.branches[0]!.entered + x!.branches[1]!.entered).toBe(200);
  });

  it('counts nurtured runs only: holdout runs and control-group leads get no variant', () => {
    const [x] = experiment(plan({ ...twoWay(), holdout: 20 }, { controlGroup: 10 }), 1000, { m1: 0.5, m2: 0.5 });
    const entered = x!.branches.reduce((t, b) => t + b.entered, 0);
    expect(entered).toBeGreaterThan(600);
    expect(entered).toBeLessThan(800);
  });
});
