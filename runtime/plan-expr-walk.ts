// The one walker over a plan's expression trees (`Expr`, plan-types.ts): which nodes are the children of
// which. The loader's checks (load-plan.ts), the engine's compiler and analyses (engine/expr.ts,
// engine/plan-index.ts, engine/time-driven.ts) and the test runner read a tree through it, so a new kind
// of node is taught to all of them here.
import type { Expr } from './plan-types.js';

/**
 * Calls `visit` with each direct sub-expression of `e`, in document order, and the JSON Pointer step from
 * `e` to it (`args/0`, `arg`, `left`, `right`, `value`, `list/1`, `where`). The `where` of a `has` is about
 * the rows of that event's history, not about the lead: callers that care skip it (see `walkExpr`).
 */
export function forEachChild(e: Expr, visit: (child: Expr, step: string) => void): void {
  switch (e.op) {
    case 'and':
    case 'or':
      for (let i = 0; i < e.args.length; i++) visit(e.args[i]!, `args/${i}`);
      return;
    case 'not':
    case 'known':
    case 'missing':
      visit(e.arg, 'arg');
      return;
    case 'cmp':
    case 'arith':
    case 'contains':
      visit(e.left, 'left');
      visit(e.right, 'right');
      return;
    case 'in':
    case 'notIn':
      visit(e.value, 'value');
      for (let i = 0; i < e.list.length; i++) visit(e.list[i]!, `list/${i}`);
      return;
    case 'has':
      if (e.where !== null) visit(e.where, 'where');
      return;
    default:
      return;
  }
}

/** Visits every node of `e` in pre-order; below a node for which `visit` returns false, nothing. */
export function walkExpr(e: Expr, visit: (e: Expr) => boolean | void): void {
  if (visit(e) === false) return;
  forEachChild(e, (child) => walkExpr(child, visit));
}
