// Human-readable diagnostics, like rustc and Elm:
//
//   error[NUR100]: unknown content `welcom_email`
//     --> journeys/welcome.nurture:12:8
//      |
//   12 |   send welcom_email
//      |        ^^^^^^^^^^^^
//      |
//      = help: did you mean `welcome_email`?
//
// Carets cover the span's columns on its first line (a span over several lines: to the end of the
// first line). Tabs are expanded to tab stops of 4 and wide characters count as two cells, so that the
// carets stay under the right characters. Related places ("first declared here") follow as notes, each
// with its location and source line.
import type { Span } from '../grammar/ast.js';
import type { Diagnostic } from '../grammar/diagnostic.js';
import { makeStyle, type Style } from './style.js';

export interface TextOptions {
  color: boolean;
}

/** Where source lines come from: the file's full text by path (undefined when unknown). */
export type SourceLookup = (file: string) => string | undefined;

const TAB_STOP = 4;

// Characters that take two terminal cells (East Asian wide and fullwidth, most emoji).
const WIDE =
  /[\u1100-\u115F\u231A\u231B\u2329\u232A\u23E9-\u23EC\u23F0\u23F3\u25FD\u25FE\u2614\u2615\u2648-\u2653\u267F\u2693\u26A1\u26AA\u26AB\u26BD\u26BE\u26C4\u26C5\u26CE\u26D4\u26EA\u26F2\u26F3\u26F5\u26FA\u26FD\u2705\u270A\u270B\u2728\u274C\u274E\u2753-\u2755\u2757\u2795-\u2797\u27B0\u27BF\u2B1B\u2B1C\u2B50\u2B55\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uA960-\uA97F\uAC00-\uD7A3\uF900-\uFAFF\uFE10-\uFE19\uFE30-\uFE6F\uFF00-\uFF60\uFFE0-\uFFE6\u{16FE0}-\u{16FE4}\u{17000}-\u{18AFF}\u{1B000}-\u{1B2FF}\u{1F004}\u{1F0CF}\u{1F18E}\u{1F191}-\u{1F19A}\u{1F200}-\u{1F251}\u{1F300}-\u{1F64F}\u{1F680}-\u{1F6FF}\u{1F7E0}-\u{1F7EB}\u{1F90C}-\u{1F9FF}\u{1FA70}-\u{1FAFF}\u{20000}-\u{3FFFD}]/u;
const ZERO_WIDTH = /[\p{Mn}\p{Me}\u200B-\u200F\u2060-\u2064\uFEFF]/u;

/**
 * A source line as displayed, and for each UTF-16 index 0..length of the original line, the display
 * cell where that character starts (index `length` = just after the line).
 */
export function layoutLine(line: string): { shown: string; cells: number[] } {
  const cells = new Array<number>(line.length + 1).fill(0);
  let shown = '';
  let cell = 0;
  let i = 0;
  while (i < line.length) {
    const cp = line.codePointAt(i)!;
    const units = cp > 0xffff ? 2 : 1;
    const ch = String.fromCodePoint(cp);
    for (let k = 0; k < units; k++) cells[i + k] = cell;
    if (ch === '\t') {
      const n = TAB_STOP - (cell % TAB_STOP);
      shown += ' '.repeat(n);
      cell += n;
    } else if (cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp < 0xa0)) {
      shown += '\uFFFD'; // never send control characters to the terminal
      cell += 1;
    } else if (ZERO_WIDTH.test(ch)) {
      shown += ch;
    } else {
      shown += ch;
      cell += WIDE.test(ch) ? 2 : 1;
    }
    i += units;
  }
  cells[line.length] = cell;
  return { shown, cells };
}

/** Splits a text into lines the way the lexer counts them (`\r\n`, `\r` or `\n`). */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** The caret row's start cell and width for a span on its (first) line. */
export function caretRange(line: string, span: Span): { start: number; width: number; shown: string } {
  const { shown, cells } = layoutLine(line);
  const len = line.length;
  const col0 = Math.max(0, span.column - 1);
  const startCell = col0 <= len ? cells[col0]! : cells[len]! + (col0 - len);
  let endCell: number;
  if (span.endLine > span.line) {
    endCell = cells[len]!; // to the end of the first line
  } else {
    const end0 = Math.max(0, span.endColumn - 1);
    endCell = end0 <= len ? cells[end0]! : cells[len]! + (end0 - len);
  }
  return { start: startCell, width: Math.max(1, endCell - startCell), shown };
}

const MAX_SHOWN = 160;

/**
 * A very long source line (generated or minified input) is shown as a window of it around the
 * span, marked with `…`, so that thousands of diagnostics on one line do not print it thousands
 * of times in full.
 */
