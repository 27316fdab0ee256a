// Hostile input for the language server: garbage framing (built from pieces of real headers, so that
// it reaches every state of the parser) and well-framed messages that are wrong in every other way.
import fc from 'fast-check';

const HEADER_PIECES = [
  'Content-Length: ', 'content-length:', 'Content-Length: -5', 'Content-Length: 0', 'Content-Length: 3',
  'Content-Length: 99999999999999999999', 'Content-Length: 1e3', 'Content-Length: 0x10', 'Content-Type: application/vscode-jsonrpc; charset=utf-8',
  'Content-Type: text/plain; charset=latin1', 'X-Other: 1', ':', ' ', '\r\n', '\r\n\r\n', '\n', '\r', '{', '}', '"', '\\',
  '{"jsonrpc":"2.0","id":1,"method":"textDocument/hover"}', '\u0000', 'é', '😀', '12', '-', 'Content-Len',
];

/** A burst of garbage bytes: header pieces, random bytes and broken frames. */
export function garbageBurst(): fc.Arbitrary<Buffer> {
  const piece = fc.oneof(
    fc.constantFrom(...HEADER_PIECES).map((s) => Buffer.from(s, 'utf8')),
    fc.uint8Array({ maxLength: 24 }).map((a) => Buffer.from(a)),
    fc.string({ maxLength: 30 }).map((s) => Buffer.from(`Content-Length: ${Buffer.byteLength(s) + 7}\r\n\r\n${s}`, 'utf8')),
  );
  return fc.array(piece, { minLength: 1, maxLength: 12 }).map((ps) => Buffer.concat(ps));
}

const METHODS = [
  'initialize', 'initialized', 'textDocument/didOpen', 'textDocument/didChange', 'textDocument/didClose',
  'textDocument/completion', 'completionItem/resolve', 'textDocument/hover', 'textDocument/definition',
  'textDocument/references', 'textDocument/prepareRename', 'textDocument/rename', 'textDocument/documentSymbol',
  'workspace/symbol', 'textDocument/foldingRange', 'textDocument/semanticTokens/full', 'textDocument/formatting',
  'textDocument/codeAction', 'workspace/didChangeWatchedFiles', '$/cancelRequest', '$/setTrace', 'unknown/method', '',
];

/** Parameter values that are wrong in shape, type or range (and some right ones). */
function params(uri: string): fc.Arbitrary<unknown> {
  const position = fc.oneof(
    fc.record({ line: fc.integer({ min: -2, max: 40 }), character: fc.integer({ min: -2, max: 200 }) }),
    fc.constant({ line: 1e12, character: 0.5 }),
    fc.constant({}),
  );
  const doc = fc.oneof(fc.constant({ uri }), fc.constant({ uri: 'file:///nowhere.nurture' }), fc.constant({ uri: 5 }), fc.constant({}), fc.constant({ uri: 'not a uri' }));
  return fc.oneof(
    fc.record({ textDocument: doc, position }, { requiredKeys: [] }),
    fc.record({
      textDocument: fc.record({ uri: fc.constant(uri), version: fc.integer({ min: -1, max: 1000 }), text: fc.string({ maxLength: 80 }), languageId: fc.constant('nurture') }, { requiredKeys: [] }),
      contentChanges: fc.array(fc.oneof(
        fc.record({ text: fc.string({ maxLength: 40 }) }),
        fc.record({ range: fc.record({ start: position, end: position }), text: fc.string({ maxLength: 20 }) }),
        fc.constant(null),
      ), { maxLength: 3 }),
    }, { requiredKeys: [] }),
    fc.record({ textDocument: doc, position, newName: fc.string({ maxLength: 12 }), context: fc.anything({ maxDepth: 1 }), range: fc.record({ start: position, end: position }) }, { requiredKeys: [] }),
    fc.record({ query: fc.string({ maxLength: 8 }) }),
    fc.record({ changes: fc.array(fc.record({ uri: fc.constantFrom(uri, 'file:///x/y.nurture', ''), type: fc.integer({ min: -1, max: 4 }) }), { maxLength: 3 }) }),
    fc.jsonValue({ maxDepth: 2 }),
  );
}

/** A well-framed JSON-RPC message with a random method and random parameters (never `shutdown` or `exit`). */
export function randomMessage(uri: string, id: () => number): fc.Arbitrary<unknown> {
  return fc.record({ method: fc.constantFrom(...METHODS), params: params(uri), notify: fc.boolean() }).map((m) =>
    m.notify ? { jsonrpc: '2.0', method: m.method, params: m.params } : { jsonrpc: '2.0', id: id(), method: m.method, params: m.params },
  );
}
