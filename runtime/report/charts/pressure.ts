// Pressure outcomes by rule: how many messages each rule delayed, skipped or suppressed.
import type { Report } from '../../report.js';
import { clip, plain, COLORS, rowsHeight, WIDTH, type ChartSpec } from './chart.js';

const OUTCOMES = [
  ['delayed', COLORS.warn],
  ['skipped', COLORS.bad],
  ['suppressed', COLORS.muted],
] as const;

export type Outcome = (typeof OUTCOMES)[number][0];

/** One row per rule (its text and where it is), with its count per outcome. */
export function pressureRows(report: Report): { rule: string; where: string; counts: Record<Outcome, number> }[] {
  const rows = new Map<string, { rule: string; where: string; counts: Record<Outcome, number> }>();
  for (const [outcome] of OUTCOMES) {
    for (const r of report.measures[outcome]) {
      const where = r.loc === null ? '' : `${r.loc.file}:${r.loc.line}`;
      const key = `${r.rule}\u0000${where}`;
      let row = rows.get(key);
      if (row === undefined) rows.set(key, (row = { rule: r.rule, where, counts: { delayed: 0, skipped: 0, suppressed: 0 } }));
      row.counts[outcome] += r.count;
    }
  }
  const total = (r: { counts: Record<Outcome, number> }) => r.counts.delayed + r.counts.skipped + r.counts.suppressed;
  return [...rows.values()].sort((a, b) => total(b) - total(a));
}

export function pressureChart(report: Report): ChartSpec | null {
  const rows = pressureRows(report);
  if (rows.length === 0) return null;
  const labels = rows.map((r) => `{rule|${plain(clip(r.rule || '(no rule)'))}}${r.where ? `\n{where|${r.where}}` : ''}`);
  return {
    id: 'pressure',
    caption: `Messages delayed, skipped or suppressed, per rule (${rows.length} rule${rows.length === 1 ? '' : 's'}).`,
    width: WIDTH,
    height: rowsHeight(rows.length, 44),
    option: {
      legend: { top: 0 },
      grid: { left: 16, right: 60, top: 34, bottom: 10 },
      xAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: COLORS.grid } } },
      yAxis: { type: 'category', inverse: true, data: labels, axisTick: { show: false }, axisLabel: { rich: { rule: { fontSize: 12, lineHeight: 17, align: 'right' }, where: { color: '#777', fontSize: 11, lineHeight: 15, align: 'right' } } } },
      series: OUTCOMES.map(([outcome, color]) => ({
        name: outcome,
        type: 'bar' as const,
        stack: 'outcomes',
        barMaxWidth: 22,
        itemStyle: { color },
        data: rows.map((r) => (r.counts[outcome] > 0 ? r.counts[outcome] : '-')),
        label: { show: true, position: 'inside' as const, color: '#fff', fontSize: 11 },
      })),
    },
  };
}
