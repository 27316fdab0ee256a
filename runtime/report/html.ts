// The report as one self-contained HTML page: every measure of LANGUAGE.md section 9, with charts drawn
// to inline SVG when the page is written (charts/*.ts, one per module) and the exact numbers in tables.
// No script, no external resource: it works offline and from an e-mail attachment.
import type { Report, RuleCountJson } from '../report.js';
import { renderChart, type ChartSpec } from './charts/chart.js';
import { funnelChart } from './charts/funnel.js';
import { liftChart, noLiftReason } from './charts/lift.js';
import { mqlsPerWeekChart } from './charts/mqls-per-week.js';
import { pressureChart } from './charts/pressure.js';
import { scoresChart } from './charts/scores.js';
import { sendsChart } from './charts/sends.js';
import { splitCharts, splitsOf, verdict } from './charts/splits.js';
import { esc, instantText, num, pct, pts } from './format.js';

export interface HtmlOptions {
  /** The last event's instant (ISO): MQLs per week run to its week, not to the end of the run's clock. */
  lastEvent?: string;
}

type LiftJson = Report['measures']['journeys'][string]['lift'];
type Loc = RuleCountJson['loc'];

/** A lift in a table: points with the interval, or why there is none. */
const liftCell = (l: LiftJson): string => esc(noLiftReason(l) ?? (l !== null && !('tooFew' in l) ? `${pts(l.points)} [${pts(l.low)}, ${pts(l.high)}]` : ''));

function table(head: string[], rows: (string | number)[][], numeric = true): string {
  if (rows.length === 0) return '<p class="none">none</p>';
  const th = head.map((h) => `<th>${esc(h)}</th>`).join('');
  const tr = rows
    .map((r) => `<tr>${r.map((c, i) => `<td${numeric && i > 0 ? ' class="n"' : ''}>${typeof c === 'number' ? esc(num(c)) : c}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${tr}\n</tbody></table>`;
}

/** Exact numbers under a chart, folded away (no script: a `<details>`). */
const numbers = (html: string): string => `<details><summary>numbers</summary>\n${html}\n</details>`;

const figure = (spec: ChartSpec | null): string =>
  spec === null ? '<p class="none">nothing to draw</p>' : `<figure data-chart="${esc(spec.id)}">\n${renderChart(spec)}\n<figcaption>${esc(spec.caption)}</figcaption>\n</figure>`;

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2em auto; max-width: 1040px; color: #222; padding: 0 1em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: .5em 0; } th, td { padding: 3px 10px; border-bottom: 1px solid #eee; text-align: left; }
th { background: #f6f6f6; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: .5em 0 1em; } figure svg { width: 100%; height: auto; display: block; }
figcaption { color: #555; font-size: 13px; } details summary { cursor: pointer; color: #555; }
.none { color: #888; } code { font-size: 12px; color: #555; }
`;

export function renderReportHtml(r: Report, options: HtmlOptions = {}): string {
  const m = r.measures;
  const zone = r.plan.timezone;
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
  const program =
    p === null
      ? ''
      : `<h2>Program: nurtured vs control group</h2>
<p>Conversion = became an MQL; lift = nurtured minus control group conversion rate, in points, with a 95% confidence interval; ${esc(p.withheld)} messages withheld from the control group.</p>
${table(
  ['group', 'leads', 'MQLs', 'rate', 'lift (points, 95% CI)'],
  [
    ['nurtured', p.nurtured.leads, p.nurtured.mqls, esc(pct(p.nurtured.conversionRate)), liftCell(p.lift)],
    ['control group', p.control.leads, p.control.mqls, esc(pct(p.control.conversionRate)), ''],
  ],
)}`;
  const splits = splitsOf(r);
  const experiments =
    splits.length === 0
      ? ''
      : `<h2>Experiments</h2>
<p>Conversion per branch of each <code>split</code> (the journey's goal), with the test of their difference; a winner is named only when it is significant.</p>
${splitCharts(r).map(figure).join('\n')}
${numbers(
  table(
    ['split', 'branch', 'entered', 'converted', 'rate', 'verdict'],
    splits.flatMap((s) =>
      s.branches.map((b, i) => [i === 0 ? `<b>${esc(s.journey)}</b> · ${esc(s.step)} ${loc(s.loc)}` : '', esc(b.name), b.entered, b.converted, esc(pct(b.rate)), i === 0 ? esc(verdict(s)) : '']),
    ),
  ),
)}`;
  const funnel = numbers(
    table(
      ['stage', 'reached', 'there now', 'from the stage before'],
      m.funnel.stages.map((s, i) => [esc(s.stage), s.reached, s.leads, i === 0 ? '' : esc(pct(m.funnel.conversions.find((c) => c.to === s.stage)?.rate ?? null))]),
    ) +
      // the moves that happened: a lead may skip a stage (trialist → customer), the funnel counts only where it went
      table(['move', 'leads'], m.funnel.moves.map((x) => [esc(`${x.from} → ${x.to}`), x.count])),
  );
  const dist = (d: Report['measures']['messagesPerLeadPer7Days']) => [d.count, d.min ?? '—', d.median ?? '—', d.p95 ?? '—', d.max ?? '—'];
  const scores = numbers(
    table(
      ['score', 'leads', 'min', 'median', 'p95', 'max'],
      Object.entries(m.newLeadScores).map(([name, d]) => [esc(name), ...dist(d)] as (string | number)[]),
    ),
  );
  const ruleRows = (kind: string, xs: RuleCountJson[]) => xs.map((x) => [esc(kind), `${esc(x.rule)} ${loc(x.loc)}`, x.count] as (string | number)[]);
  const pressure = numbers(table(['outcome', 'rule', 'messages'], [...ruleRows('delayed', m.delayed), ...ruleRows('skipped', m.skipped), ...ruleRows('suppressed', m.suppressed)], false));
  const run = r.run;
  const summary = table(
    ['', ''],
    [
      ['plan', `<code>${esc(r.plan.hash.slice(0, 19))}…</code> (${esc(r.plan.files.join(', '))})`],
      ['events', `${esc(run.events)}: ${run.accepted} accepted, ${run.rejected} rejected, ${run.duplicates} duplicates${run.afterUntil ? `, ${run.afterUntil} after the end` : ''}`],
      [
        'period',
        `${esc(instantText(zone, run.from))}${options.lastEvent ? ` (first event) to ${esc(instantText(zone, options.lastEvent))} (last event); clock run to ` : ' → '}${esc(instantText(zone, run.until))} <span class="none">(${esc(zone)})</span>`,
      ],
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
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>nurture simulation report</title>
<style>${STYLE}</style>
</head>
<body>
<h1>nurture simulation report</h1>
${summary}
<h2>Lift: do the nurtured convert more?</h2>
<p>Nurtured minus held-out conversion rate, in points, with its 95% interval${p === null ? '' : '; the whole program against its control group first'}. An interval that crosses 0 does not show a difference.</p>
${figure(liftChart(r))}
${program}
<h2>Journeys</h2>
<p>Conversion = goal reached; lift = nurtured minus holdout conversion rate, in points, with a 95% confidence interval.</p>
${journeys}
${experiments}
<h2>Funnel</h2>
${figure(funnelChart(r))}
${funnel}
<h2>MQLs per week</h2>
${figure(mqlsPerWeekChart(r, options.lastEvent))}
<h2>Pressure: delayed, skipped and suppressed messages</h2>
${figure(pressureChart(r))}
${pressure}
<h2>Sends per content</h2>
${figure(sendsChart(r))}
<h2>Scores of new leads</h2>
${figure(scoresChart(r))}
${scores}
</body>
</html>
`;
}
