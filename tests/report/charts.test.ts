// The report's charts, data in and marks out: each chart module builds an ECharts option from a report,
// rendered to SVG as the HTML report does, and the marks drawn are counted per series.
import { describe, expect, it } from 'vitest';
import type { Report } from '../../runtime/report.js';
import { renderChart, textWidth } from '../../runtime/report/charts/chart.js';
import { funnelChart } from '../../runtime/report/charts/funnel.js';
import { liftChart, liftRows } from '../../runtime/report/charts/lift.js';
import { MAX_BARS, mqlBars, mqlsPerWeekChart } from '../../runtime/report/charts/mqls-per-week.js';
import { pressureChart, pressureRows } from '../../runtime/report/charts/pressure.js';
import { scoresChart } from '../../runtime/report/charts/scores.js';
import { MAX_ROWS, sendRows, sendsChart } from '../../runtime/report/charts/sends.js';
import { splitCharts, verdict, type SplitJson } from '../../runtime/report/charts/splits.js';
import { dayText, instantText } from '../../runtime/report/format.js';
import { renderReportHtml } from '../../runtime/report/html.js';
import { marks } from './marks.js';

const dist = (count: number, min: number | null, median: number | null, p95: number | null, max: number | null) => ({ count, min, median, p95, max });
const group = (entered: number, converted: number) => ({ entered, completed: entered, exited: 0, converted, conversionRate: entered ? converted / entered : null });

/** A report as buildReport writes it, with `measures` overridden. */
function report(measures: Partial<Report['measures']> = {}, run: Partial<Report['run']> = {}): Report {
  return {
    format: 'nurture-report',
    version: 1,
    plan: { hash: 'sha256:0123456789abcdef0123', compiler: 'test', files: ['a.nurture'], timezone: 'Europe/Paris' },
    run: {
      events: 'events.jsonl',
      from: '2026-01-04T23:30:00.000Z', // Monday 5 January in Paris, still Sunday in UTC
      until: '2027-02-01T00:00:00.000Z',
      lines: 10,
      accepted: 10,
      rejected: 0,
      duplicates: 0,
      late: 0,
      afterUntil: 0,
      actions: { total: 0, send: 0, handoff: 0, stage: 0, set: 0 },
      ...run,
    },
    measures: {
      leads: 100,
      program: null,
      journeys: {},
      funnel: { stages: [], conversions: [], moves: [] },
      splits: [],
      mqls: 0,
      mqlsPerWeek: [],
      recycled: 0,
      reopened: 0,
      messagesPerLeadPer7Days: dist(0, null, null, null, null),
      delayed: [],
      skipped: [],
      suppressed: [],
      heldOut: 0,
      sends: 0,
      sendsPerContent: {},
      cost: 0,
      costPerMql: null,
      newLeadScores: {},
      flaggedLeads: 0,
      lateEvents: 0,
      duplicateEvents: 0,
      rejectedEvents: 0,
      ...measures,
    },
  };
}

const lift = (points: number, low: number, high: number) => ({ points, low, high, confidence: 0.95 as const });
const loc = (line: number) => ({ file: 'model.nurture', line, column: 3 });

