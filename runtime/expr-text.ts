// Expressions and instants of a plan back in the language's words, for messages and the audit trail
// when no source is at hand (the test runner, the graph, the engine's fit-rule records).
import type { Expr, Plan } from './plan-types.js';
import { formatDate, formatDuration, zoneOffset } from './engine/time.js';

/** `YYYY-MM-DD HH:MM` in the zone. */
export function formatLocal(zone: string, t: number): string {
  const iso = new Date(t + zoneOffset(zone, t)).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

const PREC: Partial<Record<Expr['op'], number>> = { or: 1, and: 2, not: 3 };

/** An expression of the plan back in the language's words (for messages when no source is at hand). */
export function exprText(plan: Plan, e: Expr): string {
  const sub = (x: Expr, min: number): string => {
    const t = exprText(plan, x);
    const p = PREC[x.op];
    return p !== undefined && p < min ? `(${t})` : t;
  };
  const val = (x: Expr): string => (x.op === 'arith' ? `(${exprText(plan, x)})` : exprText(plan, x));
  const within = (ms: number | null) => (ms === null ? '' : ` within ${formatDuration(ms)}`);
  switch (e.op) {
    case 'and':
      return e.args.map((a) => sub(a, 3)).join(' and ');
    case 'or':
      return e.args.map((a) => sub(a, 2)).join(' or ');
    case 'not':
      return `not ${sub(e.arg, 4)}`;
    case 'cmp': {
      const named = (x: Expr) => x.op === 'const' && x.type !== 'number' && x.type !== 'date';
      const op = e.cmp === '==' && named(e.right) ? 'is' : e.cmp === '!=' && named(e.right) ? 'is not' : e.cmp;
      return `${val(e.left)} ${op} ${val(e.right)}`;
    }
    case 'in':
      return `${val(e.value)} in [${e.list.map((c) => exprText(plan, c)).join(', ')}]`;
    case 'notIn':
      return `${val(e.value)} not in [${e.list.map((c) => exprText(plan, c)).join(', ')}]`;
    case 'contains':
      return `${val(e.left)} contains ${val(e.right)}`;
    case 'known':
      return `${val(e.arg)} is known`;
    case 'missing':
      return `${val(e.arg)} is missing`;
    case 'arith':
      return `${val(e.left)} ${e.arith} ${val(e.right)}`;
    case 'has':
      return `has ${e.event}${e.where ? ` where ${exprText(plan, e.where)}` : ''}${e.atLeast !== 1 ? ` at least ${e.atLeast} times` : ''}${within(e.withinMs)}`;
    case 'received':
      return `received ${e.content}${within(e.withinMs)}${e.atMs !== null ? ` at ${formatLocal(plan.timezone, e.atMs)}` : ''}${e.times !== null ? ` ${e.times} times` : ''}`;
    case 'receivedAny':
      return `received any of ${e.stream}${within(e.withinMs)}`;
    case 'inJourney':
      return `in journey ${e.journey}`;
    case 'completedJourney':
      return `completed journey ${e.journey}`;
    case 'handedOff':
      return e.queue === null ? 'handed off' : `handed off to ${JSON.stringify(e.queue)}`;
    case 'segment':
      return e.name;
    case 'attr':
    case 'field':
    case 'score':
      return e.name;
    case 'stage':
      return 'stage';
    case 'const':
      switch (e.type) {
        case 'text':
          return JSON.stringify(e.value);
        case 'date':
          return formatDate(e.value);
        case 'stage':
          return plan.stages[e.value]?.name ?? String(e.value);
        case 'textList':
          return `[${e.value.map((v) => JSON.stringify(v)).join(', ')}]`;
        default:
          return String(e.value);
      }
  }
}

