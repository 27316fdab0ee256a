// Positions: the parser's spans (UTF-16 offsets, 1-based line and UTF-16 column) <-> LSP positions
// and ranges (0-based line, UTF-16 character). The server negotiates no other position encoding.
import type { Position, Range } from 'vscode-languageserver';
import type { Span } from '../grammar/ast.js';

/** The LSP range of a span (spans already count columns in UTF-16 code units). */
export function spanToRange(span: Span): Range {
  return {
    start: { line: span.line - 1, character: span.column - 1 },
    end: { line: span.endLine - 1, character: span.endColumn - 1 },
  };
}

/** Line starts of a text, for offset <-> position conversions (`\n` ends a line; `\r` is a character). */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** The offset of an LSP position, clamped to the text (a character past the line end is its end). */
  offsetAt(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.starts.length) return this.text.length;
    const start = this.starts[pos.line];
    const next = pos.line + 1 < this.starts.length ? this.starts[pos.line + 1] - 1 : this.text.length;
    return Math.min(start + Math.max(0, pos.character), next);
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }

  /** The text of one 0-based line, without its line break. */
  lineText(line: number): string {
    if (line < 0 || line >= this.starts.length) return '';
    const end = line + 1 < this.starts.length ? this.starts[line + 1] - 1 : this.text.length;
    return this.text.slice(this.starts[line], end).replace(/\r$/, '');
  }

  /** The range covering the whole text. */
  fullRange(): Range {
    return { start: { line: 0, character: 0 }, end: this.positionAt(this.text.length) };
  }
}

export function rangesOverlap(a: Range, b: Range): boolean {
  const before = (p: Position, q: Position) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}
