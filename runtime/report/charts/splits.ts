// Experiments: each `split`'s branches side by side, their conversion (the journey's goal) with the
// test of their difference, and the winner when there is one. a report without splits has no such charts.
import { splitVerdict, type Report, type SplitJson } from '../../report.js';
import { COLORS, rowsHeight, WIDTH, type ChartSpec } from './chart.js';
import { pct } from '../format.js';

export type { SplitJson } from '../../report.js';

export const splitsOf = (report: Report): SplitJson[] => report.measures.splits;

/** The test's verdict in a sentence (the same words as simulate's summary). */
export const verdict = (s: SplitJson): string => splitVerdict(s);

/** One chart per split: conversion rate per branch. */
export function splitCharts(report: Report): ChartSpec[] {
  return splitsOf(report).map((s, k) => {
    const where = s.loc === null ? '' : ` (${s.loc.file}:${s.loc.line})`;
    const goal = s.goal === null ? 'the goal' : `goal ${s.goal}`;
    return {
      id: `split-${k}`,
      caption: `${s.journey} · ${s.step}${where}: conversion to ${goal} per branch; ${verdict(s)}.`,
      width: WIDTH,
      height: rowsHeight(s.branches.length, 40),
      option: {
        grid: { left: 16, right: 170, top: 14, bottom: 10 },
        xAxis: { type: 'value', min: 0, axisLabel: { formatter: (v: number) => `${Math.round(v * 1000) / 10}%` }, splitLine: { lineStyle: { color: COLORS.grid } } },
        yAxis: { type: 'category', inverse: true, data: s.branches.map((b) => b.name), axisTick: { show: false } },
        series: [
          {
            name: 'conversion',
            type: 'bar',
            barMaxWidth: 26,
            data: s.branches.map((b) =>
              b.rate === null ? '-' : { value: b.rate, itemStyle: { color: b.name === s.winner ? COLORS.good : s.winner === null ? COLORS.main : COLORS.muted } },
            ),
            label: {
              show: true,
              position: 'right',
              formatter: (p) => {
                const b = s.branches[p.dataIndex]!;
                return `${pct(b.rate)}  (${b.converted} of ${b.entered})`;
              },
            },
          },
        ],
      },
    };
  });
}
