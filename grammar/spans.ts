// Spans from tokens, and duration units. Small helpers shared by the lexer and parser.
import type { IToken } from 'chevrotain';
import type { DurationUnit, Span } from './ast.js';

/** The span of one token (tokens never cross lines: texts cannot hold raw newlines). */
export function tokenSpan(tok: IToken): Span {
  if (Number.isNaN(tok.startOffset)) return { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };
  const line = tok.startLine ?? 1;
  const column = tok.startColumn ?? 1;
  const length = tok.endOffset! + 1 - tok.startOffset;
  return { start: tok.startOffset, end: tok.startOffset + length, line, column, endLine: line, endColumn: column + length };
}

/** From the start of `first` to the end of `last`. */
export function spanOfTokens(first: IToken, last: IToken): Span {
  if (last === first || Number.isNaN(last.startOffset) || Number.isNaN(first.startOffset) || last.endOffset! < first.endOffset!) {
    return tokenSpan(first);
  }
  return {
    start: first.startOffset, end: last.endOffset! + 1, line: first.startLine!, column: first.startColumn!,
    endLine: last.endLine!, endColumn: last.endColumn! + 1,
  };
}

const DAY = 86_400_000;
export const UNIT_MS: Record<DurationUnit, number> = {
  minute: 60_000, hour: 3_600_000, day: DAY, week: 7 * DAY, month: 30 * DAY, year: 365 * DAY,
};

export const UNIT_WORDS: readonly string[] = Object.keys(UNIT_MS).flatMap((u) => [u, `${u}s`]);

/** `7 days` -> ms; undefined when the unit is not a duration unit. */
export function durationOf(amount: number, word: string): { unit: DurationUnit; ms: number } | undefined {
  const unit = (word.endsWith('s') ? word.slice(0, -1) : word) as DurationUnit;
  const ms = Object.prototype.hasOwnProperty.call(UNIT_MS, unit) ? UNIT_MS[unit] : undefined;
  return ms === undefined ? undefined : { unit, ms: amount * ms };
}

/** 1-based line and column just after the last character of `text` (where a file's span ends). */
export function endPosition(text: string): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: text.length - lineStart + 1 };
}
