// The funnel: how many leads reached each stage (in the plan's stage order), and how many are there now.
import type { Report } from '../../report.js';
import { COLORS, rowsHeight, WIDTH, type ChartSpec } from './chart.js';
import { pct } from '../format.js';

export function funnelChart(report: Report): ChartSpec | null {
  const { stages, conversions } = report.measures.funnel;
  if (stages.length === 0) return null;
  const names = stages.map((s) => s.stage);
  // the conversion into a stage from the one before it, shown beside the stage's bar
  const into = new Map(conversions.map((c) => [c.to, c.rate]));
  const label = (i: number): string => {
    const rate = i === 0 ? null : (into.get(names[i]!) ?? null);
    return rate === null ? String(stages[i]!.reached) : `${stages[i]!.reached}  (${pct(rate)} of ${names[i - 1]})`;
  };
  const bar = (v: number) => (v > 0 ? v : '-'); // no mark for nothing
  return {
    id: 'funnel',
    caption: `Leads that reached each stage, and the leads in each stage at the end of the run (${stages.length} stages).`,
    width: WIDTH,
    height: rowsHeight(stages.length, 44),
    option: {
      legend: { top: 0, data: ['reached', 'there now'] },
      grid: { left: 16, right: 230, top: 34, bottom: 10 },
      xAxis: { type: 'value', splitLine: { lineStyle: { color: COLORS.grid } } },
      yAxis: { type: 'category', data: names, inverse: true, axisTick: { show: false } },
      series: [
        {
          name: 'reached',
          type: 'bar',
          data: stages.map((s) => bar(s.reached)),
          itemStyle: { color: COLORS.main },
          label: { show: true, position: 'right', formatter: (p) => label(p.dataIndex) },
          barGap: '10%',
        },
        { name: 'there now', type: 'bar', data: stages.map((s) => bar(s.leads)), itemStyle: { color: COLORS.second }, label: { show: true, position: 'right' } },
      ],
    },
  };
}
