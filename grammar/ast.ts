// The syntax tree of a .nurture file: plain data, produced by the parser, read by the checker,
// the compiler, the formatter and the language server. Every node carries its exact span.
// A tree may be partial (the parser recovers from errors): lists simply miss the broken items,
// and an expression that could not be parsed is an `ErrorExpr`.

/** A region of one source text. Offsets are 0-based UTF-16 indexes; lines and columns 1-based. */
export interface Span {
  start: number; // offset of the first character
  end: number; // offset just after the last character
  line: number;
  column: number;
  endLine: number; // line of the last character
  endColumn: number; // column just after the last character (exclusive), like LSP ranges
}

export interface Node {
  span: Span;
}

/** A name as written: attribute, event, content, journey, enum member, unit… */
export interface Ident extends Node {
  text: string;
}

export interface Comment extends Node {
  text: string; // including the leading '#'
}

export interface SourceFile extends Node {
  kind: 'file';
  path: string;
  declarations: Declaration[];
  comments: Comment[];
}

// ---------------------------------------------------------------------------------------------
// Literals and values

export interface NumberLit extends Node {
  kind: 'number';
  value: number; // signed when written with '+' or '-'
  raw: string;
}
export interface TextLit extends Node {
  kind: 'text';
  value: string; // escapes decoded
  raw: string; // as written, with quotes
}
export interface BoolLit extends Node {
  kind: 'bool';
  value: boolean;
}
export interface PercentLit extends Node {
  kind: 'percent';
  value: number; // 10% -> 10
  raw: string;
}
export type DurationUnit = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';
export interface DurationLit extends Node {
  kind: 'duration';
  amount: number; // `per day` -> 1
  unit: DurationUnit;
  ms: number;
  raw: string; // "7 days", "per day" -> "day"
}
export interface TimeLit extends Node {
  kind: 'time';
  hour: number;
  minute: number;
  raw: string;
}
export interface DateLit extends Node {
  kind: 'date';
  year: number;
  month: number;
  day: number;
  raw: string;
}
/** `2026-01-05 09:00` (tests only). */
export interface DateTimeLit extends Node {
  kind: 'datetime';
  date: DateLit;
  time: TimeLit;
}
export interface ListLit extends Node {
  kind: 'list';
  items: Expr[];
}

// ---------------------------------------------------------------------------------------------
// Expressions: conditions, values and arithmetic share one tree.

/** A bare name: attribute, score, segment, event field, enum member, stage, content, channel, topic. */
export interface NameRef extends Node {
  kind: 'name';
  name: Ident;
}
export interface BinaryLogic extends Node {
  kind: 'and' | 'or';
  left: Expr;
  right: Expr;
}
export interface NotExpr extends Node {
  kind: 'not';
  operand: Expr;
}
export interface ParenExpr extends Node {
  kind: 'paren';
  inner: Expr;
}
export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'is' | 'is not';
export interface CompareExpr extends Node {
  kind: 'compare';
  op: CompareOp;
  opSpan: Span;
  left: Expr;
  right: Expr;
}
export interface InExpr extends Node {
  kind: 'in';
  negated: boolean; // `not in`
  left: Expr;
  list: ListLit;
}
export interface ContainsExpr extends Node {
  kind: 'contains';
  left: Expr;
  right: Expr;
}
/** `x is known` / `x is missing`. */
export interface KnownExpr extends Node {
  kind: 'known';
  missing: boolean;
  operand: Expr;
}
export type ArithOp = '+' | '-' | '*' | '/';
export interface ArithExpr extends Node {
  kind: 'arith';
  op: ArithOp;
  left: Expr;
  right: Expr;
}
/** `has event [where c] [at least N times] [within D]`. */
export interface HasExpr extends Node {
  kind: 'has';
  event: Ident;
  where?: Expr;
  atLeast?: NumberLit;
  within?: DurationLit;
}
/**
 * `received content [within D]`, `received any of stream [within D]`,
 * and in tests `received content at DATETIME`, `received content N times`.
 */
export interface ReceivedExpr extends Node {
  kind: 'received';
  anyOf: boolean;
  target: Ident;
  within?: DurationLit;
  at?: DateTimeLit;
  times?: NumberLit;
}
export interface InJourneyExpr extends Node {
  kind: 'inJourney';
  journey: Ident;
}
export interface CompletedJourneyExpr extends Node {
  kind: 'completedJourney';
  journey: Ident;
}
export interface HandedOffExpr extends Node {
  kind: 'handedOff';
  queue?: TextLit;
}
/** Placeholder where the parser could not build an expression (a NUR001 was reported). */
export interface ErrorExpr extends Node {
  kind: 'error';
}

