// Lift with its 95% interval: the program against its control group first (LANGUAGE.md 9), then each
// journey against its holdout. A row with too few leads in a group says so and draws no lift.
import type { Report } from '../../report.js';
import { COLORS, rowsHeight, WIDTH, type ChartSpec } from './chart.js';
import { pts } from '../format.js';

type LiftJson = Report['measures']['journeys'][string]['lift'];

export interface LiftRow {
  name: string;
  /** The two groups' sizes, as the axis shows them under the name. */
  groups: string;
  lift: LiftJson;
}

/** The program's row (when it has a control group), then the journeys'. */
export function liftRows(report: Report): LiftRow[] {
  const m = report.measures;
  const rows: LiftRow[] = [];
  if (m.program !== null) {
    rows.push({ name: 'program vs control group', groups: `${m.program.nurtured.leads} nurtured vs ${m.program.control.leads} in control`, lift: m.program.lift });
  }
  for (const [name, j] of Object.entries(m.journeys)) rows.push({ name, groups: `${j.nurtured.entered} nurtured vs ${j.holdout.entered} held out`, lift: j.lift });
  return rows;
}

/** Why a row has no lift, or null when it has one. */
export function noLiftReason(lift: LiftJson): string | null {
  if (lift === null) return 'no lift: one of the two groups has no leads';
  if ('tooFew' in lift) return `too few leads to tell (under ${lift.minimum} in a group)`;
  return null;
}

export function liftChart(report: Report): ChartSpec | null {
  const rows = liftRows(report);
  if (rows.length === 0) return null;
  const measured = rows.flatMap((r, i) => (r.lift !== null && !('tooFew' in r.lift) ? [{ i, ...r.lift }] : []));
  const notes = rows.flatMap((r, i) => {
    const why = noLiftReason(r.lift);
    return why === null ? [] : [{ i, why }];
  });
  const extent = Math.max(5, ...measured.flatMap((l) => [Math.abs(l.low), Math.abs(l.high)]));
  const step = extent > 20 ? 10 : 5; // a bound on a tick: no crowded last label
  const bound = Math.ceil((extent * 1.1) / step) * step;
  const color = (l: { low: number; high: number }) => (l.low > 0 ? COLORS.good : l.high < 0 ? COLORS.bad : COLORS.main);
  return {
    id: 'lift',
    caption: `Lift in conversion, in points, with its 95% interval: ${rows.map((r) => r.name).join(', ')}.`,
    width: WIDTH,
    height: rowsHeight(rows.length, 56),
    option: {
      grid: { left: 16, right: 30, top: 20, bottom: 30 },
      xAxis: {
        type: 'value',
        min: -bound,
        max: bound,
        interval: step,
        name: 'points of conversion',
        nameLocation: 'middle',
        nameGap: 24,
        axisLabel: { formatter: (v: number) => (v > 0 ? `+${v}` : v < 0 ? `−${-v}` : '0') },
        splitLine: { lineStyle: { color: COLORS.grid } },
      },
      yAxis: {
        type: 'category',
        inverse: true,
        data: rows.map((r) => r.name),
        axisTick: { show: false },
        axisLabel: {
          formatter: (name: string) => `{name|${name}}\n{groups|${rows.find((r) => r.name === name)?.groups ?? ''}}`,
          rich: { name: { fontWeight: 'bold', align: 'right', lineHeight: 18 }, groups: { color: '#777', fontSize: 11, align: 'right', lineHeight: 15 } },
        },
      },
      series: [
        {
          name: 'interval',
          type: 'custom',
          encode: { x: [0, 1], y: 2 },
          data: measured.map((l) => ({ value: [l.low, l.high, l.i], itemStyle: { color: color(l) } })),
          renderItem: (_params, api) => {
            const y = api.value(2) as number;
            const a = api.coord([api.value(0), y]);
            const b = api.coord([api.value(1), y]);
            const style = { stroke: api.visual('color') as string, lineWidth: 2 };
            const cap = (x: number) => ({ type: 'line' as const, shape: { x1: x, y1: a[1]! - 7, x2: x, y2: a[1]! + 7 }, style });
            return {
              type: 'group',
              children: [{ type: 'line', shape: { x1: a[0]!, y1: a[1]!, x2: b[0]!, y2: b[1]! }, style }, cap(a[0]!), cap(b[0]!)],
            };
          },
          z: 2,
        },
        {
          name: 'lift',
          type: 'scatter',
          symbolSize: 11,
          data: measured.map((l) => ({ value: [l.points, l.i], itemStyle: { color: color(l) }, interval: [l.low, l.high] })),
          label: {
            show: true,
            position: 'top',
            formatter: (p) => {
              const l = measured[p.dataIndex]!;
              return `${pts(l.points)} points (95% CI ${pts(l.low)} to ${pts(l.high)})`;
            },
          },
          z: 3,
        },
        {
          name: 'no lift',
          type: 'custom',
          data: notes.map((n) => [0, n.i]),
          encode: { x: 0, y: 1 },
          renderItem: (params, api) => {
            const [, y] = api.coord([0, api.value(1)]);
            const x = (params.coordSys as unknown as { x: number }).x + 12;
            return { type: 'text', x, y: y!, style: { text: notes[params.dataIndex]!.why, fill: '#777', fontStyle: 'italic', verticalAlign: 'middle' } };
          },
        },
        // the zero line, on a series of its own: the marks of the others are the lifts alone
        { name: 'zero', type: 'scatter', data: [], markLine: { silent: true, symbol: 'none', label: { show: false }, lineStyle: { color: '#888', type: 'solid' }, data: [{ xAxis: 0 }] } },
      ],
    },
  };
}
