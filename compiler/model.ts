// The checked model of a workspace: every declaration resolved into a symbol, and an index of every
// name occurrence (for the compiler, hover, go-to-definition, find-references and rename).
// Built by `checkWorkspace` (compiler/check.ts); plain data plus a few lookups, never mutated after.
import type {
  ChannelDecl, ContentDecl, ControlGroupDecl, DerivedScoreDecl, EventDecl, Expr, FieldDecl, Ident, JourneyDecl, Literal,
  OnDecl, PressureDecl, ScoreDecl, SegmentDecl, Span, StagesDecl, StreamDecl, TestDecl, ThresholdDecl,
  TimezoneDecl, TopicsDecl,
} from '../grammar/ast.js';
import type { NodeTable, ReferenceIndex } from './references.js';
import type { Type } from './types.js';

export type SymbolKind =
  | 'attribute' | 'event' | 'field' | 'enumMember' | 'channel' | 'topic' | 'content' | 'stream' | 'stage'
  | 'segment' | 'score' | 'threshold' | 'journey' | 'test' | 'builtin';

interface SymbolBase {
  readonly name: string;
  /** Declaring file ('' for built-ins). */
  readonly file: string;
  /** The name as written in its declaration (go-to-definition target, rename range). */
  readonly span: Span;
  /** The whole declaration (outline, folding, hover). */
  readonly declSpan: Span;
}

/** A lead profile attribute (`lead { budget: number }`). */
export interface AttributeSymbol extends SymbolBase {
  readonly kind: 'attribute';
  readonly type: Type;
  readonly decl: FieldDecl;
}

export interface EventSymbol extends SymbolBase {
  readonly kind: 'event';
  readonly decl: EventDecl;
  /** In declaration order. */
  readonly fields: Map<string, FieldSymbol>;
}

/** A field of one event; names are scoped to their event. */
export interface FieldSymbol extends SymbolBase {
  readonly kind: 'field';
  readonly event: EventSymbol;
  readonly type: Type;
  readonly decl: FieldDecl;
  /** The lead-level name (attribute, score, segment or `stage`) this field hides in `where` clauses. */
  readonly shadows?: Sym;
}

/** An enumeration `one of [a, b]`: the type of one attribute or event field. */
export interface EnumInfo {
  /** Display name: the attribute (`job_level`) or `event.field`. */
  readonly name: string;
  readonly owner: AttributeSymbol | FieldSymbol | undefined;
  readonly members: EnumMemberSymbol[];
  readonly byName: Map<string, EnumMemberSymbol>;
}

export interface EnumMemberSymbol extends SymbolBase {
  readonly kind: 'enumMember';
  readonly enum: EnumInfo;
  readonly index: number;
}

export interface ChannelSymbol extends SymbolBase {
  readonly kind: 'channel';
  readonly decl: ChannelDecl;
  /** The `bool` attribute that grants consent, when declared and resolved. */
  consent?: AttributeSymbol;
}

export interface TopicSymbol extends SymbolBase {
  readonly kind: 'topic';
  readonly decl: TopicsDecl;
}

export interface ContentSymbol extends SymbolBase {
  readonly kind: 'content';
  readonly decl: ContentDecl;
  channel?: ChannelSymbol;
  topic?: TopicSymbol;
  template?: string;
  subject?: string;
  cost?: number;
  transactional: boolean;
  /** Keys other than the known ones, passed through to the plan (values are literals). */
  metadata: ReadonlyMap<string, Literal>;
}

/** The (shared, empty) metadata of a content that has none. */
export const NO_METADATA: ReadonlyMap<string, Literal> = new Map();

export interface StreamSymbol extends SymbolBase {
  readonly kind: 'stream';
  readonly decl: StreamDecl;
  /** The resolved items, in order (unknown names are left out). */
  readonly items: ContentSymbol[];
}

/** One lifecycle stage; `index` gives the order (0 = the stage every lead starts in). */
export interface StageSymbol extends SymbolBase {
  readonly kind: 'stage';
  readonly decl: StagesDecl;
  readonly index: number;
}

export interface SegmentSymbol extends SymbolBase {
  readonly kind: 'segment';
  readonly decl: SegmentDecl;
}

/**
 * `fit`: only `+N if` rules; `engagement`: only `+N on` rules; `mixed`: both; `manual`: neither (its
 * value only changes through `set`); `derived`: `score x = expression`.
 */
export type ScoreCategory = 'fit' | 'engagement' | 'mixed' | 'manual' | 'derived';

export interface ScoreSymbol extends SymbolBase {
  readonly kind: 'score';
  readonly decl: ScoreDecl | DerivedScoreDecl;
  readonly category: ScoreCategory;
  /** From the `range` rule, default 0 to 100 (derived scores: undefined, not clamped). */
  readonly range?: { min: number; max: number };
}

export interface ThresholdSymbol extends SymbolBase {
  readonly kind: 'threshold';
  readonly decl: ThresholdDecl;
}

