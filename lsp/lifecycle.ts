// What reaches the LSP library: a body must be a JSON-RPC 2.0 message (else the client gets the JSON-RPC
// error, `id: null` when it has no usable id), and the LSP lifecycle is enforced before any handler runs:
// - before `initialize`, a request gets ServerNotInitialized (-32002) and a notification is dropped
//   (`exit` excepted), as LSP says;
// - a second `initialize` gets InvalidRequest, and so does any request after `shutdown`;
// - malformed parameters (params.ts) get InvalidParams, or for a notification, a line on stderr.
import type { Message, NotificationMessage, RequestMessage, ResponseMessage } from 'vscode-languageserver/node.js';
import { paramsProblem } from './params.js';

export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const INVALID_PARAMS = -32602;
export const SERVER_NOT_INITIALIZED = -32002;

/** A body turned into a message, or why not (with the error response to send, when one is due). */
export type Decoded = { ok: true; message: Message } | { ok: false; problem: string; reply?: ResponseMessage };

function errorReply(id: number | string | null, code: number, message: string): ResponseMessage {
  return { jsonrpc: '2.0', id, error: { code, message } };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isId(v: unknown): v is number | string {
  return (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'string';
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeMessage(body: Buffer): Decoded {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(body));
  } catch (err) {
    const why = err instanceof SyntaxError ? err.message : 'the bytes are not UTF-8';
    return { ok: false, problem: `a message body that is not JSON (${why})`, reply: errorReply(null, PARSE_ERROR, `Parse error: ${why}`) };
  }
  const invalid = (id: number | string | null, why: string): Decoded => ({ ok: false, problem: `an invalid message: ${why}`, reply: errorReply(id, INVALID_REQUEST, `Invalid request: ${why}`) });
  if (Array.isArray(value)) return invalid(null, 'batches are not supported by LSP');
  if (!isObject(value)) return invalid(null, 'a message is a JSON object');
  const id = isId(value['id']) ? value['id'] : null;
  if (value['jsonrpc'] !== '2.0') return invalid(id, '`jsonrpc` must be "2.0"');
  if ('method' in value) {
    if (typeof value['method'] !== 'string') return invalid(id, '`method` must be a string');
    const params = value['params'];
    if (params !== undefined && params !== null && typeof params !== 'object') return invalid(id, '`params` must be an object or an array');
    if ('id' in value && !isId(value['id'])) return invalid(null, '`id` must be a number or a string');
    return { ok: true, message: value as unknown as RequestMessage | NotificationMessage };
  }
  // a response to one of the server's requests (registerCapability…)
  const error = value['error'];
  const wellFormed = (isId(value['id']) || value['id'] === null) &&
    ('result' in value ? error === undefined : isObject(error) && typeof error['code'] === 'number' && typeof error['message'] === 'string');
  if (!wellFormed) return { ok: false, problem: 'a message that is neither a request, a notification nor a response' };
  return { ok: true, message: value as unknown as ResponseMessage };
}

/** `initialize`'s parameters as far as the server reads them (LSP: InitializeParams). */
function validInitializeParams(p: unknown): string | undefined {
  if (!isObject(p)) return 'initialize takes an object of parameters';
  if (!isObject(p['capabilities'])) return 'initialize needs `capabilities` (an object)';
  const optionalString = (k: string) => p[k] === undefined || p[k] === null || typeof p[k] === 'string';
  if (!optionalString('rootUri') || !optionalString('rootPath')) return '`rootUri` and `rootPath` must be strings';
  const folders = p['workspaceFolders'];
  if (folders !== undefined && folders !== null && !(Array.isArray(folders) && folders.every((f) => isObject(f) && typeof f['uri'] === 'string'))) {
    return '`workspaceFolders` must be a list of { uri, name }';
  }
  const pid = p['processId'];
  if (pid !== undefined && pid !== null && !Number.isInteger(pid)) return '`processId` must be an integer or null';
  return undefined;
}

export type Admission = { forward: true } | { forward: false; reply?: ResponseMessage; problem?: string };

/** The server's lifecycle: new → running (after `initialize`) → shut down (after `shutdown`). */
export class Lifecycle {
  private state: 'new' | 'running' | 'shutdown' = 'new';

  get shutdown(): boolean {
    return this.state === 'shutdown';
  }

  admit(message: Message): Admission {
    const m = message as Partial<RequestMessage>;
    if (typeof m.method !== 'string') return { forward: true }; // a response
    if (!('id' in m)) {
      // a notification: before initialize and after shutdown only `exit` counts
      if (m.method !== 'exit' && this.state !== 'running') return { forward: false };
      const problem = paramsProblem(m.method, m.params);
      return problem === undefined ? { forward: true } : { forward: false, problem: `${problem}; the notification is ignored` };
    }
    const id = m.id as number | string;
    if (m.method === 'initialize') {
      if (this.state !== 'new') return { forward: false, reply: errorReply(id, INVALID_REQUEST, '`initialize` may be sent only once') };
      const wrong = validInitializeParams(m.params);
      if (wrong !== undefined) return { forward: false, reply: errorReply(id, INVALID_PARAMS, wrong) };
      this.state = 'running';
      return { forward: true };
    }
    if (this.state === 'new') return { forward: false, reply: errorReply(id, SERVER_NOT_INITIALIZED, `the server is not initialized: send \`initialize\` before \`${m.method}\``) };
    if (this.state === 'shutdown') return { forward: false, reply: errorReply(id, INVALID_REQUEST, `the server is shut down: \`${m.method}\` is refused (only \`exit\` is expected now)`) };
    const problem = paramsProblem(m.method, m.params);
    if (problem !== undefined) return { forward: false, reply: errorReply(id, INVALID_PARAMS, problem) };
    if (m.method === 'shutdown') this.state = 'shutdown';
    return { forward: true };
  }
}
