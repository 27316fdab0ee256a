// A plausibility check of the Mermaid output, line by line (the real parser needs a browser): the
// `flowchart` header, then only the statement forms the renderer writes; quoted labels with no raw
// quote, angle bracket, ampersand, backslash, backtick or pipe, `#` only starting an entity code and
// `<br/>` the only markup; every node id defined once and never a keyword; every edge endpoint and
// every `:::class` defined; subgraphs closed.

export interface MermaidChart {
  /** Node id → label as written (entity codes not decoded). */
  nodes: Map<string, string>;
  edges: { from: string; to: string; label: string | null; dotted: boolean }[];
  /** Subgraph id → title. */
  subgraphs: Map<string, string>;
}

const ID = '[A-Za-z][A-Za-z0-9_]*';
const LABEL = '"([^"]*)"';
const KEYWORDS = new Set(['end', 'subgraph', 'graph', 'flowchart', 'direction', 'style', 'class', 'classDef', 'click', 'linkStyle', 'default']);

function checkLabel(label: string, line: number): void {
  const bare = label.replace(/<br\/>/g, '').replace(/#(?:[a-z]+|[0-9]+);/g, '');
  const bad = /[<>&\\`|#"]/.exec(bare);
  if (bad) throw new Error(`line ${line}: raw \`${bad[0]}\` in label ${JSON.stringify(label)}`);
}

export function checkMermaid(text: string): MermaidChart {
  if (!text.endsWith('\n')) throw new Error('no final newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines[0] !== 'flowchart TD') throw new Error(`the first line is not \`flowchart TD\`: ${JSON.stringify(lines[0])}`);
  const chart: MermaidChart = { nodes: new Map(), edges: [], subgraphs: new Map() };
  const classes = new Set<string>();
  const used: [string, number][] = [];
  let open: string | null = null;
  const defineNode = (id: string, label: string, n: number) => {
    if (KEYWORDS.has(id)) throw new Error(`line ${n}: node id \`${id}\` is a keyword`);
    if (chart.nodes.has(id) || chart.subgraphs.has(id)) throw new Error(`line ${n}: \`${id}\` defined twice`);
    checkLabel(label, n);
    chart.nodes.set(id, label);
  };
  lines.slice(1).forEach((line, k) => {
    const n = k + 2;
    let m: RegExpExecArray | null;
    if (/^\s*%%/.test(line)) return;
    if ((m = new RegExp(`^  subgraph (${ID})\\[${LABEL}\\]$`).exec(line))) {
      if (open !== null) throw new Error(`line ${n}: a subgraph inside \`${open}\``);
      if (chart.subgraphs.has(m[1]!) || chart.nodes.has(m[1]!)) throw new Error(`line ${n}: \`${m[1]}\` defined twice`);
      checkLabel(m[2]!, n);
      chart.subgraphs.set(m[1]!, m[2]!);
      open = m[1]!;
    } else if (line === '  end') {
      if (open === null) throw new Error(`line ${n}: \`end\` outside a subgraph`);
      open = null;
    } else if (line === '    direction TB') {
      if (open === null) throw new Error(`line ${n}: \`direction\` outside a subgraph`);
    } else if ((m = new RegExp(`^    (${ID})(\\(\\[|\\[|\\(|\\{\\{)${LABEL}(\\]\\)|\\]|\\)|\\}\\}):::(${ID})$`).exec(line))) {
      const pairs: Record<string, string> = { '([': '])', '[': ']', '(': ')', '{{': '}}' };
      if (pairs[m[2]!] !== m[4]) throw new Error(`line ${n}: shape \`${m[2]}…${m[4]}\` does not close`);
      defineNode(m[1]!, m[3]!, n);
      used.push([m[5]!, n]);
    } else if ((m = new RegExp(`^    (${ID}) (-->|-\\.->)(?:\\|${LABEL}\\|)? (${ID})$`).exec(line))) {
      if (m[3] !== undefined) checkLabel(m[3], n);
      chart.edges.push({ from: m[1]!, to: m[4]!, label: m[3] ?? null, dotted: m[2] === '-.->' });
    } else if ((m = new RegExp(`^  classDef (${ID}) [a-z-]+:[#0-9a-zA-Z]+(?:,[a-z-]+:[#0-9a-zA-Z]+)*$`).exec(line))) {
      classes.add(m[1]!);
    } else {
      throw new Error(`line ${n}: not a statement the renderer writes: ${JSON.stringify(line)}`);
    }
  });
  if (open !== null) throw new Error(`subgraph \`${open}\` is never closed`);
  for (const e of chart.edges) {
    for (const id of [e.from, e.to]) if (!chart.nodes.has(id)) throw new Error(`edge ${e.from} -> ${e.to}: \`${id}\` is not defined`);
  }
  for (const [c, n] of used) if (!classes.has(c)) throw new Error(`line ${n}: class \`${c}\` has no classDef`);
  return chart;
}
