// Measures (LANGUAGE.md section 9). The engine tells `MeasuresCollector` about its actions and the typed
// facts of its decisions as it makes them; `take()` hands them over as data that adds up (measure-data.ts),
// which a store keeps with the states; `summarize` turns data (a run's, a store's) into the measures.
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
//   an MQL again afterwards (ordered by the lead's action numbers, which runs of a store continue).
// - funnel: per stage the leads that were ever at it (the first stage at creation, then every stage
//   move), not the highest stage reached; conversion between consecutive stages = of the leads ever at
//   the first, the share ever at the second; `moves` counts each (from, to) move.
// - messages per lead per 7 days: for every lead, the sends in each 7-day period from its first
//   event up to the end of the run (the latest instant processed, over every run of a store);
//   median/p95/max over all (lead, period) pairs, nearest-rank percentiles.
// - cost: the sends per content times the content's cost in the current plan.
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
import { exprText } from '../expr-text.js';
import { splitMeasures, type SplitMeasures } from './experiments.js';
import { branchKey, conversionKey, countKey, emptyMeasuresData, withStage, type LeadFacts, type MeasuresData } from './measure-data.js';
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
    /** Per stage: leads there now, and leads that were ever there (by the stage moves that happened). */
    stages: { stage: string; leads: number; reached: number }[];
    /** Between consecutive stages: of the leads that were ever at `from`, the share that were ever at `to`. */
    conversions: { from: string; to: string; rate: number | null }[];
    /** The stage moves that happened, by (from, to), most frequent first: how leads really went through. */
    moves: { from: string; to: string; count: number }[];
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
  /** Each `split`'s branches side by side, with the test of their difference (experiments.ts). */
  splits: SplitMeasures[];
}

interface Group {
  entered: number;
  completed: number;
  exited: number;
  converted: number;
}

const RUN_KINDS = ['entered', 'completed', 'exited', 'converted'] as const;
const newGroup = (): Group => ({ entered: 0, completed: 0, exited: 0, converted: 0 });
const RULE_KINDS = ['delayed', 'skipped', 'suppressed'] as const;
const WEEK_MS = 7 * DAY;

/**
 * Records what a run does, told by the engine as it decides (even with the audit trail off), into
 * plan-indexed counters and per-lead facts; `take()` hands them over as `MeasuresData` (measure-data.ts)
 * and starts again from zero. `summarize` turns data into the measures.
 */
export class MeasuresCollector {
  private ix: PlanIndex;
  /** With a `control group` declared: its membership. */
  private control: ControlGroup | null;
  private groups!: { nurtured: Group; holdout: Group }[];
  leads = 0;
  private stageLeads!: number[];
  /** Stage moves: `from * stages + to` → count. */
  private moves!: Map<number, number>;
  private mqlWeeks = new Map<string, number>();
  private mqls = 0;
  /** Facts of the leads this run touched (new ones, and those whose MQL, recycling or flag changed). */
  private facts = new Map<string, LeadFacts>();
  // Every send as (lead id, 7-day period since the lead's first instant), in flat lists: they grow with the
  // sends, so no per-send object (grouped by lead in `take`).
  private sendLead: string[] = [];
  private sendPeriod: number[] = [];
  /** Per decision kind: rule text → location (`file:line:column`) → count. */
  private rules = { delayed: new Map<string, Map<string, RuleCount>>(), skipped: new Map<string, Map<string, RuleCount>>(), suppressed: new Map<string, Map<string, RuleCount>>() };
  private locKeys = new WeakMap<Loc, string>();
  /** Messages held out (holdout group) and withheld (control group). */
  heldOut = 0;
  withheld = 0;
  private perContent!: number[];
  private newScores!: Map<number, number>[];
  private branchTaken = new Map<string, number>();
  private converted = new Set<string>();
  /** Per journey: has a split (its runs' conversions are kept per run, for the split's branches). */
  private splitJourneys: boolean[];
  private lastInstant = -Infinity;
  late = 0;
  duplicates = 0;
  rejected = 0;