export type Literal =
  | NumberLit
  | TextLit
  | BoolLit
  | PercentLit
  | DurationLit
  | TimeLit
  | DateLit
  | DateTimeLit
  | ListLit;

export type Expr =
  | Literal
  | NameRef
  | BinaryLogic
  | NotExpr
  | ParenExpr
  | CompareExpr
  | InExpr
  | ContainsExpr
  | KnownExpr
  | ArithExpr
  | HasExpr
  | ReceivedExpr
  | InJourneyExpr
  | CompletedJourneyExpr
  | HandedOffExpr
  | ErrorExpr;

// ---------------------------------------------------------------------------------------------
// Types of attributes and event fields

/** `text`, `number`, `bool`, `date`, `content`, `channel`, `topic` (checked by the checker). */
export interface NamedType extends Node {
  kind: 'namedType';
  name: Ident;
}
export interface EnumType extends Node {
  kind: 'enumType';
  members: Ident[];
}
/** `list of text`. */
export interface ListType extends Node {
  kind: 'listType';
  of: Ident;
}
export type TypeExpr = NamedType | EnumType | ListType;

export interface FieldDecl extends Node {
  kind: 'field';
  name: Ident;
  type: TypeExpr;
}

/** `key: value` in content, channel, test lead, event occurrences. */
export interface Property extends Node {
  kind: 'property';
  key: Ident;
  value: Expr;
}

// ---------------------------------------------------------------------------------------------
// Declarations

export interface TimezoneDecl extends Node {
  kind: 'timezone';
  value: TextLit;
}
/** `control group P%` (LANGUAGE.md 4.16). */
export interface ControlGroupDecl extends Node {
  kind: 'controlGroup';
  percent: PercentLit;
}
export interface LeadDecl extends Node {
  kind: 'lead';
  fields: FieldDecl[];
}
export interface EventDecl extends Node {
  kind: 'event';
  name: Ident;
  fields: FieldDecl[];
}
export interface ChannelDecl extends Node {
  kind: 'channel';
  name: Ident;
  properties: Property[];
}
export interface TopicsDecl extends Node {
  kind: 'topics';
  names: Ident[];
}
export interface ContentDecl extends Node {
  kind: 'content';
  name: Ident;
  properties: Property[];
}
export interface StreamDecl extends Node {
  kind: 'stream';
  name: Ident;
  items: Ident[];
}
export interface StagesDecl extends Node {
  kind: 'stages';
  names: Ident[];
}
export interface SegmentDecl extends Node {
  kind: 'segment';
  name: Ident;
  condition: Expr;
}

/** `+30 if condition`. */
export interface FitRule extends Node {
  kind: 'fitRule';
  points: NumberLit;
  condition: Expr;
}
/** `+1 on event [where c] [max K per D | once]`. */
export interface EngagementRule extends Node {
  kind: 'engagementRule';
  points: NumberLit;
  event: Ident;
  where?: Expr;
  limit?: { kind: 'max'; count: NumberLit; per: DurationLit; span: Span } | { kind: 'once'; span: Span };
}
/** `decay 20% every 30 days idle` / `decay 5 every 7 days idle`. */
export interface DecayRule extends Node {
  kind: 'decay';
  amount: PercentLit | NumberLit;
  every: DurationLit;
}
export interface RangeRule extends Node {
  kind: 'range';
  min: NumberLit;
  max: NumberLit;
}
export type ScoreRule = FitRule | EngagementRule | DecayRule | RangeRule;

export interface ScoreDecl extends Node {
  kind: 'score';
  name: Ident;
  rules: ScoreRule[];
}
/** `score total = fit + engagement`. */
export interface DerivedScoreDecl extends Node {
  kind: 'derivedScore';
  name: Ident;
  expr: Expr;
}
export interface ThresholdDecl extends Node {
  kind: 'threshold';
  name: Ident;
  condition: Expr;
  actions: Step[];
}
export interface OnDecl extends Node {
  kind: 'on';
  event: Ident;
  where?: Expr;
  actions: Step[];
}

export type PressureRule =
  | { kind: 'maxMessages'; count: NumberLit; per: DurationLit; channel?: Ident; span: Span }
  | { kind: 'minGap'; gap: DurationLit; channel?: Ident; span: Span }
  | { kind: 'minGapTopic'; gap: DurationLit; span: Span }
  | { kind: 'quietHours'; from: TimeLit; to: TimeLit; span: Span }
  | { kind: 'quietDays'; days: Ident[]; span: Span }
  | { kind: 'delayCapped'; upTo: DurationLit; span: Span }
  | { kind: 'skipCapped'; span: Span };

export interface PressureDecl extends Node {
  kind: 'pressure';
  rules: PressureRule[];
}

// Journey settings -----------------------------------------------------------------------------

