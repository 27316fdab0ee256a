import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { planSchema, planSchemaJson, type JsonSchema } from '../../runtime/plan-schema.js';
import { loadPlan } from '../../runtime/load-plan.js';
import type {
  ActionKind,
  Attribute,
  ConstType,
  Decay,
  EngagementLimit,
  Entry,
  EventField,
  Exit,
  ExprOp,
  Goal,
  Plan,
  Pressure,
  Reentry,
  Score,
  StepKind,
  TestStatementKind,
} from '../../runtime/plan-types.js';
import { richPlan } from './rich-plan.js';

const defs = planSchema.$defs as Record<string, JsonSchema>;

/** The tag values of a discriminated union in the schema, in order. */
function tags(defName: string): string[] {
  const union = defs[defName]!;
  const tag = (union.discriminator as { propertyName: string }).propertyName;
  return (union.oneOf as JsonSchema[]).flatMap((branch) => {
    const def = defs[String(branch.$ref).replace('#/$defs/', '')]!;
    const prop = (def.properties as Record<string, JsonSchema>)[tag]!;
    return prop.const !== undefined ? [String(prop.const)] : (prop.enum as string[]);
  });
}

// Exhaustive records: the compiler rejects a missing or an extra key, so these lists are exactly the
// TS unions; the tests compare them with the schema's unions.
const STEP_KINDS: Record<StepKind, true> = { send: true, sendNext: true, wait: true, waitFor: true, waitUntil: true, if: true, split: true, repeat: true, moveTo: true, end: true, setAttr: true, setStage: true, setScore: true, handoff: true, enroll: true, removeFrom: true };
const EXPR_OPS: Record<ExprOp, true> = { and: true, or: true, not: true, cmp: true, in: true, notIn: true, contains: true, known: true, missing: true, arith: true, has: true, received: true, receivedAny: true, inJourney: true, completedJourney: true, handedOff: true, segment: true, const: true, attr: true, stage: true, score: true, field: true };
const CONST_TYPES: Record<ConstType, true> = { number: true, text: true, bool: true, date: true, stage: true, enum: true, content: true, channel: true, topic: true, textList: true };
const ACTION_KINDS: Record<ActionKind, true> = { send: true, setAttr: true, setStage: true, setScore: true, handoff: true, enroll: true, removeFrom: true };
const TEST_KINDS: Record<TestStatementKind, true> = { holdout: true, controlGroup: true, at: true, after: true, event: true, profile: true, expect: true };
const ENTRY_KINDS: Record<Entry['kind'], true> = { on: true, when: true, date: true };
const EXIT_KINDS: Record<Exit['kind'], true> = { on: true, when: true };
const GOAL_KINDS: Record<Goal['kind'], true> = { on: true, when: true };
const SCORE_KINDS: Record<Score['kind'], true> = { rules: true, derived: true };
const LIMIT_KINDS: Record<EngagementLimit['kind'], true> = { max: true, once: true };
const DECAY_KINDS: Record<Decay['kind'], true> = { percent: true, amount: true };
const REENTRY_MODES: Record<Reentry['mode'], true> = { never: true, always: true, after: true };
const CAPPED_MODES: Record<Pressure['capped']['mode'], true> = { delay: true, skip: true };
const ATTRIBUTE_TYPES: Record<Attribute['type'], true> = { text: true, number: true, bool: true, date: true, textList: true, enum: true };
const FIELD_TYPES: Record<EventField['type'], true> = { ...ATTRIBUTE_TYPES, content: true, channel: true, topic: true };

const sorted = (o: object) => Object.keys(o).sort();

describe('the plan schema', () => {
  test('runtime/plan.schema.json is exactly the schema of runtime/plan-schema.ts (run node dist/runtime/write-schema.js)', () => {
    const onDisk = readFileSync(new URL('../../runtime/plan.schema.json', import.meta.url), 'utf8');
    expect(onDisk).toBe(planSchemaJson());
    expect(planSchemaJson()).toBe(JSON.stringify(planSchema, null, 2) + '\n');
  });

  test('is a valid draft 2020-12 schema that ajv compiles in strict mode', () => {
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, discriminator: true });
    expect(ajv.validateSchema(planSchema)).toBe(true);
    expect(() => ajv.compile(planSchema)).not.toThrow();
    expect(planSchema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  test('every $def is used and every $ref resolves', () => {
    const refs = new Set<string>();
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) return v.forEach(walk);
      if (typeof v !== 'object' || v === null) return;
      for (const [k, x] of Object.entries(v)) {
        if (k === '$ref') refs.add(String(x).replace('#/$defs/', ''));
        else walk(x);
      }
    };
    walk(planSchema);
    for (const r of refs) expect(defs, r).toHaveProperty(r);
    expect([...refs].sort()).toEqual(Object.keys(defs).sort());
  });

  test('every object is closed and requires all its properties', () => {
    const open: string[] = [];
    const walk = (v: unknown, path: string): void => {
      if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${path}/${i}`));
      if (typeof v !== 'object' || v === null) return;
      const s = v as JsonSchema;
      if (s.properties && !s.discriminator) {
        if (s.additionalProperties !== false) open.push(path);
        expect(sorted(s.properties as object), path).toEqual([...(s.required as string[])].sort());
      }
      for (const [k, x] of Object.entries(s)) walk(x, `${path}/${k}`);
    };
    walk(planSchema, '#');
    expect(open).toEqual([]);
  });

  test.each([
    ['Step', STEP_KINDS],
    ['Expr', EXPR_OPS],
    ['Const', CONST_TYPES],
    ['Action', ACTION_KINDS],
    ['TestStatement', TEST_KINDS],
    ['Entry', ENTRY_KINDS],
    ['Exit', EXIT_KINDS],
    ['Goal', GOAL_KINDS],
    ['Score', SCORE_KINDS],
    ['EngagementLimit', LIMIT_KINDS],
    ['Decay', DECAY_KINDS],
    ['Reentry', REENTRY_MODES],
    ['Capped', CAPPED_MODES],
    ['Attribute', ATTRIBUTE_TYPES],
    ['EventField', FIELD_TYPES],
  ] as [string, object][])('the %s union has the same members in the schema and in plan-types.ts', (def, record) => {
    expect([...tags(def)].sort()).toEqual(sorted(record));
  });

  // Every TS type and every schema object has all its properties required, the rich plan is an object
  // literal typed `Plan` (so TS refuses a missing or an extra key) and it covers every variant (see
  // load-plan.test.ts); the closed schema accepting it therefore means both define the same keys.
  test('the rich plan, typed as Plan, validates; so do the variants it does not contain', () => {
    const plan: Plan = richPlan();
    expect(loadPlan(plan)).toEqual({ ok: true, plan });
    const skip: Pressure['capped'] = { mode: 'skip', upToMs: null, loc: [0, 1, 1] };
    plan.pressure.capped = skip;
    const never: Reentry = { mode: 'never', afterMs: null, loc: [1, 2, 3] };
    plan.journeys.long_term!.reentry = never;
    expect(loadPlan(plan).ok).toBe(true);
  });
});
