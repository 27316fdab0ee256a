// Time-driven evaluation (LANGUAGE.md §8.5): a condition can change its truth value while nothing
// happens — a `within D` window closes, a score's engagement part decays at the end of an idle period.
// The engine evaluates a lead again at each instant where one of the time-dependent conditions that can
// still act for it (thresholds, `entry when`, and the `exit when`, goal and `wait until` of the journeys
// it is in; through the segments and scores they read) may change: a timer of its own, "re-evaluate",
// beside the journeys' waits, the date entries and the delayed sends (`nextReevaluation`).
//
// The instant is exact for the common forms (`has E [at least N times] within D` without `where`,
// `received … within D`, decay) and conservative otherwise (`has … where … within D`: the next row that
// leaves the window): evaluating at an instant where nothing changes has no effect (§8.5: "as if an event
// with no other effect happened then"). A `max K per D` window of a scoring rule changes no condition by
// itself (it only decides whether a later event counts), and the language has no "today": those are not
// evaluation points.
//
// A condition `A and B` whose part A reads only the stage, attributes and constants (`stage is mql and
// not (has logged_in within 30 days)`) cannot change its truth with time while A is false, and only a step
// can make A true (a stage or attribute change, after which the engine computes the instant again:
// `TimeDriven.stage` / `attrs`): such a condition has no instant while A is false. The decay of a score it
// reads is then applied when the lead is next touched, as for a score no condition reads (one audit record
// for the idle periods elapsed, at the last boundary's instant).
import type { Expr, Plan } from '../plan-types.js';
import type { Lead } from './lead.js';
import type { PlanIndex } from './plan-index.js';
import { compileCond, type CondFn, type EvalCtx } from './expr.js';
import { walkExpr } from '../plan-expr-walk.js';

/** `has E [at least N times] within D`: the tracked event's slot; `exact` without a `where`. */
interface HasDep {
  k: number;
  stride: number;
  withinMs: number;
  atLeast: number;
  exact: boolean;
}

/** `received C within D` / `received any of S within D`: true while one of `contents` was sent in [t − D, t]. */
interface ReceivedDep {
  contents: number[];
  withinMs: number;
}

/**
 * A decaying rules score the conditions read. `cuts`: when it is only compared with constants (and has no
 * fit rules), those comparisons — its decay then matters only at the boundary where one of them changes;
 * null: every boundary counts.
 */
interface DecayDep {
  slot: number;
  cuts: { op: string; k: number }[] | null;
}

/** The time-dependent parts of a condition. */
export interface TimeDeps {
  has: HasDep[];
  received: ReceivedDep[];
  decay: DecayDep[];
}

/** A time-dependent condition: what time changes in it, and what must hold for that to matter. */
export interface TimedCondition {
  /**
   * Its conjuncts that read only the stage, attributes and constants, compiled (null: none). While they
   * are false the condition is false at every instant until a step changes the stage or an attribute.
   */
  guard: CondFn | null;
  deps: TimeDeps;
}

export interface TimeDriven {
  /** Some condition of the plan depends on time: leads get re-evaluation timers. */
  any: boolean;
  /** Thresholds and `entry when`: always evaluated. */
  always: TimedCondition[];
  /** Per journey slot: its `exit when`, goal and `wait until` conditions (evaluated while a lead is in it, or its goal's window is open). */
  journeys: TimedCondition[][];
  /** What a re-evaluation instant reads, for the engine to tell when a step changed it: tracked events (by slot) that a `has … within` counts, */
  history: boolean[];
  /** rules scores (by slot) whose decay is followed, */
  decaying: boolean[];
  /** whether a `received … within` reads the contents sent, */
  received: boolean;
  /** whether a guard reads the stage, */
  stage: boolean;
  /** and the attributes (by slot) a guard reads. */
  attrs: boolean[];
  /** The context guards are evaluated in (they read only `s`). */
  ctx: EvalCtx;
}

function guardCtx(): EvalCtx {
  const never = (): never => {
    throw new Error('a time-driven guard reads only the stage and attributes');
  };
  return { s: null as unknown as Lead, now: 0, fields: null, row: null, rowBase: 0, gen: 0, scoreGen: [], scoreVal: [], score: never, segment: never };
}

