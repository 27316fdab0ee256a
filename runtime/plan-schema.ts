// The JSON Schema (draft 2020-12) of the plan: the source of truth for `runtime/plan.schema.json`
// (regenerate it with `node dist/runtime/write-schema.js`; a test checks that it is in sync).
// It mirrors `plan-types.ts` exactly. Conventions:
// - every object is closed (`additionalProperties: false`) and lists all its properties as `required`
//   (absent optional values are `null`), in the canonical key order of the plan;
// - unions are `oneOf` over branches with a `const`/`enum` tag, plus the `discriminator` annotation
//   (OpenAPI style, understood by ajv, ignored by other validators) for precise error messages;
// - `title` names the thing in error messages ("unknown step kind …").

export type JsonSchema = { [key: string]: unknown };

const ref = (name: string): JsonSchema => ({ $ref: `#/$defs/${name}` });
const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });
const arrayOf = (items: JsonSchema, extra: JsonSchema = {}): JsonSchema => ({ type: 'array', items, ...extra });
const mapOf = (values: JsonSchema): JsonSchema => ({
  type: 'object',
  propertyNames: ref('Name'),
  additionalProperties: values,
});
const str: JsonSchema = { type: 'string' };
const bool: JsonSchema = { type: 'boolean' };
const num: JsonSchema = { type: 'number' };

/** A closed object with every property required. */
function obj(props: Record<string, JsonSchema>, extra: JsonSchema = {}): JsonSchema {
  return {
    ...extra,
    type: 'object',
    properties: props,
    required: Object.keys(props),
    additionalProperties: false,
  };
}

/** A union of closed objects discriminated by `tag`. */
function union(title: string, tag: string, branches: string[]): JsonSchema {
  return {
    title,
    type: 'object',
    discriminator: { propertyName: tag },
    oneOf: branches.map(ref),
  };
}

const MAX_MS = Number.MAX_SAFE_INTEGER;
/** ±100 million days around 1970, the range of ECMAScript dates. */
const MAX_EPOCH_MS = 8.64e15;

const loc = ref('Loc');
const name = ref('Name');
const expr = ref('Expr');
const ms = ref('Ms');
const target = ref('Target');

// Expressions ----------------------------------------------------------------------------------

const EXPR_OPS: Record<string, Record<string, JsonSchema>> = {
  And: { op: { const: 'and' }, args: arrayOf(expr, { minItems: 2 }), loc },
  Or: { op: { const: 'or' }, args: arrayOf(expr, { minItems: 2 }), loc },
  Not: { op: { const: 'not' }, arg: expr, loc },
  Cmp: { op: { const: 'cmp' }, cmp: { enum: ['==', '!=', '<', '<=', '>', '>='] }, left: expr, right: expr, loc },
  In: { op: { const: 'in' }, value: expr, list: arrayOf(ref('Const')), loc },
  NotIn: { op: { const: 'notIn' }, value: expr, list: arrayOf(ref('Const')), loc },
  Contains: { op: { const: 'contains' }, left: expr, right: expr, loc },
  Known: { op: { const: 'known' }, arg: expr, loc },
  Missing: { op: { const: 'missing' }, arg: expr, loc },
  Arith: { op: { const: 'arith' }, arith: { enum: ['+', '-', '*', '/'] }, left: expr, right: expr, loc },
  Has: {
    op: { const: 'has' },
    event: name,
    where: nullable(expr),
    atLeast: ref('Count'),
    withinMs: nullable(ms),
    loc,
  },
  Received: {
    op: { const: 'received' },
    content: name,
    withinMs: nullable(ms),
    atMs: nullable(ref('EpochMs')),
    times: { type: ['integer', 'null'], minimum: 0, maximum: MAX_MS },
    loc,
  },
  ReceivedAny: { op: { const: 'receivedAny' }, stream: name, withinMs: nullable(ms), loc },
  InJourney: { op: { const: 'inJourney' }, journey: name, loc },
  CompletedJourney: { op: { const: 'completedJourney' }, journey: name, loc },
  HandedOff: { op: { const: 'handedOff' }, queue: { type: ['string', 'null'] }, loc },
  Segment: { op: { const: 'segment' }, name, loc },
  AttrRef: { op: { const: 'attr' }, name, loc },
  StageRef: { op: { const: 'stage' }, loc },
  ScoreRef: { op: { const: 'score' }, name, loc },
  FieldRef: { op: { const: 'field' }, name, loc },
};

