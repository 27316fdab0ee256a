// Comment bookkeeping and source scanning for the nurture printer.
//
// How comments are kept (the whole strategy in one place):
//
// The printer does NOT use prettier's generic comment attachment (it defines no `canAttachComment`,
// so prettier leaves comments alone). nurture is line-oriented: almost everything a person writes
// is a *line item* — a declaration, a field, a property, a score or pressure rule, a journey
// setting, a step, a split branch, a test statement. The printer walks those items in source order
// and a `CommentCursor` hands out each comment exactly once, by offset:
//
//   * leading   — comments between the previous item and this one: printed on their own lines,
//                 just above the item, at the item's indentation (blank lines around them kept,
//                 collapsed to one);
//   * trailing  — the comment that starts on the line where an item ends: printed after the item on
//                 the same line (as a `lineSuffix`, so it lands after a separating `,` too, and with a
//                 `breakParent`, so a one-line group such as `{ a: x, b: y }` breaks rather than
//                 swallow the rest of the line);
//   * head      — an end-of-line comment after an opening `{` (or anywhere in the header before it):
//                 printed after the `{` on the same line;
//   * interior  — a comment inside an item's own text that the printer joins onto one line (e.g.
//                 inside a condition written over several lines): if it is the only comment of the
//                 item it becomes the item's trailing comment, otherwise all of them move, in order,
//                 onto their own lines just above the item (two comments can never share a line:
//                 a comment runs to the end of the line);
//   * dangling  — comments before a closing `}` (after the last item, or in an empty block): own
//                 lines inside the block; at the end of the file: own lines at the end.
//
// Every comment is thus printed exactly once and in the original order. `formatSource` and the
// printer itself also re-parse the output and compare syntax trees and comment texts (see
// verify.ts), so a formatter bug can only ever produce an error, never a changed program.
import type { Comment } from '../grammar/ast.js';
import { indexOfCode } from '../grammar/scan.js';

export class CommentCursor {
  private readonly comments: Comment[];
  private index = 0;

  constructor(
    private readonly text: string,
    comments: readonly Comment[],
  ) {
    this.comments = [...comments].sort((a, b) => a.span.start - b.span.start);
  }

  peek(): Comment | undefined {
    return this.comments[this.index];
  }

  /** All comments not yet printed that start before `offset`. */
  takeBefore(offset: number): Comment[] {
    const taken: Comment[] = [];
    while (this.index < this.comments.length && this.comments[this.index]!.span.start < offset) {
      taken.push(this.comments[this.index++]!);
    }
    return taken;
  }

  /** The next comment when it starts on the same line as `end` (and before `limit`). */
  takeTrailing(end: number, limit: number): Comment | undefined {
    const c = this.peek();
    if (!c || c.span.start < end || c.span.start >= limit) return undefined;
    if (!sameLine(this.text, end, c.span.start)) return undefined;
    this.index++;
    return c;
  }

  /** The next comment when it is an end-of-line comment starting before `limit`. */
  takeHead(limit: number): Comment | undefined {
    const c = this.peek();
    if (!c || c.span.start >= limit || !isEndOfLineComment(this.text, c)) return undefined;
    this.index++;
    return c;
  }

  remaining(): Comment[] {
    return this.takeBefore(Number.POSITIVE_INFINITY);
  }
}

/** The comment text as printed: trailing whitespace (and a CR) dropped. */
export function commentText(c: Comment): string {
  return c.text.trimEnd();
}

/** True when code precedes the comment on its line. */
export function isEndOfLineComment(text: string, c: Comment): boolean {
  for (let i = c.span.start - 1; i >= 0; i--) {
    const ch = text[i]!;
    if (ch === '\n') return false;
    if (ch !== ' ' && ch !== '\t' && ch !== '\r' && ch !== '\f' && ch !== '\v' && ch !== '\uFEFF') return true;
  }
  return false;
}

export function sameLine(text: string, from: number, to: number): boolean {
  return !text.slice(Math.min(from, to), Math.max(from, to)).includes('\n');
}

/** True when the text between the two offsets contains an empty (whitespace-only) line. */
export function blankLineBetween(text: string, from: number, to: number): boolean {
  if (to <= from) return false;
  return /\n[ \t\r\f\v]*\n/.test(text.slice(from, to));
}

/**
 * Offset of the next `ch` at or after `from`, skipping comments and quoted text. Used to find the
 * braces of blocks, which the syntax tree does not record. Throws when there is none (the tree and
 * the text disagree: an internal error, never a silent mangling).
 */
export function scanTo(text: string, from: number, ch: string): number {
  const at = indexOfCode(text, ch, from);
  if (at >= 0) return at;
  throw new Error(`internal formatter error: expected \`${ch}\` after offset ${from}`);
}
