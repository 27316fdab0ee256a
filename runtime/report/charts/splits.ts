// Experiments: each `split`'s branches side by side, their conversion (the journey's goal) with the
// test of their difference, and the winner when there is one. `measures.splits` is optional: a report
// without it (an older one) has no such charts.
import type { Report } from '../../report.js';
import { COLORS, rowsHeight, WIDTH, type ChartSpec } from './chart.js';
import { pct } from '../format.js';

export interface SplitJson {
  journey: string;
  step: string;
  loc: { file: string; line: number; column: number } | null;
  goal: string | null;
  branches: { name: string; entered: number; converted: number; rate: number | null }[];
  test: { method: 'fisher' | 'two-proportions'; p: number | null; adjusted: boolean };
  winner: string | null;
}

export const splitsOf = (report: Report): SplitJson[] => (report.measures as { splits?: SplitJson[] }).splits ?? [];

const METHOD = { fisher: "Fisher's exact test", 'two-proportions': 'test of two proportions' } as const;

/** The test's verdict in a sentence: the winner, or why there is none. */
export function verdict(s: SplitJson): string {
  const p = s.test.p === null ? 'no p-value (a branch has no leads)' : `p = ${s.test.p < 0.001 ? '< 0.001' : s.test.p.toFixed(3)}`;
  const test = `${METHOD[s.test.method] ?? s.test.method}, ${p}${s.test.adjusted ? ' (Holm-adjusted)' : ''}`;
  return s.winner === null ? `no significant difference (${test})` : `winner: ${s.winner} (${test})`;
}

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
