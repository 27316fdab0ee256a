// JSON Lines read from a file part by part (runtime/jsonl-file.ts) give exactly what the whole text gives,
// whatever the size of the parts and wherever they cut (inside a line, a CRLF, a multi-byte character).
import { closeSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonlEntries } from '../../runtime/jsonl.js';
import { jsonlFileEntries } from '../../runtime/jsonl-file.js';

const dir = mkdtempSync(join(tmpdir(), 'nurture-jsonl-'));
let n = 0;
const fds: number[] = [];
afterAll(() => fds.forEach((fd) => closeSync(fd)));

/** The entries of `text` written to a file and read back in parts of `part` bytes. */
function fromFile(text: string, part: number, maxLine?: number) {
  const path = join(dir, `${n++}.jsonl`);
  writeFileSync(path, text);
  const fd = openSync(path, 'r');
  fds.push(fd);
  return [...jsonlFileEntries(fd, part, maxLine)];
}

describe('jsonlFileEntries', () => {
  it('reads a file in small parts exactly as the whole text', () => {
    const text = '\ufeff{"a":"é€😀"}\r\n\r\n  \n[2]\n{bad\n"x"';
    const whole = [...jsonlEntries(text)];
    expect(whole.map((e) => e.line)).toEqual([1, 4, 5, 6]);
    for (const part of [1, 2, 3, 5, 7, 64]) expect(fromFile(text, part), `parts of ${part}`).toEqual(whole);
  });

  it('an empty file has no entries; a final newline adds no line', () => {
    expect(fromFile('', 4)).toEqual([]);
    expect(fromFile('1\n', 4)).toEqual([{ line: 1, value: 1, error: null, text: '1' }]);
    expect(fromFile('1\n\n2', 1).map((e) => e.line)).toEqual([1, 3]);
  });

  it('a line longer than the limit is reported at its number and skipped; the next lines are read', () => {
    const long = `{"lead":"${'x'.repeat(100)}"}`;
    const got = fromFile(`1\n${long}\n2\n${long}`, 4, 32);
    expect(got).toEqual([
      { line: 1, value: 1, error: null, text: '1' },
      { line: 2, value: undefined, error: 'line longer than 32 bytes; skipped' },
      { line: 3, value: 2, error: null, text: '2' },
      { line: 4, value: undefined, error: 'line longer than 32 bytes; skipped' },
    ]);
  });

  it('gives the entries of the whole text for any text and part size (property)', () => {
    const line = fc.oneof(
      fc.json(),
      fc.constant(''),
      fc.constant('\r'),
      fc.string({ maxLength: 6, unit: 'grapheme' }).filter((s) => !s.includes('\n')),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), fc.boolean(), fc.integer({ min: 1, max: 40 }), (lines, bom, part) => {
        const text = (bom ? '\ufeff' : '') + lines.join('\n');
        expect(fromFile(text, part, 1 << 20)).toEqual([...jsonlEntries(text)]);
      }),
      { numRuns: 200 },
    );
  });
});
