// Compiles the plan's expression trees into closures, once per plan. Evaluation needs no string
// parsing and no eval: each node becomes a small function over the evaluation context.
import type { Const, Expr } from '../plan-types.js';
import { X_HC, X_ST, type Lead } from './lead.js';
import type { HistoryCell, Value } from './state.js';
import { internalize } from './intern.js';
import { walkExpr } from '../plan-expr-walk.js';

/** What an expression can see while it is evaluated. One context is reused for every lead. */
export interface EvalCtx {
  s: Lead;
  /** The instant of the work being done. */
  now: number;
  /** The event being matched (values by field position of its type), inside a `where`. */
  fields: (Value | undefined)[] | null;
  /** The history row being matched, inside the `where` of a `has`. */
  row: HistoryCell[] | null;
  rowBase: number;
  /** Bumped by every change of the lead's data: invalidates the score cache. */
  gen: number;
  scoreGen: number[];
  scoreVal: number[];
  /** Score and segment evaluation (late-bound: scores and segments refer to each other by slot). */
  score(slot: number): number;
  segment(slot: number): boolean;
}

export type ValueFn = (c: EvalCtx) => Value | undefined;
export type CondFn = (c: EvalCtx) => boolean;

/** Name → slot lookups the compiler needs (filled in by plan-index.ts). */
export interface ExprEnv {
  attr(name: string): number;
  score(name: string): number;
  segment(name: string): number;
  journey(name: string): number;
  content(name: string): number;
  stream(name: string): number[];
  /** Tracked event (for `has`): its slot and the positions of its kept fields in a history row. */
  tracked(event: string): { slot: number; stride: number; fieldPos: Map<string, number> };
  /** Field positions of the event a `where` is about, or null outside a `where`. */
  fields: Map<string, number> | null;
  /** Inside a `has … where`: positions in the history row instead. */
  histFields: Map<string, number> | null;
  keepSendLog: boolean;
}

/** A constant's value, its texts internalised (compared by pointer at run time, see intern.ts). */
export function constValue(c: Const): Value {
  const v = c.value;
  if (typeof v === 'string') return internalize(v);
  if (Array.isArray(v)) return v.map(internalize);
  return v;
}

function eq(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  return false;
}

function member(v: Value, list: Value[]): boolean {
  if (Array.isArray(v)) {
    for (const x of v) if (list.some((l) => eq(x, l))) return true;
    return false;
  }
  return list.includes(v); // a scalar equals (===) a scalar member only; constants are never NaN
}

/**
 * Does `e` depend on the lead's attributes and constants only (no time, stage, score, history, journey or
 * event field)? Its value then changes only when an attribute does: the engine caches such fit parts.
 */
export function readsOnlyAttributes(e: Expr): boolean {
  let only = true;
  walkExpr(e, (n) => {
    if (!ATTRIBUTE_OPS.has(n.op)) only = false;
  });
  return only;
}

const ATTRIBUTE_OPS = new Set<Expr['op']>(['const', 'attr', 'and', 'or', 'not', 'known', 'missing', 'in', 'notIn', 'cmp', 'contains', 'arith']);

