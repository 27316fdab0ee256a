// Conditions and values → the plan's expression tree (docs/plan.md, "Expressions").
//
// Every bare name is lowered from what the checker resolved it to (`model.references.symbolOf`):
// attribute → `attr`, event field → `field`, score → `score`, segment → `segment`, the built-in
// `stage` → `stage`, an enumeration member → `const enum`, a stage → `const stage` (its index), a
// content/channel/topic → `const content|channel|topic`. Parentheses disappear; `and`/`or` chains are
// flattened (also through parentheses of the same operator); `is` → `==`, `is not` → `!=`.
import type { Expr as AstExpr, ListLit, Literal } from '../../grammar/ast.js';
import type { Const, Expr, MetadataValue } from '../../runtime/plan-types.js';
import type { Lowering } from './context.js';

export function lowerExpr(lw: Lowering, e: AstExpr): Expr {
  switch (e.kind) {
    case 'name':
      return lowerName(lw, e);
    case 'paren':
      return lowerExpr(lw, e.inner);
    case 'and':
    case 'or': {
      const args: Expr[] = [];
      collect(lw, e, e.kind, args);
      return { op: e.kind, args, loc: lw.loc(e.span) };
    }
    case 'not':
      return { op: 'not', arg: lowerExpr(lw, e.operand), loc: lw.loc(e.span) };
    case 'compare':
      return {
        op: 'cmp',
        cmp: e.op === 'is' ? '==' : e.op === 'is not' ? '!=' : e.op,
        left: lowerExpr(lw, e.left),
        right: lowerExpr(lw, e.right),
        loc: lw.loc(e.span),
      };
    case 'in': {
      const value = lowerExpr(lw, e.left);
      const list = e.list.items.map((item) => lowerConst(lw, item));
      const loc = lw.loc(e.span);
      return e.negated ? { op: 'notIn', value, list, loc } : { op: 'in', value, list, loc };
    }
    case 'contains':
      return { op: 'contains', left: lowerExpr(lw, e.left), right: lowerExpr(lw, e.right), loc: lw.loc(e.span) };
    case 'known':
      return { op: e.missing ? 'missing' : 'known', arg: lowerExpr(lw, e.operand), loc: lw.loc(e.span) };
    case 'arith':
      return { op: 'arith', arith: e.op, left: lowerExpr(lw, e.left), right: lowerExpr(lw, e.right), loc: lw.loc(e.span) };
    case 'has':
      return {
        op: 'has',
        event: lw.name(e.event, 'event'),
        where: e.where ? lowerExpr(lw, e.where) : null,
        atLeast: e.atLeast ? e.atLeast.value : 1,
        withinMs: e.within ? e.within.ms : null,
        loc: lw.loc(e.span),
      };
    case 'received':
      if (e.anyOf) {
        return { op: 'receivedAny', stream: lw.name(e.target, 'stream'), withinMs: e.within ? e.within.ms : null, loc: lw.loc(e.span) };
      }
      return {
        op: 'received',
        content: lw.name(e.target, 'content'),
        withinMs: e.within ? e.within.ms : null,
        atMs: e.at ? lw.instant(e.at) : null,
        times: e.times ? e.times.value : null,
        loc: lw.loc(e.span),
      };
    case 'inJourney':
      return { op: 'inJourney', journey: lw.name(e.journey, 'journey'), loc: lw.loc(e.span) };
    case 'completedJourney':
      return { op: 'completedJourney', journey: lw.name(e.journey, 'journey'), loc: lw.loc(e.span) };
    case 'handedOff':
      return { op: 'handedOff', queue: e.queue ? e.queue.value : null, loc: lw.loc(e.span) };
    case 'number':
    case 'text':
    case 'bool':
    case 'date':
    case 'list':
      return lowerConst(lw, e);
    case 'percent':
    case 'duration':
    case 'time':
    case 'datetime':
      return lw.fail(`a ${e.kind} literal cannot be a value here`, e.span);
    case 'error':
      return lw.fail('a broken expression (compile only a workspace without errors)', e.span);
  }
}

/** Flattens `a and (b and c)` into one n-ary node. */
function collect(lw: Lowering, e: AstExpr, op: 'and' | 'or', out: Expr[]): void {
  let inner = e;
  while (inner.kind === 'paren') inner = inner.inner;
  if (inner.kind === op) {
    collect(lw, inner.left, op, out);
    collect(lw, inner.right, op, out);
  } else {
    out.push(lowerExpr(lw, e));
  }
}

function lowerName(lw: Lowering, e: Extract<AstExpr, { kind: 'name' }>): Expr {
  const sym = lw.symbol(e.name);
  const loc = lw.loc(e.span);
  switch (sym.kind) {
    case 'attribute':
      return { op: 'attr', name: sym.name, loc };
    case 'field':
      return { op: 'field', name: sym.name, loc };
    case 'score':
      return { op: 'score', name: sym.name, loc };
    case 'segment':
      return { op: 'segment', name: sym.name, loc };
    case 'builtin':
      if (sym.name === 'stage') return { op: 'stage', loc };
      break;
    case 'enumMember':
    case 'stage':
    case 'content':
    case 'channel':
    case 'topic':
      return lowerConst(lw, e);
    default:
      break;
  }
  return lw.fail(`\`${e.name.text}\` (${sym.kind}) is not a value`, e.span);
}

/** A constant: a literal, or a bare name that denotes a member of a named-value type. */
export function lowerConst(lw: Lowering, e: AstExpr): Const {
  const loc = lw.loc(e.span);
  switch (e.kind) {
    case 'number':
      return { op: 'const', type: 'number', value: e.value, loc };
    case 'text':
      return { op: 'const', type: 'text', value: e.value, loc };
    case 'bool':
      return { op: 'const', type: 'bool', value: e.value, loc };
    case 'date':
      return { op: 'const', type: 'date', value: lw.epochDay(e), loc };
    case 'list':
      return { op: 'const', type: 'textList', value: textItems(lw, e), loc };
    case 'paren':
      return lowerConst(lw, e.inner);
    case 'name': {
      const sym = lw.symbol(e.name);
      switch (sym.kind) {
        case 'enumMember':
          return { op: 'const', type: 'enum', value: sym.name, loc };
        case 'stage':
          return { op: 'const', type: 'stage', value: sym.index, loc };
        case 'content':
        case 'channel':
        case 'topic':
          return { op: 'const', type: sym.kind, value: sym.name, loc };
        default:
          return lw.fail(`\`${e.name.text}\` (${sym.kind}) is not a constant`, e.span);
      }
    }
    default:
      return lw.fail(`expected a constant value, found ${e.kind === 'error' ? 'a broken expression' : `a ${e.kind}`}`, e.span);
  }
}

function textItems(lw: Lowering, list: ListLit): string[] {
  return list.items.map((item) => {
    let it = item;
    while (it.kind === 'paren') it = it.inner;
    if (it.kind !== 'text') return lw.fail('a list value holds texts only', item.span);
    return it.value;
  });
}

/**
 * A content's metadata value. Text, number and bool as they are; a percentage as its number; a
 * duration as milliseconds; any other literal (date, time, date-time, list) as its source text.
 */
export function metadataValue(lw: Lowering, lit: Literal): MetadataValue {
  switch (lit.kind) {
    case 'text':
    case 'number':
    case 'bool':
    case 'percent':
      return lit.value;
    case 'duration':
      return lit.ms;
    default:
      return lw.sourceText(lit.span);
  }
}
