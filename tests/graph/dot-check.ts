// A plausibility check of the dot output, line by line: only the statement forms the renderer writes,
// every quoted string well formed (a `"` or `\` inside is escaped), braces balanced, every node
// defined once and every edge endpoint defined. Labels are decoded as Graphviz reads them (`\n` a line
// break, `\"` and `\\` the characters, then `&amp;` an ampersand) for comparison with the model.

export interface DotGraph {
  /** Node id → decoded label. */
  nodes: Map<string, string>;
  edges: { from: string; to: string; label: string | null; dashed: boolean }[];
  /** Cluster labels, decoded. */
  clusters: string[];
}

const STRING = '"(?:[^"\\\\]|\\\\.)*"';
const VALUE = `(?:${STRING}|[A-Za-z0-9_.]+)`;
const ATTRS = `\\[(?:[a-z]+=${VALUE})(?:, [a-z]+=${VALUE})*\\]`;

export function decodeDotString(quoted: string): string {
  // The renderer writes only \", \\ and \n; any other escape (\N, \G, \l…) Graphviz would interpret.
  const text = quoted.slice(1, -1).replace(/\\(.)/g, (_, c: string) => {
    if (c === 'n') return '\n';
    if (c === '"' || c === '\\') return c;
    throw new Error(`an escape Graphviz would interpret: \\${c} in ${quoted}`);
  });
  // Graphviz decodes HTML entities in labels: a `&` the text means must be written `&amp;`
  if (/&(?!amp;)/.test(text)) throw new Error(`a bare \`&\` Graphviz could read as an entity: ${quoted}`);
  return text.replace(/&amp;/g, '&');
}

function attrsOf(list: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!list) return out;
  for (const m of list.slice(1, -1).matchAll(new RegExp(`([a-z]+)=(${VALUE})`, 'g'))) {
    if (out.has(m[1]!)) throw new Error(`attribute ${m[1]} twice in ${list}`);
    out.set(m[1]!, m[2]!.startsWith('"') ? decodeDotString(m[2]!) : m[2]!);
  }
  return out;
}

export function checkDot(text: string): DotGraph {
  if (!text.endsWith('\n')) throw new Error('no final newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines[0] !== 'digraph nurture {') throw new Error(`the first line is not \`digraph nurture {\`: ${JSON.stringify(lines[0])}`);
  if (lines[lines.length - 1] !== '}') throw new Error('the graph is not closed');
  const g: DotGraph = { nodes: new Map(), edges: [], clusters: [] };
  let inCluster = false;
  lines.slice(1, -1).forEach((line, k) => {
    const n = k + 2;
    let m: RegExpExecArray | null;
    if ((m = new RegExp(`^  (graph|node|edge) (${ATTRS});$`).exec(line))) {
      attrsOf(m[2]);
    } else if (/^  subgraph cluster_j[0-9]+ \{$/.test(line)) {
      if (inCluster) throw new Error(`line ${n}: a cluster inside a cluster`);
      inCluster = true;
    } else if (line === '  }') {
      if (!inCluster) throw new Error(`line ${n}: \`}\` outside a cluster`);
      inCluster = false;
    } else if ((m = new RegExp(`^    label=(${STRING});$`).exec(line))) {
      g.clusters.push(decodeDotString(m[1]!));
    } else if (/^    (style|color)=(?:[a-z]+|"#[0-9a-f]{6}");$/.test(line)) {
      // cluster style
    } else if ((m = new RegExp(`^    (${STRING}) (${ATTRS});$`).exec(line))) {
      const id = decodeDotString(m[1]!);
      if (g.nodes.has(id)) throw new Error(`line ${n}: node ${id} defined twice`);
      const attrs = attrsOf(m[2]);
      if (!attrs.has('label')) throw new Error(`line ${n}: node ${id} has no label`);
      g.nodes.set(id, attrs.get('label')!);
    } else if ((m = new RegExp(`^    (${STRING}) -> (${STRING})(?: (${ATTRS}))?;$`).exec(line))) {
      const attrs = attrsOf(m[3]);
      g.edges.push({ from: decodeDotString(m[1]!), to: decodeDotString(m[2]!), label: attrs.get('label') ?? null, dashed: attrs.get('style') === 'dashed' });
    } else {
      throw new Error(`line ${n}: not a statement the renderer writes: ${JSON.stringify(line)}`);
    }
  });
  if (inCluster) throw new Error('a cluster is never closed');
  for (const e of g.edges) {
    for (const id of [e.from, e.to]) if (!g.nodes.has(id)) throw new Error(`edge ${e.from} -> ${e.to}: ${id} is not defined`);
  }
  return g;
}
