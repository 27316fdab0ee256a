// Journey graphs as SVG, placed by layout.ts. Colours and fonts are presentation attributes, so that a
// file stands alone (`nurture graph --format svg`); the VS Code webview themes it with CSS on the same
// classes (CSS wins over presentation attributes). Nodes carry `data-file`/`data-line`/`data-column`
// for click-to-source.
import type { Plan } from '../../runtime/plan-types.js';
import { layoutGraph, type Box, type Layout } from './layout.js';
import { journeyGraph, type GraphEdge, type GraphNode, type JourneyGraph, type NodeRole } from './model.js';

const FONT = 'Helvetica, Arial, sans-serif';
const TEXT = '#1f2328';
const MUTED = '#57606a';
const EDGE = '#6e7781';
const FILL = '#f6f8fa';
const BACKGROUND = '#ffffff';
const STROKE: Record<NodeRole, string> = {
  start: '#2e7d32',
  send: '#1565c0',
  wait: '#9a6700',
  branch: '#8250df',
  action: '#57606a',
  exit: '#cf222e',
};

// Text is measured by counting characters (no font metrics outside a browser): generous averages.
const TITLE_CHAR = 7.2;
const DETAIL_CHAR = 6.2;
const PAD = 12;
const MIN_W = 180;
const MAX_W = 340;
const STEP_H = 46;
const LINE_H = 15;
const GAP_X = 40;
const GAP_Y = 56;
const MARGIN = 24;
const LANE_GAP = 24;
const LANE_STEP = 8;
const HEADING_H = 30;
/** Longer edge labels (an `else if` condition) would run into their neighbours: the full text is the edge's tooltip. */
const EDGE_LABEL_CHARS = 24;

/** Escapes text for XML content and double-quoted attributes; drops characters XML cannot hold. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function clip(text: string, chars: number): string {
  const cps = [...text];
  return cps.length <= chars ? text : `${cps.slice(0, Math.max(1, chars - 1)).join('')}…`;
}

const maxChars = (charWidth: number) => Math.floor((MAX_W - 2 * PAD) / charWidth);
const length = (text: string) => [...text].length;

function nodeSize(n: GraphNode): { width: number; height: number } {
  const needed = Math.max(length(n.title) * TITLE_CHAR, ...[n.detail, ...n.header].map((l) => length(l) * DETAIL_CHAR));
  const width = Math.min(MAX_W, Math.max(MIN_W, Math.ceil(needed) + 2 * PAD));
  const height = n.header.length > 0 ? 2 * PAD + 14 + n.header.length * LINE_H : STEP_H;
  return { width, height };
}

const round = (n: number) => Math.round(n * 10) / 10;

const MARKER =
  '<defs><marker id="nurture-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">' +
  `<path d="M0,0 L10,5 L0,10 z" class="arrowhead" fill="${EDGE}"/></marker></defs>`;

/** Edges between the same two nodes as one (`true / timeout` of a `wait until` with no blocks): drawn apart they would overlap. */
function mergeParallel(edges: readonly GraphEdge[]): GraphEdge[] {
  const merged = new Map<string, GraphEdge>();
  for (const e of edges) {
    const key = `${e.from} ${e.to}`;
    const seen = merged.get(key);
    if (seen) merged.set(key, { ...seen, label: [seen.label, e.label].filter((l) => l).join(' / ') });
    else merged.set(key, e);
  }
  return [...merged.values()];
}

/** An orthogonal polyline with rounded corners, as path data. */
function rounded(points: [number, number][], radius = 8): string {
  let d = `M${round(points[0]![0])},${round(points[0]![1])}`;
  for (let i = 1; i < points.length - 1; i++) {
    const [px, py] = points[i - 1]!;
    const [x, y] = points[i]!;
    const [nx, ny] = points[i + 1]!;
    const r = Math.min(radius, Math.hypot(x - px, y - py) / 2, Math.hypot(nx - x, ny - y) / 2);
    const before = [x - Math.sign(x - px) * r, y - Math.sign(y - py) * r];
    const after = [x + Math.sign(nx - x) * r, y + Math.sign(ny - y) * r];
    d += ` L${round(before[0]!)},${round(before[1]!)} Q${round(x)},${round(y)} ${round(after[0]!)},${round(after[1]!)}`;
  }
  const [lx, ly] = points[points.length - 1]!;
  return `${d} L${round(lx)},${round(ly)}`;
}

