// The shape of the parameters the server reads, checked before any handler runs: a request with
// malformed parameters gets InvalidParams (-32602) naming the field, a notification is dropped with a
// line on stderr — instead of a handler failing on `undefined` (found by tests/lsp/server.fuzz.test.ts).
// Only what the handlers read is checked; unknown fields are allowed (LSP grows).

type Check = (v: unknown) => boolean;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const uint: Check = (v) => Number.isInteger(v) && (v as number) >= 0;
const str: Check = (v) => typeof v === 'string';
const bool: Check = (v) => typeof v === 'boolean';
const position: Check = (v) => isObject(v) && uint(v['line']) && uint(v['character']);
const range: Check = (v) => isObject(v) && position(v['start']) && position(v['end']);
const optional = (c: Check): Check => (v) => v === undefined || c(v);

/** field path → check; `a.b` reads nested objects, `a[]` each member of a list. */
type Shape = Record<string, Check>;

const DOC: Shape = { 'textDocument.uri': str };
const AT: Shape = { ...DOC, position };
const SHAPES: Record<string, Shape> = {
  // read by vscode-jsonrpc itself, outside any handler: a bad one would throw out of the reader
  '$/cancelRequest': { id: (v) => str(v) || Number.isFinite(v) },
  'textDocument/didOpen': { 'textDocument.uri': str, 'textDocument.text': str, 'textDocument.version': Number.isInteger },
  'textDocument/didChange': {
    'textDocument.uri': str,
    'textDocument.version': Number.isInteger,
    contentChanges: Array.isArray,
    'contentChanges[]': (c) => isObject(c) && str(c['text']) && optional(range)(c['range']),
  },
  'textDocument/didClose': DOC,
  'textDocument/completion': AT,
  'completionItem/resolve': { label: str },
  'textDocument/hover': AT,
  'textDocument/definition': AT,
  'textDocument/references': { ...AT, 'context.includeDeclaration': bool },
  'textDocument/prepareRename': AT,
  'textDocument/rename': { ...AT, newName: str },
  'textDocument/documentSymbol': DOC,
  'workspace/symbol': { query: str },
  'textDocument/foldingRange': DOC,
  'textDocument/semanticTokens/full': DOC,
  'textDocument/formatting': DOC,
  'textDocument/codeAction': { ...DOC, range },
  'workspace/didChangeWatchedFiles': {
    changes: Array.isArray,
    'changes[]': (c) => isObject(c) && str(c['uri']) && [1, 2, 3].includes(c['type'] as number),
  },
};

function field(params: unknown, path: string): unknown {
  let v: unknown = params;
  for (const key of path.split('.')) v = isObject(v) ? v[key] : undefined;
  return v;
}

/** What is wrong with `params` for `method` (undefined: fine, or a method the server does not check). */
export function paramsProblem(method: string, params: unknown): string | undefined {
  const shape = SHAPES[method];
  if (shape === undefined) return undefined;
  if (!isObject(params)) return `\`${method}\` takes an object of parameters`;
  for (const [path, check] of Object.entries(shape)) {
    if (path.endsWith('[]')) {
      const list = field(params, path.slice(0, -2));
      const bad = Array.isArray(list) ? list.findIndex((x) => !check(x)) : -1;
      if (bad >= 0) return `\`${method}\`: \`${path.slice(0, -2)}[${bad}]\` is malformed`;
    } else if (!check(field(params, path))) {
      return `\`${method}\`: \`${path}\` is missing or malformed`;
    }
  }
  return undefined;
}
