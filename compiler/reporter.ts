// Collects the checker's diagnostics and builds the common shapes: did-you-mean, "first declared here".
import type { Span } from '../grammar/ast.js';
import type { Code, Diagnostic, Fix, RelatedInfo } from '../grammar/diagnostic.js';
import { closest } from '../grammar/suggest.js';

export interface DiagnosticExtras {
  help?: string;
  related?: RelatedInfo[];
  fixes?: Fix[];
}

export class Reporter {
  readonly diagnostics: Diagnostic[] = [];

  error(code: Code, file: string, span: Span, message: string, extras: DiagnosticExtras = {}): void {
    this.diagnostics.push({ code, severity: 'error', file, span, message, ...clean(extras) });
  }

  warning(code: Code, file: string, span: Span, message: string, extras: DiagnosticExtras = {}): void {
    this.diagnostics.push({ code, severity: 'warning', file, span, message, ...clean(extras) });
  }
}

function clean(extras: DiagnosticExtras): DiagnosticExtras {
  const out: DiagnosticExtras = {};
  if (extras.help) out.help = extras.help;
  if (extras.related && extras.related.length > 0) out.related = extras.related;
  if (extras.fixes && extras.fixes.length > 0) out.fixes = extras.fixes;
  return out;
}

/** A fix that replaces the text at `span` (a misspelt name, an unquoted text…). */
export function replaceFix(file: string, span: Span, newText: string, title = `Replace with \`${newText}\``): Fix {
  return { title, edits: [{ file, span, newText }] };
}

/**
 * Did-you-mean extras for a misspelt `name` at `span`: a help line and a replacement fix when a
 * candidate is close enough, else `fallbackHelp` (if any).
 */
export function didYouMean(
  file: string,
  span: Span,
  name: string,
  candidates: Iterable<string>,
  fallbackHelp?: string,
): DiagnosticExtras & { suggestion?: string } {
  const suggestion = closest(name, candidates);
  if (suggestion === undefined) return fallbackHelp ? { help: fallbackHelp } : {};
  return { suggestion, help: `did you mean \`${suggestion}\`?`, fixes: [replaceFix(file, span, suggestion)] };
}

/** Related info pointing at an earlier declaration. */
export function firstDeclaredHere(file: string, span: Span, message = 'first declared here'): RelatedInfo[] {
  return [{ file, span, message }];
}

/** A one-line span covering `length` characters from the start of `span` (a leading keyword). */
export function leadingSpan(span: Span, length: number): Span {
  const end = Math.min(span.start + length, span.end);
  return { start: span.start, end, line: span.line, column: span.column, endLine: span.line, endColumn: span.column + (end - span.start) };
}
