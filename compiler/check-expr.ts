// Types the condition language (section 5): names, literals, comparisons, `in`, `contains`,
// `is known`, boolean logic, arithmetic and the history predicates. Every function records the
// resolved names in the reference index and the inferred type of each expression.
//
// Name resolution: a bare name is looked up, in order, as
//   1. a value of the expected type, when one is known (an enumeration member, a stage, a content,
//      a channel or a topic — "resolved against the type on the other side"),
//   2. a field of the event, in `where` clauses (it shadows the lead-level names: NUR107),
//   3. a lead attribute, a score (a number), a segment (a condition) or the built-in `stage`.
import type { Expr, Ident, NameRef, NumberLit } from '../grammar/ast.js';
import type { Context } from './context.js';
import {
  STAGE_PROPERTY, kindName, withArticle,
  type EventSymbol, type Sym,
} from './model.js';
import { didYouMean, replaceFix, type DiagnosticExtras } from './reporter.js';
import { boolFromTextHint, enumMemberHint } from './value-hints.js';
import {
  T, describeType, isNamedValueType, isOrdered, memberPreview, sameType,
  type NamedValueType, type Type,
} from './types.js';

export interface Scope {
  /** In a `where` clause: the event whose fields come first. */
  readonly event?: EventSymbol;
  /** In a test `expect`: the test-only `received … at` / `received … N times` are allowed. */
  readonly expect?: boolean;
  /**
   * Literal values only (test profiles and events, content properties): a bare name is a member of
   * the expected type, never an attribute or a score.
   */
  readonly literal?: boolean;
}

export const LEAD_SCOPE: Scope = {};
export const VALUES: Scope = { literal: true };

/** Checks that `expr` is a condition. */
export function checkCondition(ctx: Context, expr: Expr, scope: Scope): void {
  const t = inferExpr(ctx, expr, scope);
  if (!sameType(t, T.bool)) {
    ctx.report.error('NUR200', ctx.file, expr.span, `expected a condition, but ${subject(expr, t)}`, {
      help: t.kind === 'number' ? `compare it, for example \`${exprText(expr) ?? 'value'} >= 10\`` : 'write a comparison such as `budget >= 10000`, or a segment name',
    });
  }
}

/**
 * Checks that `expr` is a value of type `expected` for the `what` named `name` ("the attribute",
 * "budget"), which messages name as "the attribute `budget`" (`what` may be '').
 */
export function checkValue(ctx: Context, expr: Expr, expected: Type, scope: Scope, what: string, name: string): void {
  const t = inferExpr(ctx, expr, scope, expected);
  if (!sameType(t, expected)) {
    reportMismatch(ctx, expr, t, expected, `${what ? `${what} ` : ''}\`${name}\` is ${describeType(expected)}`);
  }
}

/** Checks a count: a whole number, at least `min`. */
export function checkWholeNumber(ctx: Context, lit: NumberLit | undefined, what: string, min = 1): void {
  if (!lit || (Number.isInteger(lit.value) && lit.value >= min)) return;
  ctx.report.error('NUR200', ctx.file, lit.span, `${what} must be a whole number${min > 0 ? ` of at least ${min}` : ''}, not \`${lit.raw}\``);
}

/** Infers the type of an expression; `expected` lets bare names resolve against a named-value type. */
export function inferExpr(ctx: Context, expr: Expr, scope: Scope, expected?: Type): Type {
  const t = infer(ctx, expr, scope, expected);
  ctx.model.exprTypes.set(expr, t);
  return t;
}

