// The plan: what `nurture compile` writes and what the runtime executes (LANGUAGE.md section 7).
//
// Design rules, chosen for a fast, simple and explainable runtime (see docs/plan.md):
// - Every name is resolved. Maps keyed by name (`contents`, `journeys`, …) are JSON objects whose key
//   order is declaration order (files sorted by path, then source order). Names never look like array
//   indexes, so `JSON.parse` keeps that order. Look names up with `Object.hasOwn` (or build a `Map`):
//   `constructor` is a valid name.
// - Every field is always present; an absent optional value is `null`, never a missing key. Objects of
//   one kind therefore always have the same shape (monomorphic for the JS engine).
// - Durations are integer milliseconds (`…Ms`), instants are epoch milliseconds, dates are epoch days,
//   times of day are minutes since midnight, weekdays are ISO numbers (1 = Monday … 7 = Sunday),
//   stages are indexes into `stages`.
// - Conditions and values share one small expression tree (`Expr`), discriminated by `op`; evaluating it
//   needs no string parsing and no eval.
// - Journey steps are a flat array; a step's `id` is its index, and every transition is explicit: a step
//   index, or `null` for "the journey is complete".
// - Every node carries `loc`: a `[file, line, column]` tuple (file = index into `source.files`, line and
//   column 1-based). A default the compiler filled in (no source text) has `loc: null`, and only where
//   the type says `Loc | null`.

export const PLAN_FORMAT = 'nurture-plan';
export const PLAN_VERSION = 1;

/** `[file, line, column]`: file is an index into `plan.source.files`; line and column are 1-based. */
export type Loc = [file: number, line: number, column: number];

/** A step index in the same journey, or `null`: the journey is complete. */
export type Target = number | null;

export interface Plan {
  format: typeof PLAN_FORMAT;
  version: typeof PLAN_VERSION;
  source: PlanSource;
  /** The workspace time zone (IANA), `"UTC"` by default. See `attributes.timezone` in docs/plan.md. */
  timezone: string;
  /** `control group P%` (LANGUAGE.md 4.16): the share of all leads that get no marketing message; `null` without one. */
  controlGroup: ControlGroup | null;
  attributes: Record<string, Attribute>;
  events: Record<string, EventDef>;
  channels: Record<string, Channel>;
  topics: Record<string, Topic>;
  contents: Record<string, Content>;
  streams: Record<string, Stream>;
  /** The ordered lifecycle; a stage is referred to by its index here. Empty without `stages`. */
  stages: Stage[];
  segments: Record<string, Segment>;
  scores: Record<string, Score>;
  thresholds: Record<string, Threshold>;
  /** `on event { … }` handlers, in declaration order. */
  handlers: Handler[];
  pressure: Pressure;
  journeys: Record<string, Journey>;
  tests: PlanTest[];
}

export interface ControlGroup {
  percent: number;
  loc: Loc;
}

export interface PlanSource {
  /** Sorted by path; `Loc` file indexes point here. Paths use `/`, relative to the workspace root. */
  files: SourceFileRef[];
  /** `sha256:` + hex digest over the files (see docs/plan.md). */
  hash: string;
  /** The compiler that wrote the plan, e.g. `"nurture 0.1.0"`. */
  compiler: string;
}

export interface SourceFileRef {
  path: string;
  /** `sha256:` + hex digest of the file's bytes. */
  hash: string;
}

// ---------------------------------------------------------------------------------------------
// The lead model

export type ScalarType = 'text' | 'number' | 'bool' | 'date' | 'textList';
/** Event fields may also carry the name of a declared content, channel or topic. */
export type FieldScalarType = ScalarType | 'content' | 'channel' | 'topic';

export type Attribute =
  | { type: ScalarType; loc: Loc }
  | { type: 'enum'; members: string[]; loc: Loc };

export type EventField =
  | { type: FieldScalarType; loc: Loc }
  | { type: 'enum'; members: string[]; loc: Loc };

export interface EventDef {
  /** Field name → type, in declaration order. */
  fields: Record<string, EventField>;
  loc: Loc;
}

export interface Channel {
  /** A `bool` attribute that must be `true` for a message on this channel to be sent. */
  consent: string | null;
  loc: Loc;
}

export interface Topic {
  loc: Loc;
}

