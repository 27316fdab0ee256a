// `nurture diff --events FILE`: both plans run over the same recorded events, in memory (the runtime is
// deterministic: the same plan and events give the same actions), then compared — the section 9 measures
// side by side, and the leads whose actions differ, each with the first decision the two audit trails
// disagree on (what rule, step or condition decided differently, and where it is written).
import { closeSync } from 'node:fs';
import { createRuntime, validateEvent, type AuditRecord, type Measures, type Runtime, type RuntimeAction } from '../../runtime/engine/index.js';
import { jsonlFileEntries } from '../../runtime/jsonl-file.js';
import type { Plan } from '../../runtime/plan-types.js';
import { formatLocal } from '../../runtime/expr-text.js';
import { stepWords } from '../../runtime/store/step-places.js';
import { CliError, type Context } from '../context.js';
import { ioReason, openInput } from '../files.js';
import type { Place, SideText } from './changes.js';

/** A lead's timer steps allowed in one run (as `simulate` without --until): a date in year 9999 must not run for hours. */
const STEP_BUDGET = 2_000_000;
const YEAR_MS = 365 * 86_400_000;

/** One number of the comparison, named as `--fail-if` names it. */
export interface Metric {
  name: string;
  /** In words, for the tables. */
  label: string;
  old: number | null;
  new: number | null;
}

export interface RuleOutcome {
  outcome: 'delayed' | 'skipped' | 'suppressed';
  rule: string;
  old: number;
  new: number;
  place: Place | null;
}

export interface ActionText {
  at: string;
  text: string;
}

export interface Decision {
  at: string;
  text: string;
  place: Place | null;
}

export interface LeadDifference {
  lead: string;
  /** The first action that differs on each side (null: none there). */
  old: ActionText | null;
  new: ActionText | null;
  /** The first audit records that differ: the decision taken differently. */
  because: { old: Decision | null; new: Decision | null } | null;
}

export interface Outcomes {
  events: string;
  from: string | null;
  until: string;
  /** Events read, and rejected by each plan (e.g. a type one of them does not declare). */
  lines: number;
  rejected: { old: number; new: number };
  metrics: Metric[];
  pressure: RuleOutcome[];
  /** How many leads' actions differ; a few of them explained. */
  leadsDiffering: number;
  leads: LeadDifference[];
}

interface Run {
  rt: Runtime;
  measures: Measures;
  rejected: number;
  firstRejection: string | null;
  actions: Map<string, RuntimeAction[]>;
}

/** The events of FILE, parsed: a line that is not JSON is a usage error naming it (nothing is run). */
export function readEvents(path: string, ctx: Context): { values: unknown[]; lines: number } {
  const fd = openInput(path, ctx.cwd);
  const values: unknown[] = [];
  const bad: string[] = [];
  let lines = 0;
  try {
    for (const entry of jsonlFileEntries(fd)) {
      lines++;
      if (entry.error !== null) bad.push(`${path}:${entry.line}: ${entry.error}`);
      else values.push(entry.value);
    }
  } catch (e) {
    throw new CliError(`cannot read \`${path}\`: ${ioReason(e)}`);
  } finally {
    if (fd !== 0) closeSync(fd);
  }
  if (bad.length > 0) {
    const more = bad.length > 1 ? ` (and ${bad.length - 1} more bad line${bad.length === 2 ? '' : 's'}; \`nurture simulate\` lists them)` : '';
    throw new CliError(`${bad[0]}${more}`);
  }
  return { values, lines };
}

