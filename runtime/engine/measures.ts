// Measures (LANGUAGE.md section 9), accumulated from the actions and audit records of a run.
//
// Definitions where the language reference is silent (also in docs/runtime.md):
// - entered/completed/exited/converted count journey runs (a re-entry counts again); the holdout
//   group is the runs whose entrant was held out. `completed` includes converted runs (a goal completes
//   the journey) and `move to`. Conversion rate = converted / entered.
// - lift = nurtured rate − holdout rate, in percentage points, with Newcombe's hybrid score 95% interval
//   (stats.ts: right for small groups too, where the normal approximation is too narrow). With fewer
//   than MIN_LIFT_GROUP runs in either group there are too few to tell: no points, no interval, only
//   `{ tooFew: true }` (LANGUAGE.md 9). `null` when a group is empty.
// - an MQL is a move to the stage named `mql` (when the plan has one), else a handoff.
//   Weeks are ISO weeks (Monday) in the plan's time zone, keyed by the Monday's date.
// - recycled: leads whose stage moved backwards at least once; re-opened: recycled leads that became
//   an MQL again afterwards.
// - messages per lead per 7 days: for every lead, the sends in each 7-day period from its first
//   event up to the end of the run (the latest instant processed); median/p95/max over all
//   (lead, period) pairs, nearest-rank percentiles.
// - score distribution of new leads: every score's value right after a lead's first input.
// - the program (with a `control group`): leads in the control group vs the others ("nurtured"), each
//   side's conversion = the share of its leads that became an MQL at least once, and the lift between
//   them as for a journey; `withheld` counts the messages the control group did not get.
import type { Loc } from '../plan-types.js';
import type { ControlGroup } from './control-group.js';
import type { RunGroup, RunKind } from './core.js';
import type { PlanIndex } from './plan-index.js';
import { DAY, localDay, weekdayOfDay, formatDate } from './time.js';
import { setOwn } from '../own.js';
import { newcombeDifference } from './stats.js';


export interface GroupCounts {
  entered: number;
  completed: number;
  exited: number;
  converted: number;
  conversionRate: number | null;
}

export interface JourneyMeasures {
  nurtured: GroupCounts;
  holdout: GroupCounts;
  /** Nurtured minus holdout conversion rate, in points, with its 95% interval. */
  lift: Lift | null;
}

export interface ProgramGroup {
  leads: number;
  /** Leads that became an MQL at least once. */
  mqls: number;
  conversionRate: number | null;
}

/** The whole program's lift against its control group (LANGUAGE.md 4.16, 9). */
export interface ProgramMeasures {
  nurtured: ProgramGroup;
  control: ProgramGroup;
  /** Nurtured minus control conversion rate, in points, with its 95% interval. */
  lift: Lift | null;
  /** Messages not sent because the lead is in the control group. */
  withheld: number;
}

/** Fewer entrants than this in either group: the lift is not measured (LANGUAGE.md 9). */
export const MIN_LIFT_GROUP = 30;

/** A measured lift, in points, with its 95% interval; or too few leads in a group to tell. */
export type Lift = { points: number; low: number; high: number } | { tooFew: true; minimum: number };

export interface Distribution {
  count: number;
  min: number | null;
  median: number | null;
  p95: number | null;
  max: number | null;
}

export interface RuleCount {
  rule: string;
  loc: Loc | null;
  count: number;
}

export interface Measures {
  leads: number;
  /** The program's lift against its control group; null without a `control group`. */
  program: ProgramMeasures | null;
  journeys: Record<string, JourneyMeasures>;
  funnel: {
    stages: { stage: string; leads: number; reached: number }[];
    conversions: { from: string; to: string; rate: number | null }[];
  };
  mqls: number;
  mqlsPerWeek: { week: string; mqls: number }[];
  recycled: number;
  reopened: number;
  messagesPerLeadPer7Days: Distribution;
  delayed: RuleCount[];
  skipped: RuleCount[];
  suppressed: RuleCount[];
  heldOut: number;
  sends: number;
  sendsPerContent: Record<string, number>;
  cost: number;
  costPerMql: number | null;
  newLeadScores: Record<string, Distribution>;
  flaggedLeads: number;
  lateEvents: number;
  duplicateEvents: number;
  rejectedEvents: number;
}

