// The server's framing parser (lsp/framing.ts) against streams of valid messages and garbage, cut into
// random chunks: it never throws, and every valid message that follows a garbage burst ending with a line
// break is delivered, whole and in order (it resynchronises at the next `Content-Length:`).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameParser, MAX_HEADER_LINE } from '../../lsp/framing.js';
import { fuzzParams } from '../fuzz/budget.js';
import { garbageBurst } from '../fuzz/rpc-garbage.js';
import { frame } from './raw.js';

/** A valid message body, including texts that look like headers (inside JSON strings). */
const body = fc
  .record({
    id: fc.nat(),
    method: fc.constantFrom('textDocument/hover', 'workspace/symbol', 'shutdown'),
    text: fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('Content-Length: 5', '\r\nContent-Length: 3\r\n\r\n', 'é😀\u0000')),
  })
  .map((r) => JSON.stringify({ jsonrpc: '2.0', id: r.id, method: r.method, params: { query: r.text } }));

type Item = { kind: 'valid'; body: string } | { kind: 'garbage'; bytes: Buffer };
const item: fc.Arbitrary<Item> = fc.oneof(
  body.map((b) => ({ kind: 'valid' as const, body: b })),
  garbageBurst().map((bytes) => ({ kind: 'garbage' as const, bytes: Buffer.concat([bytes, Buffer.from('\r\n')]) })),
);

function chunked(bytes: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let last = 0;
  for (const c of [...at, bytes.length]) {
    if (c > last) out.push(bytes.subarray(last, c));
    last = c;
  }
  return out;
}

describe('FrameParser', () => {
  it('delivers every valid message after garbage, whatever the chunking', () => {
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 12 }), (items, cuts) => {
        const stream = Buffer.concat(items.map((i) => (i.kind === 'valid' ? frame(i.body) : i.bytes)));
        const parser = new FrameParser();
        const bodies: string[] = [];
        for (const chunk of chunked(stream, cuts)) {
          for (const f of parser.push(chunk)) if (f.kind === 'body') bodies.push(f.body.toString('utf8'));
        }
        // every valid body is there, in order (garbage may add bodies of its own in between)
        let at = 0;
        for (const i of items) {
          if (i.kind !== 'valid') continue;
          const found = bodies.indexOf(i.body, at);
          expect(found, `valid body ${i.body} lost; bodies: ${JSON.stringify(bodies)}`).toBeGreaterThanOrEqual(0);
          at = found + 1;
        }
      }),
      fuzzParams(300),
    );
  });

  it('bounds what it holds: a header line over the limit is skipped, not buffered', () => {
    const parser = new FrameParser();
    const problems = parser.push(Buffer.alloc(MAX_HEADER_LINE * 4, 'x')).filter((f) => f.kind === 'problem');
    expect(problems).toHaveLength(1);
    const after = parser.push(frame('{"jsonrpc":"2.0","method":"x"}'));
    expect(after).toEqual([{ kind: 'body', body: Buffer.from('{"jsonrpc":"2.0","method":"x"}') }]);
  });

  it('waits for a body that ends like the start of a header before deciding', () => {
    const parser = new FrameParser();
    expect(parser.push(Buffer.from('Content-Length: 9\r\n\r\n{"a"\r\nCon'))).toEqual([]);
    const rest = parser.push(Buffer.from('tent-Length: 2\r\n\r\n{}'));
    expect(rest.map((f) => f.kind)).toEqual(['problem', 'body']);
    expect(rest[1]).toEqual({ kind: 'body', body: Buffer.from('{}') });
  });
});