/** Runs `plan` over the events up to `until` (or the last event + 365 days), keeping every lead's actions and audit trail. */
function run(plan: Plan, events: readonly unknown[], until: number | null, shown: string): Run & { until: number | null; from: number | null } {
  const rt = createRuntime(plan, { audit: 'keep' });
  const valid: { at: number; raw: unknown; n: number }[] = [];
  let rejected = 0;
  let firstRejection: string | null = null;
  events.forEach((raw, n) => {
    const v = validateEvent(rt.index, raw);
    if (v.ok) valid.push({ at: v.event.at, raw, n });
    else {
      rejected++;
      firstRejection ??= v.reason;
    }
  });
  valid.sort((a, b) => a.at - b.at || a.n - b.n);
  const end = until ?? (valid.length === 0 ? null : valid[valid.length - 1]!.at + YEAR_MS);
  let steps = 0;
  const advance = (t: number) => {
    for (let due; (due = rt.nextDue()) <= t; ) {
      steps += rt.advanceTo(due);
      if (until === null && steps > STEP_BUDGET) {
        throw new CliError(`${shown}: the run was still going at ${new Date(due).toISOString()} after ${STEP_BUDGET.toLocaleString('en-US')} timer steps; a date far from the others? Give --until DATETIME`);
      }
    }
  };
  for (const e of valid) {
    if (end !== null && e.at > end) break;
    advance(e.at);
    rt.ingest(e.raw);
  }
  if (end !== null) advance(end);
  const actions = new Map<string, RuntimeAction[]>();
  for (const a of rt.drainActions()) {
    const list = actions.get(a.lead);
    if (list === undefined) actions.set(a.lead, [a]);
    else list.push(a);
  }
  return { rt, measures: rt.measures(), rejected, firstRejection, actions, until: end, from: valid.length === 0 ? null : valid[0]!.at };
}

const actionWords = (a: RuntimeAction): string => {
  const j = a.journey === null ? '' : ` (journey ${a.journey})`;
  switch (a.type) {
    case 'send':
      return `send ${a.content} on ${a.channel}${j}`;
    case 'handoff':
      return `hand off to ${a.to}${j}`;
    case 'stage':
      return `stage ${a.from} → ${a.to}${j}`;
    default:
      return `set ${a.attribute} = ${JSON.stringify(a.value)}${j}`;
  }
};

/** What an action is, without its id (ids hash the plan's step numbers). */
const actionKey = (a: RuntimeAction): string => `${a.at} ${actionWords(a)}`;

/** A decision of the audit trail, comparable across plans: no step number, no location. */
const auditKey = (r: AuditRecord): string => JSON.stringify([r.at, r.kind, r.journey, r.subject, r.from, r.to, r.rule, r.note]);

function decisionWords(r: AuditRecord): string {
  let s = r.kind as string;
  if (r.subject !== null) s += ` ${r.subject}`;
  if (r.journey !== null && r.journey !== r.subject) s += ` in journey ${r.journey}`;
  if (r.from !== null || r.to !== null) s += `: ${JSON.stringify(r.from)} → ${JSON.stringify(r.to)}`;
  if (r.rule !== null) s += ` (${r.rule})`;
  if (r.note !== null) s += ` [${r.note}]`;
  return s;
}

/** Both plans over the same events, compared. */
export function compareOutcomes(
  old: SideText,
  neu: SideText,
  events: { values: unknown[]; lines: number },
  shown: string,
  until: number | null,
  examples: number,
  ctx: Context,
): Outcomes {
  const a = run(old.plan, events.values, until, shown);
  const b = run(neu.plan, events.values, until ?? a.until, shown);
  for (const [side, r] of [['OLD', a], ['NEW', b]] as const) {
    if (r.rejected > 0) ctx.stderr.write(`${shown}: ${r.rejected} event${r.rejected === 1 ? '' : 's'} rejected by ${side} (first: ${r.firstRejection})\n`);
  }
  const zone = neu.plan.timezone;
  const time = (t: number) => formatLocal(zone, t);
  const leads = [...new Set([...a.actions.keys(), ...b.actions.keys()])].sort();
  const differing: LeadDifference[] = [];
  let count = 0;
  for (const lead of leads) {
    const x = a.actions.get(lead) ?? [];
    const y = b.actions.get(lead) ?? [];
    let i = 0;
    while (i < x.length && i < y.length && actionKey(x[i]!) === actionKey(y[i]!)) i++;
    if (i === x.length && i === y.length) continue;
    count++;
    if (differing.length >= examples) continue;
    const show = (act: RuntimeAction | undefined): ActionText | null => (act === undefined ? null : { at: time(act.at), text: actionWords(act) });
    differing.push({ lead, old: show(x[i]), new: show(y[i]), because: firstDecision(lead, a.rt.audit(lead), b.rt.audit(lead), [old, neu], events.values, time) });
  }
  return {
    events: shown,
    from: a.from === null ? null : new Date(a.from).toISOString(),
    until: a.until === null ? '' : new Date(a.until).toISOString(),
    lines: events.lines,
    rejected: { old: a.rejected, new: b.rejected },
    metrics: [...metrics(a.measures, b.measures, old.plan, neu.plan), { name: 'leads-differing', label: 'leads whose actions differ', old: 0, new: count }],
    pressure: pressure(a.measures, b.measures, old, neu),
    leadsDiffering: count,
    leads: differing,
  };
}