export function compileCond(e: Expr, env: ExprEnv): CondFn {
  switch (e.op) {
    case 'and': {
      const args = e.args.map((a) => compileCond(a, env));
      if (args.length === 2) {
        const [a, b] = args as [CondFn, CondFn];
        return (c) => a(c) && b(c);
      }
      if (args.length === 3) {
        const [a, b, d] = args as [CondFn, CondFn, CondFn];
        return (c) => a(c) && b(c) && d(c);
      }
      return (c) => {
        for (let i = 0; i < args.length; i++) if (!args[i]!(c)) return false;
        return true;
      };
    }
    case 'or': {
      const args = e.args.map((a) => compileCond(a, env));
      return (c) => {
        for (let i = 0; i < args.length; i++) if (args[i]!(c)) return true;
        return false;
      };
    }
    case 'not': {
      const a = compileCond(e.arg, env);
      return (c) => !a(c);
    }
    case 'cmp':
      return compileCmp(e.cmp, e.left, e.right, env);
    case 'in':
    case 'notIn': {
      const v = compileValue(e.value, env);
      const list = e.list.map(constValue);
      if (e.op === 'in') {
        return (c) => {
          const x = v(c);
          return x !== undefined && member(x, list);
        };
      }
      return (c) => {
        const x = v(c);
        return x !== undefined && !member(x, list);
      };
    }
    case 'contains': {
      const l = compileValue(e.left, env);
      const r = compileValue(e.right, env);
      return (c) => {
        const a = l(c);
        const b = r(c);
        if (a === undefined || b === undefined) return false;
        if (Array.isArray(a)) return typeof b === 'string' ? a.includes(b) : Array.isArray(b) && b.every((x) => a.includes(x));
        if (typeof a === 'string' && typeof b === 'string') return a.includes(b);
        return false;
      };
    }
    case 'known': {
      const a = compileValue(e.arg, env);
      return (c) => a(c) !== undefined;
    }
    case 'missing': {
      const a = compileValue(e.arg, env);
      return (c) => a(c) === undefined;
    }
    case 'has':
      return compileHas(e, env);
    case 'received': {
      const slot = env.content(e.content);
      const within = e.withinMs;
      const atMs = e.atMs;
      const times = e.times;
      const log = env.keepSendLog;
      return (c) => {
        const rc = c.s.rc;
        let count = 0;
        let last = -Infinity;
        for (let i = 0; i < rc.length; i += 3) {
          if (rc[i] === slot) {
            count = rc[i + 1]!;
            last = rc[i + 2]!;
            break;
          }
        }
        if (times !== null && count !== times) return false;
        if (times === null && count === 0) return false;
        if (within !== null && !(last >= c.now - within && last <= c.now)) return false;
        if (atMs !== null) {
          if (!log) return last === atMs;
          const sl = c.s.sl;
          let found = false;
          for (let i = 0; i < sl.length; i += 2) {
            if (sl[i] === slot && sl[i + 1] === atMs) {
              found = true;
              break;
            }
          }
          if (!found) return false;
        }
        return true;
      };
    }
    case 'receivedAny': {
      const slots = env.stream(e.stream);
      const within = e.withinMs;
      return (c) => {
        const rc = c.s.rc;
        for (let i = 0; i < rc.length; i += 3) {
          if (!slots.includes(rc[i]!)) continue;
          if (within === null) return true;
          const last = rc[i + 2]!;
          if (last >= c.now - within && last <= c.now) return true;
        }
        return false;
      };
    }
    case 'inJourney': {
      const j = env.journey(e.journey);
      return (c) => {
        const js = c.s.j[j];
        return js !== null && js !== undefined && js.a === 1;
      };
    }
    case 'completedJourney': {
      const j = env.journey(e.journey);
      return (c) => {
        const js = c.s.j[j];
        return js !== null && js !== undefined && js.c > 0;
      };
    }
    case 'handedOff': {
      const q = e.queue;
      if (q === null) return (c) => c.s.q.length > 0;
      return (c) => c.s.q.includes(q);
    }
    case 'segment': {
      const slot = env.segment(e.name);
      return (c) => c.segment(slot);
    }
    default: {
      const v = compileValue(e, env);
      return (c) => v(c) === true;
    }
  }
}

