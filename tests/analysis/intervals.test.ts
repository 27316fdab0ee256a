// NUR300 / NUR301: score ranges and conditions read as constraints on them.
import { describe, expect, it } from 'vitest';
import { scoreRange } from '../../compiler/analysis/index.js';
import { analyzeSnippet, at, check, codes, full, only, pos, BASE, USES } from './helpers.js';

const ENGAGEMENT = `score engagement {
  +1 on email_opened
  +40 on demo_requested once
  decay 20% every 30 days idle
  range 0 to 200
}
`;
const FIT = `score fit {
  +30 if job_level is c_level
  -15 if job_level is intern
  +10 if budget >= 10000
}
`;

function rangeOf(snippet: string, name: string) {
  return scoreRange(check(BASE + USES + snippet).model, name);
}

describe('scoreRange', () => {
  it('an engagement score that gains points reaches its range', () => {
    expect(rangeOf(ENGAGEMENT, 'engagement')).toMatchObject({ min: 0, max: 200, maxReason: 'range 0 to 200' });
  });

  it('a fit score reaches the clamped sum of its positive points', () => {
    expect(rangeOf(FIT, 'fit')).toMatchObject({ min: 0, max: 40, maxReason: 'its positive points add up to 40', minReason: 'range 0 to 100' });
    expect(rangeOf('score big { +80 if budget > 1\n +70 if budget > 2 }', 'big')).toMatchObject({ min: 0, max: 100, maxReason: 'range 0 to 100' });
  });

  it('negative points and a negative range lower the minimum', () => {
    expect(rangeOf('score s { -15 if budget > 1\n +5 if budget > 2\n range -50 to 50 }', 's')).toMatchObject({ min: -15, max: 5 });
  });

  it('an engagement score whose rules only remove points never goes above 0', () => {
    expect(rangeOf('score s { -5 on email_opened\n range -100 to 100 }', 's')).toMatchObject({ min: -100, max: 0, maxReason: 'no rule adds points to it' });
  });

  it('`set` widens the engagement part (clamped to the range)', () => {
    const snippet = 'score m { range 0 to 100 }\non demo_requested { set m = 250 }';
    expect(rangeOf(snippet, 'm')).toMatchObject({ min: 0, max: 100 });
    expect(rangeOf('score m { range 0 to 100 }\non demo_requested { set m = 30 }', 'm')).toMatchObject({ min: 0, max: 30 });
    expect(rangeOf('score m { range 0 to 100 }', 'm')).toMatchObject({ min: 0, max: 0 });
  });

  it('derived scores use interval arithmetic', () => {
    const snippet = `${ENGAGEMENT}${FIT}score total = fit + engagement\nscore weighted = (fit * 2 + engagement) / 4\nscore ratio = fit / engagement`;
    expect(rangeOf(snippet, 'total')).toMatchObject({ min: 0, max: 240, maxReason: '`total` = fit + engagement' });
    expect(rangeOf(snippet, 'weighted')).toMatchObject({ min: 0, max: 70 });
    expect(rangeOf(snippet, 'ratio')).toMatchObject({ min: -Infinity, max: Infinity });
  });

  it('has no range for an unknown score or an invalid range', () => {
    expect(rangeOf('', 'nope')).toBeUndefined();
    expect(check(BASE + USES + 'score s { range 10 to 0 }').diagnostics.some((d) => d.code === 'NUR310')).toBe(true);
    expect(rangeOf('score s { range 10 to 0 }', 's')).toBeUndefined();
  });
});