export type MetadataValue = string | number | boolean;

export interface Content {
  channel: string;
  topic: string | null;
  template: string | null;
  subject: string | null;
  /** Cost per send; 0 when not given. */
  cost: number;
  transactional: boolean;
  /** Any other key of the declaration, in source order. */
  metadata: Record<string, MetadataValue>;
  loc: Loc;
}

export interface Stream {
  /** Content names, in drip order. */
  contents: string[];
  loc: Loc;
}

export interface Stage {
  name: string;
  loc: Loc;
}

export interface Segment {
  condition: Expr;
  loc: Loc;
}

// ---------------------------------------------------------------------------------------------
// Expressions: conditions and values

export type CmpOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type ArithOp = '+' | '-' | '*' | '/';

export type Expr =
  | AndExpr
  | OrExpr
  | NotExpr
  | CmpExpr
  | InExpr
  | NotInExpr
  | ContainsExpr
  | KnownExpr
  | MissingExpr
  | ArithExpr
  | HasExpr
  | ReceivedExpr
  | ReceivedAnyExpr
  | InJourneyExpr
  | CompletedJourneyExpr
  | HandedOffExpr
  | SegmentExpr
  | Const
  | AttrRef
  | StageRef
  | ScoreRef
  | FieldRef;

export type ExprOp = Expr['op'];

/** n-ary (at least two operands), flattened. */
export interface AndExpr {
  op: 'and';
  args: Expr[];
  loc: Loc;
}
export interface OrExpr {
  op: 'or';
  args: Expr[];
  loc: Loc;
}
export interface NotExpr {
  op: 'not';
  arg: Expr;
  loc: Loc;
}
/** `is` is `==`, `is not` is `!=`. False when either side is missing. Stages compare by index. */
export interface CmpExpr {
  op: 'cmp';
  cmp: CmpOp;
  left: Expr;
  right: Expr;
  loc: Loc;
}
/** `x in [ … ]`: false when `x` is missing. */
export interface InExpr {
  op: 'in';
  value: Expr;
  list: Const[];
  loc: Loc;
}
/** `x not in [ … ]`: also false when `x` is missing (unlike `not (x in [ … ])`). */
export interface NotInExpr {
  op: 'notIn';
  value: Expr;
  list: Const[];
  loc: Loc;
}
/** Text contains text, or a list of text contains an item. */
export interface ContainsExpr {
  op: 'contains';
  left: Expr;
  right: Expr;
  loc: Loc;
}
export interface KnownExpr {
  op: 'known';
  arg: Expr;
  loc: Loc;
}
export interface MissingExpr {
  op: 'missing';
  arg: Expr;
  loc: Loc;
}
export interface ArithExpr {
  op: 'arith';
  arith: ArithOp;
  left: Expr;
  right: Expr;
  loc: Loc;
}
/** `has event [where c] [at least N times] [within D]`; `within` looks at [t − D, t]. */
export interface HasExpr {
  op: 'has';
  event: string;
  /** Evaluated against each occurrence; `field` refs name this event's fields. */
  where: Expr | null;
  /** 1 unless written. */
  atLeast: number;
  withinMs: number | null;
  loc: Loc;
}
/**
 * `received content [within D]`; in tests also `received content at DATETIME` (`atMs`) and
 * `received content N times` (`times`, exactly N). `atMs` and `times` are only valid under `tests`.
 */
export interface ReceivedExpr {
  op: 'received';
  content: string;
  withinMs: number | null;
  atMs: number | null;
  times: number | null;
  loc: Loc;
}
/** `received any of stream [within D]`. */
export interface ReceivedAnyExpr {
  op: 'receivedAny';
  stream: string;
  withinMs: number | null;
  loc: Loc;
}
export interface InJourneyExpr {
  op: 'inJourney';
  journey: string;
  loc: Loc;
}
export interface CompletedJourneyExpr {
  op: 'completedJourney';
  journey: string;
  loc: Loc;
}
/** `handed off [to "queue"]`; `queue: null` means to any queue. */
export interface HandedOffExpr {
  op: 'handedOff';
  queue: string | null;
  loc: Loc;
}
export interface SegmentExpr {
  op: 'segment';
  name: string;
  loc: Loc;
}