interface Group {
  entered: number;
  completed: number;
  exited: number;
  converted: number;
}

const newGroup = (): Group => ({ entered: 0, completed: 0, exited: 0, converted: 0 });

export class MeasuresCollector {
  private ix: PlanIndex;
  /** With a `control group` declared: its membership, and per side leads and MQL'd leads ([nurtured, control]). */
  private control: ControlGroup | null;
  private programLeads = [0, 0];
  private programMqls = [0, 0];
  private mqlLeads = new Set<string>();
  private groups: { nurtured: Group; holdout: Group }[];
  leads = 0;
  private stageLeads: number[];
  private reached: number[];
  private mqlWeeks = new Map<string, number>();
  private mqls = 0;
  private recycledLeads = new Set<string>();
  private reopenedLeads = new Set<string>();
  // Every new lead as (id, first instant) and every send as (lead id, instant), in flat lists: they grow
  // with the leads and the sends, so no per-lead map or list (they are grouped by lead in `result`).
  private leadIds: string[] = [];
  private firstSeen: number[] = [];
  private sendLead: string[] = [];
  private sendAt: number[] = [];
  /** Per decision kind: rule text → location (`file:line:column`) → count. */
  private rules = { delayed: new Map<string, Map<string, RuleCount>>(), skipped: new Map<string, Map<string, RuleCount>>(), suppressed: new Map<string, Map<string, RuleCount>>() };
  private locKeys = new WeakMap<Loc, string>();
  /** Messages held out (holdout group) and withheld (control group). */
  heldOut = 0;
  withheld = 0;
  private perContent: number[];
  private cost = 0;
  private newScores: number[][];
  private flaggedLeads = new Set<string>();
  private lastInstant = -Infinity;
  late = 0;
  duplicates = 0;
  rejected = 0;

  constructor(ix: PlanIndex, control: ControlGroup | null = null) {
    this.ix = ix;
    this.control = ix.plan.controlGroup === null ? null : control;
    this.groups = ix.journeys.map(() => ({ nurtured: newGroup(), holdout: newGroup() }));
    this.stageLeads = ix.stages.map(() => 0);
    this.reached = ix.stages.map(() => 0);
    this.newScores = ix.scores.map(() => []);
    this.perContent = ix.contents.map(() => 0);
  }

  /** A lead is created, first seen at `t0` (before its first input is processed). */
  newLead(lead: string, t0: number): void {
    this.leads++;
    if (this.control !== null) this.programLeads[this.control.has(lead) ? 1 : 0]!++;
    this.leadIds.push(lead);
    this.firstSeen.push(t0);
    if (this.stageLeads.length > 0) {
      this.stageLeads[0]!++;
      this.reached[0]!++;
    }
  }

  /** The scores of a new lead right after its first input. */
  newLeadScores(scores: readonly number[]): void {
    for (let i = 0; i < scores.length; i++) this.newScores[i]!.push(scores[i]!);
  }

  /** The highest stage a lead reached went from `from` to `to`. */
  reachedStage(from: number, to: number): void {
    for (let i = from + 1; i <= to; i++) this.reached[i]!++;
  }

  instant(t: number): void {
    if (t > this.lastInstant) this.lastInstant = t;
  }

  // The engine tells the collector about every action and audited decision as it makes it.

  /** Content `c` was sent to `lead` at `at`. */
  sent(lead: string, c: number, at: number): void {
    if (at > this.lastInstant) this.lastInstant = at;
    this.perContent[c]!++;
    this.cost += this.ix.contents[c]!.cost;
    this.sendLead.push(lead);
    this.sendAt.push(at);
  }

  /** `lead` moved from stage `from` to `to` (indexes) at `at`. */
  stage(lead: string, from: number, to: number, at: number): void {
    if (at > this.lastInstant) this.lastInstant = at;
    this.stageLeads[from]!--;
    this.stageLeads[to]!++;
    if (to < from) this.recycledLeads.add(lead);
    if (this.ix.mqlStage >= 0 && to === this.ix.mqlStage) this.mql(lead, at);
  }

  /** `lead` was handed off at `at`. */
  handoff(lead: string, at: number): void {
    if (at > this.lastInstant) this.lastInstant = at;
    if (this.ix.mqlStage < 0) this.mql(lead, at);
  }

