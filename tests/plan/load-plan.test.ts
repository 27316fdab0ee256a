import { describe, expect, test } from 'vitest';
import { loadPlan, findJsonSyntaxError, formatPlanErrors, MAX_PLAN_DEPTH } from '../../runtime/load-plan.js';
import type { Expr, Plan, Step } from '../../runtime/plan-types.js';
import { DAY, richPlan } from './rich-plan.js';

// Plans are mutated freely in the corrupted variants below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

function mutated(change: (plan: Loose) => void): Plan {
  const plan = richPlan();
  change(plan);
  return plan;
}

function refused(input: unknown) {
  const result = loadPlan(input);
  if (result.ok) throw new Error('expected the plan to be refused');
  return result.errors;
}

describe('a valid plan', () => {
  test('the rich hand-written plan loads, as a value, as JSON text and as UTF-8 bytes', () => {
    const plan = richPlan();
    const fromValue = loadPlan(plan);
    expect(fromValue).toEqual({ ok: true, plan });
    expect(loadPlan(JSON.stringify(plan, null, 2))).toEqual({ ok: true, plan });
    expect(loadPlan(new TextEncoder().encode('\uFEFF' + JSON.stringify(plan)))).toEqual({ ok: true, plan });
  });

  test('the rich plan covers every construct of the format', () => {
    const plan = richPlan();
    const stepKinds = new Set<string>();
    const ops = new Set<string>();
    const constTypes = new Set<string>();
    const actionKinds = new Set<string>();
    const walk = (v: unknown, parentKey: string): void => {
      if (Array.isArray(v)) return v.forEach((x) => walk(x, parentKey));
      if (typeof v !== 'object' || v === null) return;
      const o = v as Record<string, unknown>;
      if (typeof o.op === 'string') ops.add(o.op);
      if (o.op === 'const') constTypes.add(o.type as string);
      if (parentKey === 'steps') stepKinds.add(o.kind as string);
      if (parentKey === 'actions') actionKinds.add(o.kind as string);
      for (const [k, x] of Object.entries(o)) walk(x, k);
    };
    walk(plan, '');
    expect([...stepKinds].sort()).toEqual(
      ['end', 'enroll', 'handoff', 'if', 'moveTo', 'removeFrom', 'repeat', 'send', 'sendNext', 'setAttr', 'setScore', 'setStage', 'split', 'wait', 'waitFor', 'waitUntil'],
    );
    expect([...ops].sort()).toEqual(
      ['and', 'arith', 'attr', 'cmp', 'completedJourney', 'const', 'contains', 'field', 'handedOff', 'has', 'in', 'inJourney', 'known', 'missing', 'not', 'notIn', 'or', 'received', 'receivedAny', 'score', 'segment', 'stage'],
    );
    expect([...constTypes].sort()).toEqual(['bool', 'channel', 'content', 'date', 'enum', 'number', 'stage', 'text', 'textList', 'topic']);
    expect([...actionKinds].sort()).toEqual(['enroll', 'handoff', 'removeFrom', 'send', 'setAttr', 'setScore', 'setStage']);
    const entryKinds = Object.values(plan.journeys).flatMap((j) => j.entries.map((e) => e.kind));
    expect(new Set(entryKinds)).toEqual(new Set(['on', 'when', 'date']));
    const p = plan.pressure;
    for (const list of [p.caps, p.gaps, p.topicGaps, p.quietHours, p.quietDays]) expect(list.length).toBeGreaterThan(0);
    expect(new Set(plan.tests[0]!.statements.map((s) => s.kind))).toEqual(new Set(['holdout', 'at', 'after', 'event', 'profile', 'expect']));
  });

  test('other valid shapes: skip capped messages, no pressure block, an empty journey, an empty repeat body', () => {
    const plan = mutated((p) => {
      p.pressure = { caps: [], gaps: [], topicGaps: [], quietHours: [], quietDays: [], capped: { mode: 'skip', upToMs: null, loc: [0, 97, 3] }, loc: [0, 97, 1] };
      p.journeys.empty = { entries: [], audience: null, reentry: { mode: 'never', afterMs: null, loc: null }, exits: [], goal: null, holdoutPercent: 0, priority: 0, steps: [], loc: [1, 70, 1] };
      p.journeys.ping = {
        ...p.journeys.empty,
        steps: [{ id: 0, kind: 'repeat', everyMs: DAY, max: 3, until: null, body: 0, next: null, loc: [1, 80, 3] }],
      };
    });
    expect(loadPlan(plan).ok).toBe(true);
    const noPressure = mutated((p) => {
      p.pressure = { caps: [], gaps: [], topicGaps: [], quietHours: [], quietDays: [], capped: { mode: 'delay', upToMs: 7 * DAY, loc: null }, loc: null };
    });
    expect(loadPlan(noPressure).ok).toBe(true);
  });

  test('names may be any Unicode letters, including names of Object.prototype members', () => {
    const plan = mutated((p) => {
      p.topics['livre_blanc_été'] = { loc: [0, 1, 1] };
      p.topics.constructor = { loc: [0, 1, 1] };
      p.contents.toString = { ...p.contents.reminder, topic: 'constructor' };
      p.journeys.welcome.steps[4].content = 'toString';
    });
    expect(loadPlan(plan).ok).toBe(true);
  });
});