const CONSTS: Record<string, JsonSchema> = {
  ConstNumber: obj({ op: { const: 'const' }, type: { const: 'number' }, value: num, loc }),
  ConstText: obj({ op: { const: 'const' }, type: { const: 'text' }, value: str, loc }),
  ConstBool: obj({ op: { const: 'const' }, type: { const: 'bool' }, value: bool, loc }),
  ConstDate: obj({ op: { const: 'const' }, type: { const: 'date' }, value: ref('EpochDay'), loc }),
  ConstStage: obj({ op: { const: 'const' }, type: { const: 'stage' }, value: ref('Index'), loc }),
  ConstEnum: obj({ op: { const: 'const' }, type: { const: 'enum' }, value: name, loc }),
  ConstName: obj({ op: { const: 'const' }, type: { enum: ['content', 'channel', 'topic'] }, value: name, loc }),
  ConstTextList: obj({ op: { const: 'const' }, type: { const: 'textList' }, value: arrayOf(str), loc }),
};

// Actions and steps ---------------------------------------------------------------------------

const ACTIONS: Record<string, Record<string, JsonSchema>> = {
  Send: { kind: { const: 'send' }, content: name },
  SetAttr: { kind: { const: 'setAttr' }, attribute: name, value: expr },
  SetStage: { kind: { const: 'setStage' }, stage: ref('Index') },
  SetScore: { kind: { const: 'setScore' }, score: name, value: expr },
  Handoff: { kind: { const: 'handoff' }, queue: str },
  Enroll: { kind: { const: 'enroll' }, journey: name },
  RemoveFrom: { kind: { const: 'removeFrom' }, journey: name },
};

const STEPS: Record<string, Record<string, JsonSchema>> = {
  SendNext: { kind: { const: 'sendNext' }, stream: name, next: target, exhausted: target },
  Wait: { kind: { const: 'wait' }, durationMs: ms, next: target },
  WaitFor: {
    kind: { const: 'waitFor' },
    event: name,
    where: nullable(expr),
    upToMs: ms,
    onEvent: target,
    onTimeout: target,
  },
  WaitUntil: { kind: { const: 'waitUntil' }, condition: expr, upToMs: ms, onTrue: target, onTimeout: target },
  If: {
    kind: { const: 'if' },
    branches: arrayOf(obj({ condition: expr, target, loc }, { title: 'if branch' }), { minItems: 1 }),
    else: target,
  },
  Split: {
    kind: { const: 'split' },
    branches: arrayOf(obj({ percent: ref('Percent'), target, loc }, { title: 'split branch' }), { minItems: 1 }),
  },
  Repeat: {
    kind: { const: 'repeat' },
    everyMs: ms,
    max: { type: ['integer', 'null'], minimum: 1, maximum: MAX_MS },
    until: nullable(expr),
    body: ref('Index'),
    next: target,
  },
  MoveTo: { kind: { const: 'moveTo' }, journey: name },
  End: { kind: { const: 'end' } },
};

// Step key order: id, kind, operands, transitions, loc. Action steps: id, kind, operands, next, loc.
const stepDefs: Record<string, JsonSchema> = {};
for (const [key, props] of Object.entries(ACTIONS)) {
  stepDefs[`${key}Step`] = obj({ id: ref('Index'), ...props, next: target, loc });
}
for (const [key, props] of Object.entries(STEPS)) {
  stepDefs[`${key}Step`] = obj({ id: ref('Index'), ...props, loc });
}
const STEP_ORDER = [
  'SendStep',
  'SendNextStep',
  'WaitStep',
  'WaitForStep',
  'WaitUntilStep',
  'IfStep',
  'SplitStep',
  'RepeatStep',
  'MoveToStep',
  'EndStep',
  'SetAttrStep',
  'SetStageStep',
  'SetScoreStep',
  'HandoffStep',
  'EnrollStep',
  'RemoveFromStep',
];