function compileCmp(op: string, left: Expr, right: Expr, env: ExprEnv): CondFn {
  const l = compileValue(left, env);
  // Fast paths for the common `x >= 40` shape.
  if (right.op === 'const' && typeof right.value === 'number') {
    const k = right.value;
    switch (op) {
      case '>=':
        return (c) => {
          const a = l(c);
          return typeof a === 'number' && a >= k;
        };
      case '>':
        return (c) => {
          const a = l(c);
          return typeof a === 'number' && a > k;
        };
      case '<=':
        return (c) => {
          const a = l(c);
          return typeof a === 'number' && a <= k;
        };
      case '<':
        return (c) => {
          const a = l(c);
          return typeof a === 'number' && a < k;
        };
      case '==':
        return (c) => l(c) === k;
      case '!=':
        return (c) => {
          const a = l(c);
          return a !== undefined && a !== k;
        };
    }
  }
  if (right.op === 'const' && (op === '==' || op === '!=')) {
    // `job_level is director`: one call less than the general form below.
    const k = constValue(right);
    if (op === '==') return (c) => {
      const a = l(c);
      return a !== undefined && eq(a, k);
    };
    return (c) => {
      const a = l(c);
      return a !== undefined && !eq(a, k);
    };
  }
  const r = compileValue(right, env);
  switch (op) {
    case '==':
      return (c) => {
        const a = l(c);
        const b = r(c);
        return a !== undefined && b !== undefined && eq(a, b);
      };
    case '!=':
      return (c) => {
        const a = l(c);
        const b = r(c);
        return a !== undefined && b !== undefined && !eq(a, b);
      };
    default: {
      const test = ORDER[op]!;
      return (c) => {
        const a = l(c);
        const b = r(c);
        if (a === undefined || b === undefined || typeof a !== typeof b || Array.isArray(a)) return false;
        return test(a as number, b as number);
      };
    }
  }
}

const ORDER: Record<string, (a: number | string, b: number | string) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

function compileHas(e: Extract<Expr, { op: 'has' }>, env: ExprEnv): CondFn {
  const tr = env.tracked(e.event);
  const k = tr.slot;
  const stride = tr.stride;
  const atLeast = e.atLeast;
  const within = e.withinMs;
  const where = e.where ? compileCond(e.where, { ...env, fields: null, histFields: tr.fieldPos }) : null;
  if (where === null && within === null) return (c) => c.s.x[X_HC + k]! >= atLeast;
  return (c) => {
    if (atLeast <= 0) return true;
    const rows = c.s.hr[k]!;
    const lo = within === null ? -Infinity : c.now - within;
    const savedRow = c.row;
    const savedBase = c.rowBase;
    let n = 0;
    let ok = false;
    for (let i = rows.length - stride; i >= 0; i -= stride) {
      const t = rows[i] as number;
      if (t < lo) break;
      if (t > c.now) continue;
      if (where !== null) {
        c.row = rows;
        c.rowBase = i;
        if (!where(c)) continue;
      }
      if (++n >= atLeast) {
        ok = true;
        break;
      }
    }
    c.row = savedRow;
    c.rowBase = savedBase;
    return ok;
  };
}

export function compileValue(e: Expr, env: ExprEnv): ValueFn {
  switch (e.op) {
    case 'const': {
      const v = constValue(e);
      return () => v;
    }
    case 'attr': {
      const slot = env.attr(e.name);
      return (c) => {
        const v = c.s.at[slot];
        return v === null ? undefined : (v as Value | undefined);
      };
    }
    case 'field':
      return fieldFn(e.name, env);
    case 'stage':
      return (c) => c.s.x[X_ST]!;
    case 'score': {
      const slot = env.score(e.name);
      return (c) => {
        const v = c.score(slot);
        return v === v ? v : undefined; // a derived score that divides by zero is missing
      };
    }
    case 'arith': {
      const l = compileValue(e.left, env);
      const r = compileValue(e.right, env);
      const f = ARITH[e.arith]!;
      return (c) => {
        const a = l(c);
        const b = r(c);
        if (typeof a !== 'number' || typeof b !== 'number') return undefined;
        const v = f(a, b);
        return Number.isFinite(v) ? v : undefined;
      };
    }
    default: {
      const cond = compileCond(e, env);
      return (c) => cond(c);
    }
  }
}

const ARITH: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
};

function fieldFn(name: string, env: ExprEnv): ValueFn {
  if (env.histFields) {
    const pos = env.histFields.get(name);
    if (pos === undefined) return () => undefined;
    return (c) => {
      const v = c.row![c.rowBase + pos];
      return v === null ? undefined : (v as Value);
    };
  }
  const pos = env.fields?.get(name);
  if (pos === undefined) return () => undefined;
  return (c) => (c.fields === null ? undefined : c.fields[pos]);
}
