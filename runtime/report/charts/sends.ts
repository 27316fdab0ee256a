// Sends per content, most sent first; past MAX_ROWS contents, the least sent share one last bar.
import type { Report } from '../../report.js';
import { COLORS, rowsHeight, WIDTH, type ChartSpec } from './chart.js';

export const MAX_ROWS = 40;

/** [content, sends] rows, most sent first, at most MAX_ROWS (the last one then sums the rest). */
export function sendRows(report: Report): [string, number][] {
  const rows = Object.entries(report.measures.sendsPerContent)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (rows.length <= MAX_ROWS) return rows;
  const rest = rows.slice(MAX_ROWS - 1);
  return [...rows.slice(0, MAX_ROWS - 1), [`${rest.length} other contents`, rest.reduce((n, [, k]) => n + k, 0)]];
}

export function sendsChart(report: Report): ChartSpec | null {
  const rows = sendRows(report);
  if (rows.length === 0) return null;
  const contents = Object.values(report.measures.sendsPerContent).filter((n) => n > 0).length;
  return {
    id: 'sends',
    caption: `Sends per content: ${report.measures.sends} sends of ${contents} content${contents === 1 ? '' : 's'}.`,
    width: WIDTH,
    height: rowsHeight(rows.length, 26),
    option: {
      grid: { left: 16, right: 60, top: 10, bottom: 10 },
      xAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: COLORS.grid } } },
      yAxis: { type: 'category', inverse: true, data: rows.map(([c]) => c), axisTick: { show: false } },
      series: [{ name: 'sends', type: 'bar', barMaxWidth: 18, itemStyle: { color: COLORS.main }, data: rows.map(([, n]) => n), label: { show: true, position: 'right' } }],
    },
  };
}