  private mql(lead: string, at: number): void {
    this.mqls++;
    if (this.control !== null && !this.mqlLeads.has(lead)) {
      this.mqlLeads.add(lead);
      this.programMqls[this.control.has(lead) ? 1 : 0]!++;
    }
    const zone = this.ix.plan.timezone;
    const day = localDay(zone, at);
    const monday = day - (weekdayOfDay(day) - 1);
    const key = formatDate(monday);
    this.mqlWeeks.set(key, (this.mqlWeeks.get(key) ?? 0) + 1);
    if (this.recycledLeads.has(lead)) this.reopenedLeads.add(lead);
  }

  // The engine tells the collector the typed facts of its audited decisions (with the trail on or off).

  /** A run of journey `js` entered or left, in `group`; `afterRun`: a goal reached after the run completed. */
  run(kind: RunKind, js: number, group: RunGroup, _lead: string, _run: number, afterRun: boolean): void {
    const g = this.groups[js]![group];
    g[kind]++;
    if (kind === 'converted' && !afterRun) g.completed++; // a goal after the run: completed already
  }

  /** A message delayed, skipped or suppressed by `rule` (at `loc`). */
  ruled(kind: 'delayed' | 'skipped' | 'suppressed', rule: string, loc: Loc | null): void {
    let byLoc = this.rules[kind].get(rule);
    if (byLoc === undefined) {
      byLoc = new Map();
      this.rules[kind].set(rule, byLoc);
    }
    let key = '';
    if (loc !== null) {
      const known = this.locKeys.get(loc);
      if (known === undefined) this.locKeys.set(loc, (key = loc.join(':')));
      else key = known;
    }
    const c = byLoc.get(key);
    if (c) c.count++;
    else byLoc.set(key, { rule, loc, count: 1 });
  }

  /** A run of journey `js` went down branch `branch` of the split at step `step`. */
  branch(_js: number, _step: number, _branch: number, _group: RunGroup, _lead: string, _run: number): void {}

  flagged(lead: string): void {
    this.flaggedLeads.add(lead);
  }

  private program(): ProgramMeasures | null {
    if (this.control === null) return null;
    const [n1, n2] = this.programLeads as [number, number];
    const [c1, c2] = this.programMqls as [number, number];
    return {
      nurtured: { leads: n1, mqls: c1, conversionRate: rate(c1, n1) },
      control: { leads: n2, mqls: c2, conversionRate: rate(c2, n2) },
      lift: liftOf(c1, n1, c2, n2),
      withheld: this.withheld,
    };
  }

