// The marks ECharts drew in a chart's SVG, per series: ECharts' SSR renderer tags every element of a
// data item with `ecmeta_series_index` / `ecmeta_data_index` (`ecmeta_ssr_type="chart"`; legend symbols
// say "legend"; reference lines are `ecmeta_silent`). A data item is one mark however many elements
// draw it (an interval is three lines).
export function marks(svg: string): number[] {
  const perSeries: Set<string>[] = [];
  for (const m of svg.matchAll(/ecmeta_series_index="(\d+)" ecmeta_data_index="(\d+)" ecmeta_ssr_type="chart"(?! ecmeta_silent)/g)) {
    (perSeries[Number(m[1])] ??= new Set()).add(m[2]!);
  }
  return Array.from(perSeries, (s) => s?.size ?? 0);
}
