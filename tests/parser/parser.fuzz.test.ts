// Property-based robustness: whatever the input, the parser returns a tree and diagnostics,
// never throws, never hangs, and every diagnostic points inside the text.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFile } from '../../grammar/parse.js';
import { CONTEXTUAL_WORDS, RESERVED_WORDS } from '../../grammar/tokens.js';
import { fuzzParams } from '../fuzz/budget.js';

const SPEC = readFileSync(new URL('../fixtures/valid/spec-example.nurture', import.meta.url), 'utf8');

const PIECES = [
  ...CONTEXTUAL_WORDS, ...RESERVED_WORDS, '{', '}', '[', ']', '(', ')', ',', ':', '=', '==', '!=', '<', '<=', '>',
  '>=', '+', '-', '*', '/', '"text"', '"unterminated', '12', '3.5', '10%', '150%', '09:00', '25:61', '2026-01-05',
  '2026-02-30', '7 days', 'per day', '\n', ' ', '#comment\n', 'é', '@', '\u0000', '\\', '😀', 'x_1',
];

function checkInvariants(text: string): void {
  const t0 = performance.now();
  const { file, diagnostics } = parseFile(text, 'fuzz.nurture');
  expect(performance.now() - t0).toBeLessThan(2000);
  expect(Array.isArray(file.declarations)).toBe(true);
  for (const d of file.declarations) expect(d).toBeTypeOf('object');
  for (const d of diagnostics) {
    expect(d.span.start).toBeGreaterThanOrEqual(0);
    expect(d.span.end).toBeLessThanOrEqual(text.length);
    expect(d.span.start).toBeLessThanOrEqual(d.span.end);
    expect(d.span.line).toBeGreaterThanOrEqual(1);
    expect(d.span.column).toBeGreaterThanOrEqual(1);
    expect(d.message.length).toBeGreaterThan(0);
    expect(['NUR001', 'NUR002', 'NUR003', 'NUR004']).toContain(d.code); // NUR004: a lone surrogate reads as an invalid byte
  }
  // the tree never holds undefined: the editor and checker walk it blindly
  const walk = (v: unknown, path: string): void => {
    if (v === undefined || v === null) throw new Error(`hole in the tree at ${path} for input ${JSON.stringify(text)}`);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
  };
  walk(file, '$');
}

describe('parser robustness (property-based)', () => {
  it('survives arbitrary text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), checkInvariants), fuzzParams(300));
  });

  it('survives sequences of language pieces', () => {
    const program = fc.array(fc.constantFrom(...PIECES), { maxLength: 120 }).map((xs) => xs.join(' '));
    fc.assert(fc.property(program, checkInvariants), fuzzParams(400));
  });

  it('survives mutations of the spec example and reports what breaks', () => {
    const mutation = fc.record({
      at: fc.nat({ max: SPEC.length }),
      cut: fc.nat({ max: 40 }),
      insert: fc.array(fc.constantFrom(...PIECES), { maxLength: 4 }).map((xs) => xs.join(' ')),
    });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (ms) => {
        let text = SPEC;
        for (const m of ms) text = text.slice(0, m.at) + m.insert + text.slice(Math.min(text.length, m.at + m.cut));
        checkInvariants(text);
      }),
      fuzzParams(300),
    );
  });

  it('reports at least one diagnostic when a closing brace is removed', () => {
    const closers = [...SPEC.matchAll(/\}/g)].map((m) => m.index!);
    fc.assert(
      fc.property(fc.constantFrom(...closers), (at) => {
        const text = SPEC.slice(0, at) + SPEC.slice(at + 1);
        expect(parseFile(text, 'x.nurture').diagnostics.length).toBeGreaterThan(0);
      }),
      fuzzParams(60),
    );
  });
});