export const NOT_TIME_DRIVEN: TimeDriven = { any: false, always: [], journeys: [], history: [], decaying: [], received: false, stage: false, attrs: [], ctx: guardCtx() };

/** Operators of a guard: nothing in it changes but by a step that changes the stage or an attribute. */
const GUARD_OPS = new Set<Expr['op']>(['const', 'attr', 'stage', 'and', 'or', 'not', 'known', 'missing', 'in', 'notIn', 'cmp', 'contains', 'arith']);

/** The conjuncts of `e`: the arguments of nested `and`s, through the segments they name. */
function conjuncts(plan: Plan, e: Expr, out: Expr[], seen: Set<string>): Expr[] {
  if (e.op === 'and') for (const a of e.args) conjuncts(plan, a, out, seen);
  else if (e.op === 'segment' && plan.segments[e.name] !== undefined && !seen.has(e.name)) {
    seen.add(e.name);
    conjuncts(plan, plan.segments[e.name]!.condition, out, seen);
  } else out.push(e);
  return out;
}

function isGuard(e: Expr): boolean {
  let ok = true;
  walkExpr(e, (n) => {
    if (!GUARD_OPS.has(n.op)) ok = false;
  });
  return ok;
}

/** The time dependencies of the plan's conditions, by where they are evaluated. */
export function timeDrivenOf(ix: PlanIndex): TimeDriven {
  const plan = ix.plan;
  const attrs = ix.attrNames.map(() => false);
  let stage = false;
  const timed = (root: Expr): TimedCondition[] => {
    const deps = collect(root);
    if (deps === null) return [];
    const parts = conjuncts(plan, root, [], new Set()).filter(isGuard);
    if (parts.length === 0) return [{ guard: null, deps }];
    for (const p of parts) {
      walkExpr(p, (n) => {
        if (n.op === 'stage') stage = true;
        else if (n.op === 'attr') attrs[ix.env.attr(n.name)] = true;
      });
    }
    const guard = compileCond(parts.length === 1 ? parts[0]! : { op: 'and', args: parts, loc: root.loc }, ix.env);
    return [{ guard, deps }];
  };
  const collect = (root: Expr): TimeDeps | null => {
    const deps: TimeDeps = { has: [], received: [], decay: [] };
    const seenSeg = new Set<string>();
    const seenScore = new Set<string>();
    /** Score nodes already accounted for as `score op constant`. */
    const compared = new Set<Expr>();
    const visit = (root: Expr): void =>
      walkExpr(root, (e) => {
        switch (e.op) {
          case 'has': {
            const k = ix.events.get(e.event)?.tracked ?? -1;
            if (e.withinMs !== null && e.atLeast > 0 && k >= 0) {
              deps.has.push({ k, stride: ix.tracked[k]!.stride, withinMs: e.withinMs, atLeast: e.atLeast, exact: e.where === null });
            }
            return;
          }
          case 'received':
            if (e.withinMs !== null && ix.contentSlot.has(e.content)) deps.received.push({ contents: [ix.contentSlot.get(e.content)!], withinMs: e.withinMs });
            return;
          case 'receivedAny':
            if (e.withinMs !== null) deps.received.push({ contents: ix.streams.get(e.stream) ?? [], withinMs: e.withinMs });
            return;
          case 'segment':
            if (!seenSeg.has(e.name) && plan.segments[e.name]) {
              seenSeg.add(e.name);
              visit(plan.segments[e.name]!.condition);
            }
            return;
          case 'cmp':
            if (e.left.op === 'score' && e.right.op === 'const' && typeof e.right.value === 'number') {
              compared.add(e.left);
              decayDep(ix, e.left.name, { op: e.cmp, k: e.right.value }, deps);
              if (!seenScore.has(e.left.name)) {
                seenScore.add(e.left.name);
                scoreDeps(plan, e.left.name, visit);
              }
            }
            return;
          case 'score':
            if (!compared.has(e)) decayDep(ix, e.name, null, deps);
            if (!seenScore.has(e.name)) {
              seenScore.add(e.name);
              scoreDeps(plan, e.name, visit);
            }
            return;
          default:
            return;
        }
      });
    visit(root);
    return deps.has.length + deps.received.length + deps.decay.length > 0 ? deps : null;
  };
  const always = [
    ...Object.values(plan.thresholds).map((t) => t.condition),
    ...Object.values(plan.journeys).flatMap((j) => j.entries.flatMap((e) => (e.kind === 'when' ? [e.condition] : []))),
  ].flatMap(timed);
  const journeys = ix.journeys.map((J) => {
    const j = plan.journeys[J.name]!;
    return [
      ...j.exits.flatMap((x) => (x.kind === 'when' ? [x.condition] : [])),
      ...(j.goal !== null && j.goal.kind === 'when' ? [j.goal.condition] : []),
      ...j.steps.flatMap((s) => (s.kind === 'waitUntil' ? [s.condition] : [])),
    ].flatMap(timed);
  });
  const all = [...always, ...journeys.flat()].map((c) => c.deps);
  const history = ix.tracked.map((_, k) => all.some((d) => d.has.some((h) => h.k === k)));
  const decaying = ix.rulesScores.map((_, slot) => all.some((d) => d.decay.some((x) => x.slot === slot)));
  const received = all.some((d) => d.received.length > 0);
  return { any: all.length > 0, always, journeys, history, decaying, received, stage, attrs, ctx: guardCtx() };
}

