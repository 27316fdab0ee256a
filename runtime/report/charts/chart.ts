// One chart of the report: an Apache ECharts option drawn to static SVG by ECharts' server-side SVG
// renderer when the report is written (no script in the page). Only the chart types and components the
// report uses are loaded (about half the start-up of the whole library); this module is imported only
// when an HTML report is written, so no other command pays for it.
import * as echarts from 'echarts/core';
import 'echarts/lib/chart/bar.js';
import 'echarts/lib/chart/scatter.js';
import 'echarts/lib/chart/custom.js';
import 'echarts/lib/component/grid.js';
import 'echarts/lib/component/legend.js';
import 'echarts/lib/component/markLine.js';
import { SVGRenderer } from 'echarts/renderers';
import type { EChartsOption } from 'echarts';

export type { EChartsOption };

echarts.use([SVGRenderer]);
// Without a canvas, ECharts sizes text with Arial-like widths; a reader's browser may draw it wider
// (DejaVu Sans on Linux is about 12% wider), and labels sized too small are cut at the chart's edge.
echarts.setPlatformAPI({ measureText: (text: string, font?: string) => ({ width: textWidth(text, font) }) });

/** Width in px of `text` in a font as ECharts writes it (`bold 12px sans-serif`): DejaVu Sans' advances, the widest common sans. */
export function textWidth(text: string, font = '12px sans-serif'): number {
  const size = Number(/(\d+(?:\.\d+)?)px/.exec(font)?.[1] ?? 12);
  let em = 0;
  for (const c of text) em += WIDTHS.get(c) ?? (/[A-Z]/.test(c) ? 0.72 : /[a-z]/.test(c) ? 0.6 : /[0-9]/.test(c) ? 0.64 : 0.75);
  return em * size * (/bold|[6-9]00/.test(font) ? 1.1 : 1);
}
const WIDTHS = new Map<string, number>([
  ...[...' il|.,:;\'!'].map((c) => [c, 0.3] as const),
  ...[...'fjrt()[]-'].map((c) => [c, 0.4] as const),
  ...[...'mwMW…%'].map((c) => [c, 0.98] as const),
]);

/** What a chart module builds from the report: pure data, rendered by `renderChart`. */
export interface ChartSpec {
  /** Stable name, also the `data-chart` attribute of its figure (the tests find charts by it). */
  id: string;
  /** What the chart shows, in a sentence: the figure's caption. */
  caption: string;
  width: number;
  height: number;
  option: EChartsOption;
}

export const WIDTH = 1000;
export const COLORS = { main: '#4a7bd0', second: '#9bb4e0', muted: '#b9bec7', good: '#2e9d6b', warn: '#d9822b', bad: '#c8453c', text: '#333', grid: '#e6e8ec' };
// no quotes: ECharts writes it into a double-quoted style attribute
const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif';

/** Rows of a horizontal chart: its height for `rows` categories. */
export const rowsHeight = (rows: number, row = 28, chrome = 70): number => Math.max(120, chrome + rows * row);

/** A label that fits an axis: long rule texts are cut with an ellipsis. */
export const clip = (s: string, max = 48): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** Text shown in a rich label, where `{name|…}` is markup: braces become parentheses. */
export const plain = (s: string): string => s.replace(/\{/g, '(').replace(/\}/g, ')');

/** The chart as an `<svg>` element, with deterministic class names (`c<id>-<n>`, not ECharts' global counters). */
export function renderChart(spec: ChartSpec): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: spec.width, height: spec.height });
  try {
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: FONT, color: COLORS.text },
      ...spec.option,
    });
    return tidy(chart.renderToSVGString(), spec.id);
  } finally {
    chart.dispose();
  }
}

/** ECharts names hover classes from process-wide counters (`zr3-cls-17`): renumber them per chart. */
function tidy(svg: string, id: string): string {
  const names = new Map<string, string>();
  return svg.replace(/\bzr\d+-cls-\d+\b/g, (name) => {
    let short = names.get(name);
    if (short === undefined) names.set(name, (short = `c-${id}-${names.size}`));
    return short;
  });
}
