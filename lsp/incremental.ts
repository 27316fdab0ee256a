// The language server's workspace: like `compiler/workspace.ts` (per-file syntax trees, one checked
// model from `checkWorkspace`, the same diagnostics as the CLI), with one more level of caching for
// large files: a file is cut into its top-level declarations, and after an edit only the
// declarations whose text changed are parsed again (the others keep their trees: the same nodes
// where they did not move, shifted copies where they did — a tree once returned never changes). A
// 5,000-line file then costs a few milliseconds to re-parse instead of a whole parse.
//
// A cut is made only where the whole-file parser is certainly between two declarations: at the start
// of a line that begins (column 1) with a declaration keyword, outside any `{ … }`, when the previous
// line of code does not end with a token that continues an expression or list (`,`, `and`, `=`, `:`,
// an operator, `(`, `[`: CONTINUING_WORDS and CONTINUING_PUNCTUATION of grammar/tokens.ts). From a
// declaration with a syntax error on, the rest of the file is parsed as one piece (see `dirty`), so
// trees and syntax errors stay exactly the CLI's.
import type { Span, SourceFile } from '../grammar/ast.js';
import { parseFile, type ParseResult } from '../grammar/parse.js';
import { commentEnd, continuesAfter, declarationWordAt, textEnd } from '../grammar/scan.js';
import { endPosition } from '../grammar/spans.js';
import { IncrementalChecker } from '../compiler/incremental-check.js';
import { Workspace } from '../compiler/workspace.js';

interface Piece {
  start: number;
  line: number; // 1-based line of the first character
  text: string;
}

/** Cuts a text into pieces that each hold whole top-level declarations (see the header). */
export function splitDeclarations(text: string): Piece[] {
  const cuts: number[] = [0];
  let depth = 0;
  let broken = false; // a stray `}`: no more cuts
  let lastCode = -1; // offset of the last non-blank character of code (not comment) seen
  const n = text.length;
  let i = 0;
  let atLineStart = true;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (atLineStart) {
      atLineStart = false;
      if (i > 0 && depth === 0 && !broken && ((c >= 97 && c <= 122) || c === 95 || c > 127)) {
        if (declarationWordAt(text, i) && !continuesAfter(text, lastCode)) cuts.push(i);
      }
    }
    if (c === 10) { atLineStart = true; i++; continue; }
    if (c === 35 /* # */) {
      i = commentEnd(text, i);
      continue;
    }
    if (c === 34 /* " */) {
      i = textEnd(text, i);
      lastCode = i - 1;
      continue;
    }
    if (c === 123) depth++;
    else if (c === 125) {
      depth--;
      if (depth < 0) broken = true;
    }
    if (c !== 32 && c !== 9 && c !== 13) lastCode = i;
    i++;
  }
  const pieces: Piece[] = [];
  let line = 1;
  let lineFrom = 0;
  for (let k = 0; k < cuts.length; k++) {
    const start = cuts[k];
    const end = k + 1 < cuts.length ? cuts[k + 1] : n;
    for (let j = text.indexOf('\n', lineFrom); j !== -1 && j < start; j = text.indexOf('\n', j + 1)) {
      line++;
      lineFrom = j + 1;
    }
    lineFrom = Math.max(lineFrom, start);
    pieces.push({ start, line, text: text.slice(start, end) });
  }
  return pieces;
}

function isSpan(v: unknown): v is Span {
  const s = v as Span;
  return typeof s === 'object' && s !== null && typeof s.start === 'number' && typeof s.endColumn === 'number' && typeof s.line === 'number';
}

/**
 * A parse result (tree and diagnostics) with every span moved by `dOffset` characters and `dLine`
 * lines. A result already handed out is copied, never changed: an older model may still be read
 * (completion reads the last one while the next is built). A `fresh` one (just parsed, seen by no one)
 * is moved in place. With no move, the result itself is returned (structural sharing). The parser
 * shares span objects between nodes (a property and its value), nothing else: spans are moved once
 * each and stay shared in a copy.
 */
