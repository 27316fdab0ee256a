// Where each node of a journey graph goes, for the renderers that place nodes themselves (SVG): layers
// top to bottom by the longest path over the forward edges, each row centred, the end of the journey
// alone at the bottom. Edges that cannot go straight down to the next row get a lane of their own, a
// vertical channel outside the rows, so that they never cross a node: loops (back edges) on the right,
// forward edges that skip rows on the left.
import type { GraphNode, JourneyGraph } from './model.js';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
  layer: number;
}

export interface Layout {
  boxes: Map<string, Box>;
  /** Top and bottom of each row, by layer. */
  rows: { top: number; bottom: number }[];
  /** The x of the lane of each routed edge, by `from to` (parallel edges share theirs). */
  lanes: Map<string, number>;
  width: number;
  height: number;
}

export interface LayoutOptions {
  size(node: GraphNode): { width: number; height: number };
  gapX: number;
  gapY: number;
  margin: number;
  /** From the rows to the first lane. */
  laneGap: number;
  /** Between two lanes. */
  laneStep: number;
}

export function layoutGraph(g: JourneyGraph, o: LayoutOptions): Layout {
  // Step ids are in pre-order and forward edges go to larger ids: node order is a topological order.
  const layer = new Map<string, number>(g.nodes.map((n) => [n.key, 0]));
  for (const n of g.nodes) {
    for (const e of g.edges) {
      if (e.from !== n.key || e.back || e.to === 'end') continue;
      layer.set(e.to, Math.max(layer.get(e.to)!, layer.get(n.key)! + 1));
    }
  }
  const others = g.nodes.filter((n) => n.key !== 'end').map((n) => layer.get(n.key)!);
  if (layer.has('end')) layer.set('end', Math.max(...others) + 1);

  const rows: GraphNode[][] = [];
  for (const n of g.nodes) (rows[layer.get(n.key)!] ??= []).push(n);
  const sizes = new Map(g.nodes.map((n) => [n.key, o.size(n)]));
  const rowWidth = (row: GraphNode[]) => row.reduce((w, n) => w + sizes.get(n.key)!.width, 0) + (row.length - 1) * o.gapX;
  const inner = Math.max(...rows.map(rowWidth));

  const pairs = (pick: (from: number, to: number, back: boolean) => boolean) => [
    ...new Set(g.edges.filter((e) => pick(layer.get(e.from)!, layer.get(e.to)!, e.back)).map((e) => `${e.from} ${e.to}`)),
  ];
  const loops = pairs((_f, _t, back) => back);
  const skips = pairs((from, to, back) => !back && to - from > 1);
  const laneRoom = (n: number) => (n === 0 ? 0 : o.laneGap + (n - 1) * o.laneStep);
  const left = o.margin + laneRoom(skips.length);
  const right = left + inner;
  const lanes = new Map<string, number>();
  skips.forEach((k, i) => lanes.set(k, left - o.laneGap - i * o.laneStep));
  loops.forEach((k, i) => lanes.set(k, right + o.laneGap + i * o.laneStep));

  const boxes = new Map<string, Box>();
  const spans: Layout['rows'] = [];
  let y = o.margin;
  rows.forEach((row, l) => {
    let x = left + (inner - rowWidth(row)) / 2;
    const height = Math.max(...row.map((n) => sizes.get(n.key)!.height));
    for (const n of row) {
      const s = sizes.get(n.key)!;
      boxes.set(n.key, { x, y: y + (height - s.height) / 2, width: s.width, height: s.height, layer: l });
      x += s.width + o.gapX;
    }
    spans.push({ top: y, bottom: y + height });
    y += height + o.gapY;
  });
  return { boxes, rows: spans, lanes, width: right + laneRoom(loops.length) + o.margin, height: y - o.gapY + o.margin };
}