/** The time dependencies of a score's fit rules or expression (its decay: `decayDep`). */
function scoreDeps(plan: Plan, name: string, visit: (e: Expr) => void): void {
  const s = plan.scores[name];
  if (s === undefined) return;
  if (s.kind === 'derived') visit(s.expr);
  else for (const f of s.fit) visit(f.condition);
}

/** Records that the conditions read rules score `name` (compared with `cut`, or any other way when null). */
function decayDep(ix: PlanIndex, name: string, cut: { op: string; k: number } | null, deps: TimeDeps): void {
  const i = ix.scoreSlot.get(name);
  if (i === undefined) return;
  const sc = ix.scores[i]!;
  if (sc.slot < 0 || sc.decay === null || sc.decay.everyMs <= 0) return;
  let d = deps.decay.find((x) => x.slot === sc.slot);
  if (d === undefined) deps.decay.push((d = { slot: sc.slot, cuts: [] }));
  // a fit part moves the value compared, and `==`/`!=` are not monotone along the decay: every boundary
  if (cut === null || sc.fit.length > 0 || cut.op === '==' || cut.op === '!=') d.cuts = null;
  else if (d.cuts !== null) d.cuts.push(cut);
}

/**
 * The next instant after the lead's clock `c` at which one of its time-dependent conditions may change,
 * or Infinity. A timer like the others: it is part of the lead's next due instant.
 */
export function nextReevaluation(ix: PlanIndex, l: Lead, c: number): number {
  const td = ix.timeDriven;
  if (!td.any) return Infinity;
  let due = nextChange(ix, td.always, l, c);
  const j = l.j;
  for (let js = 0; js < j.length; js++) {
    const conds = td.journeys[js]!;
    const inst = j[js];
    if (conds.length > 0 && inst !== null && inst !== undefined && inst.a !== 0) {
      const t = nextChange(ix, conds, l, c);
      if (t < due) due = t;
    }
  }
  return due;
}

function nextChange(ix: PlanIndex, conds: TimedCondition[], l: Lead, c: number): number {
  let due = Infinity;
  const ctx = ix.timeDriven.ctx;
  for (let i = 0; i < conds.length; i++) {
    const cond = conds[i]!;
    if (cond.guard !== null) {
      ctx.s = l;
      ctx.now = c;
      if (!cond.guard(ctx)) continue;
    }
    const t = depsChange(ix, cond.deps, l, c);
    if (t < due) due = t;
  }
  return due;
}

function depsChange(ix: PlanIndex, deps: TimeDeps, l: Lead, c: number): number {
  let due = Infinity;
  for (let i = 0; i < deps.has.length; i++) {
    const t = hasChange(deps.has[i]!, l, c);
    if (t < due) due = t;
  }
  for (let i = 0; i < deps.received.length; i++) {
    const t = receivedChange(deps.received[i]!, l, c);
    if (t < due) due = t;
  }
  for (let i = 0; i < deps.decay.length; i++) {
    const t = decayChange(ix, deps.decay[i]!, l, c);
    if (t < due) due = t;
  }
  return due;
}

