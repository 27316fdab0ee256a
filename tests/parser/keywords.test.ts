// The grammar's knowledge in one place (grammar/tokens.ts, grammar/scan.ts): the keyword lists are the
// lexer's keyword tokens, the declaration keywords are the ones the parser starts a declaration
// with, and the raw-text scanners end texts and comments where the lexer does.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { lex } from '../../grammar/lexer.js';
import { parseFile } from '../../grammar/parse.js';
import { codeText, commentEnd, lineState, textEnd } from '../../grammar/scan.js';
import { ALL_TOKENS, CONTINUING_WORDS, DECLARATION_WORDS, KEYWORDS, KW, STATEMENT_WORDS, tokenClass } from '../../grammar/tokens.js';
import { fuzzParams } from '../fuzz/budget.js';

describe('keywords', () => {
  test('KEYWORDS are exactly the lexer\'s keyword tokens', () => {
    const keywordTokens = ALL_TOKENS.filter((t) => tokenClass(t) === 'keyword').map((t) => t.name).sort();
    expect(keywordTokens).toEqual(KEYWORDS.map((w) => `Kw_${w}`).sort());
    for (const w of KEYWORDS) {
      const [t, ...rest] = lex(w, 'f').tokens;
      expect(rest).toEqual([]);
      expect(t?.tokenType).toBe(KW[w]);
    }
    expect(tokenClass(lex('journeys', 'f').tokens[0]!.tokenType)).toBe('name');
  });

  test('the declaration keywords are the words a top-level declaration starts with', () => {
    const starts = KEYWORDS.filter((w) => parseFile(`${w} x {`, 'f').file.declarations.length > 0);
    expect([...starts].sort()).toEqual([...DECLARATION_WORDS].sort());
  });

  test('statement and continuing words are keywords', () => {
    for (const w of [...STATEMENT_WORDS, ...CONTINUING_WORDS]) expect(KEYWORDS).toContain(w);
  });
});

describe('raw-text scanning agrees with the lexer', () => {
  const piece = fc.constantFrom('"', '\\', '#', '\n', '\r\n', '\r', ' ', 'a', 'é', '{', '}', '\\"', '\\n', '1');
  test('texts and comments end where the lexer ends them', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (parts) => {
        const source = parts.join('');
        const { tokens, comments, diagnostics } = lex(source, 'f');
        for (const t of tokens) if (tokenClass(t.tokenType) === 'text') expect(textEnd(source, t.startOffset)).toBe(t.endOffset! + 1);
        for (const c of comments) {
          const end = commentEnd(source, c.span.start);
          expect(source.slice(c.span.end, end)).toMatch(/^\r?$/); // the lexer leaves a CR before the LF out
        }
        // the state at the end of the last line: in a comment or an open text exactly when the lexer says so
        const last = source.split('\n').pop()!;
        const lineStart = source.length - last.length;
        const inComment = comments.some((c) => c.span.start >= lineStart);
        const inText = diagnostics.some((d) => d.message.startsWith('unterminated text') && d.span.start >= lineStart);
        expect(lineState(last)).toBe(inComment ? 'comment' : inText ? 'text' : 'code');
      }),
      fuzzParams(300),
    );
  });

  test('code text: comments dropped, blanks outside texts collapsed', () => {
    const src = 'expect (a and   # why\n    b)  # "no"\nexpect x is "a  # b"';
    expect(codeText(src, 0, src.indexOf(')') + 1)).toBe('expect (a and b)');
    expect(codeText(src, src.lastIndexOf('expect'), src.length)).toBe('expect x is "a  # b"');
  });
});