function infer(ctx: Context, e: Expr, scope: Scope, expected?: Type): Type {
  // The most frequent kinds first: a cold run interprets this switch as a chain of comparisons.
  switch (e.kind) {
    case 'name':
      return inferName(ctx, e, scope, expected);
    case 'compare':
      checkCompare(ctx, e, scope);
      return T.bool;
    case 'text': return T.text;
    case 'number': return T.number;
    case 'and':
    case 'or':
      checkCondition(ctx, e.left, scope);
      checkCondition(ctx, e.right, scope);
      return T.bool;
    case 'bool': return T.bool;
    case 'percent': return T.percent;
    case 'duration': return T.duration;
    case 'time': return T.time;
    case 'date': return T.date;
    case 'datetime': return T.datetime;
    case 'list': {
      const itemExpected = expected?.kind === 'list' ? expected.item : undefined;
      let item: Type | undefined = itemExpected;
      const items = literalScope(scope); // a list is data: `[name]` is not the attribute's value
      for (const it of e.items) {
        const t = inferExpr(ctx, it, items, item);
        if (!item) item = t;
        else if (!sameType(t, item)) reportMismatch(ctx, it, t, item, `the items of this list are ${describeType(item)}`);
      }
      return { kind: 'list', item: item ?? T.text };
    }
    case 'paren':
      return inferExpr(ctx, e.inner, scope, expected);
    case 'not':
      checkCondition(ctx, e.operand, scope);
      return T.bool;
    case 'in':
      checkIn(ctx, e, scope);
      return T.bool;
    case 'contains': {
      const lt = inferExpr(ctx, e.left, scope);
      const rt = inferExpr(ctx, e.right, scope, T.text);
      if (lt.kind !== 'unknown' && lt.kind !== 'text' && !(lt.kind === 'list' && lt.item.kind === 'text')) {
        ctx.report.error('NUR201', ctx.file, e.left.span, `\`contains\` cannot be applied to ${operand(e.left, lt)}: it looks inside a text or a list of text`, {
          help: lt.kind === 'enum' ? `to test members, write \`${exprText(e.left) ?? 'x'} in [a, b]\`` : undefined,
        });
      } else if (!sameType(rt, T.text)) {
        reportMismatch(ctx, e.right, rt, T.text, '`contains` looks for a text');
      }
      return T.bool;
    }
    case 'known': {
      const sym = e.operand.kind === 'name' ? valueSymbol(ctx, e.operand.name, scope) : undefined;
      inferExpr(ctx, e.operand, scope);
      const word = e.missing ? 'is missing' : 'is known';
      if (e.operand.kind !== 'name') {
        if (e.operand.kind !== 'error') {
          ctx.report.error('NUR201', ctx.file, e.operand.span, `\`${word}\` applies to an attribute or an event field, not to an expression`);
        }
      } else if (sym && sym.kind !== 'attribute' && sym.kind !== 'field') {
        ctx.report.error('NUR201', ctx.file, e.operand.span, `\`${word}\` cannot be applied to ${describeValue(sym)}: it always has a value`, {
          help: '`is known` and `is missing` test whether an attribute or an event field has a value',
        });
      }
      return T.bool;
    }
    case 'arith': {
      if (scope.literal) {
        ctx.report.error('NUR200', ctx.file, e.span, 'expected a literal value, but this is arithmetic', {
          help: `${WRITTEN_OUT}: compute it and write the number`,
        });
        return T.unknown;
      }
      for (const side of [e.left, e.right]) {
        const t = inferExpr(ctx, side, scope, T.number);
        if (t.kind === 'number' || t.kind === 'unknown') continue;
        if (t.kind === 'percent') {
          reportMismatch(ctx, side, t, T.number, 'arithmetic works on numbers');
        } else {
          ctx.report.error('NUR201', ctx.file, side.span, `\`${e.op}\` cannot be applied to ${operand(side, t)}: arithmetic works on numbers`);
        }
      }
      return T.number;
    }
    case 'has': {
      const event = resolveEvent(ctx, e.event);
      if (e.where && event) checkCondition(ctx, e.where, { ...scope, event });
      checkWholeNumber(ctx, e.atLeast, 'the count in `at least … times`');
      return T.bool;
    }
    case 'received': {
      if (e.anyOf) ctx.resolve(e.target, 'stream');
      else ctx.resolve(e.target, 'content');
      if (!scope.expect) {
        for (const [part, node] of [['at', e.at], ['N times', e.times]] as const) {
          if (node) {
            ctx.report.error('NUR200', ctx.file, node.span, `\`received … ${part}\` is only available in a test's \`expect\``, {
              help: 'in journeys, thresholds and segments, write `received content [within duration]`',
            });
          }
        }
      }
      checkWholeNumber(ctx, e.times, 'the count in `received … times`', 0);
      return T.bool;
    }
    case 'inJourney':
    case 'completedJourney':
      ctx.resolve(e.journey, 'journey');
      return T.bool;
    case 'handedOff':
      return T.bool;
    case 'error':
      return T.unknown;
  }
}

// --- names ------------------------------------------------------------------------------------