export type JourneySetting =
  | { kind: 'entryOn'; event: Ident; where?: Expr; span: Span }
  | { kind: 'entryWhen'; condition: Expr; span: Span }
  | { kind: 'entryDate'; offset: DurationLit; direction: 'before' | 'after'; attribute: Ident; yearly: boolean; span: Span }
  | { kind: 'audience'; condition: Expr; span: Span }
  | { kind: 'reentry'; mode: 'never' | 'always' | 'after'; after?: DurationLit; span: Span }
  | { kind: 'exitWhen'; condition: Expr; span: Span }
  | { kind: 'exitOn'; event: Ident; where?: Expr; span: Span }
  | { kind: 'goalWhen'; condition: Expr; within: DurationLit; span: Span }
  | { kind: 'goalOn'; event: Ident; where?: Expr; within: DurationLit; span: Span }
  | { kind: 'holdout'; percent: PercentLit; span: Span }
  | { kind: 'priority'; value: NumberLit; span: Span };

export const JOURNEY_SETTING_KINDS: ReadonlySet<string> = new Set([
  'entryOn', 'entryWhen', 'entryDate', 'audience', 'reentry', 'exitWhen', 'exitOn', 'goalWhen', 'goalOn',
  'holdout', 'priority',
]);

// Steps and actions ----------------------------------------------------------------------------

export interface SendStep extends Node {
  kind: 'send';
  content: Ident;
}
export interface SendNextStep extends Node {
  kind: 'sendNext';
  stream: Ident;
}
export interface WaitStep extends Node {
  kind: 'wait';
  duration: DurationLit;
}
export interface WaitForStep extends Node {
  kind: 'waitFor';
  event: Ident;
  where?: Expr;
  upTo: DurationLit;
  then?: Step[]; // the `{ … }` block
  timeout?: Step[]; // the `timeout { … }` block
}
export interface WaitUntilStep extends Node {
  kind: 'waitUntil';
  condition: Expr;
  upTo: DurationLit;
  then?: Step[];
  timeout?: Step[];
}
export interface IfStep extends Node {
  kind: 'if';
  branches: { condition: Expr; body: Step[]; span: Span }[]; // `if` then each `else if`
  otherwise?: Step[];
}
export interface SplitStep extends Node {
  kind: 'split';
  branches: { percent: PercentLit; body: Step[]; span: Span }[];
}
export interface RepeatStep extends Node {
  kind: 'repeat';
  every: DurationLit;
  max?: NumberLit;
  until?: Expr;
  body: Step[];
}
export interface MoveToStep extends Node {
  kind: 'moveTo';
  journey: Ident;
}
export interface EndStep extends Node {
  kind: 'end';
}
/** `set target = value`: an attribute, `stage`, or a score's engagement part. */
export interface SetAction extends Node {
  kind: 'set';
  target: Ident;
  value: Expr;
}
export interface HandoffAction extends Node {
  kind: 'handoff';
  queue: TextLit;
}
export interface EnrollAction extends Node {
  kind: 'enroll';
  journey: Ident;
}
export interface RemoveFromAction extends Node {
  kind: 'removeFrom';
  journey: Ident;
}

export type Action = SetAction | HandoffAction | EnrollAction | RemoveFromAction | SendStep;
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
  | SetAction
  | HandoffAction
  | EnrollAction
  | RemoveFromAction;

/** Settings and steps in source order (the checker reports a setting after a step: NUR312). */
export type JourneyItem = JourneySetting | Step;

export interface JourneyDecl extends Node {
  kind: 'journey';
  name: Ident;
  items: JourneyItem[];
}

// Tests ----------------------------------------------------------------------------------------

export type TestStatement =
  | { kind: 'testLead'; id?: TextLit; properties: Property[]; span: Span }
  | { kind: 'testHoldout'; journey: Ident; span: Span }
  /** `control group`: the test's lead is in the program's control group. */
  | { kind: 'testControlGroup'; span: Span }
  | { kind: 'at'; at: DateTimeLit; span: Span }
  | { kind: 'after'; duration: DurationLit; span: Span }
  /** An event happening now; `profile { … }` updates attributes. */
  | { kind: 'occur'; event: Ident; properties: Property[]; span: Span }
  | { kind: 'expect'; condition: Expr; span: Span };

export interface TestDecl extends Node {
  kind: 'test';
  name: TextLit;
  statements: TestStatement[];
}

export type Declaration =
  | TimezoneDecl
  | ControlGroupDecl
  | LeadDecl
  | EventDecl
  | ChannelDecl
  | TopicsDecl
  | ContentDecl
  | StreamDecl
  | StagesDecl
  | SegmentDecl
  | ScoreDecl
  | DerivedScoreDecl
  | ThresholdDecl
  | OnDecl
  | PressureDecl
  | JourneyDecl
  | TestDecl;
