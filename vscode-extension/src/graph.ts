// A journey's graph as SVG, drawn from the compiled plan (`nurture compile`): one box per step, top
// to bottom in layers, an edge per transition (branch labels on the edges), loops drawn back on the
// right. Pure (no `vscode` import): the root test suite renders plans with it.

/** A source location in a plan: [file index, 1-based line, 1-based column]. */
export type Loc = [number, number, number] | null;

export interface PlanStep {
  id: number;
  kind: string;
  loc?: Loc;
  [field: string]: unknown;
}

export interface PlanJourney {
  entries?: { kind: string; event?: string; attribute?: string; loc?: Loc; [k: string]: unknown }[];
  exits?: { kind: string; event?: string; loc?: Loc }[];
  goal?: { kind: string; event?: string; withinMs?: number; loc?: Loc } | null;
  holdoutPercent?: number;
  steps: PlanStep[];
  loc?: Loc;
}

export interface Plan {
  format?: string;
  source?: { files?: { path: string }[] };
  stages?: { name: string }[];
  journeys: Record<string, PlanJourney>;
}

/** The text of a source line for a location (used for conditions), when the sources are at hand. */
export type SourceLine = (loc: Loc) => string | undefined;

export interface GraphNode {
  key: string;
  title: string;
  detail: string;
  kind: string;
  loc: Loc;
  layer: number;
  x: number;
  y: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  label: string;
  back: boolean;
}

export interface JourneyGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  width: number;
  height: number;
}

const NODE_W = 210;
const NODE_H = 46;
const GAP_X = 40;
const GAP_Y = 56;
const MARGIN = 24;
const LOOP_SPACE = 60;

const UNITS: [number, string][] = [
  [365 * 86400000, 'year'],
  [30 * 86400000, 'month'],
  [7 * 86400000, 'week'],
  [86400000, 'day'],
  [3600000, 'hour'],
  [60000, 'minute'],
];

/** `172800000` → `2 days` (the largest unit that divides the duration). */
export function formatDuration(ms: number): string {
  for (const [size, unit] of UNITS) {
    if (ms >= size && ms % size === 0) {
      const n = ms / size;
      return `${n} ${unit}${n === 1 ? '' : 's'}`;
    }
  }
  return `${ms} ms`;
}

