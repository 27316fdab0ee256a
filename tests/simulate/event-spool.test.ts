// The spool of `simulate` (runtime/event-spool.ts): every line comes back byte for byte, in time order,
// equal times in input order, whatever the size of its buffers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventSpool } from '../../runtime/event-spool.js';

function replay(spool: EventSpool): { text: string; at: number; line: number }[] {
  return [...spool.order()].map((i) => ({ text: spool.text(i), at: spool.at(i), line: spool.line(i) }));
}

describe('EventSpool', () => {
  it('gives the lines back in time order, equal times in input order', () => {
    const s = new EventSpool(16);
    const lines: [string, number][] = [
      ['{"b":1}', 20],
      ['{"a":"é€😀"}', 10],
      ['{"c":"a line longer than one buffer"}', 20],
      ['{"d":0}', 10],
    ];
    lines.forEach(([text, at], i) => s.add(text, at, 2 * i + 1));
    expect(replay(s)).toEqual([
      { text: '{"a":"é€😀"}', at: 10, line: 3 },
      { text: '{"d":0}', at: 10, line: 7 },
      { text: '{"b":1}', at: 20, line: 1 },
      { text: '{"c":"a line longer than one buffer"}', at: 20, line: 5 },
    ]);
  });

  it('an empty spool has no order; a sorted one keeps its order', () => {
    expect([...new EventSpool().order()]).toEqual([]);
    const s = new EventSpool();
    for (let i = 0; i < 3000; i++) s.add(`${i}`, Math.floor(i / 7), i + 1); // more lines than the first lists hold
    expect([...s.order()]).toEqual([...Array(3000).keys()]);
  });

  it('is a stable sort of the lines by time, for any lines and buffer size (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.integer({ min: 0, max: 5 }))), fc.integer({ min: 1, max: 32 }), (lines, block) => {
        const s = new EventSpool(block);
        lines.forEach(([text, at], i) => s.add(text, at, i + 1));
        const expected = lines.map(([text, at], i) => ({ text, at, line: i + 1 })).sort((x, y) => x.at - y.at || x.line - y.line);
        expect(replay(s)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