  result(): Measures {
    const ix = this.ix;
    const journeys: Record<string, JourneyMeasures> = {};
    ix.journeys.forEach((J, i) => {
      const { nurtured, holdout } = this.groups[i]!;
      setOwn(journeys, J.name, {
        nurtured: { ...nurtured, conversionRate: rate(nurtured.converted, nurtured.entered) },
        holdout: { ...holdout, conversionRate: rate(holdout.converted, holdout.entered) },
        lift: liftOf(nurtured.converted, nurtured.entered, holdout.converted, holdout.entered),
      });
    });
    const stages = ix.stages.map((stage, i) => ({ stage, leads: this.stageLeads[i]!, reached: this.reached[i]! }));
    const conversions = ix.stages.slice(1).map((to, i) => ({
      from: ix.stages[i]!,
      to,
      rate: this.reached[i]! === 0 ? null : this.reached[i + 1]! / this.reached[i]!,
    }));
    // messages per lead per 7 days
    const end = this.lastInstant;
    // Every (lead, 7-day period) pair, in one flat list: where each lead's periods start in it.
    const firstSeen = this.firstSeen;
    const index = new Map<string, number>();
    const start: number[] = new Array<number>(firstSeen.length + 1);
    start[0] = 0;
    for (let i = 0; i < firstSeen.length; i++) {
      index.set(this.leadIds[i]!, i);
      start[i + 1] = start[i]! + Math.max(1, Math.floor((end - firstSeen[i]!) / (7 * DAY)) + 1);
    }
    // Sends per pair: small whole numbers, summarised from their histogram (`countsDistribution`): the
    // bench's 100,000 leads have 842,770 pairs, which sorting took a fifth to a third of a second.
    const counts = new Uint32Array(start[firstSeen.length]!);
    for (let k = 0; k < this.sendLead.length; k++) {
      const i = index.get(this.sendLead[k]!);
      if (i === undefined) continue;
      const p = Math.floor((this.sendAt[k]! - firstSeen[i]!) / (7 * DAY));
      if (p >= 0 && p < start[i + 1]! - start[i]!) counts[start[i]! + p]!++;
    }
    const newLeadScores: Record<string, Distribution> = {};
    ix.scores.forEach((sc, i) => setOwn(newLeadScores, sc.name, distribution(this.newScores[i]!.filter((v) => Number.isFinite(v)))));
    const sortRules = (m: Map<string, Map<string, RuleCount>>) =>
      [...m.values()].flatMap((byLoc) => [...byLoc.values()]).sort((a, b) => b.count - a.count || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
    const sendsPerContent: Record<string, number> = {};
    let sends = 0;
    ix.contents.forEach((c, i) => {
      const n = this.perContent[i]!;
      if (n > 0) setOwn(sendsPerContent, c.name, n);
      sends += n;
    });
    return {
      leads: this.leads,
      program: this.program(),
      journeys,
      funnel: { stages, conversions },
      mqls: this.mqls,
      mqlsPerWeek: [...this.mqlWeeks.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([week, mqls]) => ({ week, mqls })),
      recycled: this.recycledLeads.size,
      reopened: this.reopenedLeads.size,
      messagesPerLeadPer7Days: countsDistribution(counts),
      delayed: sortRules(this.rules.delayed),
      skipped: sortRules(this.rules.skipped),
      suppressed: sortRules(this.rules.suppressed),
      heldOut: this.heldOut,
      sends,
      sendsPerContent,
      cost: Math.round(this.cost * 1e6) / 1e6,
      costPerMql: this.mqls === 0 ? null : Math.round((this.cost / this.mqls) * 1e6) / 1e6,
      newLeadScores,
      flaggedLeads: this.flaggedLeads.size,
      lateEvents: this.late,
      duplicateEvents: this.duplicates,
      rejectedEvents: this.rejected,
    };
  }
}

function rate(converted: number, n: number): number | null {
  return n === 0 ? null : converted / n;
}

/** Rate 1 minus rate 2, in points, with Newcombe's 95% interval; null when a group is empty. */
export function liftOf(c1: number, n1: number, c2: number, n2: number): Lift | null {
  if (n1 === 0 || n2 === 0) return null;
  if (n1 < MIN_LIFT_GROUP || n2 < MIN_LIFT_GROUP) return { tooFew: true, minimum: MIN_LIFT_GROUP };
  const d = newcombeDifference(c1, n1, c2, n2);
  return { points: d.estimate * 100, low: d.low * 100, high: d.high * 100 };
}

/** The 1-based rank of percentile `p` (0–100) among `n` values, by the nearest-rank method. */
function nearestRank(n: number, p: number): number {
  return Math.max(1, Math.ceil((p / 100) * n));
}

/** Nearest-rank percentile of sorted values (p in 0–100). */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[nearestRank(sorted.length, p) - 1]!;
}

/** `distribution` of whole numbers ≥ 0 (counts), from their histogram: linear time, no sort. */
export function countsDistribution(values: ArrayLike<number>): Distribution {
  const n = values.length;
  if (n === 0) return distribution([]);
  const histogram: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    while (histogram.length <= v) histogram.push(0);
    histogram[v]!++;
  }
  // The value of nearest rank `rank` (1-based): the first whose cumulative count reaches it.
  const ranked = (rank: number): number => {
    let seen = 0;
    for (let v = 0; ; v++) if ((seen += histogram[v]!) >= rank) return v;
  };
  return {
    count: n,
    min: ranked(1),
    median: ranked(nearestRank(n, 50)),
    p95: ranked(nearestRank(n, 95)),
    max: histogram.length - 1,
  };
}

export function distribution(values: number[]): Distribution {
  const sorted = Float64Array.from(values).sort(); // numeric order, without a comparator call per pair
  return {
    count: sorted.length,
    min: sorted.length ? sorted[0]! : null,
    median: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted.length ? sorted[sorted.length - 1]! : null,
  };
}
