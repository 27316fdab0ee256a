import { describe, expect, it } from 'vitest';
import { compileCondition } from '../../runtime/engine/index.js';
import {
  A,
  DAY,
  HOUR,
  and,
  arith,
  attr,
  auditOf,
  contains,
  en,
  eq,
  ev,
  field,
  ge,
  has,
  inList,
  known,
  list,
  lt,
  missing,
  not,
  notIn,
  num,
  profile,
  run,
  runtime,
  score,
  seg,
  stage,
  stg,
  txt,
  type PlanSpec,
} from './helpers.js';

const scoreOf = (rt: ReturnType<typeof runtime>, lead: string, name: string) => {
  const s = rt.leadState(lead)!;
  return rt.engine.scoresOf(s)[rt.index.scoreSlot.get(name)!]!;
};

const base: PlanSpec = {
  attributes: { job_level: ['intern', 'employee', 'vp', 'c_level'], employees: 'number', budget: 'number' },
  events: { opened: {}, clicked: { url: 'text' }, viewed: { topic: 'text' }, demo: {} },
  scores: {
    fit: {
      fit: [
        [30, eq(attr('job_level'), en('c_level'))],
        [20, inList(attr('job_level'), [en('vp')])],
        [-15, eq(attr('job_level'), en('intern'))],
        [15, ge(attr('employees'), 500)],
      ],
    },
    engagement: {
      engagement: [
        { points: 1, event: 'opened', max: [5, 7 * DAY] },
        { points: 3, event: 'clicked' },
        { points: 10, event: 'viewed', where: eq(field('topic'), txt('pricing')) },
        { points: 40, event: 'demo', once: true },
      ],
      range: [0, 200],
    },
    total: arith('+', score('fit'), score('engagement')),
  },
};

describe('fit scores', () => {
  it('sum the points of the rules that hold on the current profile, clamped to the range', () => {
    const rt = runtime(base);
    run(rt, [profile('L1', '2026-01-05 09:00', { job_level: 'c_level', employees: 800 })]);
    expect(scoreOf(rt, 'L1', 'fit')).toBe(45);
    run(rt, [profile('L1', '2026-01-06 09:00', { job_level: 'intern', employees: 10 })]);
    expect(scoreOf(rt, 'L1', 'fit')).toBe(0); // -15 clamped to the range minimum 0
    // each fit rule whose truth the profile flipped, in words, with the score before and after it
    const fitLines = rt.audit('L1').filter((r) => r.kind === 'score').map((r) => `${r.rule}: ${r.from} → ${r.to}`);
    expect(fitLines).toEqual([
      '+30 if job_level is c_level: 0 → 30',
      '+15 if employees >= 500: 30 → 45',
      '+30 if job_level is c_level: 45 → 15',
      '-15 if job_level is intern: 15 → 0',
      '+15 if employees >= 500: 0 → 0', // -15 clamped to 0
    ]);
    // and where each rule is in the sources
    const fitRules = rt.index.plan.scores['fit']!;
    const locs = fitRules.kind === 'rules' ? fitRules.fit.map((f) => f.loc) : [];
    expect(rt.audit('L1').filter((r) => r.kind === 'score').map((r) => locs.indexOf(r.loc!))).toEqual([0, 3, 0, 2, 3]);
  });

  it('treat a missing attribute as false in every comparison', () => {
    const rt = runtime(base);
    run(rt, [profile('L1', '2026-01-05 09:00', {})]);
    expect(scoreOf(rt, 'L1', 'fit')).toBe(0);
    run(rt, [profile('L1', '2026-01-05 10:00', { employees: 600 }), profile('L1', '2026-01-05 11:00', { employees: null })]);
    expect(scoreOf(rt, 'L1', 'fit')).toBe(0); // unset again with null
  });
});

