// Sends per content, most sent first.
import type { Report } from '../../report.js';
import { COLORS, rowsHeight, WIDTH, type ChartSpec } from './chart.js';

export function sendsChart(report: Report): ChartSpec | null {
  const rows = Object.entries(report.measures.sendsPerContent)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (rows.length === 0) return null;
  return {
    id: 'sends',
    caption: `Sends per content: ${report.measures.sends} sends of ${rows.length} content${rows.length === 1 ? '' : 's'}.`,
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