function clip(text: string, max = 34): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A condition as written, from its source line: `} else if engagement >= 10 {` → `engagement >= 10`. */
function conditionText(line: string | undefined, keyword: RegExp): string {
  if (line === undefined) return '';
  return line
    .replace(/#.*$/, '')
    .trim()
    .replace(/^\}\s*/, '')
    .replace(keyword, '')
    .replace(/\s*\{.*$/, '')
    .trim();
}

function targetKey(t: unknown): string {
  return typeof t === 'number' ? `s${t}` : 'end';
}

/** The graph of one journey of a plan: nodes with their layout, and edges. */
export function journeyGraph(plan: Plan, name: string, sourceLine: SourceLine = () => undefined): JourneyGraph {
  const journey = plan.journeys[name];
  if (!journey) throw new Error(`no journey \`${name}\` in the plan`);
  const nodes = new Map<string, Omit<GraphNode, 'layer' | 'x' | 'y'>>();
  const edges: GraphEdge[] = [];
  const stages = plan.stages ?? [];

  const entries = (journey.entries ?? []).map((e) => {
    if (e.kind === 'on') return `on ${e.event}`;
    if (e.kind === 'when') return `when ${conditionText(sourceLine(e.loc ?? null), /^entry\s+when\s+/)}`.trim();
    return conditionText(sourceLine(e.loc ?? null), /^entry\s+/) || e.kind;
  });
  nodes.set('start', {
    key: 'start',
    title: `journey ${name}`,
    detail: entries.length > 0 ? `entry ${entries.join(' | ')}` : 'entered by move to / enroll',
    kind: 'start',
    loc: journey.loc ?? null,
  });
  let needsEnd = false;
  const edge = (from: string, to: unknown, label = '') => {
    const key = targetKey(to);
    if (key === 'end') needsEnd = true;
    const back = typeof to === 'number' && from.startsWith('s') && to <= Number(from.slice(1));
    edges.push({ from, to: key, label, back });
  };
  edge('start', journey.steps.length > 0 ? 0 : null);

  for (const step of journey.steps) {
    const key = `s${step.id}`;
    const loc = step.loc ?? null;
    const line = sourceLine(loc);
    let title: string = step.kind;
    let detail = '';
    switch (step.kind) {
      case 'send':
        title = 'send';
        detail = String(step['content']);
        edge(key, step['next']);
        break;
      case 'sendNext':
        title = 'send next from';
        detail = String(step['stream']);
        edge(key, step['next']);
        if (step['exhausted'] !== step['next']) edge(key, step['exhausted'], 'none left');
        break;
      case 'wait':
        title = 'wait';
        detail = formatDuration(Number(step['durationMs']));
        edge(key, step['next']);
        break;
      case 'waitFor':
        title = `wait for ${String(step['event'])}`;
        detail = `up to ${formatDuration(Number(step['upToMs']))}`;
        edge(key, step['onEvent'], String(step['event']));
        edge(key, step['onTimeout'], 'timeout');
        break;
      case 'waitUntil':
        title = 'wait until';
        detail = `${conditionText(line, /^wait\s+until\s+/).replace(/\s+up\s+to\s+.*$/, '')}`;
        edge(key, step['onTrue'], 'true');
        edge(key, step['onTimeout'], 'timeout');
        break;
      case 'if': {
        title = 'if';
        const branches = (step['branches'] as { target: unknown; loc?: Loc }[]) ?? [];
        branches.forEach((b, i) => {
          const text = conditionText(sourceLine(b.loc ?? null), /^(?:else\s+)?if\s+/);
          if (i === 0) detail = text;
          edge(key, b.target, clip(text || `branch ${i + 1}`, 28));
        });
        edge(key, step['else'], 'else');
        break;
      }
      case 'split':
        title = 'split';
        for (const b of (step['branches'] as { target: unknown; percent: number }[]) ?? []) edge(key, b.target, `${b.percent}%`);
        break;
      case 'repeat': {
        title = `repeat every ${formatDuration(Number(step['everyMs']))}`;
        const parts: string[] = [];
        if (step['max'] !== null && step['max'] !== undefined) parts.push(`max ${String(step['max'])} times`);
        if (step['until']) parts.push(`until ${conditionText(line, /^.*?\buntil\s+/)}`);
        detail = parts.join(', ');
        edge(key, step['body'], 'body');
        edge(key, step['next'], 'done');
        break;
      }
      case 'moveTo':
        title = 'move to';
        detail = String(step['journey']);
        break;
      case 'end':
        title = 'end';
        break;
      case 'setStage':
        title = 'set stage';
        detail = stages[Number(step['stage'])]?.name ?? String(step['stage']);
        edge(key, step['next']);
        break;
      case 'setAttr':
      case 'setScore':
        title = 'set';
        detail = conditionText(line, /^set\s+/) || String(step['attribute'] ?? step['score']);
        edge(key, step['next']);
        break;
      case 'handoff':
        title = 'handoff';
        detail = `"${String(step['queue'])}"`;
        edge(key, step['next']);
        break;
      case 'enroll':
        title = 'enroll';
        detail = String(step['journey']);
        edge(key, step['next']);
        break;
      case 'removeFrom':
        title = 'remove from';
        detail = String(step['journey']);
        edge(key, step['next']);
        break;
      default:
        if ('next' in step) edge(key, step['next']);
    }
    nodes.set(key, { key, title: clip(title), detail: clip(detail), kind: step.kind, loc });
  }
  if (needsEnd) nodes.set('end', { key: 'end', title: 'end of journey', detail: '', kind: 'exit', loc: null });

  // layers: longest path over the forward edges (step ids are in pre-order, so forward = larger id)
  const order = [...nodes.keys()];
  const layer = new Map<string, number>(order.map((k) => [k, 0]));
  for (const k of order) {
    if (k === 'end') continue;
    for (const e of edges) {
      if (e.from !== k || e.back || e.to === 'end') continue;
      layer.set(e.to, Math.max(layer.get(e.to)!, layer.get(k)! + 1));
    }
  }
  if (needsEnd) layer.set('end', Math.max(...order.filter((k) => k !== 'end').map((k) => layer.get(k)!)) + 1);

  const byLayer = new Map<number, string[]>();
  for (const k of order) {
    const l = layer.get(k)!;
    byLayer.set(l, [...(byLayer.get(l) ?? []), k]);
  }
  const widest = Math.max(...[...byLayer.values()].map((ks) => ks.length));
  const innerWidth = widest * NODE_W + (widest - 1) * GAP_X;
  const hasBack = edges.some((e) => e.back);
  const width = MARGIN * 2 + innerWidth + (hasBack ? LOOP_SPACE : 0);
  const layers = Math.max(...layer.values()) + 1;
  const height = MARGIN * 2 + layers * NODE_H + (layers - 1) * GAP_Y;

  const placed: GraphNode[] = [];
  for (const [l, ks] of [...byLayer.entries()].sort((a, b) => a[0] - b[0])) {
    const rowWidth = ks.length * NODE_W + (ks.length - 1) * GAP_X;
    ks.forEach((k, i) => {
      const n = nodes.get(k)!;
      placed.push({
        ...n,
        layer: l,
        x: MARGIN + (innerWidth - rowWidth) / 2 + i * (NODE_W + GAP_X),
        y: MARGIN + l * (NODE_H + GAP_Y),
      });
    });
  }
  return { nodes: placed, edges, width, height };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const KIND_CLASS: Record<string, string> = {
  start: 'start', exit: 'exit', end: 'exit', moveTo: 'exit',
  send: 'send', sendNext: 'send',
  wait: 'wait', waitFor: 'wait', waitUntil: 'wait',
  if: 'branch', split: 'branch', repeat: 'branch',
};

/** The SVG document of a journey's graph. Nodes carry `data-line`/`data-file` for click-to-source. */
export function renderJourneySvg(plan: Plan, name: string, sourceLine?: SourceLine): string {
  const g = journeyGraph(plan, name, sourceLine);
  const at = new Map(g.nodes.map((n) => [n.key, n]));
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="nurture-graph" width="${g.width}" height="${g.height}" viewBox="0 0 ${g.width} ${g.height}" role="img" aria-label="journey ${esc(name)}">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrowhead"/></marker></defs>',
  );
  for (const e of g.edges) {
    const a = at.get(e.from)!;
    const b = at.get(e.to)!;
    let d: string;
    let lx: number;
    let ly: number;
    if (e.back) {
      // a loop: out of the right side of the source, up the right margin, into the target's right side
      const x1 = a.x + NODE_W;
      const y1 = a.y + NODE_H / 2;
      const x2 = b.x + NODE_W;
      const y2 = b.y + NODE_H / 2;
      const xr = Math.max(x1, x2) + LOOP_SPACE * 0.7;
      d = `M${x1},${y1} C${xr},${y1} ${xr},${y2} ${x2},${y2}`;
      lx = xr - 6;
      ly = (y1 + y2) / 2;
    } else {
      const x1 = a.x + NODE_W / 2;
      const y1 = a.y + NODE_H;
      const x2 = b.x + NODE_W / 2;
      const y2 = b.y;
      const my = (y1 + y2) / 2;
      d = `M${x1},${y1} C${x1},${my} ${x2},${my} ${x2},${y2}`;
      // the label sits on the curve three quarters of the way down (beside a straight edge), so that
      // the labels of sibling branches stay apart
      const t = 0.75;
      const u = 1 - t;
      lx = (u ** 3 + 3 * u * u * t) * x1 + (3 * u * t * t + t ** 3) * x2 + (x1 === x2 ? 6 : 0);
      ly = u ** 3 * y1 + (3 * u * u * t + 3 * u * t * t) * my + t ** 3 * y2 - 4;
    }
    out.push(`<path class="edge${e.back ? ' back' : ''}" d="${d}" marker-end="url(#arrow)"><title>${esc(e.label)}</title></path>`);
    const anchor = e.back || a.x === b.x ? 'start' : 'middle';
    if (e.label) out.push(`<text class="edge-label" text-anchor="${anchor}" x="${round(lx)}" y="${round(ly)}">${esc(e.label)}</text>`);
  }
  for (const n of g.nodes) {
    const cls = KIND_CLASS[n.kind] ?? 'action';
    const data = n.loc ? ` data-file="${n.loc[0]}" data-line="${n.loc[1]}" data-column="${n.loc[2]}"` : '';
    out.push(`<g class="node ${cls}" data-key="${n.key}"${data}>`);
    out.push(`<rect x="${n.x}" y="${n.y}" width="${NODE_W}" height="${NODE_H}" rx="${cls === 'branch' ? 14 : 6}"/>`);
    const cx = n.x + NODE_W / 2;
    if (n.detail) {
      out.push(`<text class="title" text-anchor="middle" x="${cx}" y="${n.y + 19}">${esc(n.title)}</text>`);
      out.push(`<text class="detail" text-anchor="middle" x="${cx}" y="${n.y + 36}">${esc(n.detail)}</text>`);
    } else {
      out.push(`<text class="title" text-anchor="middle" x="${cx}" y="${n.y + 28}">${esc(n.title)}</text>`);
    }
    out.push('</g>');
  }
  out.push('</svg>');
  return out.join('\n');
}

/** The journeys of a plan, in declaration order (by source location). */
export function journeyNames(plan: Plan): string[] {
  return Object.keys(plan.journeys);
}

/** The journey whose declaration encloses a 1-based line of a document's text, if any. */
export function journeyAtLine(text: string, line: number): string | undefined {
  const lines = text.split(/\r?\n/);
  for (let i = Math.min(line, lines.length) - 1; i >= 0; i--) {
    const m = /^journey\s+([\p{L}_][\p{L}\p{M}\p{N}_]*)/u.exec(lines[i]!);
    if (m) return m[1];
    if (i < line - 1 && /^\S/.test(lines[i]!) && !/^[#}]/.test(lines[i]!)) return undefined;
  }
  return undefined;
}