const actionDefs: Record<string, JsonSchema> = {};
for (const [key, props] of Object.entries(ACTIONS)) actionDefs[`${key}Action`] = obj({ ...props, loc });

const exprDefs: Record<string, JsonSchema> = {};
for (const [key, props] of Object.entries(EXPR_OPS)) exprDefs[`${key}Expr`] = obj(props);

const SCALAR_TYPES = ['text', 'number', 'bool', 'date', 'textList'];

export const planSchema: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:nurture:plan-schema:1',
  title: 'nurture plan',
  description:
    'A compiled nurture workspace (format "nurture-plan", version 1): see docs/plan.md. Every object is closed and every property is required; absent values are null.',
  type: 'object',
  properties: {
    format: { const: 'nurture-plan' },
    version: { const: 1 },
    source: obj({
      files: arrayOf(obj({ path: { type: 'string', minLength: 1 }, hash: ref('Hash') }, { title: 'source file' })),
      hash: ref('Hash'),
      compiler: { type: 'string', minLength: 1 },
    }),
    timezone: { type: 'string', minLength: 1 },
    controlGroup: nullable(obj({ percent: ref('Percent'), loc }, { title: 'control group' })),
    attributes: mapOf(ref('Attribute')),
    events: mapOf(ref('Event')),
    channels: mapOf(obj({ consent: nullable(name), loc }, { title: 'channel' })),
    topics: mapOf(obj({ loc }, { title: 'topic' })),
    contents: mapOf(ref('Content')),
    streams: mapOf(obj({ contents: arrayOf(name, { minItems: 1 }), loc }, { title: 'stream' })),
    stages: arrayOf(obj({ name, loc }, { title: 'stage' })),
    segments: mapOf(obj({ condition: expr, loc }, { title: 'segment' })),
    scores: mapOf(ref('Score')),
    thresholds: mapOf(obj({ condition: expr, actions: arrayOf(ref('Action')), loc }, { title: 'threshold' })),
    handlers: arrayOf(
      obj({ event: name, where: nullable(expr), actions: arrayOf(ref('Action')), loc }, { title: 'handler' }),
    ),
    pressure: ref('Pressure'),
    journeys: mapOf(ref('Journey')),
    tests: arrayOf(ref('Test')),
  },
  required: [
    'format',
    'version',
    'source',
    'timezone',
    'controlGroup',
    'attributes',
    'events',
    'channels',
    'topics',
    'contents',
    'streams',
    'stages',
    'segments',
    'scores',
    'thresholds',
    'handlers',
    'pressure',
    'journeys',
    'tests',
  ],
  additionalProperties: false,
  $defs: {
    // Scalars ------------------------------------------------------------------------------------
    Name: {
      title: 'name',
      type: 'string',
      pattern: '^[\\p{L}_][\\p{L}\\p{M}\\p{Nd}_]*$',
    },
    Loc: {
      title: 'location',
      description: '[file index in source.files, line (1-based), column (1-based)]',
      type: 'array',
      prefixItems: [
        { type: 'integer', minimum: 0, maximum: MAX_MS },
        { type: 'integer', minimum: 1, maximum: MAX_MS },
        { type: 'integer', minimum: 1, maximum: MAX_MS },
      ],
      minItems: 3,
      items: false,
    },
    Ms: { title: 'duration in milliseconds', type: 'integer', minimum: 0, maximum: MAX_MS },
    EpochMs: { title: 'instant in epoch milliseconds', type: 'integer', minimum: -MAX_EPOCH_MS, maximum: MAX_EPOCH_MS },
    EpochDay: { title: 'date in days since 1970-01-01', type: 'integer', minimum: -1e8, maximum: 1e8 },
    Index: { title: 'index', type: 'integer', minimum: 0, maximum: MAX_MS },
    Count: { title: 'count', type: 'integer', minimum: 1, maximum: MAX_MS },
    Percent: { title: 'percentage', type: 'number', minimum: 0, maximum: 100 },
    MinuteOfDay: { title: 'minute of the day', type: 'integer', minimum: 0, maximum: 1439 },
    Hash: { title: 'hash', type: 'string', pattern: '^sha256:[0-9a-f]{64}$' },
    Target: {
      title: 'step target',
      description: 'A step index in the same journey, or null: the journey is complete.',
      type: ['integer', 'null'],
      minimum: 0,
      maximum: MAX_MS,
    },

    // Lead model ---------------------------------------------------------------------------------
    Attribute: union('attribute type', 'type', ['ScalarAttribute', 'EnumAttribute']),
    ScalarAttribute: obj({ type: { enum: SCALAR_TYPES }, loc }),
    EnumAttribute: obj({ type: { const: 'enum' }, members: arrayOf(name, { minItems: 1, uniqueItems: true }), loc }),
    Event: obj({ fields: mapOf(ref('EventField')), loc }, { title: 'event' }),
    EventField: union('event field type', 'type', ['ScalarEventField', 'EnumEventField']),
    ScalarEventField: obj({ type: { enum: [...SCALAR_TYPES, 'content', 'channel', 'topic'] }, loc }),
    EnumEventField: obj({ type: { const: 'enum' }, members: arrayOf(name, { minItems: 1, uniqueItems: true }), loc }),
    Content: obj(
      {
        channel: name,
        topic: nullable(name),
        template: { type: ['string', 'null'] },
        subject: { type: ['string', 'null'] },
        cost: { type: 'number', minimum: 0 },
        transactional: bool,
        metadata: {
          type: 'object',
          propertyNames: name,
          additionalProperties: { type: ['string', 'number', 'boolean'] },
        },
        loc,
      },
      { title: 'content' },
    ),

    // Expressions --------------------------------------------------------------------------------
    Expr: union('expression op', 'op', [...Object.keys(exprDefs), 'Const']),
    ...exprDefs,
    Const: {
      title: 'constant type',
      type: 'object',
      properties: { op: { const: 'const' } },
      required: ['op'],
      discriminator: { propertyName: 'type' },
      oneOf: Object.keys(CONSTS).map(ref),
    },
    ...CONSTS,

    // Scores -------------------------------------------------------------------------------------
    Score: union('score kind', 'kind', ['RulesScore', 'DerivedScore']),
    RulesScore: obj({
      kind: { const: 'rules' },
      fit: arrayOf(obj({ points: num, condition: expr, loc }, { title: 'fit rule' })),
      engagement: arrayOf(ref('EngagementRule')),
      decay: nullable(ref('Decay')),
      range: obj({ min: num, max: num, loc: ref('OptionalLoc') }, { title: 'range' }),
      loc,
    }),
    DerivedScore: obj({ kind: { const: 'derived' }, expr, loc }),
    EngagementRule: obj(
      { points: num, event: name, where: nullable(expr), limit: nullable(ref('EngagementLimit')), loc },
      { title: 'engagement rule' },
    ),
    EngagementLimit: union('limit kind', 'kind', ['MaxLimit', 'OnceLimit']),
    MaxLimit: obj({ kind: { const: 'max' }, count: ref('Count'), perMs: ms, loc }),
    OnceLimit: obj({ kind: { const: 'once' }, loc }),
    Decay: union('decay kind', 'kind', ['PercentDecay', 'AmountDecay']),
    PercentDecay: obj({ kind: { const: 'percent' }, value: ref('Percent'), everyMs: ms, loc }),
    AmountDecay: obj({ kind: { const: 'amount' }, value: { type: 'number', minimum: 0 }, everyMs: ms, loc }),
    OptionalLoc: nullable(loc),

    // Actions and steps --------------------------------------------------------------------------
    Action: union('action kind', 'kind', Object.keys(actionDefs)),
    ...actionDefs,
    Step: union('step kind', 'kind', STEP_ORDER),
    ...stepDefs,

    // Journeys -----------------------------------------------------------------------------------
    Journey: obj(
      {
        entries: arrayOf(ref('Entry')),
        audience: nullable(expr),
        reentry: ref('Reentry'),
        exits: arrayOf(ref('Exit')),
        goal: nullable(ref('Goal')),
        holdoutPercent: ref('Percent'),
        priority: num,
        steps: arrayOf(ref('Step')),
        loc,
      },
      { title: 'journey' },
    ),
    Entry: union('entry kind', 'kind', ['EntryOn', 'EntryWhen', 'EntryDate']),
    EntryOn: obj({ kind: { const: 'on' }, event: name, where: nullable(expr), loc }),
    EntryWhen: obj({ kind: { const: 'when' }, condition: expr, loc }),
    EntryDate: obj({
      kind: { const: 'date' },
      attribute: name,
      offsetMs: { type: 'integer', minimum: -MAX_MS, maximum: MAX_MS },
      atMinute: ref('MinuteOfDay'),
      yearly: bool,
      loc,
    }),
    Exit: union('exit kind', 'kind', ['ExitWhen', 'ExitOn']),
    ExitWhen: obj({ kind: { const: 'when' }, condition: expr, loc }),
    ExitOn: obj({ kind: { const: 'on' }, event: name, where: nullable(expr), loc }),
    Goal: union('goal kind', 'kind', ['GoalWhen', 'GoalOn']),
    GoalWhen: obj({ kind: { const: 'when' }, condition: expr, withinMs: ms, loc }),
    GoalOn: obj({ kind: { const: 'on' }, event: name, where: nullable(expr), withinMs: ms, loc }),
    Reentry: union('reentry mode', 'mode', ['ReentryFixed', 'ReentryAfter']),
    ReentryFixed: obj({ mode: { enum: ['never', 'always'] }, afterMs: { type: 'null' }, loc: ref('OptionalLoc') }),
    ReentryAfter: obj({ mode: { const: 'after' }, afterMs: ms, loc }),

    // Pressure -----------------------------------------------------------------------------------
    Pressure: obj(
      {
        caps: arrayOf(obj({ count: ref('Count'), windowMs: ms, channel: nullable(name), loc }, { title: 'cap' })),
        gaps: arrayOf(obj({ gapMs: ms, channel: nullable(name), loc }, { title: 'gap' })),
        topicGaps: arrayOf(obj({ gapMs: ms, loc }, { title: 'topic gap' })),
        quietHours: arrayOf(
          obj({ from: ref('MinuteOfDay'), to: ref('MinuteOfDay'), loc }, { title: 'quiet hours' }),
        ),
        quietDays: arrayOf(
          obj(
            {
              days: arrayOf({ type: 'integer', minimum: 1, maximum: 7 }, { minItems: 1, uniqueItems: true }),
              loc,
            },
            { title: 'quiet days' },
          ),
        ),
        capped: ref('Capped'),
        loc: ref('OptionalLoc'),
      },
      { title: 'pressure' },
    ),
    Capped: union('capped mode', 'mode', ['CappedDelay', 'CappedSkip']),
    CappedDelay: obj({ mode: { const: 'delay' }, upToMs: ms, loc: ref('OptionalLoc') }),
    CappedSkip: obj({ mode: { const: 'skip' }, upToMs: { type: 'null' }, loc }),

    // Tests --------------------------------------------------------------------------------------
    Test: obj(
      {
        name: str,
        lead: nullable(
          obj({ id: { type: ['string', 'null'] }, profile: mapOf(ref('Const')), loc }, { title: 'test lead' }),
        ),
        startMs: ref('EpochMs'),
        statements: arrayOf(ref('TestStatement')),
        loc,
      },
      { title: 'test' },
    ),
    TestStatement: union('test statement kind', 'kind', [
      'TestHoldout',
      'TestControlGroup',
      'TestAt',
      'TestAfter',
      'TestEvent',
      'TestProfile',
      'TestExpect',
    ]),
    TestHoldout: obj({ kind: { const: 'holdout' }, journey: name, loc }),
    TestControlGroup: obj({ kind: { const: 'controlGroup' }, loc }),
    TestAt: obj({ kind: { const: 'at' }, atMs: ref('EpochMs'), loc }),
    TestAfter: obj({ kind: { const: 'after' }, durationMs: ms, loc }),
    TestEvent: obj({ kind: { const: 'event' }, event: name, data: mapOf(ref('Const')), loc }),
    TestProfile: obj({ kind: { const: 'profile' }, data: mapOf(ref('Const')), loc }),
    TestExpect: obj({ kind: { const: 'expect' }, condition: expr, loc }),
  },
};

/** The exact text of `runtime/plan.schema.json`. */
export function planSchemaJson(): string {
  return JSON.stringify(planSchema, null, 2) + '\n';
}
