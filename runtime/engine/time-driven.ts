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
import type { Expr, Plan } from '../plan-types.js';
import type { Lead } from './lead.js';
import type { PlanIndex } from './plan-index.js';
import { walkExpr } from './expr.js';

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

/** The time-dependent parts of a set of conditions. */
export interface TimeDeps {
  has: HasDep[];
  received: ReceivedDep[];
  /** Rules-score slots whose decay the conditions read. */
  decay: number[];
}

export interface TimeDriven {
  /** Some condition of the plan depends on time: leads get re-evaluation timers. */
  any: boolean;
  /** Thresholds and `entry when`: always evaluated. */
  always: TimeDeps | null;
  /** Per journey slot: its `exit when`, goal and `wait until` conditions (evaluated while a lead is in it, or its goal's window is open). */
  journeys: (TimeDeps | null)[];
}

export const NOT_TIME_DRIVEN: TimeDriven = { any: false, always: null, journeys: [] };

/** The time dependencies of the plan's conditions, by where they are evaluated. */
export function timeDrivenOf(ix: PlanIndex): TimeDriven {
  const plan = ix.plan;
  const collect = (roots: Expr[]): TimeDeps | null => {
    const deps: TimeDeps = { has: [], received: [], decay: [] };
    const seenSeg = new Set<string>();
    const seenScore = new Set<string>();
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
          case 'score':
            if (!seenScore.has(e.name)) {
              seenScore.add(e.name);
              scoreDeps(plan, ix, e.name, visit, deps);
            }
            return;
          default:
            return;
        }
      });
    roots.forEach(visit);
    return deps.has.length + deps.received.length + deps.decay.length > 0 ? deps : null;
  };
  const always = collect([
    ...Object.values(plan.thresholds).map((t) => t.condition),
    ...Object.values(plan.journeys).flatMap((j) => j.entries.flatMap((e) => (e.kind === 'when' ? [e.condition] : []))),
  ]);
  const journeys = ix.journeys.map((J) => {
    const j = plan.journeys[J.name]!;
    return collect([
      ...j.exits.flatMap((x) => (x.kind === 'when' ? [x.condition] : [])),
      ...(j.goal !== null && j.goal.kind === 'when' ? [j.goal.condition] : []),
      ...j.steps.flatMap((s) => (s.kind === 'waitUntil' ? [s.condition] : [])),
    ]);
  });
  return { any: always !== null || journeys.some((d) => d !== null), always, journeys };
}

/** A score read by a condition: its decay, and the time dependencies of its fit rules or expression. */
function scoreDeps(plan: Plan, ix: PlanIndex, name: string, visit: (e: Expr) => void, deps: TimeDeps): void {
  const s = plan.scores[name];
  if (s === undefined) return;
  if (s.kind === 'derived') {
    visit(s.expr);
    return;
  }
  const sc = ix.scores[ix.scoreSlot.get(name)!]!;
  if (sc.decay !== null && sc.decay.everyMs > 0 && !deps.decay.includes(sc.slot)) deps.decay.push(sc.slot);
  for (const f of s.fit) visit(f.condition);
}

/**
 * The next instant after the lead's clock `c` at which one of its time-dependent conditions may change,
 * or Infinity. A timer like the others: it is part of the lead's next due instant.
 */
export function nextReevaluation(ix: PlanIndex, l: Lead, c: number): number {
  const td = ix.timeDriven;
  if (!td.any) return Infinity;
  let due = td.always === null ? Infinity : nextChange(ix, td.always, l, c);
  const j = l.j;
  for (let js = 0; js < j.length; js++) {
    const d = td.journeys[js];
    const inst = j[js];
    if (d !== null && d !== undefined && inst !== null && inst !== undefined && inst.a !== 0) {
      const t = nextChange(ix, d, l, c);
      if (t < due) due = t;
    }
  }
  return due;
}

function nextChange(ix: PlanIndex, deps: TimeDeps, l: Lead, c: number): number {
  let due = Infinity;
  for (let i = 0; i < deps.has.length; i++) {
    const t = hasChange(deps.has[i]!, l, c);
    if (t < due) due = t;
  }
  for (let i = 0; i < deps.received.length; i++) {
    const t = receivedChange(deps.received[i]!, l, c);
    if (t < due) due = t;
  }
  if (deps.decay.length > 0) {
    const x = l.x;
    const L = ix.layout;
    for (let i = 0; i < deps.decay.length; i++) {
      const slot = deps.decay[i]!;
      const sc = ix.scores[ix.rulesScores[slot]!]!;
      const d = sc.decay!;
      const v = x[L.eg + slot]!;
      if (decayOnce(v, d.kind, d.value, sc.min, sc.max) === v) continue; // at rest: no boundary changes it
      const anchor = x[L.ea + slot]!;
      const periods = Math.max(x[L.ed + slot]!, Math.floor((c - anchor) / d.everyMs));
      const t = anchor + (periods + 1) * d.everyMs;
      if (t < due) due = t;
    }
  }
  return due;
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