  constructor(ix: PlanIndex, control: ControlGroup | null = null) {
    this.ix = ix;
    this.control = ix.plan.controlGroup === null ? null : control;
    this.splitJourneys = ix.journeys.map((J) => J.steps.some((cs) => cs.step.kind === 'split'));
    this.reset();
  }

  private reset(): void {
    const ix = this.ix;
    this.groups = ix.journeys.map(() => ({ nurtured: newGroup(), holdout: newGroup() }));
    this.stageLeads = ix.stages.map(() => 0);
    this.moves = new Map();
    this.newScores = ix.scores.map(() => new Map());
    this.perContent = ix.contents.map(() => 0);
    this.leads = this.mqls = this.heldOut = this.withheld = this.late = this.duplicates = this.rejected = 0;
    this.mqlWeeks = new Map();
    this.facts = new Map();
    this.sendLead = [];
    this.sendPeriod = [];
    for (const k of RULE_KINDS) this.rules[k] = new Map();
    this.branchTaken = new Map();
    this.converted = new Set();
    this.lastInstant = -Infinity;
  }

  /** The facts of `lead` (first seen at `t0`) in this run's record, created empty. */
  private factsOf(lead: string, t0: number): LeadFacts {
    let f = this.facts.get(lead);
    if (f === undefined) this.facts.set(lead, (f = { t0, control: null, mql: 0, recycled: 0, flagged: 0, stages: '' }));
    return f;
  }

  /** A lead is created, first seen at `t0` (before its first input is processed). */
  newLead(lead: string, t0: number): void {
    this.leads++;
    const f = this.factsOf(lead, t0);
    if (this.control !== null) f.control = this.control.has(lead) ? 1 : 0;
    if (this.stageLeads.length > 0) {
      this.stageLeads[0]!++;
      f.stages = this.ix.stages[0]!;
    }
  }

  /** The scores of a new lead right after its first input. */
  newLeadScores(scores: readonly number[]): void {
    for (let i = 0; i < scores.length; i++) {
      const v = scores[i]!;
      if (!Number.isFinite(v)) continue;
      const h = this.newScores[i]!;
      h.set(v, (h.get(v) ?? 0) + 1);
    }
  }

  instant(t: number): void {
    if (t > this.lastInstant) this.lastInstant = t;
  }

  // The engine tells the collector about every action and audited decision as it makes it.

  /** Content `c` was sent at `at` to `lead`, first seen at `t0`. */
  sent(lead: string, t0: number, c: number, at: number): void {
    if (at > this.lastInstant) this.lastInstant = at;
    this.perContent[c]!++;
    this.sendLead.push(lead);
    this.sendPeriod.push(Math.floor((at - t0) / WEEK_MS));
  }

  /** `lead` (first seen at `t0`) moved from stage `from` to `to` (indexes) at `at`, by its action number `seq`. */
  stage(lead: string, t0: number, seq: number, from: number, to: number, at: number): void {
    if (at > this.lastInstant) this.lastInstant = at;
    this.stageLeads[from]!--;
    this.stageLeads[to]!++;
    const move = from * this.ix.stages.length + to;
    this.moves.set(move, (this.moves.get(move) ?? 0) + 1);
    const f = this.factsOf(lead, t0);
    f.stages = withStage(f.stages, this.ix.stages[to]!);
    if (to < from && f.recycled === 0) f.recycled = seq;
    if (this.ix.mqlStage >= 0 && to === this.ix.mqlStage) this.mql(lead, t0, seq, at);
  }

  /** `lead` was handed off at `at` by its action number `seq`. */
  handoff(lead: string, t0: number, seq: number, at: number): void {
    if (at > this.lastInstant) this.lastInstant = at;
    if (this.ix.mqlStage < 0) this.mql(lead, t0, seq, at);
  }

  private mql(lead: string, t0: number, seq: number, at: number): void {
    this.mqls++;
    this.factsOf(lead, t0).mql = seq;
    const zone = this.ix.plan.timezone;
    const day = localDay(zone, at);
    const monday = day - (weekdayOfDay(day) - 1);
    const key = formatDate(monday);
    this.mqlWeeks.set(key, (this.mqlWeeks.get(key) ?? 0) + 1);
  }