/**
 * The first decision the two audit trails disagree on: at the earliest instant where they differ, each
 * side's first record of that instant the other side lacks. A side with none there is shown where the lead
 * stood in that journey then (replayed alone: leads are independent, so this is the same lead state).
 */
export function firstDecision(
  lead: string,
  x: AuditRecord[],
  y: AuditRecord[],
  sides: [SideText, SideText],
  events: readonly unknown[],
  time: (t: number) => string,
): LeadDifference['because'] {
  let i = 0;
  while (i < x.length && i < y.length && auditKey(x[i]!) === auditKey(y[i]!)) i++;
  if (i === x.length && i === y.length) return null;
  const t = Math.min(x[i]?.at ?? Infinity, y[i]?.at ?? Infinity);
  const at = (list: AuditRecord[]) => list.slice(i).filter((r) => r.at === t);
  const [xs, ys] = [at(x), at(y)];
  const onlyIn = (mine: AuditRecord[], theirs: AuditRecord[]) => {
    const keys = new Set(theirs.map(auditKey));
    return mine.find((r) => !keys.has(auditKey(r)));
  };
  let [rx, ry] = [onlyIn(xs, ys), onlyIn(ys, xs)];
  // the same decisions at that instant, in another order: show the two that differ by position
  if (rx === undefined && ry === undefined) [rx, ry] = [x[i], y[i]];
  const theirs = (rx ?? ry)!;
  const show = (r: AuditRecord | undefined, side: SideText): Decision => {
    if (r !== undefined) return { at: time(r.at), text: decisionWords(r), place: side.place(r.loc, null) };
    return { at: time(t), ...(counterpart(side, theirs) ?? standing(side, lead, events, t, theirs.journey, time)) };
  };
  return { old: show(rx, sides[0]), new: show(ry, sides[1]) };
}

/** What did not happen on a side where the other decided `r` about a declaration: that declaration's place here. */
function counterpart(side: SideText, r: AuditRecord): { text: string; place: Place | null } | null {
  const plan = side.plan;
  const name = r.subject ?? '';
  if (r.kind === 'threshold') {
    const th = own(plan.thresholds, name);
    return { text: th === undefined ? `no threshold ${name} (not declared)` : `threshold ${name} did not fire then`, place: th === undefined ? null : side.place(th.loc, th) };
  }
  if (r.kind === 'score') {
    const sc = own(plan.scores, name);
    return { text: sc === undefined ? `no score ${name} (not declared)` : `score ${name} did not change then`, place: sc === undefined ? null : side.place(sc.loc, sc) };
  }
  if (r.kind === 'entered' || r.kind === 'notEntered') {
    const j = own(plan.journeys, name);
    const loc = j?.entries[0]?.loc ?? j?.loc;
    return { text: j === undefined ? `no journey ${name} (not declared)` : `no entry decision for journey ${name} then`, place: j === undefined ? null : side.place(loc, null) };
  }
  return null;
}

const own = <T>(record: Record<string, T>, key: string): T | undefined => (Object.hasOwn(record, key) ? record[key] : undefined);

/** Where the lead stands in `journey` at `t` on one side: its step and place, or why nothing happened. */
function standing(side: SideText, lead: string, events: readonly unknown[], t: number, journey: string | null, time: (t: number) => string): { text: string; place: Place | null } {
  if (journey === null) return { text: 'nothing decided then', place: null };
  const rt = createRuntime(side.plan, { audit: 'off' });
  const mine = events.filter((e) => (e as { lead?: unknown } | null)?.lead === lead);
  const valid = mine.flatMap((raw, n) => {
    const v = validateEvent(rt.index, raw);
    return v.ok && v.event.at <= t ? [{ raw, at: v.event.at, n }] : [];
  });
  valid.sort((a, b) => a.at - b.at || a.n - b.n);
  for (const e of valid) {
    rt.advanceTo(e.at);
    rt.ingest(e.raw);
  }
  rt.advanceTo(t);
  const ji = rt.index.journeys.findIndex((j) => j.name === journey);
  const js = ji < 0 ? null : (rt.leadState(lead)?.j[ji] ?? null);
  if (js === null || js.a !== 1) return { text: `nothing decided then: not in journey ${journey}`, place: null };
  const step = side.plan.journeys[journey]!.steps[js.s];
  const due = js.d >= 0 ? ` until ${time(js.d)}` : '';
  return { text: `nothing decided then: still at step ${step === undefined ? js.s : stepWords(step)} of journey ${journey}${due}`, place: step === undefined ? null : side.place(step.loc, step) };
}