export interface JourneySymbol extends SymbolBase {
  readonly kind: 'journey';
  readonly decl: JourneyDecl;
}

export interface TestSymbol extends SymbolBase {
  readonly kind: 'test';
  readonly decl: TestDecl;
}

/** Names the language provides: the `stage` lead property and the `profile` event. */
export interface BuiltinSymbol extends SymbolBase {
  readonly kind: 'builtin';
  readonly name: 'stage' | 'profile';
}

export type Sym =
  | AttributeSymbol | EventSymbol | FieldSymbol | EnumMemberSymbol | ChannelSymbol | TopicSymbol | ContentSymbol
  | StreamSymbol | StageSymbol | SegmentSymbol | ScoreSymbol | ThresholdSymbol | JourneySymbol | TestSymbol
  | BuiltinSymbol;

/** A name occurrence that resolved to a symbol (declarations included, flagged). */
export interface Reference {
  readonly file: string;
  readonly span: Span;
  readonly symbol: Sym;
  /** True for the name in the symbol's own declaration. */
  readonly declaration: boolean;
}

export interface HandlerInfo {
  readonly file: string;
  readonly decl: OnDecl;
  readonly event?: EventSymbol;
}

export interface Model {
  /** Checked files, sorted; declaration order below is (file, position). */
  readonly files: readonly string[];
  /** The workspace time zone: the `timezone` declaration when valid, else UTC. */
  timezone: { name: string; decl?: TimezoneDecl; file?: string };
  /** The program's control group (`control group P%`, LANGUAGE.md 4.16): its first declaration. */
  controlGroup?: { percent: number; decl: ControlGroupDecl; file: string };
  readonly attributes: Map<string, AttributeSymbol>;
  readonly events: Map<string, EventSymbol>;
  readonly channels: Map<string, ChannelSymbol>;
  readonly topics: Map<string, TopicSymbol>;
  readonly contents: Map<string, ContentSymbol>;
  readonly streams: Map<string, StreamSymbol>;
  /** In lifecycle order. */
  readonly stages: Map<string, StageSymbol>;
  readonly segments: Map<string, SegmentSymbol>;
  readonly scores: Map<string, ScoreSymbol>;
  readonly thresholds: Map<string, ThresholdSymbol>;
  readonly journeys: Map<string, JourneySymbol>;
  /** Keyed by the test's name (its text). */
  readonly tests: Map<string, TestSymbol>;
  /** `on` handlers in declaration order. */
  readonly handlers: HandlerInfo[];
  pressure?: { file: string; decl: PressureDecl };
  readonly references: ReferenceIndex;
  /** The type the checker inferred for each expression it visited (`exprTypes.get(expr)`). */
  readonly exprTypes: NodeTable<Expr, Type>;
}

/** The built-in symbols (shared by every model; `file` is ''). */
const noSpan: Span = { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };
export const STAGE_PROPERTY: BuiltinSymbol = { kind: 'builtin', name: 'stage', file: '', span: noSpan, declSpan: noSpan };
export const PROFILE_EVENT: BuiltinSymbol = { kind: 'builtin', name: 'profile', file: '', span: noSpan, declSpan: noSpan };

/** The symbol an identifier resolved to, if it did (a convenience over `model.references`). */
export function symbolOf(model: Model, ident: Ident): Sym | undefined {
  return model.references.symbolOf(ident);
}

/** The map holding the symbols of one global kind (undefined for scoped kinds). */
export function symbolsOfKind(model: Model, kind: SymbolKind): Map<string, Sym> | undefined {
  switch (kind) {
    case 'attribute': return model.attributes;
    case 'event': return model.events;
    case 'channel': return model.channels;
    case 'topic': return model.topics;
    case 'content': return model.contents;
    case 'stream': return model.streams;
    case 'stage': return model.stages;
    case 'segment': return model.segments;
    case 'score': return model.scores;
    case 'threshold': return model.thresholds;
    case 'journey': return model.journeys;
    case 'test': return model.tests;
    default: return undefined;
  }
}

/** How a kind of symbol is named in messages. */
export function kindName(kind: SymbolKind): string {
  switch (kind) {
    case 'field': return 'event field';
    case 'enumMember': return 'enumeration member';
    case 'builtin': return 'built-in';
    default: return kind;
  }
}

/** "a score", "an attribute", "an event field". */
export function withArticle(noun: string): string {
  return `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}

/** "the score `fit`", used when pointing at an existing symbol. */
export function describeSymbol(sym: Sym): string {
  if (sym.kind === 'builtin') return sym.name === 'stage' ? 'the built-in `stage` property' : 'the built-in `profile` event';
  if (sym.kind === 'field') return `the field \`${sym.name}\` of event \`${sym.event.name}\``;
  if (sym.kind === 'enumMember') return `the member \`${sym.name}\` of \`${sym.enum.name}\``;
  return `the ${kindName(sym.kind)} \`${sym.name}\``;
}