describe('report charts', () => {
  it('funnel: a bar per stage reached and per stage with leads now, none for zero', () => {
    const r = report({
      funnel: {
        stages: [
          { stage: 'lead', leads: 60, reached: 100 },
          { stage: 'mql', leads: 0, reached: 40 },
          { stage: 'customer', leads: 10, reached: 10 },
          { stage: 'churned', leads: 0, reached: 0 },
        ],
        conversions: [
          { from: 'lead', to: 'mql', rate: 0.4 },
          { from: 'mql', to: 'customer', rate: 0.25 },
          { from: 'customer', to: 'churned', rate: 0 },
        ],
        moves: [],
      },
    });
    const svg = renderChart(funnelChart(r)!);
    expect(marks(svg)).toEqual([3, 2]);
    expect(svg).toContain('40  (40.0% of lead)');
    expect(funnelChart(report())).toBeNull();
  });

  it('MQLs per week: every week from the first event to the last, in the workspace zone, gaps and later MQLs included', () => {
    const r = report({
      mqls: 6,
      mqlsPerWeek: [
        { week: '2026-01-12', mqls: 2 },
        { week: '2026-02-02', mqls: 3 },
        { week: '2026-02-16', mqls: 1 }, // a timer's MQL after the last event
      ],
    });
    const { weeks: per, bars: weeks } = mqlBars(r, '2026-02-03T10:00:00.000Z');
    expect(per).toBe(1);
    expect(weeks.map((w) => dayText(w.monday))).toEqual(['5 Jan 2026', '12 Jan 2026', '19 Jan 2026', '26 Jan 2026', '2 Feb 2026', '9 Feb 2026', '16 Feb 2026']);
    expect(weeks.map((w) => w.mqls)).toEqual([0, 2, 0, 0, 3, 0, 1]);
    // the run's clock went on a year: the chart does not
    const spec = mqlsPerWeekChart(r, '2026-02-03T10:00:00.000Z')!;
    expect((spec.option.xAxis as { data: string[] }).data).toHaveLength(7);
    expect(marks(renderChart(spec))).toEqual([3]);
    expect(spec.caption).toContain('6 in all, from the week of 5 Jan 2026 to the week of 16 Feb 2026');
    // without the last event: to the last week with MQLs; without events nor MQLs: no chart
    expect(mqlBars(r).bars.at(-1)!.monday).toBe(weeks.at(-1)!.monday);
    expect(mqlsPerWeekChart(report({}, { from: null }))).toBeNull();
  });

  it('MQLs per week: events a century apart get one bar per few weeks, never more than three years of bars', () => {
    const r = report({ mqls: 9, mqlsPerWeek: [{ week: '2000-01-03', mqls: 4 }, { week: '2050-06-06', mqls: 2 }, { week: '2099-12-28', mqls: 3 }] }, { from: '2000-01-03T10:00:00Z' });
    const { weeks, bars } = mqlBars(r, '2100-01-01T10:00:00Z');
    expect(bars.length).toBeLessThanOrEqual(MAX_BARS);
    expect(weeks).toBe(Math.ceil(5218 / MAX_BARS));
    expect(bars.reduce((n, b) => n + b.mqls, 0)).toBe(9);
    expect([bars[0]!.mqls, bars.at(-1)!.mqls]).toEqual([4, 3]);
    const spec = mqlsPerWeekChart(r, '2100-01-01T10:00:00Z')!;
    expect(spec.caption).toMatch(/^MQLs per 34 weeks, 9 in all, from the week of 3 Jan 2000 to the week of /);
    expect(marks(renderChart(spec))).toEqual([3]);
  });

  it('lift: the program first, an interval and a point per measured lift, "too few to tell" drawn as words', () => {
    const r = report({
      program: { nurtured: { leads: 900, mqls: 90, conversionRate: 0.1 }, control: { leads: 100, mqls: 5, conversionRate: 0.05 }, lift: lift(5, 0.1, 9.2), withheld: 12 },
      journeys: {
        welcome: { nurtured: group(300, 60), holdout: group(40, 4), lift: lift(10, -1.5, 19.9) },
        churn: { nurtured: group(15, 6), holdout: group(2, 0), lift: { tooFew: true, minimum: 30 } },
        recycling: { nurtured: group(12, 11), holdout: group(0, 0), lift: null },
      },
    });
    expect(liftRows(r).map((x) => x.name)).toEqual(['program vs control group', 'welcome', 'churn', 'recycling']);
    const spec = liftChart(r)!;
    const svg = renderChart(spec);
    expect(marks(svg).slice(0, 2)).toEqual([2, 2]); // intervals, points: program and welcome only
    expect(svg).toContain('+5.0 points (95% CI +0.1 to +9.2)');
    expect(svg).toContain('+10.0 points (95% CI −1.5 to +19.9)');
    expect(svg).toContain('too few leads to tell (under 30 in a group)');
    expect(svg).toContain('no lift: one of the two groups has no leads');
    expect(svg).not.toMatch(/points \(95% CI[^<]*\)[^<]*churn/);
    expect(liftChart(report())).toBeNull();
  });

  it('splits: a chart per split with a bar per branch that has leads; the winner named only when there is one', () => {
    const split = (winner: string | null, p: number | null): SplitJson => ({
      journey: 'invitation',
      step: 'subject',
      loc: loc(12),
      goal: 'registered',
      branches: [
        { name: 'a', entered: 120, converted: 30, rate: 0.25 },
        { name: 'b', entered: 118, converted: 12, rate: 12 / 118 },
        { name: 'c', entered: 0, converted: 0, rate: null },
      ],
      test: { method: 'fisher', p, adjusted: true },
      winner,
    });
    expect(splitCharts(report())).toEqual([]); // a report without `splits`
    const charts = splitCharts(report({ splits: [split('a', 0.0123), split(null, 0.4)] } as Partial<Report['measures']>));
    expect(charts.map((c) => c.id)).toEqual(['split-0', 'split-1']);
    const svg = renderChart(charts[0]!);
    expect(marks(svg)).toEqual([2]);
    expect(svg).toContain('25.0%  (30 of 120)');
    expect(charts[0]!.caption).toBe("invitation · subject (model.nurture:12): conversion to goal registered per branch; Fisher's exact test, p = 0.012 (Holm): a converts better.");
    expect(verdict(split(null, 0.4))).toBe("Fisher's exact test, p = 0.400 (Holm): no significant difference");
    expect(verdict(split(null, null))).toBe('not enough runs to compare');
    // in the page: a section of their own, after the journeys; none without splits
    const page = renderReportHtml(report({ splits: [split('a', 0.0123)] } as Partial<Report['measures']>));
    expect(page.indexOf('<h2>Experiments</h2>')).toBeGreaterThan(page.indexOf('<h2>Journeys</h2>'));
    expect(page).toContain('<figure data-chart="split-0">');
    expect(renderReportHtml(report())).not.toContain('Experiments');
  });

  it('pressure: one row per rule and place, a stacked bar per outcome it had', () => {
    const r = report({
      delayed: [{ rule: 'quiet hours 20:00 to 08:00', loc: loc(80), count: 351 }],
      skipped: [
        { rule: 'at most 2 per 7 days', loc: loc(81), count: 20 },
        { rule: 'quiet hours 20:00 to 08:00', loc: loc(80), count: 4 },
      ],
      suppressed: [{ rule: 'consent {email}', loc: null, count: 413 }],
    });
    expect(pressureRows(r).map((x) => [x.rule, x.counts.delayed, x.counts.skipped, x.counts.suppressed])).toEqual([
      ['consent {email}', 0, 0, 413],
      ['quiet hours 20:00 to 08:00', 351, 4, 0],
      ['at most 2 per 7 days', 0, 20, 0],
    ]);
    const svg = renderChart(pressureChart(r)!);
    expect(marks(svg)).toEqual([1, 2, 1]);
    expect(svg).toContain('consent (email)'); // braces are rich-text markup in ECharts labels
    const hostile = renderReportHtml(report({ skipped: [{ rule: 'x </text><script>alert(1)</script> & "y"', loc: null, count: 2 }] }));
    expect(hostile).not.toContain('<script');
    expect(hostile).toContain('x &lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;y&quot;');
    expect(pressureChart(report())).toBeNull();
  });

  it('sends per content: a bar per content sent, most sent first', () => {
    const spec = sendsChart(report({ sends: 16, sendsPerContent: { b: 5, a: 10, c: 1 } }))!;
    expect((spec.option.yAxis as { data: string[] }).data).toEqual(['a', 'b', 'c']);
    expect(marks(renderChart(spec))).toEqual([3]);
  });

  it('sends per content: past the rows a chart holds, the least sent contents share the last bar', () => {
    const many = Object.fromEntries(Array.from({ length: MAX_ROWS + 10 }, (_, i) => [`c${String(i).padStart(2, '0')}`, 100 - i]));
    const rows = sendRows(report({ sendsPerContent: many }));
    expect(rows).toHaveLength(MAX_ROWS);
    expect(rows.at(-1)).toEqual(['11 other contents', Array.from({ length: 11 }, (_, i) => 100 - (MAX_ROWS - 1 + i)).reduce((a, b) => a + b)]);
  });

  it('scores: a range, a median and a p95 per score with new leads', () => {
    const r = report({ newLeadScores: { fit: dist(400, 0, 23, 51, 74), engagement: dist(0, null, null, null, null), total: dist(400, -5, 20, 60, 90) } });
    const svg = renderChart(scoresChart(r)!);
    expect(marks(svg)).toEqual([2, 2, 2]);
    expect(svg).toContain('median 23');
    expect(svg).toContain('p95 60');
  });

  it('renders the same bytes for the same report, with class names of its own', () => {
    const r = report({ sends: 3, sendsPerContent: { a: 3 } });
    const a = renderChart(sendsChart(r)!);
    expect(renderChart(sendsChart(r)!)).toBe(a);
    expect(a).not.toMatch(/zr\d+-cls/);
    expect(a).toMatch(/class="c-sends-0"/);
  });

  it('measures text no narrower than a wide sans-serif draws it', () => {
    expect(textWidth('welcome_1')).toBeGreaterThan(9 * 12 * 0.55);
    expect(textWidth('W', 'bold 20px sans-serif')).toBeGreaterThan(textWidth('W', '20px sans-serif'));
  });
});

describe('report dates', () => {
  it('are days and minutes in the workspace time zone, without seconds or milliseconds', () => {
    expect(instantText('Europe/Paris', '2026-03-12T08:10:00.123Z')).toBe('12 Mar 2026, 09:10');
    expect(instantText('America/New_York', '2026-01-01T03:00:00.000Z')).toBe('31 Dec 2025, 22:00');
    expect(instantText('UTC', null)).toBe('—');
    const html = renderReportHtml(report({}, { from: '2026-01-04T23:30:00.000Z', until: '2026-06-29T22:00:00.000Z' }), { lastEvent: '2026-04-05T22:43:00.000Z' });
    expect(html).toContain('5 Jan 2026, 00:30 (first event) to 6 Apr 2026, 00:43 (last event); clock run to 30 Jun 2026, 00:00');
    expect(html).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
  });
});