/** The value-like symbol a name denotes in `scope`, without reporting or recording anything. */
export function valueSymbol(ctx: Context, ident: Ident, scope: Scope): Sym | undefined {
  const name = ident.text;
  const model = ctx.model;
  return (
    scope.event?.fields.get(name) ?? model.attributes.get(name) ?? model.scores.get(name) ??
    model.segments.get(name) ?? (name === 'stage' ? STAGE_PROPERTY : undefined)
  );
}

/** The type of a value-like symbol. */
export function valueType(sym: Sym): Type {
  switch (sym.kind) {
    case 'attribute':
    case 'field':
      return sym.type;
    case 'score':
      return T.number;
    case 'segment':
      return T.bool;
    case 'builtin':
      return sym.name === 'stage' ? T.stage : T.unknown;
    default:
      return T.unknown;
  }
}

/** The member named `name` of a named-value type (enum member, stage, content, channel, topic). */
export function memberOf(ctx: Context, t: NamedValueType, name: string): Sym | undefined {
  switch (t.kind) {
    case 'enum': return t.info.byName.get(name);
    case 'stage': return ctx.model.stages.get(name);
    case 'content': return ctx.model.contents.get(name);
    case 'channel': return ctx.model.channels.get(name);
    case 'topic': return ctx.model.topics.get(name);
  }
}

function inferName(ctx: Context, e: NameRef, scope: Scope, expected?: Type): Type {
  const ident = e.name;
  if (!ident.text) return T.unknown;
  if (expected && isNamedValueType(expected)) {
    const member = memberOf(ctx, expected, ident.text);
    if (member) {
      ctx.ref(ident, member);
      return expected;
    }
  }
  const sym = scope.literal ? undefined : valueSymbol(ctx, ident, scope);
  if (sym && expected && isNamedValueType(expected) && !sameType(valueType(sym), expected)) {
    // `kind is c` where `c` happens to be a score: the member is what was meant.
    reportUnknownMember(ctx, ident, expected);
    return T.unknown;
  }
  if (sym) {
    ctx.ref(ident, sym);
    return valueType(sym);
  }
  if (expected?.kind === 'unknown') return T.unknown; // the other side is broken: stay silent
  // An attribute or a score where a value is written out; a content, channel or topic named by a
  // score gets the NUR102 of its kind ("`fit` is a score, not a channel").
  const value = scope.literal && expected && !isDeclaredValueType(expected) ? valueSymbol(ctx, ident, scope) : undefined;
  if (value && expected) reportNotConstant(ctx, ident, value, expected);
  else if (expected && isNamedValueType(expected)) reportUnknownMember(ctx, ident, expected);
  else if (expected?.kind === 'text') {
    ctx.report.error('NUR200', ctx.file, ident.span, `expected a text, but \`${ident.text}\` is a bare name`, {
      help: `text values are quoted: write \`"${ident.text}"\``,
      fixes: [replaceFix(ctx.file, ident.span, JSON.stringify(ident.text), `Quote \`${ident.text}\``)],
    });
  } else if (scope.literal && expected) {
    ctx.report.error('NUR200', ctx.file, ident.span, `expected ${describeType(expected)}, but \`${ident.text}\` is a name`, {
      help: 'write a literal value here',
    });
  } else reportUnknownValue(ctx, ident, scope);
  return T.unknown;
}

/** NUR200: an attribute, a score or `stage` where a value must be written out (the plan holds a constant). */
function reportNotConstant(ctx: Context, ident: Ident, sym: Sym, expected: Type): void {
  const what = sym.kind === 'builtin' ? 'the lead\'s stage' : withArticle(kindName(sym.kind));
  ctx.report.error('NUR200', ctx.file, ident.span, `expected ${describeType(expected)}, but \`${ident.text}\` is ${what}`, {
    help: `${WRITTEN_OUT}: write the value itself`,
  });
}

function isDeclaredValueType(t: Type): boolean {
  return t.kind === 'content' || t.kind === 'channel' || t.kind === 'topic';
}

const WRITTEN_OUT = 'values are written out here (test data, content properties, list items, `in [ … ]`, `set stage`)';

