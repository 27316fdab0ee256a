// Journey graphs in Graphviz's dot language: one digraph, a cluster per journey. Every id and label is
// a double-quoted string; loops are dashed.
import type { Plan } from '../../runtime/plan-types.js';
import { journeyGraph, nodeText, type GraphNode, type NodeRole } from './model.js';

/**
 * Text for a double-quoted dot string used as a label: `\` starts Graphviz's escapes (`\n`, `\N`…) and
 * `"` ends the string, so both are backslash-escaped; Graphviz also decodes HTML entities (`&amp;`) in
 * labels, so `&` is written `&amp;`.
 */
export function dotEscape(text: string): string {
  return text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/&/g, '&amp;').replace(/\r?\n/g, '\\n');
}

const STYLES: Record<NodeRole, string> = {
  start: 'shape=box, style="rounded,filled,bold", color="#2e7d32"',
  send: 'shape=box, color="#1565c0"',
  wait: 'shape=box, style="rounded,filled", color="#9a6700"',
  branch: 'shape=hexagon, color="#8250df"',
  action: 'shape=box, color="#57606a"',
  exit: 'shape=box, style="rounded,filled", color="#cf222e"',
};

function nodeLabel(n: GraphNode): string {
  const lines = n.header.length > 0 ? [n.title, ...n.header] : [nodeText(n)];
  return lines.map(dotEscape).join('\\n');
}

export function renderDot(plan: Plan, names: readonly string[]): string {
  const out = [
    'digraph nurture {',
    '  graph [rankdir=TB, fontname="Helvetica,Arial,sans-serif", fontsize=13, nodesep=0.4, ranksep=0.5];',
    '  node [shape=box, style=filled, fillcolor="#f6f8fa", color="#57606a", fontname="Helvetica,Arial,sans-serif", fontsize=11];',
    '  edge [color="#6e7781", fontcolor="#57606a", fontname="Helvetica,Arial,sans-serif", fontsize=10];',
  ];
  names.forEach((name, j) => {
    const g = journeyGraph(plan, name);
    const id = (key: string) => `"j${j}_${key}"`;
    out.push(`  subgraph cluster_j${j} {`, `    label="journey ${dotEscape(name)}";`, '    style=rounded;', '    color="#d0d7de";');
    for (const n of g.nodes) out.push(`    ${id(n.key)} [label="${nodeLabel(n)}", ${STYLES[n.role]}];`);
    for (const e of g.edges) {
      const attrs = [e.label ? `label="${dotEscape(e.label)}"` : '', e.back ? 'style=dashed' : ''].filter((a) => a);
      out.push(`    ${id(e.from)} -> ${id(e.to)}${attrs.length > 0 ? ` [${attrs.join(', ')}]` : ''};`);
    }
    out.push('  }');
  });
  out.push('}');
  return out.join('\n') + '\n';
}
