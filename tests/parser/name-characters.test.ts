// The lexer's names and the plan schema's `Name` pattern agree on every code point (issue 20: `tier¹`,
// `eⅫ` passed `check` and then failed the plan validator).
import { describe, expect, it } from 'vitest';
import { lex } from '../../grammar/lexer.js';
import { Identifier } from '../../grammar/tokens.js';
import { planSchema } from '../../runtime/plan-schema.js';

const NAME = new RegExp((planSchema.$defs as Record<string, { pattern: string }>)['Name']!.pattern, 'u');
const CANDIDATE = /[\p{L}\p{M}\p{N}_]/u;

function lexesAsOneName(text: string): boolean {
  const r = lex(text, 'x.nurture');
  return r.diagnostics.length === 0 && r.tokens.length === 1 && r.tokens[0]!.tokenType === Identifier;
}

describe('name characters', () => {
  it('a name start or part is accepted by the lexer exactly when the plan schema accepts it', () => {
    const disagree: string[] = [];
    for (let cp = 0x30; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      if (!CANDIDATE.test(ch)) continue;
      // `x` and one character is never a keyword; the character first, then second
      for (const text of [`${ch}x`, `x${ch}`]) {
        if (lexesAsOneName(text) !== NAME.test(text)) disagree.push(`${JSON.stringify(text)} U+${cp.toString(16).toUpperCase()}`);
      }
    }
    expect(disagree).toEqual([]);
  });

  it('a non-decimal digit in a name is a located NUR002 that says what a name is made of', () => {
    for (const [text, column] of [['tier¹', 5], ['eⅫ', 2], ['x²y', 2]] as const) {
      const [d] = lex(text, 'x.nurture').diagnostics;
      expect(d).toMatchObject({ code: 'NUR002', span: { line: 1, column } });
      expect(d!.help).toContain('decimal digits');
    }
    expect(lexesAsOneName('n٣')).toBe(true); // an Arabic-Indic decimal digit is a digit
  });
});