/** NUR104 for enumerations and stages, NUR100/NUR102 for contents, channels and topics. */
export function reportUnknownMember(ctx: Context, ident: Ident, t: NamedValueType): void {
  const name = ident.text;
  const file = ctx.file;
  if (t.kind === 'enum' || t.kind === 'stage') {
    const members = t.kind === 'enum' ? t.info.members.map((m) => m.name) : [...ctx.model.stages.keys()];
    const what = t.kind === 'enum' ? `a member of \`${t.info.name}\`` : 'a stage';
    const fallback = t.kind === 'stage' && members.length === 0 ? 'declare the lifecycle: `stages subscriber, lead, mql, …`'
      : t.kind === 'enum' ? `add \`${name}\` to the members of \`${t.info.name}\` if it is missing` : 'add it to the `stages` declaration if it is missing';
    let hint: DiagnosticExtras = didYouMean(file, ident.span, name, members, fallback);
    if (hint.fixes === undefined && t.kind === 'enum') hint = enumMemberHint(ctx, ident, t.info) ?? hint;
    const list = members.length > 0 ? `: ${memberPreview(members, 12)}` : ' (no stages are declared)';
    ctx.report.error('NUR104', file, ident.span, `\`${name}\` is not ${what}${list}`, hint);
    return;
  }
  ctx.reportNotA(ident, t.kind, ctx.mapOf(t.kind).keys());
}

/** A bare name in value position that names no field, attribute, score or segment. */
function reportUnknownValue(ctx: Context, ident: Ident, scope: Scope): void {
  const model = ctx.model;
  const name = ident.text;
  const file = ctx.file;
  const leadNames = [...model.attributes.keys(), ...model.scores.keys(), ...model.segments.keys(), 'stage'];
  const other = ctx.findAny(name);
  if (other) {
    ctx.report.error('NUR102', file, ident.span,
      `\`${name}\` is ${withArticle(kindName(other.kind))}, not ${scope.event ? 'an event field, ' : 'an '}attribute, score or segment`, {
        help: usageHint(name, other) ?? didYouMean(file, ident.span, name, leadNames).help,
        related: [{ file: other.file, span: other.span, message: `the ${kindName(other.kind)} \`${name}\` is declared here` }],
      });
    return;
  }
  if (scope.event) {
    const fields = [...scope.event.fields.keys()];
    const fieldList = fields.length > 0 ? `its fields are ${fields.map((f) => `\`${f}\``).join(', ')}` : 'it has no fields';
    ctx.report.error('NUR105', file, ident.span, `unknown field \`${name}\`: event \`${scope.event.name}\` has no such field, and no attribute, score or segment has this name`,
      didYouMean(file, ident.span, name, [...fields, ...leadNames], `${fieldList}; lead attributes, scores and segments can be used too`));
    return;
  }
  const member = findEnumMember(ctx, name);
  ctx.report.error('NUR100', file, ident.span, `unknown attribute, score or segment \`${name}\``,
    didYouMean(file, ident.span, name, leadNames, member
      ? `\`${name}\` is a member of \`${member}\`: compare it, \`${member} is ${name}\``
      : `declare it, for example in a lead block: \`lead { ${name}: text }\``));
}

/** How to use a name of another kind in a condition ("write `received x`"). */
function usageHint(name: string, other: Sym): string | undefined {
  switch (other.kind) {
    case 'content': return `to test whether the lead received it, write \`received ${name}\``;
    case 'stream': return `to test whether the lead received any of it, write \`received any of ${name}\``;
    case 'event': return `to test whether the event happened, write \`has ${name}\``;
    case 'journey': return `to test membership, write \`in journey ${name}\` or \`completed journey ${name}\``;
    case 'stage': return `compare the lead's stage: \`stage is ${name}\` or \`stage >= ${name}\``;
    default: return undefined;
  }
}

/** The attribute whose enumeration has a member `name` (only looked for when reporting). */
function findEnumMember(ctx: Context, name: string): string | undefined {
  for (const attr of ctx.model.attributes.values()) {
    if (attr.type.kind === 'enum' && attr.type.info.byName.has(name)) return attr.name;
  }
  return undefined;
}

/** Resolves the event of `on`, `has`, `wait for`… (`profile` is built in, not a declared event). */
export function resolveEvent(ctx: Context, ident: Ident): EventSymbol | undefined {
  if (ident.text === 'profile') {
    ctx.report.error('NUR102', ctx.file, ident.span, '`profile` is the built-in profile update, not a declared event', {
      help: 'to react to attribute changes, use `entry when condition` or a `threshold`',
    });
    return undefined;
  }
  return ctx.resolve(ident, 'event');
}

// --- comparisons ------------------------------------------------------------------------------

