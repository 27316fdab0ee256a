// The language server as a process: malformed framing and bodies are reported and skipped (it keeps
// answering), the LSP lifecycle is enforced (-32002 before initialize, one initialize, nothing after
// shutdown), and every way it ends has the status `nurture lsp --help` documents, with a line on
// stderr when the end is not the normal one.
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/helpers.js';
import { frame, INITIALIZE_PARAMS, notification, RawServer, request, STACK_FRAME } from './raw.js';

const servers: RawServer[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.kill();
});

async function started(): Promise<RawServer> {
  const s = await RawServer.initialized(tmpdir());
  servers.push(s);
  return s;
}

/** shutdown + exit: the server must still answer, and then end with status 0. */
async function stopsCleanly(s: RawServer): Promise<void> {
  s.write(request('bye', 'shutdown'));
  expect((await s.response('bye')).result).toBeNull();
  s.write(notification('exit'));
  expect(await s.exit()).toBe(0);
}

/** stderr and stdout are two pipes: a report may reach us after the answer that followed it. */
async function stderrShows(s: { stderr: string }, said: RegExp): Promise<void> {
  for (const t0 = Date.now(); !said.test(s.stderr) && Date.now() - t0 < 5000; ) await new Promise((r) => setTimeout(r, 10));
  expect(s.stderr).toMatch(said);
}

describe('malformed input: reported on stderr, skipped, and the server keeps answering', () => {
  const cases: [string, Buffer | string, RegExp][] = [
    ['a negative Content-Length (issue 20)', 'Content-Length: -5\r\n\r\n{}\r\n', /Content-Length `-5` is not a byte count/],
    ['a non-numeric Content-Length', 'Content-Length: twelve\r\n\r\n{"jsonrpc":"2.0"}\r\n', /Content-Length `twelve` is not a byte count/],
    ['a huge Content-Length', 'Content-Length: 99999999999999999999\r\n\r\n{}\r\n', /over the limit of \d+ bytes/],
    ['a header without Content-Length', 'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}\r\n', /no Content-Length header/],
    ['a line that is not a header', 'hello there\r\n', /`hello there` is not a `Name: value` header/],
    ['an unsupported charset', 'Content-Length: 2\r\nContent-Type: text/json; charset=latin1\r\n\r\n{}', /charset `latin1` is not supported/],
    ['a body that is not JSON', frame('{"jsonrpc": "2.0", "id": 7,'), /not JSON/],
    ['a body that is not UTF-8', Buffer.concat([Buffer.from('Content-Length: 3\r\n\r\n'), Buffer.from([0x22, 0xff, 0x22])]), /not JSON \(the bytes are not UTF-8\)/],
    ['a JSON body that is not a JSON-RPC message', frame([1, 2]), /batches are not supported/],
    ['a message without jsonrpc 2.0', frame({ id: 8, method: 'hover' }), /`jsonrpc` must be "2.0"/],
    ['a body cut short by the next header', 'Content-Length: 500\r\n\r\n{"jsonrpc":\r\n', /cut short by the next header/],
  ];
  for (const [name, garbage, said] of cases) {
    it(name, async () => {
      const s = await started();
      s.write(garbage);
      s.write(request(1, 'workspace/symbol', { query: '' }));
      expect((await s.response(1)).result).toEqual([]);
      await stderrShows(s, said);
      expect(s.stderr).not.toMatch(STACK_FRAME);
      await stopsCleanly(s);
    });
  }

  it('answers a body that is not JSON with a Parse error, and an invalid request with Invalid request', async () => {
    const s = await started();
    s.write(frame('{oops'));
    expect((await s.response(null)).error?.code).toBe(-32700);
    s.write(frame({ jsonrpc: '1.0', id: 9, method: 'hover' }));
    expect((await s.response(9)).error).toMatchObject({ code: -32600, message: expect.stringMatching(/jsonrpc/) });
    await stopsCleanly(s);
  });

  it('survives a Content-Length split over many writes and a message delivered byte by byte', async () => {
    const s = await started();
    const bytes = request(2, 'workspace/symbol', { query: 'x' });
    for (const b of bytes) s.write(Buffer.from([b]));
    expect((await s.response(2)).result).toEqual([]);
    await stopsCleanly(s);
  });
});