/** A lead attribute (in a `where`, only when no event field of that name exists). */
export interface AttrRef {
  op: 'attr';
  name: string;
  loc: Loc;
}
/** The lead's current stage, as its index in `stages`. */
export interface StageRef {
  op: 'stage';
  loc: Loc;
}
export interface ScoreRef {
  op: 'score';
  name: string;
  loc: Loc;
}
/** A field of the event under consideration (only inside a `where`). */
export interface FieldRef {
  op: 'field';
  name: string;
  loc: Loc;
}

/** A typed constant. */
export type Const =
  | { op: 'const'; type: 'number'; value: number; loc: Loc }
  | { op: 'const'; type: 'text'; value: string; loc: Loc }
  | { op: 'const'; type: 'bool'; value: boolean; loc: Loc }
  /** Days since 1970-01-01. */
  | { op: 'const'; type: 'date'; value: number; loc: Loc }
  /** Index in `stages`. */
  | { op: 'const'; type: 'stage'; value: number; loc: Loc }
  /** An enumeration member, as its text. */
  | { op: 'const'; type: 'enum'; value: string; loc: Loc }
  /** The name of a declared content, channel or topic. */
  | { op: 'const'; type: 'content' | 'channel' | 'topic'; value: string; loc: Loc }
  | { op: 'const'; type: 'textList'; value: string[]; loc: Loc };

export type ConstType = Const['type'];

// ---------------------------------------------------------------------------------------------
// Scoring, thresholds, handlers

export type Score = RulesScore | DerivedScore;

/** `score name { rules… }`: value = clamp(fit part + engagement part) to `range`. */
export interface RulesScore {
  kind: 'rules';
  fit: FitRule[];
  engagement: EngagementRule[];
  decay: Decay | null;
  /** `range`, or the default 0 to 100 (`loc: null`). */
  range: { min: number; max: number; loc: Loc | null };
  loc: Loc;
}

/** `score name = expression`: arithmetic over scores and numbers. */
export interface DerivedScore {
  kind: 'derived';
  expr: Expr;
  loc: Loc;
}

export interface FitRule {
  points: number;
  condition: Expr;
  loc: Loc;
}

export interface EngagementRule {
  points: number;
  event: string;
  where: Expr | null;
  limit: EngagementLimit | null;
  loc: Loc;
}

export type EngagementLimit =
  /** At most `count` applications of this rule in (t − perMs, t]. */
  | { kind: 'max'; count: number; perMs: number; loc: Loc }
  /** At most once ever. */
  | { kind: 'once'; loc: Loc };

export type Decay =
  /** `decay P% every D idle` (0 ≤ value ≤ 100). */
  | { kind: 'percent'; value: number; everyMs: number; loc: Loc }
  /** `decay N every D idle`. */
  | { kind: 'amount'; value: number; everyMs: number; loc: Loc };

export interface Threshold {
  condition: Expr;
  actions: Action[];
  loc: Loc;
}

export interface Handler {
  event: string;
  where: Expr | null;
  actions: Action[];
  loc: Loc;
}

// ---------------------------------------------------------------------------------------------
// Actions (thresholds, handlers) and journey steps

export interface SendAction {
  kind: 'send';
  content: string;
  loc: Loc;
}
/** `set attribute = value`. */
export interface SetAttrAction {
  kind: 'setAttr';
  attribute: string;
  value: Expr;
  loc: Loc;
}
/** `set stage = s`. */
export interface SetStageAction {
  kind: 'setStage';
  stage: number;
  loc: Loc;
}
/** `set score = N`: sets the engagement part of a rules score. */
export interface SetScoreAction {
  kind: 'setScore';
  score: string;
  value: Expr;
  loc: Loc;
}
export interface HandoffAction {
  kind: 'handoff';
  queue: string;
  loc: Loc;
}
export interface EnrollAction {
  kind: 'enroll';
  journey: string;
  loc: Loc;
}
export interface RemoveFromAction {
  kind: 'removeFrom';
  journey: string;
  loc: Loc;
}

export type Action =
  | SendAction
  | SetAttrAction
  | SetStageAction
  | SetScoreAction
  | HandoffAction
  | EnrollAction
  | RemoveFromAction;

export type ActionKind = Action['kind'];