function drawEdges(out: string[], g: JourneyGraph, layout: Layout): void {
  const labelled = new Set<string>();
  for (const e of mergeParallel(g.edges)) {
    const a = layout.boxes.get(e.from)!;
    const b = layout.boxes.get(e.to)!;
    const lane = layout.lanes.get(`${e.from} ${e.to}`);
    let d: string;
    let label: { x: number; y: number; anchor: string } | null = null;
    if (lane !== undefined) {
      // round a lane outside the rows: down out of the source, along the gap under its row, up or down
      // the lane, along the gap above the target's row, down into the target. Loops leave and enter at
      // three quarters of the width, forward edges at one quarter, so neither meets the straight edges.
      const at = e.back ? 0.75 : 0.25;
      const sx = a.x + a.width * at;
      const tx = b.x + b.width * at;
      const below = layout.rows[a.layer]!.bottom + GAP_Y * 0.3;
      const above = layout.rows[b.layer]!.top - GAP_Y * 0.3;
      d = rounded([[sx, a.y + a.height], [sx, below], [lane, below], [lane, above], [tx, above], [tx, b.y]]);
      // a loop is labelled where it returns (once for all the loops of a repeat), a skip where it leaves
      const once = `${e.to} ${e.label}`;
      if (!e.back) label = { x: lane + 6, y: below - 4, anchor: 'start' };
      else if (!labelled.has(once)) label = { x: lane - 6, y: above - 4, anchor: 'end' };
      labelled.add(once);
    } else {
      const x1 = a.x + a.width / 2;
      const y1 = a.y + a.height;
      const x2 = b.x + b.width / 2;
      const y2 = b.y;
      const my = (y1 + y2) / 2;
      d = `M${round(x1)},${round(y1)} C${round(x1)},${round(my)} ${round(x2)},${round(my)} ${round(x2)},${round(y2)}`;
      // the label sits on the curve three quarters of the way down (beside a straight edge), so that
      // the labels of sibling branches stay apart
      const t = 0.75;
      const u = 1 - t;
      label = {
        x: (u ** 3 + 3 * u * u * t) * x1 + (3 * u * t * t + t ** 3) * x2 + (x1 === x2 ? 6 : 0),
        y: u ** 3 * y1 + (3 * u * u * t + 3 * u * t * t) * my + t ** 3 * y2 - 4,
        anchor: x1 === x2 ? 'start' : 'middle',
      };
    }
    const dash = e.back ? ' stroke-dasharray="5 4"' : '';
    out.push(
      `<path class="edge${e.back ? ' back' : ''}" d="${d}" fill="none" stroke="${EDGE}" stroke-width="1.4"${dash} marker-end="url(#nurture-arrow)"><title>${xmlEscape(e.label)}</title></path>`,
    );
    if (e.label && label) {
      out.push(
        `<text class="edge-label" text-anchor="${label.anchor}" x="${round(label.x)}" y="${round(label.y)}" font-size="10" fill="${MUTED}" stroke="${BACKGROUND}" stroke-width="3" paint-order="stroke">${xmlEscape(clip(e.label, EDGE_LABEL_CHARS))}</text>`,
      );
    }
  }
}