describe('fit parts kept between inputs', () => {
  // A fit part that reads attributes only is kept with the lead and recomputed when an attribute changes.
  it('follow a `set` action at once (a threshold on the new fit fires in the same input)', () => {
    const rt = runtime({
      ...base,
      handlers: [{ event: 'demo', do: [A.set('employees', num(900))] }],
      thresholds: { big: { when: ge(score('fit'), 15), do: [A.handoff('sales')] } },
    });
    run(rt, [profile('L1', '2026-01-05 09:00', { employees: 10 }), ev('L1', 'clicked', '2026-01-05 09:30', { url: '/' })]);
    expect(scoreOf(rt, 'L1', 'fit')).toBe(0);
    expect(run(rt, [ev('L1', 'demo', '2026-01-05 10:00')])).toEqual(['2026-01-05 10:00 set employees=900', '2026-01-05 10:00 handoff sales']);
    expect(scoreOf(rt, 'L1', 'fit')).toBe(15);
  });

  it('follow attributes changed in place on a state the runtime handed out', () => {
    const rt = runtime(base);
    run(rt, [profile('L1', '2026-01-05 09:00', { job_level: 'intern' })]);
    expect(scoreOf(rt, 'L1', 'fit')).toBe(0);
    const s = rt.leadState('L1')!;
    s.at[rt.index.attrSlot.get('job_level')!] = 'c_level';
    expect(rt.engine.scoresOf(s)[rt.index.scoreSlot.get('fit')!]).toBe(30);
  });

  it('are not kept when a fit rule reads more than attributes (here the stage)', () => {
    const rt = runtime({
      ...base,
      stages: ['lead', 'mql'],
      scores: { fit: { fit: [[10, ge(stage(), stg(1))]] } },
      handlers: [{ event: 'demo', do: [A.stage(1)] }],
    });
    expect(rt.index.scores[rt.index.scoreSlot.get('fit')!]!.fitCache).toBe(-1);
    run(rt, [ev('L1', 'clicked', '2026-01-05 09:00', { url: '/' })]);
    expect(scoreOf(rt, 'L1', 'fit')).toBe(0);
    run(rt, [ev('L1', 'demo', '2026-01-05 10:00')]);
    expect(scoreOf(rt, 'L1', 'fit')).toBe(10);
    expect(runtime(base).index.scores[0]!.fitCache).toBeGreaterThan(0);
  });
});

describe('engagement scores', () => {
  it('apply `where` against the event fields', () => {
    const rt = runtime(base);
    run(rt, [ev('L1', 'viewed', '2026-01-05 09:00', { topic: 'pricing' }), ev('L1', 'viewed', '2026-01-05 09:01', { topic: 'blog' })]);
    expect(scoreOf(rt, 'L1', 'engagement')).toBe(10);
  });

  it('count `max K per D` in the sliding window (t − D, t]', () => {
    const rt = runtime(base);
    const opens = ['2026-01-01 10:00', '2026-01-02 10:00', '2026-01-03 10:00', '2026-01-04 10:00', '2026-01-05 10:00', '2026-01-06 10:00'];
    run(rt, opens.map((t) => ev('L1', 'opened', t)));
    expect(scoreOf(rt, 'L1', 'engagement')).toBe(5); // the 6th is capped
    // exactly 7 days after the first: the first application leaves the window (t − D is excluded)
    run(rt, [ev('L1', 'opened', '2026-01-08 10:00')]);
    expect(scoreOf(rt, 'L1', 'engagement')).toBe(6);
    // one minute before the second leaves: still capped
    run(rt, [ev('L1', 'opened', '2026-01-09 09:59')]);
    expect(scoreOf(rt, 'L1', 'engagement')).toBe(6);
    run(rt, [ev('L1', 'opened', '2026-01-09 10:00')]);
    expect(scoreOf(rt, 'L1', 'engagement')).toBe(7);
    // each stopped application leaves a record naming the rule and its limit
    expect(auditOf(rt, 'L1', 'notScored')).toEqual(['2026-01-06 10:00 notScored engagement [+1 on opened max 5 per 1 week]', '2026-01-09 09:59 notScored engagement [+1 on opened max 5 per 1 week]']);
    expect(auditOf(rt, 'L1', 'score').length).toBe(7);
  });

  it('apply a `once` rule at most once ever', () => {
    const rt = runtime(base);
    run(rt, [ev('L1', 'demo', '2026-01-05 09:00'), ev('L1', 'demo', '2026-03-05 09:00')]);
    expect(scoreOf(rt, 'L1', 'engagement')).toBe(40);
    const stopped = rt.audit('L1').filter((r) => r.kind === 'notScored');
    expect(stopped.map((r) => [r.subject, r.rule, r.from, r.to, r.note])).toEqual([['engagement', '+40 on demo once', null, null, null]]);
    expect(stopped[0]!.loc).not.toBeNull();
  });

  it('clamp the engagement part after every change (range maximum)', () => {
    const rt = runtime({ ...base, scores: { e: { engagement: [{ points: 30, event: 'clicked' }], range: [0, 50] } } });
    run(rt, [ev('L1', 'clicked', '2026-01-05 09:00'), ev('L1', 'clicked', '2026-01-05 09:01'), ev('L1', 'clicked', '2026-01-05 09:02')]);
    expect(scoreOf(rt, 'L1', 'e')).toBe(50);
    expect(rt.leadState('L1')!.eg).toEqual([50]);
  });

  it('value = clamp(fit part + engagement part) when one score has both', () => {
    const rt = runtime({
      ...base,
      scores: { both: { fit: [[80, ge(attr('employees'), 100)]], engagement: [{ points: 30, event: 'clicked' }], range: [0, 100] } },
    });
    run(rt, [profile('L1', '2026-01-05 09:00', { employees: 500 }), ev('L1', 'clicked', '2026-01-05 09:01')]);
    expect(scoreOf(rt, 'L1', 'both')).toBe(100);
    run(rt, [profile('L1', '2026-01-05 10:00', { employees: 5 })]);
    expect(scoreOf(rt, 'L1', 'both')).toBe(30);
  });

  it('derived scores are arithmetic over scores', () => {
    const rt = runtime(base);
    run(rt, [profile('L1', '2026-01-05 09:00', { job_level: 'vp' }), ev('L1', 'clicked', '2026-01-05 09:01', { url: '/' })]);
    expect(scoreOf(rt, 'L1', 'total')).toBe(23);
  });

  it('`set score = N` sets the engagement part (clamped)', () => {
    const rt = runtime({ ...base, handlers: [{ event: 'demo', do: [A.score('engagement', 500)] }] });
    run(rt, [ev('L1', 'demo', '2026-01-05 09:00')]);
    expect(scoreOf(rt, 'L1', 'engagement')).toBe(200);
  });
});

