// Pictures of a plan's journeys, shared by `nurture graph` and the VS Code extension: the graph model
// (model.ts), its layout (layout.ts) and three renderers. Pure: no file system, no `vscode`.
import type { Plan } from '../../runtime/plan-types.js';
import type { GraphFormat } from './formats.js';
import { renderDot } from './dot.js';
import { renderMermaid } from './mermaid.js';
import { renderSvgDocument } from './svg.js';

export { journeyGraph, journeyNames, nodeText, type GraphEdge, type GraphNode, type JourneyGraph, type NodeRole } from './model.js';
export { layoutGraph, type Box, type Layout, type LayoutOptions } from './layout.js';
export { formatDuration } from './words.js';
export { renderDot, dotEscape } from './dot.js';
export { renderMermaid, mermaidEscape } from './mermaid.js';
export { renderJourneySvg, renderSvgDocument, xmlEscape } from './svg.js';
export { GRAPH_FORMATS, type GraphFormat } from './formats.js';

/** The journeys `names` (in that order) of the plan as one Mermaid chart, dot graph or SVG file. */
export function renderGraph(plan: Plan, names: readonly string[], format: GraphFormat): string {
  switch (format) {
    case 'mermaid':
      return renderMermaid(plan, names);
    case 'dot':
      return renderDot(plan, names);
    case 'svg':
      return renderSvgDocument(plan, names);
  }
}