/** Every step has `id` (its index in `steps`) and `loc`. */
interface StepIdentity {
  id: number;
}
/** A step that simply continues. */
interface Continues {
  next: Target;
}

export type SendStep = SendAction & StepIdentity & Continues;
export type SetAttrStep = SetAttrAction & StepIdentity & Continues;
export type SetStageStep = SetStageAction & StepIdentity & Continues;
export type SetScoreStep = SetScoreAction & StepIdentity & Continues;
export type HandoffStep = HandoffAction & StepIdentity & Continues;
export type EnrollStep = EnrollAction & StepIdentity & Continues;
export type RemoveFromStep = RemoveFromAction & StepIdentity & Continues;

/** `send next from stream`. */
export interface SendNextStep extends StepIdentity, Continues {
  kind: 'sendNext';
  stream: string;
  /**
   * Where to go when every content of the stream was already received (nothing is sent): the `next`
   * of the innermost enclosing `repeat` (which thereby ends), or this step's own `next` outside a repeat.
   */
  exhausted: Target;
  loc: Loc;
}
export interface WaitStep extends StepIdentity, Continues {
  kind: 'wait';
  durationMs: number;
  loc: Loc;
}
/** `wait for event [where c] up to D [{ … } timeout { … }]`. */
export interface WaitForStep extends StepIdentity {
  kind: 'waitFor';
  event: string;
  where: Expr | null;
  upToMs: number;
  /** The event happened in time: the first step of the `{ … }` block, else what follows the wait. */
  onEvent: Target;
  /** `upToMs` passed: the first step of the `timeout { … }` block, else what follows the wait. */
  onTimeout: Target;
  loc: Loc;
}
/** `wait until condition up to D [{ … } timeout { … }]`; the condition is checked at once, then after every change. */
export interface WaitUntilStep extends StepIdentity {
  kind: 'waitUntil';
  condition: Expr;
  upToMs: number;
  onTrue: Target;
  onTimeout: Target;
  loc: Loc;
}
/** `if … else if … else …`: the first branch whose condition holds, else `else`. */
export interface IfStep extends StepIdentity {
  kind: 'if';
  branches: { condition: Expr; target: Target; loc: Loc }[];
  else: Target;
  loc: Loc;
}
/** `split { P% { … } … }`: percentages sum to 100; the branch is a stable hash of (lead, journey, step id). */
export interface SplitStep extends StepIdentity {
  kind: 'split';
  branches: { percent: number; target: Target; loc: Loc }[];
  loc: Loc;
}
/**
 * `repeat every D [max N times] [until c] { body }`. The body's last transitions lead back to this step.
 * Arriving from outside (no iteration running): if `until` holds, go to `next`; else start iteration 1
 * at `body`. Arriving back from the body: if `max` iterations ran, go to `next`; else wait `everyMs`,
 * then if `until` holds go to `next`, else start the next iteration at `body`.
 */
export interface RepeatStep extends StepIdentity {
  kind: 'repeat';
  everyMs: number;
  max: number | null;
  until: Expr | null;
  /** The body's first step (this step's own id when the body is empty). */
  body: number;
  /** After the loop. */
  next: Target;
  loc: Loc;
}
/** `move to journey`: leave this journey, enter that one (ignoring its entry rules and reentry). */
export interface MoveToStep extends StepIdentity {
  kind: 'moveTo';
  journey: string;
  loc: Loc;
}
/** `end`: the journey is complete. */
export interface EndStep extends StepIdentity {
  kind: 'end';
  loc: Loc;
}

export type Step =
  | SendStep
  | SendNextStep
  | WaitStep
  | WaitForStep
  | WaitUntilStep
  | IfStep
  | SplitStep
  | RepeatStep
  | MoveToStep
  | EndStep
  | SetAttrStep
  | SetStageStep
  | SetScoreStep
  | HandoffStep
  | EnrollStep
  | RemoveFromStep;

export type StepKind = Step['kind'];

// ---------------------------------------------------------------------------------------------
// Journeys