describe('decay', () => {
  const decaying = (kind: 'percent' | 'amount', value: number): PlanSpec => ({
    ...base,
    scores: { e: { engagement: [{ points: 50, event: 'clicked' }], decay: { kind, value, everyMs: 30 * DAY }, range: [0, 100] } },
  });

  it('shrinks the engagement part by P% after each full idle period (several periods at once, lazily)', () => {
    const rt = runtime(decaying('percent', 20));
    run(rt, [ev('L1', 'clicked', '2026-01-01 00:00', { url: '/' })]);
    // 29 days idle: nothing yet
    run(rt, [ev('L1', 'viewed', '2026-01-30 00:00', { topic: 'x' })]);
    expect(scoreOf(rt, 'L1', 'e')).toBe(50);
    // 95 days idle = 3 full periods: 50 → 40 → 32 → 25.6
    run(rt, [ev('L1', 'viewed', '2026-04-06 00:00', { topic: 'x' })]);
    expect(scoreOf(rt, 'L1', 'e')).toBeCloseTo(25.6, 10);
    expect(auditOf(rt, 'L1', 'score').at(-1)).toBe('2026-04-01 00:00 score e [decay 20%]');
  });

  it('gives the same value when touched at every period (eager) as when touched once (lazy)', () => {
    const eager = runtime(decaying('percent', 20));
    const lazy = runtime(decaying('percent', 20));
    run(eager, [ev('L1', 'clicked', '2026-01-01 00:00', { url: '/' })]);
    run(lazy, [ev('L1', 'clicked', '2026-01-01 00:00', { url: '/' })]);
    for (let k = 1; k <= 6; k++) run(eager, [ev('L1', 'viewed', new Date(Date.parse('2026-01-01T00:00:00Z') + k * 30 * DAY + HOUR).toISOString(), { topic: 'x' })]);
    run(lazy, [ev('L1', 'viewed', new Date(Date.parse('2026-01-01T00:00:00Z') + 6 * 30 * DAY + HOUR).toISOString(), { topic: 'x' })]);
    expect(scoreOf(lazy, 'L1', 'e')).toBe(scoreOf(eager, 'L1', 'e'));
    expect(scoreOf(lazy, 'L1', 'e')).toBeCloseTo(50 * 0.8 ** 6, 10);
  });

  it('restarts the idle period when an engagement rule applies', () => {
    const rt = runtime(decaying('amount', 10));
    run(rt, [ev('L1', 'clicked', '2026-01-01 00:00', { url: '/' }), ev('L1', 'clicked', '2026-01-25 00:00', { url: '/' })]);
    expect(scoreOf(rt, 'L1', 'e')).toBe(100);
    run(rt, [ev('L1', 'viewed', '2026-02-23 23:59', { topic: 'x' })]);
    expect(scoreOf(rt, 'L1', 'e')).toBe(100); // 29 days 23:59 since the last click
    run(rt, [ev('L1', 'viewed', '2026-02-24 00:00', { topic: 'x' })]);
    expect(scoreOf(rt, 'L1', 'e')).toBe(90);
  });

  it('never goes below the range minimum', () => {
    const rt = runtime({ ...base, scores: { e: { engagement: [{ points: 30, event: 'clicked' }], decay: { kind: 'amount', value: 25, everyMs: DAY }, range: [10, 100] } } });
    run(rt, [ev('L1', 'clicked', '2026-01-01 00:00', { url: '/' }), ev('L1', 'viewed', '2026-01-10 00:00', { topic: 'x' })]);
    expect(scoreOf(rt, 'L1', 'e')).toBe(10);
  });
});

