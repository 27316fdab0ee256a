// The real language server under raw abuse: bursts of garbage framing (tests/fuzz/rpc-garbage.ts) and
// well-framed requests and notifications with random methods and parameters, on a copy of an example
// workspace, and edits of its source by the source mutators (tests/fuzz/mutate.ts). After each burst a valid request must get its answer in time; no handler may fail (a guarded
// exception is logged as "… failed:"); stderr never shows a stack; and the server still ends with status 0
// after shutdown + exit.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzParams } from '../fuzz/budget.js';
import { knownFault } from '../fuzz/known-faults.js';
import { mutatedWorkspace, seedWorkspaces } from '../fuzz/mutate.js';
import { garbageBurst, randomMessage } from '../fuzz/rpc-garbage.js';
import { REPO, uriOf } from './client.js';
import { frame, notification, RawServer, request, STACK_FRAME } from './raw.js';

let dir = '';
let server: RawServer;
let uri = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nurture-lsp-fuzz-'));
  cpSync(join(REPO, 'examples', 'acme'), dir, { recursive: true });
  uri = uriOf(join(dir, 'acme.nurture'));
  server = RawServer.start(dir);
  server.write(request('init', 'initialize', { processId: null, rootUri: uriOf(dir), capabilities: {} }));
  await server.response('init');
  server.write(notification('initialized', {}));
  server.write(notification('textDocument/didOpen', { textDocument: { uri, languageId: 'nurture', version: 1, text: readFileSync(join(dir, 'acme.nurture'), 'utf8') } }));
});

afterAll(() => {
  server.kill();
  rmSync(dir, { recursive: true, force: true });
});

let nextId = 1000;
const ids = () => nextId++;
let version = 1;
const ACME = seedWorkspaces().filter((ws) => ws.name === 'examples/acme');

/** Handler failures the server logged (window/logMessage "nurture: X failed: …"). */
function handlerFailures(): string[] {
  return server.messages
    .filter((m) => m['method'] === 'window/logMessage')
    .map((m) => (m['params'] as { message: string }).message)
    .filter((t) => / failed: /.test(t));
}

describe('the language server under garbage and random requests', () => {
  it('keeps answering: after each burst, a valid request gets its answer', async () => {
    const burst = fc.record({
      garbage: fc.option(garbageBurst(), { nil: undefined }),
      messages: fc.array(randomMessage(uri, ids), { maxLength: 6 }),
      edit: fc.option(mutatedWorkspace(ACME).map((ws) => ws.files[ws.mutated]!), { nil: undefined }),
    });
    let probe = 0;
    await fc.assert(
      fc.asyncProperty(burst, async ({ garbage, messages, edit }) => {
        fc.pre(edit === undefined || knownFault(edit) === undefined);
        if (garbage) server.write(Buffer.concat([garbage, Buffer.from('\r\n')]));
        for (const m of messages) server.write(frame(m));
        if (edit !== undefined) {
          server.write(notification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ text: edit }] }));
        }
        const id = `probe-${probe++}`;
        // alternately a request on the file's tree and one that needs the checked workspace
        server.write(probe % 2 === 0 ? request(id, 'textDocument/documentSymbol', { textDocument: { uri } }) : request(id, 'workspace/symbol', { query: 'a' }));
        const answer = await server.response(id, 15_000);
        expect(answer.error, JSON.stringify(answer.error)).toBeUndefined();
        expect(handlerFailures()).toEqual([]);
        expect(server.stderr).not.toMatch(STACK_FRAME);
      }),
      { ...fuzzParams(15), endOnFailure: true },
    );
    server.write(request('bye', 'shutdown'));
    await server.response('bye');
    server.write(notification('exit'));
    expect(await server.exit()).toBe(0);
    expect(server.stderr).not.toMatch(STACK_FRAME);
    expect(server.stderr).not.toMatch(/internal error/i);
  });
});