describe('malformed parameters (found by tests/lsp/server.fuzz.test.ts)', () => {
  it('a $/cancelRequest without an id no longer kills the server (it threw out of the reader)', async () => {
    const s = await started();
    s.write(notification('$/cancelRequest', {}));
    s.write(request(1, 'workspace/symbol', { query: '' }));
    expect((await s.response(1)).result).toEqual([]);
    await stderrShows(s, /`\$\/cancelRequest`: `id` is missing or malformed; the notification is ignored/);
    await stopsCleanly(s);
  });

  it('a request with malformed params gets InvalidParams (-32602) naming the field, not a handler failure', async () => {
    const s = await started();
    s.write(request(1, 'textDocument/hover', { textDocument: {}, position: { line: 0, character: 0 } }));
    expect((await s.response(1)).error).toEqual({ code: -32602, message: '`textDocument/hover`: `textDocument.uri` is missing or malformed' });
    s.write(request(2, 'textDocument/hover', { textDocument: { uri: 'file:///x.nurture' }, position: { line: -1, character: 0.5 } }));
    expect((await s.response(2)).error?.code).toBe(-32602);
    s.write(notification('workspace/didChangeWatchedFiles', { contentChanges: [] }));
    s.write(request(3, 'workspace/symbol', { query: '' }));
    await s.response(3);
    const logged = s.messages.filter((m) => m['method'] === 'window/logMessage').map((m) => (m['params'] as { message: string }).message);
    expect(logged.filter((t) => / failed: /.test(t))).toEqual([]);
    await stderrShows(s, /`workspace\/didChangeWatchedFiles`: `changes` is missing or malformed; the notification is ignored/);
    await stopsCleanly(s);
  });
});

describe('the LSP lifecycle', () => {
  it('answers a request before initialize with ServerNotInitialized (-32002), and drops notifications', async () => {
    const s = RawServer.start(tmpdir());
    servers.push(s);
    s.write(notification('textDocument/didOpen', { textDocument: { uri: 'file:///x.nurture', languageId: 'nurture', version: 1, text: 'event e' } }));
    s.write(request(1, 'textDocument/hover', { textDocument: { uri: 'file:///x.nurture' }, position: { line: 0, character: 0 } }));
    expect((await s.response(1)).error?.code).toBe(-32002);
    s.write(request(2, 'initialize', INITIALIZE_PARAMS));
    expect((await s.response(2)).result).toHaveProperty('capabilities');
    await stopsCleanly(s);
  });

  it('refuses a second initialize (InvalidRequest) and an initialize without capabilities (InvalidParams)', async () => {
    const s = RawServer.start(tmpdir());
    servers.push(s);
    s.write(request(1, 'initialize', { processId: null }));
    expect((await s.response(1)).error?.code).toBe(-32602);
    s.write(request(2, 'initialize', INITIALIZE_PARAMS));
    expect((await s.response(2)).result).toHaveProperty('capabilities');
    s.write(request(3, 'initialize', INITIALIZE_PARAMS));
    expect((await s.response(3)).error).toMatchObject({ code: -32600, message: expect.stringMatching(/only once/) });
    await stopsCleanly(s);
  });

  it('refuses requests after shutdown (InvalidRequest)', async () => {
    const s = await started();
    s.write(request(1, 'shutdown'));
    await s.response(1);
    s.write(request(2, 'workspace/symbol', { query: '' }));
    expect((await s.response(2)).error?.code).toBe(-32600);
    s.write(notification('exit'));
    expect(await s.exit()).toBe(0);
  });
});

describe('exit statuses (as `nurture lsp --help` says)', () => {
  it('0 after shutdown and exit, with nothing on stderr', async () => {
    const s = await started();
    await stopsCleanly(s);
    expect(s.stderr).toBe('');
  });

  it('1 on exit without shutdown, saying so', async () => {
    const s = await started();
    s.write(notification('exit'));
    expect(await s.exit()).toBe(1);
    expect(s.stderr).toMatch(/^nurture lsp: `exit` without a `shutdown` request first \(exit status 1\)\n$/m);
  });

  it('exit is accepted before initialize (status 1)', async () => {
    const s = RawServer.start(tmpdir());
    servers.push(s);
    s.write(notification('exit'));
    expect(await s.exit()).toBe(1);
  });

  it('1 when the client closes the input without shutdown, saying so (was 13, silently)', async () => {
    const s = await started();
    s.end();
    expect(await s.exit()).toBe(1);
    expect(s.stderr).toMatch(/the client closed the connection without `shutdown` and `exit` \(exit status 1\)/);
  });

  it('1 when the input ends inside a message, saying so', async () => {
    const s = await started();
    s.write('Content-Length: 50\r\n\r\n{"jsonrpc"');
    s.end();
    expect(await s.exit()).toBe(1);
    expect(s.stderr).toMatch(/the input ended inside a message \(10 of 50 bytes\)/);
  });

  it('0 when the client closes the input after shutdown', async () => {
    const s = await started();
    s.write(request(1, 'shutdown'));
    await s.response(1);
    s.end();
    expect(await s.exit()).toBe(0);
    expect(s.stderr).toBe('');
  });

  it('1 when the client closes the output, saying so (was 0)', async () => {
    const s = await started();
    s.child.stdout!.destroy();
    s.write(request(1, 'workspace/symbol', { query: '' }));
    expect(await s.exit()).toBe(1);
    expect(s.stderr).toMatch(/the client closed the output \(exit status 1\)/);
  });

  it('2 without --stdio: a usage error that names the transport', async () => {
    const r = await runCli(['lsp']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('nurture: `lsp` needs its transport: `nurture lsp --stdio` (editors start it so; see docs/editors.md)\n');
  });
});
