// MQLs per week (ISO weeks, keyed by their Monday in the workspace's time zone) over the events'
// period: every week from the first event's to the last event's, empty weeks included, and any later
// week with MQLs (timers run after the last event) — never the year of idle clock the run may add.
// A period too long for one bar a week (events years apart) gets one bar per 2, 3… weeks.
import type { Report } from '../../report.js';
import { COLORS, WIDTH, type ChartSpec } from './chart.js';
import { dateDay, dayText, instantDay, mondayOf } from '../format.js';

/** Bars at most: three years of weeks. */
export const MAX_BARS = 156;

/** The bars to show: each its first Monday (epoch day) and its MQLs, every one `weeks` weeks long. */
export function mqlBars(report: Report, lastEvent?: string): { weeks: number; bars: { monday: number; mqls: number }[] } {
  const zone = report.plan.timezone;
  const counts = new Map<number, number>();
  for (const w of report.measures.mqlsPerWeek) {
    const day = dateDay(w.week);
    if (day !== null) counts.set(mondayOf(day), (counts.get(mondayOf(day)) ?? 0) + w.mqls);
  }
  const first = instantDay(zone, report.run.from);
  const last = instantDay(zone, lastEvent);
  const mondays = [...counts.keys()];
  const from = Math.min(...mondays, ...(first === null ? [] : [mondayOf(first)]));
  const to = Math.max(...mondays, ...(last === null ? [] : [mondayOf(last)]), from);
  if (!Number.isFinite(from)) return { weeks: 1, bars: [] };
  const span = (to - from) / 7 + 1;
  const weeks = Math.ceil(span / MAX_BARS);
  const bars = Array.from({ length: Math.ceil(span / weeks) }, (_, i) => ({ monday: from + i * 7 * weeks, mqls: 0 }));
  for (const [monday, n] of counts) bars[Math.floor((monday - from) / 7 / weeks)]!.mqls += n;
  return { weeks, bars };
}

export function mqlsPerWeekChart(report: Report, lastEvent?: string): ChartSpec | null {
  const { weeks, bars } = mqlBars(report, lastEvent);
  if (bars.length === 0) return null;
  const years = new Set(bars.map((w) => new Date(w.monday * 86_400_000).getUTCFullYear()));
  const total = bars.reduce((n, w) => n + w.mqls, 0);
  const per = weeks === 1 ? 'per week' : `per ${weeks} weeks`;
  return {
    id: 'mqls-per-week',
    caption: `MQLs ${per}, ${total} in all, from the week of ${dayText(bars[0]!.monday)} to the week of ${dayText(bars.at(-1)!.monday + 7 * (weeks - 1))} (weeks start on Monday, ${report.plan.timezone}).`,
    width: WIDTH,
    height: 300,
    option: {
      grid: { left: 16, right: 20, top: 24, bottom: 10 },
      xAxis: {
        type: 'category',
        data: bars.map((w) => dayText(w.monday, years.size > 1)),
        axisLabel: { hideOverlap: true },
        axisTick: { alignWithLabel: true },
      },
      yAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: COLORS.grid } } },
      series: [
        {
          name: 'MQLs',
          type: 'bar',
          data: bars.map((w) => (w.mqls > 0 ? w.mqls : '-')),
          itemStyle: { color: COLORS.main },
          label: { show: bars.length <= 40, position: 'top' },
          barMaxWidth: 40,
        },
      ],
    },
  };
}