describe('NUR300 condition can never be true', () => {
  it('a threshold above the reachable maximum, with the maximum in the message', () => {
    const snippet = `${ENGAGEMENT}threshold mql when engagement >= 300 { handoff "sales" }`;
    const [d, ...rest] = only('NUR300', analyzeSnippet(snippet));
    expect(rest).toEqual([]);
    expect(d.severity).toBe('error');
    expect(at(d)).toBe(`${pos(full(snippet), 'engagement >= 300').line}:${pos(full(snippet), 'engagement >= 300').column}`);
    expect(d.span.endColumn - d.span.column).toBe('engagement >= 300'.length);
    expect(d.message).toBe('`engagement` can never reach 300: its reachable maximum is 200 (range 0 to 200)');
    expect(d.help).toBe('compare with a value it can reach, for example `engagement >= 200`');
  });

  it('a fit score above the sum of its positive points', () => {
    const snippet = `${FIT}segment top = fit > 40\njourney j { audience top\n entry on demo_requested\n send hello }`;
    const [d] = only('NUR300', analyzeSnippet(snippet));
    expect(at(d)).toBe(`${pos(full(snippet), 'fit > 40').line}:${pos(full(snippet), 'fit > 40').column}`);
    expect(d.message).toBe('`fit` can never exceed 40: its reachable maximum is 40 (its positive points add up to 40)');
  });

  it('below the reachable minimum, with the number on the left', () => {
    const snippet = `${FIT}segment low = -5 >= fit\njourney j { audience low\n entry on demo_requested\n send hello }`;
    const [d] = only('NUR300', analyzeSnippet(snippet));
    expect(d.message).toBe('`fit` can never go down to -5: its reachable minimum is 0 (range 0 to 100)');
    expect(at(d)).toBe(`${pos(full(snippet), '-5 >= fit').line}:${pos(full(snippet), '-5 >= fit').column}`);
  });

  it('a conjunction whose comparisons exclude each other, on the whole condition', () => {
    const snippet = `${ENGAGEMENT}segment odd = engagement >= 150 and (engagement < 100 or engagement == 120)\njourney j { audience odd\n entry on demo_requested\n send hello }`;
    const [d, ...rest] = only('NUR300', analyzeSnippet(snippet));
    expect(rest).toEqual([]);
    expect(at(d)).toBe(`${pos(full(snippet), 'engagement >= 150').line}:${pos(full(snippet), 'engagement >= 150').column}`);
    expect(d.message).toContain('this condition can never be true: no reachable value of `engagement`');
  });

  it('arithmetic over scores in parentheses', () => {
    const snippet = `${ENGAGEMENT}${FIT}journey j { entry on demo_requested\n if (fit + engagement) >= 250 { send hello } }`;
    const [d] = only('NUR300', analyzeSnippet(snippet));
    expect(d.message).toBe('`(fit + engagement)` can never reach 250: its reachable maximum is 240 (from the reachable ranges of its scores)');
  });

  it('an equality outside the range, and a comparison of two numbers', () => {
    const snippet = `${FIT}segment a = fit == 75\nsegment b = 2 > 3\njourney j { audience a or b\n entry on demo_requested\n send hello }`;
    const ds = only('NUR300', analyzeSnippet(snippet));
    expect(ds.map((d) => d.message)).toEqual([
      '`fit` can never be 75: it stays between 0 and 40',
      '`2 > 3` compares two numbers: it is never true',
    ]);
  });

  it('looks into `has … where` and test expectations', () => {
    const snippet = `${ENGAGEMENT}segment s = has demo_requested where engagement > 500\njourney j { audience s\n entry on demo_requested\n send hello }\ntest "t" {\n  expect engagement < 0\n}`;
    expect(codes(only('NUR300', analyzeSnippet(snippet)))).toEqual(['NUR300', 'NUR300']);
  });
});

describe('no false positives', () => {
  it.each([
    'engagement >= 200',
    'engagement > 199.5',
    'engagement <= 0',
    'budget >= 100000000',
    'budget < 0 or budget >= 0',
    'not (budget >= 10)',
    'stage < mql',
    'stage >= subscriber',
    'engagement >= fit',
    'engagement >= 10 and fit >= 10',
    'job_level is vp or not (job_level is vp)',
    'has demo_requested or not has demo_requested',
  ])('%s', (condition) => {
    const snippet = `${ENGAGEMENT}${FIT}segment s = ${condition}\njourney j { audience s\n entry on demo_requested\n send hello }`;
    expect(analyzeSnippet(snippet)).toEqual([]);
  });

  it('an event field that shadows a score is not the score', () => {
    const snippet = `${ENGAGEMENT}event scored { engagement: number }\njourney j { entry on scored where engagement >= 1000\n send hello }`;
    expect(codes(analyzeSnippet(snippet)).filter((c) => c === 'NUR300')).toEqual([]);
  });

  it('the spec example and examples/acme get no interval diagnostics', async () => {
    const { SPEC_EXAMPLE, ACME } = await import('./helpers.js');
    expect(check(SPEC_EXAMPLE).diagnostics.filter((d) => d.code === 'NUR300' || d.code === 'NUR301')).toEqual([]);
    expect(check(ACME).diagnostics).toEqual([]);
  });
});

describe('NUR301 condition is always true', () => {
  it('a comparison every reachable value satisfies', () => {
    const snippet = `${FIT}segment any_fit = fit >= 0\njourney j { audience any_fit\n entry on demo_requested\n send hello }`;
    const [d, ...rest] = analyzeSnippet(snippet);
    expect(rest).toEqual([]);
    expect(d.code).toBe('NUR301');
    expect(d.severity).toBe('warning');
    expect(at(d)).toBe(`${pos(full(snippet), 'fit >= 0').line}:${pos(full(snippet), 'fit >= 0').column}`);
    expect(d.message).toBe('`fit >= 0` is always true: `fit` always stays between 0 and 40');
  });

  it('a disjunction that covers the whole range, on the whole condition', () => {
    const snippet = `${FIT}segment all = fit >= 20 or fit < 25\njourney j { audience all\n entry on demo_requested\n send hello }`;
    const [d] = analyzeSnippet(snippet);
    expect(d.code).toBe('NUR301');
    expect(at(d)).toBe(`${pos(full(snippet), 'fit >= 20').line}:${pos(full(snippet), 'fit >= 20').column}`);
    expect(d.message).toContain('this condition is always true: every reachable value of `fit`');
  });

  it('a literal `true`', () => {
    const snippet = 'journey j { entry when true\n send hello }';
    const [d] = analyzeSnippet(snippet);
    expect(d.code).toBe('NUR301');
    expect(d.message).toBe('this condition is always true');
  });
});
