// The test runner in-process: hand-written plans (tests/runtime/helpers.ts), the rich plan, and the
// spec example compiled from its sources.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSources } from '../../compiler/workspace.js';
import { compilePlan } from '../../compiler/lower/index.js';
import { exprText, expectText, runPlanTests } from '../../runtime/test-runner.js';
import { expectSource } from '../../cli/expect-source.js';
import type { Expr, Plan, PlanTest, TestStatement } from '../../runtime/plan-types.js';
import { richPlan } from '../plan/rich-plan.js';
import { A, buildPlan, DAY, entryOn, ge, HOUR, inJourney, not, num, received, S, score, stage, stg, T } from '../runtime/helpers.js';
import { REPO } from '../cli/helpers.js';

const L = (line: number): [number, number, number] => [0, line, 3];

function withTest(plan: Plan, statements: TestStatement[], extra: Partial<PlanTest> = {}): Plan {
  plan.tests.push({ name: extra.name ?? 't', lead: extra.lead ?? null, startMs: extra.startMs ?? T('2026-01-05 09:00'), statements, loc: [0, 1, 1] });
  return plan;
}

const expectS = (condition: Expr, line: number): TestStatement => ({ kind: 'expect', condition, loc: L(line) });

function basePlan(): Plan {
  return buildPlan({
    attributes: { email_consent: 'bool' },
    events: { signup: {}, demo: {} },
    contents: { hello: {}, tips: {} },
    stages: ['lead', 'mql'],
    scores: { engagement: { engagement: [{ points: 10, event: 'signup' }, { points: 50, event: 'demo' }] } },
    thresholds: { mql: { when: ge(score('engagement'), 50), do: [A.stage(1), A.handoff('sales')] } },
    journeys: { welcome: { entries: [entryOn('signup')], holdout: 50, steps: [S.send('hello'), S.wait(2 * DAY), S.send('tips')] } },
  });
}

