// MQLs per week (ISO weeks, keyed by their Monday in the workspace's time zone) over the events'
// period: every week from the first event's to the last event's, empty weeks included, and any later
// week with MQLs (timers run after the last event) — never the year of idle clock the run may add.
import type { Report } from '../../report.js';
import { COLORS, WIDTH, type ChartSpec } from './chart.js';
import { dateDay, dayText, instantDay, mondayOf } from '../format.js';

/** The weeks to show, as Mondays (epoch days), with their MQLs. */
export function weeksOf(report: Report, lastEvent?: string): { monday: number; mqls: number }[] {
  const zone = report.plan.timezone;
  const counts = new Map<number, number>();
  for (const w of report.measures.mqlsPerWeek) {
    const day = dateDay(w.week);
    if (day !== null) counts.set(day, (counts.get(day) ?? 0) + w.mqls);
  }
  const known = [...counts.keys()];
  const first = instantDay(zone, report.run.from);
  const last = instantDay(zone, lastEvent);
  const starts = [...known, ...(first === null ? [] : [mondayOf(first)])];
  const ends = [...known, ...(last === null ? [] : [mondayOf(last)])];
  if (starts.length === 0 || ends.length === 0) return [];
  const from = Math.min(...starts);
  const to = Math.max(...ends, from);
  const weeks: { monday: number; mqls: number }[] = [];
  for (let d = from; d <= to; d += 7) weeks.push({ monday: d, mqls: counts.get(d) ?? 0 });
  return weeks;
}

export function mqlsPerWeekChart(report: Report, lastEvent?: string): ChartSpec | null {
  const weeks = weeksOf(report, lastEvent);
  if (weeks.length === 0) return null;
  const years = new Set(weeks.map((w) => new Date(w.monday * 86_400_000).getUTCFullYear()));
  const total = weeks.reduce((n, w) => n + w.mqls, 0);
  return {
    id: 'mqls-per-week',
    caption: `MQLs per week, ${total} in all, from the week of ${dayText(weeks[0]!.monday)} to the week of ${dayText(weeks.at(-1)!.monday)} (weeks start on Monday, ${report.plan.timezone}).`,
    width: WIDTH,
    height: 300,
    option: {
      grid: { left: 16, right: 20, top: 24, bottom: 10 },
      xAxis: {
        type: 'category',
        data: weeks.map((w) => dayText(w.monday, years.size > 1)),
        axisLabel: { hideOverlap: true },
        axisTick: { alignWithLabel: true },
      },
      yAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: COLORS.grid } } },
      series: [
        {
          name: 'MQLs',
          type: 'bar',
          data: weeks.map((w) => (w.mqls > 0 ? w.mqls : '-')),
          itemStyle: { color: COLORS.main },
          label: { show: weeks.length <= 40, position: 'top' },
          barMaxWidth: 40,
        },
      ],
    },
  };
}