/** The names `metrics` gives for these plans (known before running, for --fail-if). */
export function outcomeMetricNames(pa: Plan, pb: Plan): string[] {
  const contents = [...new Set([...Object.keys(pa.contents), ...Object.keys(pb.contents)])].sort();
  const journeys = [...new Set([...Object.keys(pa.journeys), ...Object.keys(pb.journeys)])].sort();
  return [
    'leads',
    'mqls',
    'sends',
    ...contents.map((c) => `sends.${c}`),
    ...journeys.flatMap((j) => [`entries.${j}`, `conversions.${j}`, `lift.${j}`]),
    ...(pa.controlGroup !== null || pb.controlGroup !== null ? ['lift.program'] : []),
    ...['delayed', 'skipped', 'suppressed', 'held-out', 'cost', 'leads-differing'],
  ];
}

function metrics(a: Measures, b: Measures, pa: Plan, pb: Plan): Metric[] {
  const out: Metric[] = [];
  const add = (name: string, label: string, x: number | null, y: number | null) => out.push({ name, label, old: x, new: y });
  add('leads', 'leads', a.leads, b.leads);
  add('mqls', 'MQLs', a.mqls, b.mqls);
  add('sends', 'sends', a.sends, b.sends);
  const contents = [...new Set([...Object.keys(pa.contents), ...Object.keys(pb.contents)])].sort();
  for (const c of contents) {
    const x = c in pa.contents ? (a.sendsPerContent[c] ?? 0) : null;
    const y = c in pb.contents ? (b.sendsPerContent[c] ?? 0) : null;
    add(`sends.${c}`, `sends of ${c}`, x, y);
  }
  const journeys = [...new Set([...Object.keys(pa.journeys), ...Object.keys(pb.journeys)])].sort();
  for (const j of journeys) {
    const x = a.journeys[j];
    const y = b.journeys[j];
    const entries = (m: typeof x) => (m === undefined ? null : m.nurtured.entered + m.holdout.entered);
    add(`entries.${j}`, `${j}: entries`, entries(x), entries(y));
    add(`conversions.${j}`, `${j}: conversions (goal)`, x?.nurtured.converted ?? null, y?.nurtured.converted ?? null);
    add(`lift.${j}`, `${j}: lift (points)`, liftPoints(x?.lift), liftPoints(y?.lift));
  }
  if (a.program !== null || b.program !== null) add('lift.program', 'program lift vs control group (points)', liftPoints(a.program?.lift), liftPoints(b.program?.lift));
  const total = (rules: Measures['delayed']) => rules.reduce((s, r) => s + r.count, 0);
  add('delayed', 'messages delayed (pressure)', total(a.delayed), total(b.delayed));
  add('skipped', 'messages skipped (pressure)', total(a.skipped), total(b.skipped));
  add('suppressed', 'messages suppressed (consent)', total(a.suppressed), total(b.suppressed));
  add('held-out', 'messages held out', a.heldOut, b.heldOut);
  add('cost', 'cost', a.cost, b.cost);
  return out;
}

/** A lift's points, or null when there is none or too few leads to tell. */
function liftPoints(l: unknown): number | null {
  const p = (l as { points?: unknown } | null | undefined)?.points;
  return typeof p === 'number' ? Math.round(p * 10) / 10 : null;
}

function pressure(a: Measures, b: Measures, old: SideText, neu: SideText): RuleOutcome[] {
  const out: RuleOutcome[] = [];
  for (const outcome of ['delayed', 'skipped', 'suppressed'] as const) {
    const rules = new Map<string, RuleOutcome>();
    for (const r of a[outcome]) rules.set(r.rule, { outcome, rule: r.rule, old: r.count, new: 0, place: old.place(r.loc, null) });
    for (const r of b[outcome]) {
      const o = rules.get(r.rule);
      if (o === undefined) rules.set(r.rule, { outcome, rule: r.rule, old: 0, new: r.count, place: neu.place(r.loc, null) });
      else {
        o.new = r.count;
        o.place = neu.place(r.loc, null) ?? o.place;
      }
    }
    out.push(...[...rules.values()].filter((r) => r.old !== r.new));
  }
  return out;
}