describe('conditions', () => {
  const condPlan: PlanSpec = {
    attributes: { budget: 'number', country: 'text', tags: 'textList', consent: 'bool' },
    events: { viewed: { url: 'text' } },
    stages: ['subscriber', 'lead', 'mql'],
    segments: { big: ge(attr('budget'), 1000) },
  };
  const check = (setup: Record<string, unknown>[], cond: ReturnType<typeof eq>, at = '2026-02-01 00:00') => {
    const rt = runtime(condPlan);
    run(rt, setup);
    return rt.engine.evaluate(rt.leadState('L1')!, compileCondition(rt.index, cond), Date.parse(`${at.replace(' ', 'T')}:00Z`));
  };
  const p0 = profile('L1', '2026-01-05 09:00', {});

  it('missing values: comparisons, in and not in are false; not (…) is true; is known / is missing test presence', () => {
    expect(check([p0], ge(attr('budget'), 10))).toBe(false);
    expect(check([p0], lt(attr('budget'), 10))).toBe(false);
    expect(check([p0], { op: 'cmp', cmp: '!=', left: attr('country'), right: txt('FR'), loc: [0, 1, 1] })).toBe(false);
    expect(check([p0], not(ge(attr('budget'), 10)))).toBe(true);
    expect(check([p0], inList(attr('country'), [txt('FR')]))).toBe(false);
    expect(check([p0], notIn(attr('country'), [txt('FR')]))).toBe(false);
    expect(check([p0], missing(attr('budget')))).toBe(true);
    expect(check([p0], known(attr('budget')))).toBe(false);
    expect(check([p0], seg('big'))).toBe(false);
    expect(check([p0], contains(attr('tags'), txt('vip')))).toBe(false);
  });

  it('text and list comparisons, segments and stages', () => {
    const p = profile('L1', '2026-01-05 09:00', { budget: 5000, country: 'FR', tags: ['vip', 'fr'] });
    expect(check([p], notIn(attr('country'), [txt('DE')]))).toBe(true);
    expect(check([p], contains(attr('tags'), txt('vip')))).toBe(true);
    expect(check([p], contains(attr('country'), txt('R')))).toBe(true);
    expect(check([p], eq(attr('tags'), list(['vip', 'fr'])))).toBe(true);
    expect(check([p], and(seg('big'), lt(stage(), stg(2))))).toBe(true);
  });

  it('`has … where … at least N times within D` looks at [t − D, t]', () => {
    const pricing = () => eq(field('url'), txt('/pricing'));
    const rt = runtime({
      ...condPlan,
      segments: {
        three: has('viewed', { where: pricing(), atLeast: 3 }),
        twoIn12: has('viewed', { where: pricing(), atLeast: 2, within: 12 * DAY }),
        twoInLess: has('viewed', { where: pricing(), atLeast: 2, within: 12 * DAY - 1 }),
        four: has('viewed', { atLeast: 4 }),
        five: has('viewed', { atLeast: 5 }),
      },
    });
    run(rt, [
      ...['2026-01-01 00:00', '2026-01-20 00:00', '2026-01-25 00:00'].map((t) => ev('L1', 'viewed', t, { url: '/pricing' })),
      ev('L1', 'viewed', '2026-01-26 00:00', { url: '/blog' }),
    ]);
    const at = Date.parse('2026-02-01T00:00:00Z');
    const holds = (name: string) => rt.engine.evaluate(rt.leadState('L1')!, compileCondition(rt.index, seg(name)), at);
    expect(holds('three')).toBe(true);
    expect(holds('twoIn12')).toBe(true); // 01-20 is exactly 12 days before: it counts
    expect(holds('twoInLess')).toBe(false);
    expect(holds('four')).toBe(true);
    expect(holds('five')).toBe(false);
  });

  it('the history keeps only what predicates need', () => {
    const rt = runtime({ ...condPlan, segments: { recent: has('viewed', { within: 2 * DAY }) } });
    run(rt, ['2026-01-01 00:00', '2026-01-02 00:00', '2026-01-05 00:00', '2026-01-06 00:00'].map((t) => ev('L1', 'viewed', t, { url: '/x' })));
    const s = rt.leadState('L1')!;
    expect(s.hc).toEqual([4]);
    expect(s.hr).toEqual([[Date.parse('2026-01-05T00:00:00Z'), Date.parse('2026-01-06T00:00:00Z')]]); // no field kept, older rows dropped
  });
});
