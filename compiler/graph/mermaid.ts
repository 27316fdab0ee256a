// Journey graphs as a Mermaid flowchart: one chart, a subgraph per journey (GitHub renders it in
// Markdown). Node ids are `j<journey index>_<key>`, never a name (names may be any Unicode letters,
// and `end` is a keyword); every text is quoted and escaped with Mermaid's entity codes.
import type { Plan } from '../../runtime/plan-types.js';
import { journeyGraph, nodeText, type GraphNode, type NodeRole } from './model.js';

const NAMED: Record<string, string> = { '"': 'quot', '&': 'amp', '<': 'lt', '>': 'gt' };

/**
 * Text for a quoted Mermaid label. Mermaid decodes `#code;` entities itself, renders labels as HTML
 * (so `<`, `>`, `&` must not reach it raw), turns a literal `\n` into a line break and a leading
 * backtick into Markdown: each of those characters, `#` and the quote become entity codes.
 */
export function mermaidEscape(text: string): string {
  return text.replace(/["#&<>\\`|]/g, (c) => `#${NAMED[c] ?? c.charCodeAt(0)};`);
}

const SHAPES: Record<NodeRole, [string, string]> = {
  start: ['([', '])'],
  send: ['[', ']'],
  wait: ['(', ')'],
  branch: ['{{', '}}'],
  action: ['[', ']'],
  exit: ['([', '])'],
};

const CLASSES: [NodeRole, string][] = [
  ['start', 'stroke:#2e7d32,stroke-width:2px'],
  ['send', 'stroke:#1565c0'],
  ['wait', 'stroke:#9a6700'],
  ['branch', 'stroke:#8250df'],
  ['action', 'stroke:#57606a'],
  ['exit', 'stroke:#cf222e'],
];

function nodeLabel(n: GraphNode): string {
  const lines = n.header.length > 0 ? [n.title, ...n.header] : [nodeText(n)];
  return lines.map(mermaidEscape).join('<br/>');
}

export function renderMermaid(plan: Plan, names: readonly string[]): string {
  const out = ['flowchart TD'];
  if (names.length === 0) out.push('  %% no journey in this plan');
  names.forEach((name, j) => {
    const g = journeyGraph(plan, name);
    const id = (key: string) => `j${j}_${key === 'end' ? 'done' : key}`;
    out.push(`  subgraph j${j}["journey ${mermaidEscape(name)}"]`, '    direction TB');
    for (const n of g.nodes) {
      const [open, close] = SHAPES[n.role];
      out.push(`    ${id(n.key)}${open}"${nodeLabel(n)}"${close}:::${n.role}`);
    }
    for (const e of g.edges) {
      const arrow = e.back ? '-.->' : '-->';
      out.push(`    ${id(e.from)} ${arrow}${e.label ? `|"${mermaidEscape(e.label)}"|` : ''} ${id(e.to)}`);
    }
    out.push('  end');
  });
  if (names.length > 0) for (const [role, style] of CLASSES) out.push(`  classDef ${role} ${style}`);
  return out.join('\n') + '\n';
}