describe('runPlanTests', () => {
  it('passes a timeline with events, after, at and expectations (received at, N times)', () => {
    const plan = withTest(
      basePlan(),
      [
        { kind: 'event', event: 'signup', data: {}, loc: L(3) },
        expectS(received('hello'), 4),
        { kind: 'after', durationMs: DAY, loc: L(5) },
        expectS(not(received('tips')), 6),
        { kind: 'at', atMs: T('2026-01-07 09:00'), loc: L(7) },
        expectS(received('tips', { at: T('2026-01-07 09:00') }), 8),
        expectS(received('hello', { times: 1 }), 9),
        { kind: 'event', event: 'demo', data: {}, loc: L(10) },
        expectS({ op: 'cmp', cmp: '==', left: stage(), right: stg(1), loc: L(11) }, 11),
      ],
      { lead: { id: 'L1', profile: { email_consent: { op: 'const', type: 'bool', value: true, loc: L(2) } }, loc: L(2) } },
    );
    const [r] = runPlanTests(plan);
    expect(r!.failures).toEqual([]);
    expect(r).toMatchObject({ passed: true, expects: 5, error: null });
  });

  it('`after` beyond the last date a Date can hold runs every timer (the clock stops there), no error', () => {
    const plan = withTest(
      basePlan(),
      [
        { kind: 'event', event: 'signup', data: {}, loc: L(3) },
        { kind: 'after', durationMs: 100_000_001 * DAY, loc: L(4) },
        expectS(received('tips'), 5),
      ],
      { lead: { id: 'L1', profile: { email_consent: { op: 'const', type: 'bool', value: true, loc: L(2) } }, loc: L(2) } },
    );
    const [r] = runPlanTests(plan);
    expect(r).toMatchObject({ passed: true, expects: 1, error: null });
  });

  it('never holds the test lead out (50% holdout) unless `holdout journey` says so', () => {
    const plan = basePlan();
    for (const id of ['a', 'b', 'c', 'd', 'e', 'f']) {
      withTest(plan, [{ kind: 'event', event: 'signup', data: {}, loc: L(3) }, expectS(received('hello'), 4)], {
        name: id,
        lead: { id, profile: { email_consent: { op: 'const', type: 'bool', value: true, loc: L(2) } }, loc: L(2) },
      });
    }
    withTest(plan, [{ kind: 'event', event: 'signup', data: {}, loc: L(3) }, expectS(not(received('hello')), 4), { kind: 'holdout', journey: 'welcome', loc: L(5) }], {
      name: 'held',
      lead: { id: 'x', profile: { email_consent: { op: 'const', type: 'bool', value: true, loc: L(2) } }, loc: L(2) },
    });
    expect(runPlanTests(plan).map((r) => r.passed)).toEqual([true, true, true, true, true, true, true]);
  });

  it('reports every failed expectation with the state it saw, and keeps going', () => {
    const plan = withTest(basePlan(), [
      { kind: 'event', event: 'signup', data: {}, loc: L(3) },
      expectS(received('hello'), 4),
      expectS(ge(score('engagement'), 50), 5),
      expectS(inJourney('welcome'), 6),
      { kind: 'after', durationMs: 3 * DAY, loc: L(7) },
      expectS(inJourney('welcome'), 8),
    ]);
    const [r] = runPlanTests(plan);
    expect(r!.passed).toBe(false);
    expect(r!.expects).toBe(4);
    expect(r!.failures.map((f) => [f.line, f.expect, f.at])).toEqual([
      [4, 'expect received hello', '2026-01-05 09:00'],
      [5, 'expect engagement >= 50', '2026-01-05 09:00'],
      [8, 'expect in journey welcome', '2026-01-08 09:00'],
    ]);
    expect(r!.failures[0]!.actual.slice(0, 2)).toEqual([
      'hello: never received',
      expect.stringMatching(/^ {2}2026-01-05 09:00 suppressed hello: journey welcome, consent email_consent/),
    ]);
    expect(r!.failures[1]!.actual[0]).toBe('engagement = 10');
    expect(r!.failures[2]!.actual[0]).toBe('not in journey welcome (entered 1 time, completed 1)');
  });

  it('--filter matches names case-insensitively', () => {
    const plan = basePlan();
    withTest(plan, [], { name: 'Alpha one' });
    withTest(plan, [], { name: 'beta' });
    expect(runPlanTests(plan, { filter: 'ALPHA' }).map((r) => r.name)).toEqual(['Alpha one']);
  });

  it('an event the runtime rejects ends the test with the reason', () => {
    const plan = withTest(basePlan(), [{ kind: 'event', event: 'signup', data: { nope: num(1) }, loc: L(3) }]);
    const [r] = runPlanTests(plan);
    expect(r!.passed).toBe(false);
    expect(r!.error).toMatch(/^test\.nurture:3:3: the runtime rejected event signup: event signup has no field "nope"/);
  });

  it('runs the rich plan test (every statement kind) and explains its failures', () => {
    const [r] = runPlanTests(richPlan());
    expect(r!.expects).toBe(6);
    expect(r!.error).toBeNull();
    for (const f of r!.failures) expect(f.actual.length).toBeGreaterThan(0);
  });

  it('`control group` puts the test lead in the program control group; otherwise no test lead is in it (from source)', () => {
    const text = `control group 50%
channel email
content hello { channel: email }
content receipt { channel: email, transactional: true }
event signup
journey welcome {
  entry on signup
  send hello
  send receipt
}
${['a', 'b', 'c', 'd', 'e', 'f'].map((id) => `test "nurtured ${id}" {
  lead "${id}" { }
  signup
  expect received hello
}`).join('\n')}
test "in the control group" {
  control group
  signup
  expect not received hello
  expect received receipt
  expect completed journey welcome
}
test "in the control group, failing" {
  control group
  signup
  expect received hello
}
`;
    const sources = [{ path: 'cg.nurture', text }];
    const { model, diagnostics } = checkSources(sources);
    expect(diagnostics.filter((d) => d.code !== 'NUR309')).toEqual([]);
    const results = runPlanTests(compilePlan(model, sources));
    expect(results.map((r) => [r.name, r.passed])).toEqual([
      ...['a', 'b', 'c', 'd', 'e', 'f'].map((id) => [`nurtured ${id}`, true]),
      ['in the control group', true],
      ['in the control group, failing', false],
    ]);
    // the explanation names the control group
    expect(results.at(-1)!.failures[0]!.actual.join('\n')).toMatch(/controlGroup hello: journey welcome, control group 50% \(cg\.nurture:1\)/);
  });

  it('the spec example and every example compile and pass', () => {
    for (const path of ['tests/fixtures/valid/spec-example.nurture', 'examples/acme/acme.nurture']) {
      const sources = [{ path, text: readFileSync(join(REPO, path), 'utf8') }];
      const { model, diagnostics } = checkSources(sources);
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const results = runPlanTests(compilePlan(model, sources));
      expect(results.length).toBeGreaterThan(0);
      for (const r of results) expect({ name: r.name, failures: r.failures, error: r.error }).toEqual({ name: r.name, failures: [], error: null });
    }
  });
});

describe('expect texts', () => {
  it('come from the source: comments dropped, continued lines joined', () => {
    const src = 'test "x" {\n  expect received hello  # "a # comment"\n  expect (fit >= 40 and\n    engagement >= 60)\n  expect stage is mql or\n    handed off\n  expect x is "a # b"\n}\n';
    const plan = basePlan();
    const e = received('hello');
    const sources = { expect: expectSource(() => src) };
    expect(expectText(plan, [0, 2, 3], e, sources)).toBe('expect received hello');
    expect(expectText(plan, [0, 3, 3], e, sources)).toBe('expect (fit >= 40 and engagement >= 60)');
    expect(expectText(plan, [0, 5, 3], e, sources)).toBe('expect stage is mql or handed off');
    expect(expectText(plan, [0, 7, 3], e, sources)).toBe('expect x is "a # b"');
    expect(expectText(plan, [0, 2, 3], e, {})).toBe('expect received hello');
  });

  it('are rebuilt from the plan without sources', () => {
    const plan = basePlan();
    expect(exprText(plan, { op: 'and', args: [ge(score('engagement'), 50), { op: 'or', args: [inJourney('welcome'), not(received('hello', { within: 7 * DAY }))], loc: L(1) }], loc: L(1) })).toBe(
      'engagement >= 50 and (in journey welcome or not received hello within 1 week)',
    );
    expect(exprText(plan, { op: 'cmp', cmp: '==', left: stage(), right: stg(1), loc: L(1) })).toBe('stage is mql');
    expect(exprText(plan, received('tips', { times: 2, within: 2 * HOUR }))).toBe('received tips within 2 hours 2 times');
  });
});
