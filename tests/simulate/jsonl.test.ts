import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonlEntries } from '../../runtime/jsonl.js';

/** The entries of a text, as values and errors with their line numbers. */
function parseJsonl(text: string): { values: { line: number; value: unknown }[]; errors: { line: number; reason: string }[] } {
  const values: { line: number; value: unknown }[] = [];
  const errors: { line: number; reason: string }[] = [];
  for (const e of jsonlEntries(text)) {
    if (e.error === null) values.push({ line: e.line, value: e.value });
    else errors.push({ line: e.line, reason: e.error });
  }
  return { values, errors };
}

describe('jsonlEntries', () => {
  it('numbers lines from 1, skips blank lines, accepts CRLF and a BOM', () => {
    const r = parseJsonl('\ufeff{"a":1}\r\n\r\n  \n[2]\n{bad\n"x"');
    expect(r.values).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 4, value: [2] },
      { line: 6, value: 'x' },
    ]);
    expect(r.errors).toEqual([{ line: 5, reason: "invalid JSON: column 2: Expected property name or '}'" }]);
  });

  it('an empty text has no entries; a final newline adds no line', () => {
    expect(parseJsonl('')).toEqual({ values: [], errors: [] });
    expect(parseJsonl('1\n').values).toEqual([{ line: 1, value: 1 }]);
  });

  it('every non-blank line is either a value or an error, at its own line number (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.json(), fc.constant(''), fc.string({ maxLength: 8 }).filter((s) => !s.includes('\n') && !s.includes('\r')))), (lines) => {
        const r = parseJsonl(lines.join('\n'));
        const expected = lines.map((l, i) => ({ l, line: i + 1 })).filter(({ l }) => l.trim() !== '' && l.replace(/\ufeff/g, '').trim() !== '');
        const got = [...r.values.map((v) => v.line), ...r.errors.map((e) => e.line)].sort((a, b) => a - b);
        expect(got).toEqual(expected.map((e) => e.line));
        for (const v of r.values) expect(v.value).toEqual(JSON.parse(lines[v.line - 1]!));
      }),
    );
  });
});