  // The engine tells the collector the typed facts of its audited decisions (with the trail on or off).

  /** Run number `run` of journey `js` entered or left, in `group`; `afterRun`: a goal reached after the run completed. */
  run(kind: RunKind, js: number, group: RunGroup, lead: string, run: number, afterRun: boolean): void {
    const g = this.groups[js]![group];
    g[kind]++;
    if (kind === 'converted') {
      if (!afterRun) g.completed++; // a goal after the run: completed already
      if (group === 'nurtured' && this.splitJourneys[js]) this.converted.add(conversionKey(this.ix.journeys[js]!.name, lead, run));
    }
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
      if (known === undefined) this.locKeys.set(loc, (key = JSON.stringify([this.ix.files[loc[0]] ?? '?', loc[1], loc[2]])));
      else key = known;
    }
    const c = byLoc.get(key);
    if (c) c.count++;
    else byLoc.set(key, { rule, loc, count: 1 });
  }

  /**
   * Run number `run` of journey `js` went down branch `branch` of the split at step `step`. Only nurtured
   * runs of leads outside the control group count: the others get no message, so no variant either.
   */
  branch(js: number, step: number, branch: number, group: RunGroup, lead: string, run: number): void {
    if (group !== 'nurtured' || (this.control !== null && this.control.has(lead))) return;
    this.branchTaken.set(branchKey(this.ix.journeys[js]!.name, step, lead, run), branch);
  }

  flagged(lead: string, t0: number): void {
    this.factsOf(lead, t0).flagged = 1;
  }

  /** What was recorded since the last `take` (or since the start), as data that adds up; `keep`: do not start again. */
  take(keep = false): MeasuresData {
    const ix = this.ix;
    const d = emptyMeasuresData();
    const add = (n: number, ...key: (string | number)[]): void => {
      if (n !== 0) d.counts.set(countKey(...key), n);
    };
    add(this.leads, 'leads');
    add(this.mqls, 'mqls');
    add(this.heldOut, 'heldOut');
    add(this.withheld, 'withheld');
    add(this.late, 'late');
    add(this.duplicates, 'duplicates');
    add(this.rejected, 'rejected');
    ix.journeys.forEach((J, i) => {
      const g = this.groups[i]!;
      for (const group of ['nurtured', 'holdout'] as const) for (const kind of RUN_KINDS) add(g[group][kind], 'run', J.name, group, kind);
    });
    ix.stages.forEach((st, i) => add(this.stageLeads[i]!, 'stage', st));
    for (const [move, n] of this.moves) add(n, 'move', ix.stages[Math.floor(move / ix.stages.length)]!, ix.stages[move % ix.stages.length]!);
    for (const [week, n] of this.mqlWeeks) add(n, 'week', week);
    for (const kind of RULE_KINDS) for (const [rule, byLoc] of this.rules[kind]) for (const [loc, c] of byLoc) add(c.count, 'rule', kind, loc, rule);
    ix.contents.forEach((c, i) => add(this.perContent[i]!, 'send', c.name));
    ix.scores.forEach((sc, i) => {
      for (const [v, n] of this.newScores[i]!) add(n, 'score', sc.name, v);
    });
    d.end = this.lastInstant;
    for (const [lead, f] of this.facts) d.leads.set(lead, keep ? { ...f } : f);
    d.periods = { lead: this.sendLead.slice(), period: this.sendPeriod.slice(), n: new Array<number>(this.sendLead.length).fill(1) };
    for (const [k, b] of this.branchTaken) d.branches.set(k, b);
    for (const k of this.converted) d.conversions.add(k);
    if (!keep) this.reset();
    return d;
  }
}