/** The next decay boundary after `c` that changes the score (and, with `cuts`, one of its comparisons). */
function decayChange(ix: PlanIndex, dep: DecayDep, l: Lead, c: number): number {
  const x = l.x;
  const L = ix.layout;
  const sc = ix.scores[ix.rulesScores[dep.slot]!]!;
  const d = sc.decay!;
  const anchor = x[L.ea + dep.slot]!;
  const periods = Math.max(x[L.ed + dep.slot]!, Math.floor((c - anchor) / d.everyMs));
  let t = anchor + (periods + 1) * d.everyMs;
  let v = x[L.eg + dep.slot]!;
  // Decay moves the part monotonically towards its rest (0, clamped): a comparison that already has its
  // value at rest cannot change any more.
  const rest = clampTo(0, sc.min, sc.max);
  // Boundaries until the part is at rest (percent decay reaches 0 below 1e-9: at most ~1,100 halvings)
  for (let n = 0; n < 2_000; n++) {
    if (dep.cuts !== null && settled(clampTo(v, sc.min, sc.max), rest, dep.cuts)) return Infinity;
    const next = decayOnce(v, d.kind, d.value, sc.min, sc.max);
    if (next === v) return Infinity;
    if (dep.cuts === null) return t;
    for (const cut of dep.cuts) if (compare(clampTo(v, sc.min, sc.max), cut) !== compare(clampTo(next, sc.min, sc.max), cut)) return t;
    v = next;
    t += d.everyMs;
  }
  return t;
}

function settled(v: number, rest: number, cuts: { op: string; k: number }[]): boolean {
  for (const cut of cuts) if (compare(v, cut) !== compare(rest, cut)) return false;
  return true;
}

function clampTo(v: number, min: number, max: number): number {
  return v < min ? min : v > max ? max : v;
}

function compare(v: number, cut: { op: string; k: number }): boolean {
  switch (cut.op) {
    case '<':
      return v < cut.k;
    case '<=':
      return v <= cut.k;
    case '>':
      return v > cut.k;
    case '>=':
      return v >= cut.k;
    case '==':
      return v === cut.k;
    default:
      return v !== cut.k;
  }
}

/**
 * `has … within D` looks at [t − D, t]: an event at e leaves the window at e + D + 1 ms. Exact (no `where`):
 * the instant the count in the window drops below N (none when it already is). With a `where`: the next row
 * to leave the window (conservative).
 */
function hasChange(h: HasDep, l: Lead, c: number): number {
  const rows = l.hr[h.k];
  if (rows === undefined) return Infinity;
  const lo = c - h.withinMs;
  const stride = h.stride;
  let first = 0;
  while (first < rows.length && (rows[first] as number) < lo) first += stride;
  if (first >= rows.length) return Infinity;
  if (!h.exact) return (rows[first] as number) + h.withinMs + 1;
  const n = (rows.length - first) / stride;
  if (n < h.atLeast) return Infinity;
  return (rows[first + (n - h.atLeast) * stride] as number) + h.withinMs + 1;
}

/** `received … within D`: true until the last of its contents sent in the window leaves it. */
function receivedChange(r: ReceivedDep, l: Lead, c: number): number {
  const rc = l.rc;
  let due = -Infinity;
  for (let i = 0; i < rc.length; i += 3) {
    if (!r.contents.includes(rc[i]!)) continue;
    const last = rc[i + 2]!;
    if (last + r.withinMs >= c && last + r.withinMs + 1 > due) due = last + r.withinMs + 1;
  }
  return due === -Infinity ? Infinity : due;
}

/**
 * One idle period of decay. Percent: the engagement part shrinks by P% towards 0; amount: by N
 * towards 0. Never below the range minimum (nor above its maximum).
 */
export function decayOnce(v: number, kind: 'percent' | 'amount', value: number, min: number, max: number): number {
  let next: number;
  if (kind === 'percent') next = v * (1 - value / 100);
  else next = v > 0 ? Math.max(0, v - value) : v < 0 ? Math.min(0, v + value) : 0;
  if (Math.abs(next) < 1e-9) next = 0;
  return next < min ? min : next > max ? max : next;
}
