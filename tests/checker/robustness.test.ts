// The checker never throws, whatever the parser hands it, and does not cascade on broken trees.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkWorkspace } from '../../compiler/check.js';
import type { SourceFile, Span } from '../../grammar/ast.js';
import { checkSources } from '../../compiler/workspace.js';
import { checkSnippet, codes, SPEC_EXAMPLE } from './helpers.js';

const span: Span = { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };
const missing = { text: '', span };

describe('partial trees', () => {
  it('skips missing names and error expressions silently', () => {
    const file: SourceFile = {
      kind: 'file', path: 'x.nurture', comments: [], span,
      declarations: [
        { kind: 'event', name: missing, fields: [{ kind: 'field', name: missing, type: { kind: 'namedType', name: missing, span }, span }], span },
        { kind: 'content', name: missing, properties: [{ kind: 'property', key: missing, value: { kind: 'error', span }, span }], span },
        { kind: 'segment', name: { text: 's', span }, condition: { kind: 'error', span }, span },
        { kind: 'threshold', name: missing, condition: { kind: 'compare', op: '<', opSpan: span, left: { kind: 'error', span }, right: { kind: 'name', name: missing, span }, span }, actions: [{ kind: 'set', target: missing, value: { kind: 'error', span }, span }], span },
        { kind: 'journey', name: missing, items: [{ kind: 'send', content: missing, span }, { kind: 'entryOn', event: missing, span }], span },
        { kind: 'test', name: { kind: 'text', value: '', raw: '""', span }, statements: [{ kind: 'occur', event: missing, properties: [], span }, { kind: 'expect', condition: { kind: 'error', span }, span }], span },
      ],
    };
    const { diagnostics } = checkWorkspace([file]);
    // only the structural NUR312 (a setting after a step) is left: no unknown names, no type errors
    expect(codes(diagnostics)).toEqual(['NUR312']);
  });

  it('reports only the syntax error for an unfinished condition', () => {
    expect(codes(checkSnippet('segment s = budget >=\nsegment t = fit > 1'))).toEqual(['NUR001']);
  });
});

describe('fuzzing with damaged sources', () => {
  const lines = SPEC_EXAMPLE.split('\n');

  function assertWellFormed(text: string) {
    const { diagnostics } = checkSources([{ path: 'f.nurture', text }]);
    for (const d of diagnostics) {
      expect(d.span.start).toBeGreaterThanOrEqual(0);
      expect(d.span.end).toBeLessThanOrEqual(text.length);
      expect(d.span.start).toBeLessThanOrEqual(d.span.end);
      expect(d.message.length).toBeGreaterThan(0);
      for (const r of d.related ?? []) expect(r.file).toBe('f.nurture');
    }
  }

  it('survives deleted line ranges', () => {
    fc.assert(
      fc.property(fc.nat(lines.length - 1), fc.nat(12), (from, count) => {
        assertWellFormed([...lines.slice(0, from), ...lines.slice(from + count)].join('\n'));
      }),
      { numRuns: 150 },
    );
  });

  it('survives deleted and inserted characters', () => {
    const text = SPEC_EXAMPLE;
    const junk = fc.constantFrom('', '{', '}', 'x', ' is ', '"', '(', 'where', '42', ':', ',', '=', 'and', '%', '\n');
    fc.assert(
      fc.property(fc.nat(text.length), fc.nat(30), junk, (at, cut, insert) => {
        assertWellFormed(text.slice(0, at) + insert + text.slice(at + cut));
      }),
      { numRuns: 300 },
    );
  });

  it('survives renamed identifiers (every name unknown somewhere)', () => {
    const words = [...new Set(SPEC_EXAMPLE.match(/\b[a-z_]{3,}\b/g))];
    fc.assert(
      fc.property(fc.constantFrom(...words), (word) => {
        assertWellFormed(SPEC_EXAMPLE.replaceAll(new RegExp(`\\b${word}\\b`, 'g'), `${word}x`));
      }),
      { numRuns: 100 },
    );
  });
});