/** The measures of `data` (a run's, a store's), for plan `ix`: what is no longer in the plan is left out. */
export function summarize(ix: PlanIndex, data: MeasuresData): Measures {
  const goalText = (journey: string): string | null => {
    const g = ix.plan.journeys[journey]?.goal ?? null;
    if (g === null) return null;
    return g.kind === 'on' ? `on ${g.event}${g.where === null ? '' : ` where ${exprText(ix.plan, g.where)}`}` : `when ${exprText(ix.plan, g.condition)}`;
  };
  const count = (...key: (string | number)[]): number => data.counts.get(countKey(...key)) ?? 0;
  const journeys: Record<string, JourneyMeasures> = {};
  for (const J of ix.journeys) {
    const group = (g: RunGroup): Group => ({ entered: count('run', J.name, g, 'entered'), completed: count('run', J.name, g, 'completed'), exited: count('run', J.name, g, 'exited'), converted: count('run', J.name, g, 'converted') });
    const nurtured = group('nurtured');
    const holdout = group('holdout');
    setOwn(journeys, J.name, {
      nurtured: { ...nurtured, conversionRate: rate(nurtured.converted, nurtured.entered) },
      holdout: { ...holdout, conversionRate: rate(holdout.converted, holdout.entered) },
      lift: liftOf(nurtured.converted, nurtured.entered, holdout.converted, holdout.entered),
    });
  }
  // The funnel, from the stages each lead was really at (not from the highest it reached: a lead moved
  // from trialist straight to customer never passed mql).
  const stageIndex = new Map(ix.stages.map((st, i) => [st, i]));
  const reached = ix.stages.map(() => 0);
  /** both[i]: leads that were at stage i and at stage i + 1. */
  const both = ix.stages.map(() => 0);
  // most leads never move: their list is the first stage alone
  const first = ix.stages[0] ?? '';
  const firstOnly = [0];
  // Leads: the program's sides, recycled and re-opened, flagged; and where each lead's 7-day periods start
  // in one flat list of (lead, period) pairs, from its first instant up to the end of the run.
  const end = data.end;
  const programLeads = [0, 0];
  const programMqls = [0, 0];
  let recycled = 0;
  let reopened = 0;
  let flagged = 0;
  const index = new Map<string, number>();
  const start: number[] = [0];
  for (const [lead, f] of data.leads) {
    if (f.control !== null) {
      programLeads[f.control]!++;
      if (f.mql > 0) programMqls[f.control]!++;
    }
    if (f.recycled > 0) {
      recycled++;
      if (f.mql >= f.recycled) reopened++; // an MQL at or after its first move down (the same move, back to mql)
    }
    if (f.flagged) flagged++;
    if (f.stages !== '') {
      const at = f.stages === first ? firstOnly : f.stages.split(',').map((st) => stageIndex.get(st) ?? -1);
      for (const i of at) if (i >= 0) reached[i]!++;
      for (const i of at) if (i >= 0 && at.includes(i + 1)) both[i]!++;
    }
    index.set(lead, start.length - 1);
    start.push(start[start.length - 1]! + Math.max(1, Math.floor((end - f.t0) / WEEK_MS) + 1));
  }
  // Sends per pair: small whole numbers, summarised from their histogram (`countsDistribution`): the
  // bench's 100,000 leads have 842,770 pairs, which sorting took a fifth to a third of a second.
  const pairs = new Uint32Array(start[start.length - 1]!);
  const rows = data.periods;
  for (let k = 0; k < rows.lead.length; k++) {
    const i = index.get(rows.lead[k]!);
    const p = rows.period[k]!;
    if (i !== undefined && p >= 0 && p < start[i + 1]! - start[i]!) pairs[start[i]! + p]! += rows.n[k]!;
  }
  const newLeadScores: Record<string, Distribution> = {};
  for (const sc of ix.scores) {
    const prefix = countKey('score', sc.name, '');
    const values: [number, number][] = [];
    for (const [k, n] of data.counts) if (k.startsWith(prefix)) values.push([Number(k.slice(prefix.length)), n]);
    setOwn(newLeadScores, sc.name, weightedDistribution(values));
  }
  const rules: Record<(typeof RULE_KINDS)[number], RuleCount[]> = { delayed: [], skipped: [], suppressed: [] };
  const weeks: { week: string; mqls: number }[] = [];
  for (const [k, n] of data.counts) {
    if (n === 0) continue;
    const parts = k.split('	');
    if (parts[0] === 'rule' && parts.length >= 4) {
      const loc = parts[2] === '' ? null : locOf(ix, JSON.parse(parts[2]!) as [string, number, number]);
      rules[parts[1] as (typeof RULE_KINDS)[number]]?.push({ rule: parts.slice(3).join('	'), loc, count: n });
    } else if (parts[0] === 'week') weeks.push({ week: parts[1]!, mqls: n });
  }
  const locText = (l: Loc | null) => (l === null ? '' : l.join(':'));
  const sortRules = (xs: RuleCount[]) => xs.sort((a, b) => b.count - a.count || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : locText(a.loc) < locText(b.loc) ? -1 : locText(a.loc) > locText(b.loc) ? 1 : 0));
  const sendsPerContent: Record<string, number> = {};
  let sends = 0;
  let cost = 0;
  for (const c of ix.contents) {
    const n = count('send', c.name);
    if (n > 0) setOwn(sendsPerContent, c.name, n);
    sends += n;
    cost += n * c.cost;
  }
  const stages = ix.stages.map((stage, i) => ({ stage, leads: count('stage', stage), reached: reached[i]! }));
  const conversions = ix.stages.slice(1).map((to, i) => ({ from: ix.stages[i]!, to, rate: reached[i]! === 0 ? null : both[i]! / reached[i]! }));
  const moves: { from: string; to: string; count: number }[] = [];
  for (const [k, n] of data.counts) {
    if (!k.startsWith('move\t') || n === 0) continue;
    const [, from, to] = k.split('\t');
    if (stageIndex.has(from!) && stageIndex.has(to!)) moves.push({ from: from!, to: to!, count: n });
  }
  moves.sort((a, b) => b.count - a.count || stageIndex.get(a.from)! - stageIndex.get(b.from)! || stageIndex.get(a.to)! - stageIndex.get(b.to)!);
  const mqls = count('mqls');
  const program: ProgramMeasures | null =
    ix.plan.controlGroup === null
      ? null
      : {
          nurtured: { leads: programLeads[0]!, mqls: programMqls[0]!, conversionRate: rate(programMqls[0]!, programLeads[0]!) },
          control: { leads: programLeads[1]!, mqls: programMqls[1]!, conversionRate: rate(programMqls[1]!, programLeads[1]!) },
          lift: liftOf(programMqls[0]!, programLeads[0]!, programMqls[1]!, programLeads[1]!),
          withheld: count('withheld'),
        };
  return {
    leads: count('leads'),
    program,
    journeys,
    funnel: { stages, conversions, moves },
    mqls,
    mqlsPerWeek: weeks.sort((a, b) => (a.week < b.week ? -1 : 1)),
    recycled,
    reopened,
    messagesPerLeadPer7Days: countsDistribution(pairs),
    delayed: sortRules(rules.delayed),
    skipped: sortRules(rules.skipped),
    suppressed: sortRules(rules.suppressed),
    heldOut: count('heldOut'),
    sends,
    sendsPerContent,
    cost: Math.round(cost * 1e6) / 1e6,
    costPerMql: mqls === 0 ? null : Math.round((cost / mqls) * 1e6) / 1e6,
    newLeadScores,
    flaggedLeads: flagged,
    lateEvents: count('late'),
    duplicateEvents: count('duplicates'),
    rejectedEvents: count('rejected'),
    splits: splitMeasures(ix, data, goalText),
  };
}

/** A location kept as [file path, line, column] back in the plan's terms (an unknown file: index -1). */
function locOf(ix: PlanIndex, [file, line, column]: [string, number, number]): Loc {
  return [ix.files.indexOf(file), line, column];
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

/** `distribution` of values given with their counts ([value, count]). */
export function weightedDistribution(values: [value: number, count: number][]): Distribution {
  const sorted = values.filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const n = sorted.reduce((t, [, c]) => t + c, 0);
  if (n === 0) return distribution([]);
  const ranked = (rank: number): number => {
    let seen = 0;
    for (const [v, c] of sorted) if ((seen += c) >= rank) return v;
    return sorted[sorted.length - 1]![0];
  };
  return { count: n, min: sorted[0]![0], median: ranked(nearestRank(n, 50)), p95: ranked(nearestRank(n, 95)), max: sorted[sorted.length - 1]![0] };
}
