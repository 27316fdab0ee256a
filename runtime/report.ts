// The report of a run (`nurture simulate --report`): every measure of LANGUAGE.md section 9 as JSON,
// and a simple self-contained HTML rendering of it (no script, no external resource).
import type { Plan } from './plan-types.js';
import type { Lift, Measures, ProgramGroup } from './engine/measures.js';
import { locToJson, type PlanIndex } from './engine/index.js';
import { setOwn } from './own.js';

export const REPORT_FORMAT = 'nurture-report';
export const REPORT_VERSION = 1;

export interface RunInfo {
  /** The events file as given. */
  events: string;
  /** First accepted event and the end of the run (ISO, UTC); `from` is null without events. */
  from: string | null;
  until: string;
  lines: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  late: number;
  /** Valid events later than `until`, not applied. */
  afterUntil: number;
  actions: { total: number; send: number; handoff: number; stage: number; set: number };
}

type Loc = { file: string; line: number; column: number } | null;
export interface RuleCountJson {
  rule: string;
  loc: Loc;
  count: number;
}

export interface Report {
  format: typeof REPORT_FORMAT;
  version: typeof REPORT_VERSION;
  plan: { hash: string; compiler: string; files: string[]; timezone: string };
  run: RunInfo;
  measures: Omit<Measures, 'delayed' | 'skipped' | 'suppressed' | 'journeys' | 'program' | 'splits'> & {
    program: (Omit<NonNullable<Measures['program']>, 'lift'> & { lift: LiftJson | null }) | null;
    journeys: Record<string, Omit<Measures['journeys'][string], 'lift'> & { lift: LiftJson | null }>;
    delayed: RuleCountJson[];
    skipped: RuleCountJson[];
    suppressed: RuleCountJson[];
    splits: SplitJson[];
  };
}

/** A split's branches side by side (LANGUAGE.md 9; runtime/engine/experiments.ts). */
export interface SplitJson {
  journey: string;
  step: string;
  loc: Loc;
  goal: string | null;
  branches: { name: string; entered: number; converted: number; rate: number | null }[];
  test: { method: 'fisher' | 'two-proportions'; p: number | null; adjusted: boolean };
  winner: string | null;
}

const round = (x: number | null): number | null => (x === null || !Number.isFinite(x) ? x : Math.round(x * 1e6) / 1e6);

/** A lift as the report writes it: measured (rounded, with the interval's confidence) or too few to tell. */
type LiftJson = { points: number; low: number; high: number; confidence: 0.95 } | { tooFew: true; minimum: number };

const lift = (l: Lift | null): LiftJson | null =>
  l === null || 'tooFew' in l ? l : { points: round(l.points)!, low: round(l.low)!, high: round(l.high)!, confidence: 0.95 as const };

/** A lift in the HTML tables: points with the interval, or why there is none. */
const liftCell = (l: LiftJson | null): string =>
  l === null ? '—' : 'tooFew' in l ? esc(`too few leads to tell (under ${l.minimum} in a group)`) : esc(`${pts(l.points)} [${pts(l.low)}, ${pts(l.high)}]`);