export function windowAround(line: string, span: Span): { text: string; span: Span } {
  if (line.length <= MAX_SHOWN) return { text: line, span };
  const col0 = Math.max(0, span.column - 1);
  const from = Math.max(0, Math.min(col0 - 60, line.length - (MAX_SHOWN - 10)));
  const to = Math.min(line.length, from + MAX_SHOWN - 10);
  const text = (from > 0 ? '…' : '') + line.slice(from, to) + (to < line.length ? '…' : '');
  const shift = from > 0 ? from - 1 : 0;
  const endColumn = span.endLine > span.line ? span.endColumn : Math.min(span.endColumn - shift, text.length + 1);
  return { text, span: { ...span, column: span.column - shift, endColumn: Math.max(endColumn, span.column - shift + 1) } };
}

interface Snippet {
  file: string;
  span: Span;
  label?: string;
}

class Renderer {
  private readonly lineCache = new Map<string, string[] | undefined>();
  constructor(
    private readonly lookup: SourceLookup,
    private readonly s: Style,
  ) {}

  private lines(file: string): string[] | undefined {
    if (!this.lineCache.has(file)) {
      const text = this.lookup(file);
      this.lineCache.set(file, text === undefined ? undefined : splitLines(text));
    }
    return this.lineCache.get(file);
  }

  /** The `--> file:line:col` line and, when the source is known, the line with its carets. */
  private snippet(snip: Snippet, width: number, caretColor: (t: string) => string, out: string[]): void {
    const s = this.s;
    const pad = ' '.repeat(width);
    const bar = s.bold(s.blue('|'));
    out.push(`${pad}${s.bold(s.blue('-->'))} ${snip.file}:${snip.span.line}:${snip.span.column}`);
    const lines = this.lines(snip.file);
    if (!lines || snip.span.line < 1) return;
    const full = lines[snip.span.line - 1] ?? ''; // a span just past the last line: an empty line
    const { text: source, span } = windowAround(full, snip.span);
    const { start, width: w, shown } = caretRange(source, span);
    const lineNo = String(snip.span.line).padStart(width);
    out.push(`${pad} ${bar}`);
    out.push(`${s.bold(s.blue(lineNo))} ${bar}${shown === '' ? '' : ' ' + shown.trimEnd()}`);
    const label = snip.label ? ' ' + caretColor(snip.label) : '';
    out.push(`${pad} ${bar} ${' '.repeat(start)}${caretColor('^'.repeat(w))}${label}`);
  }

  diagnostic(d: Diagnostic): string {
    const s = this.s;
    const sevColor = d.severity === 'error' ? s.red : s.yellow;
    const caret = (t: string) => s.bold(sevColor(t));
    const related = d.related ?? [];
    const width = Math.max(
      String(d.span.line).length,
      ...related.map((r) => String(r.span.line).length),
    );
    const pad = ' '.repeat(width);
    const bar = s.bold(s.blue('|'));
    const out: string[] = [];
    out.push(`${s.bold(sevColor(`${d.severity}[${d.code}]`))}${s.bold(': ' + d.message)}`);
    const label = (d as { label?: unknown }).label;
    this.snippet(
      { file: d.file, span: d.span, ...(typeof label === 'string' && label !== '' ? { label } : {}) },
      width,
      caret,
      out,
    );
    if (d.help) {
      if (this.lines(d.file)) out.push(`${pad} ${bar}`);
      out.push(`${pad} ${s.bold(s.blue('='))} ${s.bold(s.cyan('help'))}: ${d.help}`);
    }
    for (const r of related) {
      out.push(`${s.bold(s.green('note'))}: ${r.message}`);
      this.snippet({ file: r.file, span: r.span }, width, (t) => s.bold(s.green(t)), out);
    }
    return out.join('\n') + '\n';
  }
}

/** Every diagnostic, each followed by a blank line (no summary). */
export function renderDiagnosticsText(
  diagnostics: readonly Diagnostic[],
  lookup: SourceLookup,
  options: TextOptions,
): string {
  const r = new Renderer(lookup, makeStyle(options.color));
  return diagnostics.map((d) => r.diagnostic(d) + '\n').join('');
}

export interface Counts {
  errors: number;
  warnings: number;
  files: number;
}

function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function countDiagnostics(diagnostics: readonly Diagnostic[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const d of diagnostics) {
    if (d.severity === 'error') errors++;
    else warnings++;
  }
  return { errors, warnings };
}

/** "checked 3 files: 2 errors, 1 warning" or "checked 3 files: no problems". */
export function renderSummary(counts: Counts, options: TextOptions): string {
  const s = makeStyle(options.color);
  const head = `checked ${plural(counts.files, 'file')}: `;
  if (counts.errors === 0 && counts.warnings === 0) return head + s.bold(s.green('no problems')) + '\n';
  const parts: string[] = [];
  if (counts.errors > 0) parts.push(s.bold(s.red(plural(counts.errors, 'error'))));
  if (counts.warnings > 0) parts.push(s.bold(s.yellow(plural(counts.warnings, 'warning'))));
  return head + parts.join(', ') + '\n';
}
