// Shared helpers of the analyses: diagnostics, spans, and walks over steps, actions and conditions.
import type { EnrollAction, Expr, JourneyDecl, JourneySetting, MoveToStep, RepeatStep, SetAction, Span, SplitStep, Step } from '../../grammar/ast.js';
import { JOURNEY_SETTING_KINDS } from '../../grammar/ast.js';
import type { Code, Diagnostic, RelatedInfo } from '../../grammar/diagnostic.js';
import type { EventSymbol, JourneySymbol, Model } from '../model.js';

export interface Extras {
  help?: string;
  related?: RelatedInfo[];
}

export function error(code: Code, file: string, span: Span, message: string, extras: Extras = {}): Diagnostic {
  return make(code, 'error', file, span, message, extras);
}

export function warning(code: Code, file: string, span: Span, message: string, extras: Extras = {}): Diagnostic {
  return make(code, 'warning', file, span, message, extras);
}

function make(code: Code, severity: 'error' | 'warning', file: string, span: Span, message: string, extras: Extras): Diagnostic {
  const d: Diagnostic = { code, severity, file, span, message };
  if (extras.help) d.help = extras.help;
  if (extras.related && extras.related.length > 0) d.related = extras.related;
  return d;
}

/** A one-line span covering the first `length` characters of `span` (a leading keyword). */
export function keywordSpan(span: Span, length: number): Span {
  const end = Math.min(span.start + length, span.end);
  return { start: span.start, end, line: span.line, column: span.column, endLine: span.line, endColumn: span.column + (end - span.start) };
}

/** From the start of `a` to the end of `b`. */
export function joinSpans(a: Span, b: Span): Span {
  return { start: a.start, end: b.end, line: a.line, column: a.column, endLine: b.endLine, endColumn: b.endColumn };
}

export function isSetting(item: JourneyDecl['items'][number]): item is JourneySetting {
  return JOURNEY_SETTING_KINDS.has(item.kind);
}

const split = new WeakMap<JourneyDecl, { steps: Step[]; settings: JourneySetting[] }>();

function splitItems(decl: JourneyDecl): { steps: Step[]; settings: JourneySetting[] } {
  let parts = split.get(decl);
  if (!parts) {
    parts = { steps: [], settings: [] };
    for (const item of decl.items) {
      if (isSetting(item)) parts.settings.push(item);
      else parts.steps.push(item);
    }
    split.set(decl, parts);
  }
  return parts;
}

/** A journey's steps, in order (computed once per syntax tree). */
export function journeySteps(decl: JourneyDecl): readonly Step[] {
  return splitItems(decl).steps;
}

/** A journey's settings, in order. */
export function journeySettings(decl: JourneyDecl): readonly JourneySetting[] {
  return splitItems(decl).settings;
}

/** The nested step lists of one step (branches, bodies, `then`/`timeout` blocks). */
export function childLists(step: Step): Step[][] {
  switch (step.kind) {
    case 'waitFor':
    case 'waitUntil': {
      const out: Step[][] = [];
      if (step.then) out.push(step.then);
      if (step.timeout) out.push(step.timeout);
      return out;
    }
    case 'if': {
      const out = step.branches.map((b) => b.body);
      if (step.otherwise) out.push(step.otherwise);
      return out;
    }
    case 'split':
      return step.branches.map((b) => b.body);
    case 'repeat':
      return [step.body];
    default:
      return [];
  }
}

/** Calls `fn` on every step of `steps`, nested ones included (pre-order; allocates nothing). */
export function forEachStep(steps: readonly Step[], fn: (step: Step) => void): void {
  for (const step of steps) {
    fn(step);
    switch (step.kind) {
      case 'waitFor':
      case 'waitUntil':
        if (step.then) forEachStep(step.then, fn);
        if (step.timeout) forEachStep(step.timeout, fn);
        break;
      case 'if':
        for (const b of step.branches) forEachStep(b.body, fn);
        if (step.otherwise) forEachStep(step.otherwise, fn);
        break;
      case 'split':
        for (const b of step.branches) forEachStep(b.body, fn);
        break;
      case 'repeat':
        forEachStep(step.body, fn);
        break;
      default:
        break;
    }
  }
}

/** Every step list of the workspace that can hold actions: journeys, thresholds, handlers. */
export function forEachStepList(model: Model, fn: (file: string, steps: readonly Step[], owner: string) => void): void {
  for (const j of model.journeys.values()) fn(j.file, journeySteps(j.decl), `journey:${j.name}`);
  for (const t of model.thresholds.values()) fn(t.file, t.decl.actions, `threshold:${t.name}`);
  for (const h of model.handlers) fn(h.file, h.decl.actions, 'handler');
}

/**
 * Every condition of the workspace, with its file, the span of its declaration and, for a `where`
 * clause, its event (whose fields come first there). Nested `has … where` clauses are reached by the caller.
 */