export type Entry =
  /** `entry on event [where c]`. */
  | { kind: 'on'; event: string; where: Expr | null; loc: Loc }
  /** `entry when c` (edge-triggered). */
  | { kind: 'when'; condition: Expr; loc: Loc }
  /**
   * `entry D before|after date_attribute [yearly]`: on the day `attribute + offsetMs` (negative =
   * before), at `atMinute` (540 = 09:00) in the lead's time zone; every year when `yearly`.
   */
  | { kind: 'date'; attribute: string; offsetMs: number; atMinute: number; yearly: boolean; loc: Loc };

export type Exit =
  | { kind: 'when'; condition: Expr; loc: Loc }
  | { kind: 'on'; event: string; where: Expr | null; loc: Loc };

/** Measured from entry: `within` looks at [entry, entry + withinMs]. */
export type Goal =
  | { kind: 'when'; condition: Expr; withinMs: number; loc: Loc }
  | { kind: 'on'; event: string; where: Expr | null; withinMs: number; loc: Loc };

export type Reentry =
  /** `never` is the default (`loc: null` when not written). */
  | { mode: 'never' | 'always'; afterMs: null; loc: Loc | null }
  | { mode: 'after'; afterMs: number; loc: Loc };

export interface Journey {
  entries: Entry[];
  audience: Expr | null;
  reentry: Reentry;
  exits: Exit[];
  goal: Goal | null;
  /** 0–100; 0 when not written. */
  holdoutPercent: number;
  /** Higher first; 0 when not written. */
  priority: number;
  /** Step 0 is where the journey starts; an empty list completes at once. */
  steps: Step[];
  loc: Loc;
}

// ---------------------------------------------------------------------------------------------
// Pressure

export interface Pressure {
  /** `max N messages per D [on channel]`: allowed when fewer than `count` in (t − windowMs, t]. */
  caps: { count: number; windowMs: number; channel: string | null; loc: Loc }[];
  /** `min D between messages [on channel]`: allowed when the previous one was at or before t − gapMs. */
  gaps: { gapMs: number; channel: string | null; loc: Loc }[];
  /** `min D between messages on the same topic`. */
  topicGaps: { gapMs: number; loc: Loc }[];
  /** `quiet hours HH:MM to HH:MM`: [from, to) in minutes of the day (0–1439); wraps midnight when from > to. */
  quietHours: { from: number; to: number; loc: Loc }[];
  /** `quiet days …`: ISO weekdays, 1 = Monday … 7 = Sunday. */
  quietDays: { days: number[]; loc: Loc }[];
  /** What happens to a capped message; the default is `delay` up to 7 days (`loc: null`). */
  capped: { mode: 'delay'; upToMs: number; loc: Loc | null } | { mode: 'skip'; upToMs: null; loc: Loc };
  /** The `pressure { … }` block, or `null` when there is none. */
  loc: Loc | null;
}

// ---------------------------------------------------------------------------------------------
// Tests

export interface PlanTest {
  name: string;
  /** The initial profile (`lead ["id"] { … }`), applied at `startMs`; `null` when not written. */
  lead: { id: string | null; profile: Record<string, Const>; loc: Loc } | null;
  /** Epoch ms where the clock starts (the first `at` before any event, else 2026-01-05 09:00 workspace time). */
  startMs: number;
  statements: TestStatement[];
  loc: Loc;
}

export type TestStatement =
  /** `holdout journey`. */
  | { kind: 'holdout'; journey: string; loc: Loc }
  /** `control group`: the test's lead is in the program's control group. */
  | { kind: 'controlGroup'; loc: Loc }
  /** `at DATETIME` (epoch ms; never before the clock). */
  | { kind: 'at'; atMs: number; loc: Loc }
  /** `after D`. */
  | { kind: 'after'; durationMs: number; loc: Loc }
  /** `event { field: value … }`. */
  | { kind: 'event'; event: string; data: Record<string, Const>; loc: Loc }
  /** `profile { attribute: value … }`. */
  | { kind: 'profile'; data: Record<string, Const>; loc: Loc }
  /** `expect condition` (may use `received … at` and `received … N times`). */
  | { kind: 'expect'; condition: Expr; loc: Loc };

export type TestStatementKind = TestStatement['kind'];

// ---------------------------------------------------------------------------------------------
// Loading

export interface PlanError {
  /** JSON pointer of the offending value (`""` for the whole document). */
  path: string;
  message: string;
}

export type LoadPlanResult = { ok: true; plan: Plan } | { ok: false; errors: PlanError[] };
