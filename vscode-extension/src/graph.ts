// A journey's graph for the webview: drawn by the root package's compiler/graph (the renderer of
// `nurture graph` too; esbuild bundles it into dist/extension.js), plus what only the editor needs:
// the journey around the cursor.
export { formatDuration, journeyGraph, journeyNames, layoutGraph, renderJourneySvg, type GraphEdge, type GraphNode, type JourneyGraph } from '../../compiler/graph/index.js';
export type { Loc, Plan } from '../../runtime/plan-types.js';

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
