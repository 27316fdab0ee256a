// The real language server under raw abuse: bursts of garbage framing (tests/fuzz/rpc-garbage.ts) and
// well-framed requests and notifications with random methods and parameters, on a copy of an example
// workspace. After each burst a valid request must get its answer in time; no handler may fail (a guarded
// exception is logged as "… failed:"); stderr never shows a stack; and the server still ends with status 0
// after shutdown + exit.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzParams } from '../fuzz/budget.js';
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
});

afterAll(() => {
  server.kill();
  rmSync(dir, { recursive: true, force: true });
});

let nextId = 1000;
const ids = () => nextId++;

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
    });
    let probe = 0;
    await fc.assert(
      fc.asyncProperty(burst, async ({ garbage, messages }) => {
        if (garbage) server.write(Buffer.concat([garbage, Buffer.from('\r\n')]));
        for (const m of messages) server.write(frame(m));
        const id = `probe-${probe++}`;
        server.write(request(id, 'textDocument/documentSymbol', { textDocument: { uri } }));
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