function moved(result: ParseResult, dOffset: number, dLine: number, fresh: boolean): ParseResult {
  if (dOffset === 0 && dLine === 0) return result;
  const spans = new Map<Span, Span>();
  const visit = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    if (Array.isArray(v)) {
      const out: unknown[] = fresh ? v : new Array(v.length);
      for (let i = 0; i < v.length; i++) out[i] = visit(v[i]);
      return out;
    }
    if (isSpan(v)) {
      let out = spans.get(v);
      if (!out) {
        const at: Span = { start: v.start + dOffset, end: v.end + dOffset, line: v.line + dLine, column: v.column, endLine: v.endLine + dLine, endColumn: v.endColumn };
        out = fresh ? Object.assign(v, at) : at;
        spans.set(v, out);
      }
      return out;
    }
    const out = fresh ? (v as Record<string, unknown>) : { ...(v as Record<string, unknown>) };
    for (const key in out) {
      const x = out[key];
      if (typeof x === 'object' && x !== null) out[key] = visit(x);
    }
    return out;
  };
  const file = result.file;
  return {
    file: { ...file, declarations: visit(file.declarations) as SourceFile['declarations'], comments: visit(file.comments) as SourceFile['comments'] },
    diagnostics: visit(result.diagnostics) as ParseResult['diagnostics'],
  };
}

interface Parsed {
  piece: Piece;
  result: ParseResult; // spans at the piece's place in the file
}

/**
 * A piece with a syntax error (or an unterminated text) is not cut from what follows: the parser's
 * recovery may read on into the next declarations. From such a piece to the end of the file, the
 * text is parsed as one piece — exactly as the whole-file parser sees it, since every piece before
 * it was parsed without error and left the parser between two declarations.
 */
function dirty(result: ParseResult): boolean {
  return result.diagnostics.some((d) => d.code === 'NUR001' || d.code === 'NUR002');
}

class IncrementalFile {
  private pieces: Parsed[] = [];

  parse(text: string, path: string): ParseResult {
    const pieces = splitDeclarations(text);
    if (pieces.length <= 1) {
      this.pieces = [];
      return parseFile(text, path);
    }
    const old = new Map<string, Parsed[]>();
    for (const p of this.pieces) {
      const list = old.get(p.piece.text);
      if (list) list.push(p);
      else old.set(p.piece.text, [p]);
    }
    const next: Parsed[] = [];
    const take = (piece: Piece): ParseResult => {
      const reuse = old.get(piece.text)?.shift();
      if (reuse) return moved(reuse.result, piece.start - reuse.piece.start, piece.line - reuse.piece.line, false);
      return moved(parseFile(piece.text, path), piece.start, piece.line - 1, true);
    };
    for (let k = 0; k < pieces.length; k++) {
      const piece = pieces[k];
      const result = take(piece);
      if (k < pieces.length - 1 && dirty(result)) {
        const tail: Piece = { start: piece.start, line: piece.line, text: text.slice(piece.start) };
        next.push({ piece: tail, result: take(tail) });
        break;
      }
      next.push({ piece, result });
    }
    this.pieces = next;
    const whole = parseFile('', path); // for the file span's shape
    const end = endPosition(text);
    const file: SourceFile = {
      ...whole.file,
      declarations: next.flatMap((p) => p.result.file.declarations),
      comments: next.flatMap((p) => p.result.file.comments),
      span: { start: 0, end: text.length, line: 1, column: 1, endLine: end.line, endColumn: end.column },
    };
    return { file, diagnostics: next.flatMap((p) => p.result.diagnostics) };
  }
}


/**
 * The CLI's Workspace (same checker, analyses and diagnostics) with each file parsed incrementally and
 * only what an edit touches checked again (compiler/incremental-check.ts).
 */
export function incrementalWorkspace(checker = new IncrementalChecker()): Workspace {
  return new Workspace({
    fileParser: () => {
      const file = new IncrementalFile();
      return (text, path) => file.parse(text, path);
    },
    checker: (files) => checker.check(files),
  });
}
