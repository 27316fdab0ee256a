// Scores of new leads (each score right after a lead's first input): the report keeps min, median,
// p95 and max, drawn per score as a range (min to max) with its median and 95th percentile marked.
import type { Report } from '../../report.js';
import { COLORS, rowsHeight, WIDTH, type ChartSpec } from './chart.js';
import { num } from '../format.js';

export function scoresChart(report: Report): ChartSpec | null {
  const all = Object.entries(report.measures.newLeadScores);
  if (all.length === 0) return null;
  const names = all.map(([n]) => n);
  const known = all.flatMap(([, d], i) => (d.min === null || d.max === null || d.median === null || d.p95 === null ? [] : [{ i, ...d, min: d.min, max: d.max, median: d.median, p95: d.p95 }]));
  const point = (name: 'median' | 'p95', symbol: string, color: string) => ({
    name,
    type: 'scatter' as const,
    symbol,
    symbolSize: 12,
    itemStyle: { color },
    data: known.map((d) => [d[name], d.i]),
    label: { show: true, position: name === 'median' ? ('bottom' as const) : ('top' as const), formatter: (p: { value: unknown }) => `${name} ${num((p.value as number[])[0]!)}`, fontSize: 11 },
    z: 3,
  });
  return {
    id: 'scores',
    caption: `Scores of new leads: range (min to max), median and 95th percentile of ${names.join(', ')}.`,
    width: WIDTH,
    height: rowsHeight(all.length, 60),
    option: {
      legend: { top: 0, data: ['median', 'p95'] },
      grid: { left: 16, right: 40, top: 34, bottom: 10 },
      xAxis: { type: 'value', scale: true, splitLine: { lineStyle: { color: COLORS.grid } } },
      yAxis: {
        type: 'category',
        inverse: true,
        data: names,
        axisTick: { show: false },
        axisLabel: { margin: 16, formatter: (name: string) => `{name|${name}}\n{n|${all.find(([n]) => n === name)![1].count} leads}`, rich: { name: { fontSize: 12, lineHeight: 17, align: 'right' }, n: { color: '#777', fontSize: 11, lineHeight: 15, align: 'right' } } },
      },
      series: [
        {
          name: 'range',
          type: 'custom',
          encode: { x: [0, 1], y: 2 },
          data: known.map((d) => [d.min, d.max, d.i]),
          renderItem: (_params, api) => {
            const y = api.value(2) as number;
            const a = api.coord([api.value(0), y]);
            const b = api.coord([api.value(1), y]);
            return {
              type: 'rect',
              shape: { x: a[0]!, y: a[1]! - 5, width: Math.max(2, b[0]! - a[0]!), height: 10, r: 5 },
              style: { fill: COLORS.second },
            };
          },
        },
        point('median', 'circle', COLORS.main),
        point('p95', 'diamond', COLORS.warn),
      ],
    },
  };
}