const deepGarbage = (() => {
  let v: unknown = 'bottom';
  for (let i = 0; i < 100_000; i++) v = i % 2 ? [v] : { x: v };
  return v;
})();

const welcomeStep = (p: Loose, i: number): Step => p.journeys.welcome.steps[i];

interface Case {
  name: string;
  input: () => unknown;
  path: string | RegExp;
  message: string | RegExp;
}

const cases: Case[] = [
  { name: 'missing format', input: () => mutated((p) => delete p.format), path: '/format', message: 'missing required property `format`: this is not a nurture plan' },
  { name: 'another format', input: () => mutated((p) => (p.format = 'other-plan')), path: '/format', message: 'not a nurture plan: `format` is the string "other-plan", expected "nurture-plan"' },
  { name: 'version of the wrong type', input: () => mutated((p) => (p.version = '1')), path: '/version', message: '`version` must be an integer, not the string "1"' },
  { name: 'a future version', input: () => JSON.stringify(mutated((p) => (p.version = 2))), path: '/version', message: 'plan version 2 is newer than this runtime supports (1); upgrade nurture' },
  { name: 'version 0', input: () => mutated((p) => (p.version = 0)), path: '/version', message: 'plan version 0 is not supported (this runtime supports version 1)' },
  { name: 'missing top-level section', input: () => mutated((p) => delete p.journeys), path: '/journeys', message: 'missing required property `journeys`' },
  { name: 'extra top-level property', input: () => mutated((p) => (p.generatedAt = '2026-01-01')), path: '/generatedAt', message: /^unknown property `generatedAt` in a nurture plan; allowed: format, version, source, timezone, controlGroup, attributes, /u },
  { name: 'extra property on a step', input: () => mutated((p) => (welcomeStep(p, 0) as Loose).color = 'red'), path: '/journeys/welcome/steps/0/color', message: 'unknown property `color`; allowed: id, kind, content, next, loc' },
  { name: 'unknown step kind', input: () => mutated((p) => ((welcomeStep(p, 3) as Loose).kind = 'jump')), path: '/journeys/welcome/steps/3/kind', message: /^unknown step kind `jump`; expected one of send, sendNext, wait, waitFor/ },
  { name: 'step without kind', input: () => mutated((p) => delete (welcomeStep(p, 3) as Loose).kind), path: '/journeys/welcome/steps/3/kind', message: /^missing required property `kind` \(the step kind: one of send, / },
  { name: 'missing transition', input: () => mutated((p) => delete (welcomeStep(p, 5) as Loose).onTimeout), path: '/journeys/welcome/steps/5/onTimeout', message: 'missing required property `onTimeout`' },
  { name: 'step target out of range', input: () => mutated((p) => ((welcomeStep(p, 4) as Loose).next = 12)), path: '/journeys/welcome/steps/4/next', message: 'step 4 of journey `welcome` goes to step 12, but the journey has 12 steps (0–11)' },
  { name: 'branch target out of range', input: () => mutated((p) => (p.journeys.renewal.steps[3].branches[1].target = 99)), path: '/journeys/renewal/steps/3/branches/1/target', message: 'step 3 of journey `renewal` goes to step 99, but the journey has 12 steps (0–11)' },
  { name: 'negative step target', input: () => mutated((p) => ((welcomeStep(p, 5) as Loose).onEvent = -1)), path: '/journeys/welcome/steps/5/onEvent', message: 'step target: must be at least 0 (got the integer -1)' },
  { name: 'fractional step target', input: () => mutated((p) => ((welcomeStep(p, 0) as Loose).next = 1.5)), path: '/journeys/welcome/steps/0/next', message: 'step target: must be an integer or null, not the number 1.5' },
  { name: 'step id that is not its index', input: () => mutated((p) => ((welcomeStep(p, 2) as Loose).id = 7)), path: '/journeys/welcome/steps/2/id', message: 'the step at index 2 of journey `welcome` has id 7; a step\'s id must be its index' },
  { name: 'undeclared content', input: () => mutated((p) => ((welcomeStep(p, 0) as Loose).content = 'welcome_mail')), path: '/journeys/welcome/steps/0/content', message: 'content `welcome_mail` is not declared' },
  { name: 'undeclared journey in move to', input: () => mutated((p) => ((welcomeStep(p, 11) as Loose).journey = 'longterm')), path: '/journeys/welcome/steps/11/journey', message: 'journey `longterm` is not declared' },
  { name: 'undeclared event in an entry', input: () => mutated((p) => (p.journeys.welcome.entries[0].event = 'form_sent')), path: '/journeys/welcome/entries/0/event', message: 'event `form_sent` is not declared' },
  { name: 'undeclared score in a condition', input: () => mutated((p) => (p.thresholds.mql.condition.args[0].left.name = 'fitness')), path: '/thresholds/mql/condition/args/0/left/name', message: 'score `fitness` is not declared' },
  { name: 'undeclared segment', input: () => mutated((p) => (p.journeys.long_term.audience.name = 'deciders')), path: '/journeys/long_term/audience/name', message: 'segment `deciders` is not declared' },
  { name: 'undeclared attribute', input: () => mutated((p) => (p.segments.decision_makers.condition.args[1].left.name = 'staff')), path: '/segments/decision_makers/condition/args/1/left/name', message: 'attribute `staff` is not declared' },
  { name: 'stage index out of range', input: () => mutated((p) => (p.thresholds.mql.actions[0].stage = 9)), path: '/thresholds/mql/actions/0/stage', message: 'stage 9 does not exist: the plan has 5 stages (0–4)' },
  { name: 'unknown event field in a where', input: () => mutated((p) => (p.journeys.welcome.entries[0].where.left.name = 'from')), path: '/journeys/welcome/entries/0/where/left/name', message: 'event `form_submitted` has no field `from`' },
  { name: 'event field outside a where', input: () => mutated((p) => (p.thresholds.mql.condition.args[0].left = { op: 'field', name: 'form', loc: [0, 1, 1] })), path: '/thresholds/mql/condition/args/0/left', message: 'event field `form` is used outside a `where` clause' },
  { name: 'negative duration', input: () => mutated((p) => ((welcomeStep(p, 1) as Loose).durationMs = -DAY)), path: '/journeys/welcome/steps/1/durationMs', message: 'duration in milliseconds: must be at least 0 (got the integer -86400000)' },
  { name: 'duration as text', input: () => mutated((p) => ((welcomeStep(p, 1) as Loose).durationMs = '2 days')), path: '/journeys/welcome/steps/1/durationMs', message: 'duration in milliseconds: must be an integer, not the string "2 days"' },
  { name: 'holdout 150%', input: () => mutated((p) => (p.journeys.welcome.holdoutPercent = 150)), path: '/journeys/welcome/holdoutPercent', message: 'percentage: must be at most 100 (got the integer 150)' },
  { name: 'priority of the wrong type', input: () => mutated((p) => (p.journeys.welcome.priority = 'high')), path: '/journeys/welcome/priority', message: 'must be a number, not the string "high"' },
  { name: 'split that does not sum to 100%', input: () => mutated((p) => ((welcomeStep(p, 8) as Loose).branches[1].percent = 40)), path: '/journeys/welcome/steps/8/branches', message: 'the split at step 8 of journey `welcome` sums to 90%, not 100%' },
  { name: 'a loop that never waits', input: () => mutated((p) => ((welcomeStep(p, 4) as Loose).next = 2)), path: '/journeys/welcome/steps/2', message: 'steps 2 → 4 → 2 of journey `welcome` form a loop that never waits' },
  { name: 'unknown expression op', input: () => mutated((p) => (p.segments.decision_makers.condition.op = 'xor')), path: '/segments/decision_makers/condition/op', message: /^unknown expression op `xor`; expected one of and, or, not, cmp, / },
  { name: 'unknown comparison', input: () => mutated((p) => (p.segments.decision_makers.condition.args[1].cmp = '=>')), path: '/segments/decision_makers/condition/args/1/cmp', message: 'must be one of "==", "!=", "<", "<=", ">", ">=" (got the string "=>")' },
  { name: 'constant of the wrong type', input: () => mutated((p) => (p.segments.decision_makers.condition.args[1].right.value = '100')), path: '/segments/decision_makers/condition/args/1/right/value', message: 'must be a number, not the string "100"' },
  { name: 'unknown constant type', input: () => mutated((p) => (p.segments.decision_makers.condition.args[1].right.type = 'money')), path: '/segments/decision_makers/condition/args/1/right/type', message: /^unknown constant type `money`; expected one of number, text, bool, date, stage, enum, content, channel, topic, textList$/ },
  { name: 'unknown attribute type', input: () => mutated((p) => (p.attributes.budget.type = 'float')), path: '/attributes/budget/type', message: 'unknown attribute type `float`; expected one of text, number, bool, date, textList, enum' },
  { name: 'invalid name as a key', input: () => mutated((p) => (p.topics['bad name'] = { loc: [0, 1, 1] })), path: '/topics/bad name', message: '`bad name` is not a valid name (a letter or "_", then letters, digits or "_")' },
  { name: 'location in a missing file', input: () => mutated((p) => (welcomeStep(p, 0).loc = [5, 1, 1])), path: '/journeys/welcome/steps/0/loc/0', message: 'location refers to source file 5, but the plan lists 2 source files' },
  { name: 'location with line 0', input: () => mutated((p) => (welcomeStep(p, 0).loc = [0, 0, 1])), path: '/journeys/welcome/steps/0/loc/1', message: 'must be at least 1 (got the integer 0)' },
  { name: 'location as an object', input: () => mutated((p) => (welcomeStep(p, 0).loc = { file: 0, line: 1, column: 1 } as Loose)), path: '/journeys/welcome/steps/0/loc', message: 'location: must be an array, not an object' },
  { name: 'segment that depends on itself', input: () => mutated((p) => p.segments.engaged_reader.condition.args.push({ op: 'segment', name: 'data_quality', loc: [0, 1, 1] }) && p.segments.data_quality.condition.args.push({ op: 'segment', name: 'engaged_reader', loc: [0, 1, 1] })), path: '/segments/engaged_reader', message: 'segment `engaged_reader` depends on itself: engaged_reader → data_quality → engaged_reader' },
  { name: 'received … at outside a test', input: () => mutated((p) => (p.segments.engaged_reader.condition.args[0].atMs = 0)), path: '/segments/engaged_reader/condition/args/0/atMs', message: '`received … at` is only allowed in tests' },
  { name: 'test going back in time', input: () => mutated((p) => (p.tests[0].statements[1].atMs = Date.UTC(2025, 0, 1))), path: '/tests/0/statements/1/atMs', message: /goes back in time: 2025-01-01T00:00:00.000Z is before 2026-01-05T08:00:00.000Z/ },
  { name: 'consent attribute that is not bool', input: () => mutated((p) => (p.channels.email.consent = 'country')), path: '/channels/email/consent', message: 'consent attribute `country` of channel `email` is text, not bool' },
  { name: 'unknown time zone', input: () => mutated((p) => (p.timezone = 'Europe/Atlantis')), path: '/timezone', message: 'unknown time zone `Europe/Atlantis` (expected an IANA name such as "Europe/Paris")' },
  { name: 'setting a derived score', input: () => mutated((p) => (p.handlers[1].actions[1].score = 'total')), path: '/handlers/1/actions/1/score', message: 'score `total` is derived: only a score with rules can be set' },
  { name: 'repeated quiet day', input: () => mutated((p) => (p.pressure.quietDays[0].days = [6, 6])), path: '/pressure/quietDays/0/days', message: 'must not repeat a value (items 0 and 1 are equal)' },
  { name: 'reentry after without a duration', input: () => mutated((p) => (p.journeys.renewal.reentry.afterMs = null)), path: '/journeys/renewal/reentry/afterMs', message: 'duration in milliseconds: must be an integer, not null' },
  { name: 'bad source hash', input: () => mutated((p) => (p.source.hash = 'md5:abc')), path: '/source/hash', message: 'the string "md5:abc" is not a valid hash (expected "sha256:" and 64 lowercase hex digits)' },
  { name: 'JSON syntax error', input: () => '{\n  "format": "nurture-plan",\n  "version": 1,,\n}', path: '', message: "invalid JSON at line 3, column 16: unexpected ',', expected a property name in double quotes" },
  { name: 'truncated JSON', input: () => JSON.stringify(richPlan(), null, 2).slice(0, 200), path: '', message: /^invalid JSON at line \d+, column \d+: (unexpected end of the text|a string that is never closed)/ },
  { name: 'garbage text', input: () => 'hello', path: '', message: "invalid JSON at line 1, column 1: unexpected 'h', expected a value" },
  { name: 'empty text', input: () => '', path: '', message: 'invalid JSON at line 1, column 1: unexpected end of the text, expected a value' },
  { name: 'null', input: () => null, path: '', message: 'a plan must be a JSON object, not null' },
  { name: 'JSON null', input: () => 'null', path: '', message: 'a plan must be a JSON object, not null' },
  { name: 'an array', input: () => [richPlan()], path: '', message: 'a plan must be a JSON object, not an array' },
  { name: 'a number', input: () => 1e308, path: '', message: 'a plan must be a JSON object, not the integer 1e+308' },
  { name: 'undefined', input: () => undefined, path: '', message: 'a plan must be a JSON object, not nothing' },
  { name: 'deeply nested garbage', input: () => mutated((p) => (p.journeys.welcome.steps[0].extra = deepGarbage)), path: /^\/journeys\/welcome\/steps\/0\/extra(\/(x|0))+$/, message: `the plan is nested more than ${MAX_PLAN_DEPTH} levels deep here` },
  { name: 'deeply nested JSON text', input: () => '{"format": "nurture-plan", "version": 1, "x": ' + '['.repeat(50_000) + ']'.repeat(50_000) + '}', path: /^\/x(\/0)+$/, message: `the plan is nested more than ${MAX_PLAN_DEPTH} levels deep here` },
  { name: 'a huge number as a target', input: () => mutated((p) => ((welcomeStep(p, 0) as Loose).next = 1e300)), path: '/journeys/welcome/steps/0/next', message: /^step target: must be at most 9007199254740991/ },
  { name: 'Infinity (not JSON) as a duration', input: () => mutated((p) => ((welcomeStep(p, 1) as Loose).durationMs = Infinity)), path: '/journeys/welcome/steps/1/durationMs', message: 'duration in milliseconds: must be an integer, not the number Infinity' },
];

describe('a corrupted plan is refused with the JSON path and a readable reason', () => {
  test.each(cases)('$name', ({ input, path, message }) => {
    const errors = refused(input());
    const first = errors[0]!;
    if (typeof path === 'string') expect(first.path).toBe(path);
    else expect(first.path).toMatch(path);
    if (typeof message === 'string') expect(first.message).toBe(message);
    else expect(first.message).toMatch(message);
  });

  test('the table is large enough', () => expect(cases.length).toBeGreaterThanOrEqual(15));

  test('semantic errors are all reported, capped', () => {
    const plan = mutated((p) => {
      p.journeys.welcome.steps.forEach((s: Loose) => {
        if (s.kind === 'send') s.content = 'nope';
      });
    });
    const errors = refused(plan);
    expect(errors.map((e) => e.path)).toEqual([0, 3, 4, 7, 9, 10].map((i) => `/journeys/welcome/steps/${i}/content`));
    const many = mutated((p) => {
      for (let i = 0; i < 80; i++) p.handlers.push({ event: `ghost_${i}`, where: null, actions: [], loc: [0, 1, 1] });
    });
    const capped = refused(many);
    expect(capped).toHaveLength(51);
    expect(capped[50]).toEqual({ path: '', message: '… and 30 more problems' });
  });

  test('errors format as lines', () => {
    expect(formatPlanErrors([{ path: '/version', message: 'x' }, { path: '', message: 'y' }], 'plan.json')).toBe('plan.json: /version: x\nplan.json: (document): y');
  });

  test('a throwing getter does not make the loader throw', () => {
    const plan = richPlan() as Loose;
    Object.defineProperty(plan.journeys.welcome, 'steps', { enumerable: true, get: () => { throw new Error('boom'); } });
    const result = loadPlan(plan);
    expect(result.ok).toBe(false);
  });

  test('a cyclic object is refused', () => {
    const plan = richPlan() as Loose;
    plan.journeys.welcome.audience = { op: 'not', arg: null, loc: [0, 1, 1] };
    plan.journeys.welcome.audience.arg = plan.journeys.welcome.audience;
    const errors = refused(plan);
    expect(errors[0]!.message).toMatch(/nested more than/);
  });
});

describe('the JSON syntax locator', () => {
  test.each([
    ['{}', null],
    ['[1, -2.5e3, "a\\u00e9\\n", true, false, null, {"a": {}}]', null],
    ['{"a" 1}', { offset: 5, reason: "unexpected '1', expected ':' after the property name" }],
    ['[1 2]', { offset: 3, reason: "unexpected '2', expected ',' or ']'" }],
    ['"abc', { offset: 0, reason: 'a string that is never closed' }],
    ['"a\\x"', { offset: 2, reason: 'an invalid escape \\x in a string' }],
    ['"a\nb"', { offset: 2, reason: 'a control character (such as a newline) inside a string' }],
    ['01', { offset: 1, reason: "unexpected '1' after the end of the JSON value" }],
    ['{"a": -}', { offset: 6, reason: 'an invalid number' }],
    ['{} x', { offset: 3, reason: "unexpected 'x' after the end of the JSON value" }],
  ])('%s', (text, expected) => {
    expect(findJsonSyntaxError(text)).toEqual(expected);
    if (expected === null) expect(() => JSON.parse(text)).not.toThrow();
    else expect(() => JSON.parse(text)).toThrow();
  });
});

// Keeps the `Expr` type import used for readers of this file: conditions are plain data.
export const sampleCondition: Expr = { op: 'known', arg: { op: 'attr', name: 'country', loc: [0, 1, 1] }, loc: [0, 1, 1] };
