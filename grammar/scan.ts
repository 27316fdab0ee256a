// Lexical facts about raw source text, for the tools that look at text without lexing all of it (the
// server's declaration cutter and completion, the formatter's brace finder, the `expect` texts of
// `nurture test`). The rules are the lexer's (lexer.ts; tests/parser/scan.test.ts checks that they
// agree): a comment runs from `#` to the end of its line; a text runs from `"` to the next unescaped
// `"` on the same line (`\` escapes the next character, never a line break).
import { CONTINUING_PUNCTUATION, CONTINUING_WORDS, DECLARATION_WORDS } from './tokens.js';

const QUOTE = 34;
const HASH = 35;
const BACKSLASH = 92;
const LF = 10;
const CR = 13;

/** Where the text literal opening at `start` (a `"`) ends: after its closing `"`, or at its line's end. */
export function textEnd(source: string, start: number): number {
  return scanText(source, start).end;
}

function scanText(source: string, start: number): { end: number; closed: boolean } {
  const n = source.length;
  let i = start + 1;
  while (i < n) {
    const c = source.charCodeAt(i);
    if (c === QUOTE) return { end: i + 1, closed: true };
    if (c === LF || (c === CR && source.charCodeAt(i + 1) === LF)) return { end: i, closed: false };
    const next = source.charCodeAt(i + 1);
    i += c === BACKSLASH && next !== LF && next !== CR ? 2 : 1;
  }
  return { end: n, closed: false };
}

/** Where the comment opening at `start` (a `#`) ends: at its line feed (or the end of the text). */
export function commentEnd(source: string, start: number): number {
  const nl = source.indexOf('\n', start);
  return nl < 0 ? source.length : nl;
}

/** Whether the end of `prefix` (the start of a line up to a cursor) is in code, in a text or in a comment. */
export function lineState(prefix: string): 'code' | 'text' | 'comment' {
  for (let i = 0; i < prefix.length; ) {
    const c = prefix.charCodeAt(i);
    if (c === HASH) return 'comment';
    if (c === QUOTE) {
      const t = scanText(prefix, i);
      if (!t.closed) return 'text';
      i = t.end;
      continue;
    }
    i++;
  }
  return 'code';
}

/**
 * The source between two offsets as one line: comments dropped, every run of blanks and line breaks
 * outside texts made one space, trimmed (`expect (a and\n  b)  # why` → `expect (a and b)`).
 */
export function codeText(source: string, from: number, to: number): string {
  let out = '';
  let blank = false;
  for (let i = from; i < to; ) {
    const c = source.charCodeAt(i);
    if (c === HASH) {
      i = commentEnd(source, i);
      continue;
    }
    if (c === 32 || c === 9 || c === LF || c === CR) {
      blank = true;
      i++;
      continue;
    }
    if (blank && out !== '') out += ' ';
    blank = false;
    const end = c === QUOTE ? Math.min(textEnd(source, i), to) : i + 1;
    out += source.slice(i, end);
    i = end;
  }
  return out;
}

/** The offset of the next `ch` at or after `from` outside comments and texts, or -1. */
export function indexOfCode(source: string, ch: string, from: number): number {
  const code = ch.charCodeAt(0);
  for (let i = from; i < source.length; ) {
    const c = source.charCodeAt(i);
    if (c === code) return i;
    if (c === HASH) i = commentEnd(source, i);
    else if (c === QUOTE) i = textEnd(source, i);
    else i++;
  }
  return -1;
}

const DECLARATION_START = new RegExp(`^(?:${DECLARATION_WORDS.join('|')})(?![\\p{L}\\p{M}\\p{N}_])`, 'u');
const LONGEST_DECLARATION_WORD = Math.max(...DECLARATION_WORDS.map((w) => w.length)) + 2;

/** Whether a declaration keyword (a whole word) is at `at`. */
export function declarationWordAt(source: string, at: number): boolean {
  return DECLARATION_START.test(source.slice(at, at + LONGEST_DECLARATION_WORD));
}

const CONTINUES = new RegExp(
  `(?:${CONTINUING_PUNCTUATION.map((p) => p.replace(/[()[\]+*/]/g, '\\$&')).join('|')}|(?<![\\p{L}\\p{M}\\p{N}_])(?:${CONTINUING_WORDS.join('|')}))$`,
  'u',
);
const LONGEST_CONTINUING = Math.max(...CONTINUING_WORDS.map((w) => w.length)) + 1;

/** Whether the code ending at `last` (inclusive: its last non-blank character) ends with a token that continues. */
export function continuesAfter(source: string, last: number): boolean {
  if (last < 0) return false;
  return CONTINUES.test(source.slice(Math.max(0, last - LONGEST_CONTINUING), last + 1));
}

/** Whether a token image (a word or punctuation) leaves its statement unfinished. */
export function isContinuing(image: string): boolean {
  return (CONTINUING_WORDS as readonly string[]).includes(image) || (CONTINUING_PUNCTUATION as readonly string[]).includes(image);
}