function drawNode(out: string[], n: GraphNode, box: Box): void {
  const data = n.loc ? ` data-file="${n.loc[0]}" data-line="${n.loc[1]}" data-column="${n.loc[2]}"` : '';
  const title = clip(n.title, maxChars(TITLE_CHAR));
  const full = n.header.length > 0 ? n.header : n.detail ? [n.detail] : [];
  const lines = full.map((l) => clip(l, maxChars(DETAIL_CHAR)));
  const clipped = title !== n.title || lines.some((l, i) => l !== full[i]);
  out.push(`<g class="node ${n.role}" data-key="${n.key}"${data}>`);
  if (clipped) out.push(`<title>${xmlEscape([n.title, n.detail, ...n.header].filter((l) => l).join('\n'))}</title>`);
  out.push(
    `<rect x="${round(box.x)}" y="${round(box.y)}" width="${box.width}" height="${box.height}" rx="${n.role === 'branch' ? 14 : 6}" fill="${FILL}" stroke="${STROKE[n.role]}" stroke-width="${n.role === 'start' ? 2 : 1.2}"/>`,
  );
  const cx = round(box.x + box.width / 2);
  const text = (cls: string, y: number, s: string, extra: string) =>
    out.push(`<text class="${cls}" text-anchor="middle" x="${cx}" y="${round(y)}" fill="${TEXT}"${extra}>${xmlEscape(s)}</text>`);
  if (n.header.length > 0) {
    text('title', box.y + PAD + 11, title, ' font-size="12" font-weight="600"');
    lines.forEach((l, i) => text('detail', box.y + PAD + 14 + LINE_H * (i + 1) - 3, l, ' font-size="11"'));
  } else if (lines.length > 0) {
    text('title', box.y + 19, title, ' font-size="12" font-weight="600"');
    text('detail', box.y + 36, lines[0]!, ' font-size="11"');
  } else {
    text('title', box.y + 28, title, ' font-size="12" font-weight="600"');
  }
  out.push('</g>');
}

function layout(g: JourneyGraph): Layout {
  return layoutGraph(g, { size: nodeSize, gapX: GAP_X, gapY: GAP_Y, margin: MARGIN, laneGap: LANE_GAP, laneStep: LANE_STEP });
}

function drawJourney(out: string[], g: JourneyGraph, l: Layout): void {
  drawEdges(out, g, l);
  for (const n of g.nodes) drawNode(out, n, l.boxes.get(n.key)!);
}

/** One journey as an `<svg>` element (for an HTML page: the VS Code webview). */
export function renderJourneySvg(plan: Plan, name: string): string {
  const g = journeyGraph(plan, name);
  const l = layout(g);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="nurture-graph" width="${round(l.width)}" height="${round(l.height)}" viewBox="0 0 ${round(l.width)} ${round(l.height)}" role="img" aria-label="journey ${xmlEscape(name)}" font-family="${FONT}">`,
    MARKER,
  ];
  drawJourney(out, g, l);
  out.push('</svg>');
  return out.join('\n');
}

/** A standalone SVG file: the journeys stacked top to bottom, each under its title, on white. */
export function renderSvgDocument(plan: Plan, names: readonly string[]): string {
  const parts = names.map((name) => {
    const g = journeyGraph(plan, name);
    return { name, g, l: layout(g) };
  });
  const width = round(Math.max(320, ...parts.map((p) => p.l.width)));
  const body: string[] = [];
  let y = 0;
  for (const p of parts) {
    body.push(
      `<text class="journey-title" x="${MARGIN}" y="${round(y + HEADING_H - 6)}" font-size="15" font-weight="700" fill="${TEXT}">journey ${xmlEscape(p.name)}</text>`,
      `<g class="journey" data-journey="${xmlEscape(p.name)}" transform="translate(0 ${round(y + HEADING_H)})">`,
    );
    drawJourney(body, p.g, p.l);
    body.push('</g>');
    y += HEADING_H + p.l.height;
  }
  if (parts.length === 0) {
    body.push(`<text x="${MARGIN}" y="${HEADING_H}" font-size="13" fill="${MUTED}">no journey in this plan</text>`);
    y = HEADING_H * 2;
  }
  const height = round(y);
  const label = parts.length === 1 ? `journey ${parts[0]!.name}` : 'nurture journeys';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" class="nurture-graph" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${xmlEscape(label)}" font-family="${FONT}">`,
    `<title>${xmlEscape(label)}</title>`,
    `<rect class="background" width="100%" height="100%" fill="${BACKGROUND}"/>`,
    MARKER,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