/** Infers both sides of a binary comparison so that a bare name on either side resolves against the other. */
function inferPair(ctx: Context, left: Expr, right: Expr, scope: Scope): [Type, Type] {
  if (left.kind === 'name' && left.name.text && !valueSymbol(ctx, left.name, scope) && !isBareUnknown(ctx, right, scope)) {
    // `vp is job_level`: the right side gives the type of a bare member on the left.
    const rt = inferExpr(ctx, right, scope);
    return [inferExpr(ctx, left, scope, isNamedValueType(rt) || rt.kind === 'unknown' ? rt : undefined), rt];
  }
  const lt = inferExpr(ctx, left, scope);
  return [lt, inferExpr(ctx, right, scope, lt)];
}

function isBareUnknown(ctx: Context, e: Expr, scope: Scope): boolean {
  return e.kind === 'name' && !valueSymbol(ctx, e.name, scope);
}

function checkCompare(ctx: Context, e: Extract<Expr, { kind: 'compare' }>, scope: Scope): void {
  const [lt, rt] = inferPair(ctx, e.left, e.right, scope);
  if (lt.kind === 'unknown' || rt.kind === 'unknown') return;
  const ordering = e.op === '<' || e.op === '<=' || e.op === '>' || e.op === '>=';
  if (!sameType(lt, rt)) {
    reportMismatch(ctx, e.right, rt, lt, side(e.left, lt));
    return;
  }
  if (!isLeadValueType(lt)) {
    reportFixedOnly(ctx, e.left, lt, `\`${e.op}\``);
    return;
  }
  if (ordering && !isOrdered(lt)) {
    ctx.report.error('NUR201', ctx.file, e.opSpan, `\`${e.op}\` cannot be applied to ${operand(e.left, lt)}: only numbers, dates and stages are ordered`, {
      help: lt.kind === 'enum'
        ? `enumeration members have no order; list the ones you mean: \`${exprText(e.left) ?? 'x'} in [${lt.info.members.slice(0, 2).map((m) => m.name).join(', ')}]\``
        : lt.kind === 'text' ? 'compare texts with `is`, `is not` or `contains`' : undefined,
    });
    return;
  }
  if (lt.kind === 'list') {
    ctx.report.error('NUR201', ctx.file, e.opSpan, `\`${e.op}\` cannot be applied to a list of text`, {
      help: `to test whether the list holds a value, write \`${exprText(e.left) ?? 'x'} contains "value"\``,
    });
  }
}

function checkIn(ctx: Context, e: Extract<Expr, { kind: 'in' }>, scope: Scope): void {
  const lt = inferExpr(ctx, e.left, scope);
  ctx.model.exprTypes.set(e.list, { kind: 'list', item: lt });
  if (lt.kind === 'list') {
    ctx.report.error('NUR201', ctx.file, e.left.span, `\`${e.negated ? 'not in' : 'in'}\` tests one value against a list, but ${subject(e.left, lt)}`, {
      help: `to test whether the list holds a value, write \`${exprText(e.left) ?? 'x'} contains "value"\``,
    });
    return;
  }
  if (!isLeadValueType(lt)) {
    reportFixedOnly(ctx, e.left, lt, `\`${e.negated ? 'not in' : 'in'}\``);
    return;
  }
  const items = literalScope(scope); // the plan's `in` holds constants
  for (const item of e.list.items) {
    const t = inferExpr(ctx, item, items, lt);
    if (!sameType(t, lt)) reportMismatch(ctx, item, t, lt, side(e.left, lt));
  }
}

/** The same scope, where a bare name is only a member of the expected type (values written out). */
function literalScope(scope: Scope): Scope {
  return scope.literal ? scope : { ...scope, literal: true };
}

/**
 * Times of day, percentages, durations and date-times are literals only: no attribute, field or score
 * holds one, and the plan's conditions have no constant of these types.
 */
function isLeadValueType(t: Type): boolean {
  return t.kind !== 'time' && t.kind !== 'percent' && t.kind !== 'duration' && t.kind !== 'datetime';
}

const WHERE_FIXED: Partial<Record<Type['kind'], string>> = {
  time: 'a time of day belongs in `quiet hours`',
  percent: 'a percentage belongs in `holdout`, `split`, `decay` or `control group`',
  duration: 'a duration belongs in `wait`, `within`, `every` or `after`',
  datetime: 'a date-time belongs in a test\'s `at` or `received … at`',
};