export function buildReport(ix: PlanIndex, m: Measures, run: RunInfo): Report {
  const plan: Plan = ix.plan;
  const journeys: Report['measures']['journeys'] = {};
  for (const [name, j] of Object.entries(m.journeys)) {
    setOwn(journeys, name, {
      nurtured: { ...j.nurtured, conversionRate: round(j.nurtured.conversionRate) },
      holdout: { ...j.holdout, conversionRate: round(j.holdout.conversionRate) },
      lift: lift(j.lift),
    });
  }
  const group = (g: ProgramGroup): ProgramGroup => ({ ...g, conversionRate: round(g.conversionRate) });
  const p = m.program;
  const program = p === null ? null : { nurtured: group(p.nurtured), control: group(p.control), lift: lift(p.lift), withheld: p.withheld };
  const rules = (xs: Measures['delayed']): RuleCountJson[] => xs.map((r) => ({ rule: r.rule, loc: locToJson(ix, r.loc), count: r.count }));
  return {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    plan: { hash: plan.source.hash, compiler: plan.source.compiler, files: plan.source.files.map((f) => f.path), timezone: plan.timezone },
    run,
    measures: {
      ...m,
      program,
      journeys,
      funnel: { stages: m.funnel.stages, conversions: m.funnel.conversions.map((c) => ({ ...c, rate: round(c.rate) })), moves: m.funnel.moves },
      delayed: rules(m.delayed),
      skipped: rules(m.skipped),
      suppressed: rules(m.suppressed),
      splits: m.splits.map((x) => ({
        ...x,
        loc: locToJson(ix, x.loc),
        branches: x.branches.map((b) => ({ ...b, rate: round(b.rate) })),
        test: { ...x.test, p: round(x.test.p) },
      })),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// HTML

const esc = (s: unknown): string =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const num = (x: number | null): string => (x === null ? '—' : Number.isInteger(x) ? String(x) : x.toFixed(2));
const pts = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(1)}`;

function table(head: string[], rows: (string | number)[][], numeric = true): string {
  if (rows.length === 0) return '<p class="none">none</p>';
  const th = head.map((h) => `<th>${esc(h)}</th>`).join('');
  const tr = rows
    .map((r) => `<tr>${r.map((c, i) => `<td${numeric && i > 0 ? ' class="n"' : ''}>${typeof c === 'number' ? esc(num(c)) : c}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${tr}\n</tbody></table>`;
}

function bar(value: number, max: number): string {
  const w = max <= 0 ? 0 : Math.round((value / max) * 200);
  return `<span class="bar" style="width:${w}px"></span> ${esc(value)}`;
}

export function renderReportHtml(r: Report): string {
  const m = r.measures;
  const loc = (l: Loc) => (l ? `<code>${esc(`${l.file}:${l.line}`)}</code>` : '');
  const journeys = table(
    ['journey', 'entered', 'completed', 'exited', 'converted', 'rate', 'holdout entered', 'holdout converted', 'holdout rate', 'lift (points, 95% CI)'],
    Object.entries(m.journeys).map(([name, j]) => [
      `<b>${esc(name)}</b>`,
      j.nurtured.entered,
      j.nurtured.completed,
      j.nurtured.exited,
      j.nurtured.converted,
      esc(pct(j.nurtured.conversionRate)),
      j.holdout.entered,
      j.holdout.converted,
      esc(pct(j.holdout.conversionRate)),
      liftCell(j.lift),
    ]),
  );
  const p = m.program;
  const program = p === null ? '' : `<h2>Program: nurtured vs control group</h2>
<p>Conversion = became an MQL; lift = nurtured minus control group conversion rate, in points, with a 95% confidence interval; ${esc(p.withheld)} messages withheld from the control group.</p>
${table(
    ['group', 'leads', 'MQLs', 'rate', 'lift (points, 95% CI)'],
    [
      ['nurtured', p.nurtured.leads, p.nurtured.mqls, esc(pct(p.nurtured.conversionRate)), liftCell(p.lift)],
      ['control group', p.control.leads, p.control.mqls, esc(pct(p.control.conversionRate)), ''],
    ],
  )}`;
  const splits =
    m.splits.length === 0
      ? ''
      : `<h2>Experiments: split branches</h2>
<p>Conversion = the journey's goal reached by the nurtured runs that went down the branch; a winner is named only when the difference is significant (p &lt; 0.05; Holm-adjusted for three or more branches).</p>
${table(
  ['split', 'branch', 'entered', 'converted', 'rate', 'test'],
  m.splits.flatMap((x) =>
    x.branches.map((b, i) => [
      i === 0 ? `<b>${esc(x.journey)}</b> ${loc(x.loc)}${x.goal === null ? ' (no goal)' : ` ${esc(`goal ${x.goal}`)}`}` : '',
      b.name === x.winner ? `<b>${esc(b.name)}</b> (winner)` : esc(b.name),
      b.entered,
      b.converted,
      esc(pct(b.rate)),
      i === 0 ? esc(splitVerdict(x)) : '',
    ]),
  ),
  false,
)}`;
  const funnel = table(
    ['stage', 'leads now', 'reached'],
    m.funnel.stages.map((s) => [esc(s.stage), s.leads, s.reached]),
  );
  const conversions = table(
    ['from', 'to', 'rate (of the leads ever at “from”, those ever at “to”)'],
    m.funnel.conversions.map((c) => [esc(c.from), esc(c.to), esc(pct(c.rate))]),
    false,
  );
  const moves = table(
    ['stage move', 'times'],
    m.funnel.moves.map((x) => [esc(`${x.from} → ${x.to}`), x.count]),
  );
  const maxWeek = Math.max(0, ...m.mqlsPerWeek.map((w) => w.mqls));
  const weeks = table(
    ['week of', 'MQLs'],
    m.mqlsPerWeek.map((w) => [esc(w.week), bar(w.mqls, maxWeek)]),
    false,
  );
  const dist = (d: Measures['messagesPerLeadPer7Days']) => [d.count, d.min ?? '—', d.median ?? '—', d.p95 ?? '—', d.max ?? '—'];
  const scores = table(
    ['score', 'leads', 'min', 'median', 'p95', 'max'],
    Object.entries(m.newLeadScores).map(([name, d]) => [esc(name), ...dist(d)] as (string | number)[]),
  );
  const ruleRows = (kind: string, xs: RuleCountJson[]) => xs.map((x) => [esc(kind), `${esc(x.rule)} ${loc(x.loc)}`, x.count] as (string | number)[]);
  const pressure = table(['outcome', 'rule', 'messages'], [...ruleRows('delayed', m.delayed), ...ruleRows('skipped', m.skipped), ...ruleRows('suppressed', m.suppressed)], false);
  const maxSend = Math.max(0, ...Object.values(m.sendsPerContent));
  const sends = table(
    ['content', 'sends'],
    Object.entries(m.sendsPerContent).map(([c, n]) => [esc(c), bar(n, maxSend)]),
    false,
  );
  const run = r.run;
  const summary = table(
    ['', ''],
    [
      ['plan', `<code>${esc(r.plan.hash.slice(0, 19))}…</code> (${esc(r.plan.files.join(', '))})`],
      ['events', `${esc(run.events)}: ${run.accepted} accepted, ${run.rejected} rejected, ${run.duplicates} duplicates${run.afterUntil ? `, ${run.afterUntil} after the end` : ''}`],
      ['period', `${esc(run.from ?? '—')} → ${esc(run.until)}`],
      ['leads', esc(m.leads)],
      ['actions', `${run.actions.total}: ${run.actions.send} sends, ${run.actions.handoff} handoffs, ${run.actions.stage} stage changes, ${run.actions.set} attribute changes`],
      ['MQLs', `${m.mqls} (recycled leads ${m.recycled}, re-opened ${m.reopened})`],
      ['messages per lead per 7 days', `median ${esc(m.messagesPerLeadPer7Days.median ?? '—')}, p95 ${esc(m.messagesPerLeadPer7Days.p95 ?? '—')}, max ${esc(m.messagesPerLeadPer7Days.max ?? '—')}`],
      ['held out', esc(m.heldOut)],
      ['cost', `${esc(num(m.cost))} (per MQL: ${esc(num(m.costPerMql))})`],
      ['flagged leads', esc(m.flaggedLeads)],
    ],
    false,
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>nurture simulation report</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; padding: 0 1em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: .5em 0; } th, td { padding: 3px 10px; border-bottom: 1px solid #eee; text-align: left; }
th { background: #f6f6f6; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
.bar { display: inline-block; height: 10px; background: #4a7bd0; vertical-align: middle; }
.none { color: #888; } code { font-size: 12px; color: #555; }
</style>
</head>
<body>
<h1>nurture simulation report</h1>
${summary}
${program}
<h2>Journeys</h2>
<p>Conversion = goal reached; lift = nurtured minus holdout conversion rate, in points, with a 95% confidence interval.</p>
${journeys}
${splits}
<h2>Funnel</h2>
${funnel}
${conversions}
${moves}
<h2>MQLs per week</h2>
${weeks}
<h2>Pressure: delayed, skipped and suppressed messages</h2>
${pressure}
<h2>Sends per content</h2>
${sends}
<h2>Scores of new leads</h2>
${scores}
</body>
</html>
`;
}

/** A split's test in words: the method, p and the winner, or that the difference is not significant. */
export function splitVerdict(x: SplitJson): string {
  if (x.test.p === null) return x.goal === null ? 'no goal to compare' : 'not enough runs to compare';
  const method = x.test.method === 'fisher' ? "Fisher's exact test" : 'two-proportion z test';
  const p = `p = ${x.test.p < 0.001 ? '< 0.001' : x.test.p.toFixed(3)}${x.test.adjusted ? ' (Holm)' : ''}`;
  return x.winner === null ? `${method}, ${p}: no significant difference` : `${method}, ${p}: ${x.winner} converts better`;
}

/** One line per split for a run's text summary: the branches' conversion side by side and the verdict. */
export function splitLines(ix: PlanIndex, m: Measures): string[] {
  return m.splits.map((x) => {
    const l = locToJson(ix, x.loc);
    const where = l === null ? '' : ` (${l.file}:${l.line})`;
    const branches = x.branches.map((b) => `${b.name} ${b.rate === null ? '—' : `${(b.rate * 100).toFixed(1)}%`} (${b.converted}/${b.entered})`).join(', ');
    return `split in ${x.journey}${where}: ${branches}; ${splitVerdict({ ...x, loc: l })}`;
  });
}