export function forEachCondition(model: Model, fn: (file: string, decl: Span, condition: Expr, event?: EventSymbol) => void): void {
  const ev = (name: string) => model.events.get(name);
  for (const s of model.segments.values()) fn(s.file, s.declSpan, s.decl.condition);
  for (const s of model.scores.values()) {
    if (s.decl.kind !== 'score') continue;
    for (const rule of s.decl.rules) {
      if (rule.kind === 'fitRule') fn(s.file, s.declSpan, rule.condition);
      else if (rule.kind === 'engagementRule' && rule.where) fn(s.file, s.declSpan, rule.where, ev(rule.event.text));
    }
  }
  for (const t of model.thresholds.values()) fn(t.file, t.declSpan, t.decl.condition);
  for (const h of model.handlers) if (h.decl.where) fn(h.file, h.decl.span, h.decl.where, h.event);
  for (const j of model.journeys.values()) {
    for (const item of j.decl.items) {
      switch (item.kind) {
        case 'entryOn': case 'exitOn': case 'goalOn':
          if (item.where) fn(j.file, j.declSpan, item.where, ev(item.event.text));
          break;
        case 'entryWhen': case 'exitWhen': case 'goalWhen': case 'audience':
          fn(j.file, j.declSpan, item.condition);
          break;
        default:
          break;
      }
    }
  }
  for (const c of stepIndex(model).conditions) fn(c.file, c.decl, c.condition, c.event);
  for (const t of model.tests.values()) {
    for (const st of t.decl.statements) if (st.kind === 'expect') fn(t.file, t.declSpan, st.condition);
  }
}

/** A number for messages: `200`, `12.5`, `-15`. */
export function num(n: number): string {
  if (n === Infinity) return 'no limit';
  if (n === -Infinity) return 'no limit';
  return String(Math.round(n * 1e6) / 1e6);
}

/** "a, b and c". */
export function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** Where a step is: its file, its declaration's span and, in a journey, the journey (thresholds and handlers: undefined). */
export interface Located<S> {
  file: string;
  decl: Span;
  journey: JourneySymbol | undefined;
  step: S;
}

/** The steps the analyses look for, collected in one walk per model (flat lists are cheap to scan). */
export interface StepIndex {
  splits: Located<SplitStep>[];
  repeats: Located<RepeatStep>[];
  /** `move to` and `enroll`, wherever they are. */
  transfers: Located<MoveToStep | EnrollAction>[];
  sets: Located<SetAction>[];
  /** Conditions inside steps (`if`, `wait until`, `repeat until`, `wait for … where`). */
  conditions: { file: string; decl: Span; condition: Expr; event?: EventSymbol }[];
}

const indexes = new WeakMap<Model, StepIndex>();

export function stepIndex(model: Model): StepIndex {
  let index = indexes.get(model);
  if (index) return index;
  const idx: StepIndex = { splits: [], repeats: [], transfers: [], sets: [], conditions: [] };
  const walk = (file: string, decl: Span, journey: JourneySymbol | undefined, steps: readonly Step[]): void => {
    for (const step of steps) {
      switch (step.kind) {
        case 'split':
          idx.splits.push({ file, decl, journey, step });
          for (const b of step.branches) walk(file, decl, journey, b.body);
          break;
        case 'repeat':
          idx.repeats.push({ file, decl, journey, step });
          if (step.until) idx.conditions.push({ file, decl, condition: step.until });
          walk(file, decl, journey, step.body);
          break;
        case 'if':
          for (const b of step.branches) {
            idx.conditions.push({ file, decl, condition: b.condition });
            walk(file, decl, journey, b.body);
          }
          if (step.otherwise) walk(file, decl, journey, step.otherwise);
          break;
        case 'waitFor':
          if (step.where) idx.conditions.push({ file, decl, condition: step.where, event: model.events.get(step.event.text) });
          if (step.then) walk(file, decl, journey, step.then);
          if (step.timeout) walk(file, decl, journey, step.timeout);
          break;
        case 'waitUntil':
          idx.conditions.push({ file, decl, condition: step.condition });
          if (step.then) walk(file, decl, journey, step.then);
          if (step.timeout) walk(file, decl, journey, step.timeout);
          break;
        case 'moveTo':
        case 'enroll':
          idx.transfers.push({ file, decl, journey, step });
          break;
        case 'set':
          idx.sets.push({ file, decl, journey, step });
          break;
        default:
          break;
      }
    }
  };
  for (const j of model.journeys.values()) walk(j.file, j.declSpan, j, journeySteps(j.decl));
  for (const t of model.thresholds.values()) walk(t.file, t.declSpan, undefined, t.decl.actions);
  for (const h of model.handlers) walk(h.file, h.decl.span, undefined, h.decl.actions);
  indexes.set(model, idx);
  return idx;
}