/** NUR201: `09:00 == 09:00` compares two fixed values of a type no lead property has. */
function reportFixedOnly(ctx: Context, left: Expr, t: Type, op: string): void {
  ctx.report.error('NUR201', ctx.file, left.span, `${op} cannot be applied to ${operand(left, t)}: conditions compare what a lead has or did (attributes, scores, \`stage\`, event fields)`, {
    help: WHERE_FIXED[t.kind],
  });
}

// --- messages ---------------------------------------------------------------------------------

/** Reports NUR200 "`x` is a number, but `"y"` is a text", with a fix when the value is merely (un)quoted. */
function reportMismatch(ctx: Context, expr: Expr, actual: Type, expected: Type, context: string): void {
  const extras: DiagnosticExtras = {};
  const file = ctx.file;
  if (expr.kind === 'text' && expected.kind === 'number' && expr.value.trim() !== '' && Number.isFinite(Number(expr.value))) {
    extras.help = `remove the quotes: \`${expr.value.trim()}\``;
    extras.fixes = [replaceFix(file, expr.span, expr.value.trim(), 'Remove the quotes')];
  } else if (expr.kind === 'text' && expected.kind === 'bool' && (expr.value === 'true' || expr.value === 'false')) {
    extras.help = `remove the quotes: \`${expr.value}\``;
    extras.fixes = [replaceFix(file, expr.span, expr.value, 'Remove the quotes')];
  } else if (expr.kind === 'text' && expected.kind === 'bool') {
    Object.assign(extras, boolFromTextHint(ctx, expr));
  } else if ((expr.kind === 'number' || expr.kind === 'bool') && expected.kind === 'text') {
    const raw = expr.kind === 'number' ? expr.raw : String(expr.value);
    extras.help = `quote it: \`"${raw}"\``;
    extras.fixes = [replaceFix(file, expr.span, JSON.stringify(raw), 'Quote the value')];
  } else if (expr.kind === 'percent' && expected.kind === 'number') {
    extras.help = `write a number: \`${expr.value}\``;
    extras.fixes = [replaceFix(file, expr.span, String(expr.value), `Replace with \`${expr.value}\``)];
  } else if (expr.kind === 'text' && isNamedValueType(expected) && memberOf(ctx, expected, expr.value)) {
    extras.help = `${BARE_VALUES[expected.kind]} are written as bare names: write \`${expr.value}\``;
    extras.fixes = [replaceFix(file, expr.span, expr.value, 'Remove the quotes')];
  }
  ctx.report.error('NUR200', file, expr.span, `type mismatch: ${context}, but ${subject(expr, actual)}`, extras);
}

/** What the values of a named-value type are called, for "… are written as bare names". */
const BARE_VALUES: Record<NamedValueType['kind'], string> = {
  enum: 'enumeration members', stage: 'stages', content: 'contents', channel: 'channels', topic: 'topics',
};

/** "`budget` is a number", "this expression is a number". */
function subject(expr: Expr, t: Type): string {
  const text = exprText(expr);
  return `${text ? `\`${text}\`` : 'this expression'} is ${typeOfText(text, t)}`;
}

/** "`budget` is a number" for names, "the left side is a number" otherwise. */
function side(expr: Expr, t: Type): string {
  const text = exprText(expr);
  return `${text ? `\`${text}\`` : 'the left side'} is ${typeOfText(text, t)}`;
}

/** "`industry` (a text)", or "a text" for compound expressions. */
function operand(expr: Expr, t: Type): string {
  const text = exprText(expr);
  return text ? `\`${text}\` (${typeOfText(text, t)})` : describeType(t);
}

/** describeType, but "an enumeration" for the attribute that owns it (not "`x` is a member of `x`"). */
function typeOfText(text: string | undefined, t: Type): string {
  return t.kind === 'enum' && text === t.info.owner?.name ? 'an enumeration' : describeType(t);
}

/** A value-like symbol named for messages: "the score `fit`". */
function describeValue(sym: Sym): string {
  return sym.kind === 'builtin' ? 'the built-in `stage`' : `the ${kindName(sym.kind)} \`${sym.name}\``;
}

/** The source form of a name or a literal, for messages (undefined for compound expressions). */
export function exprText(expr: Expr): string | undefined {
  switch (expr.kind) {
    case 'name': return expr.name.text || undefined;
    case 'number': case 'text': case 'percent': case 'duration': case 'time': case 'date': return expr.raw;
    case 'bool': return String(expr.value);
    case 'datetime': return `${expr.date.raw} ${expr.time.raw}`;
    default: return undefined;
  }
}
