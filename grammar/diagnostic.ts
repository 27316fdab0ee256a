// Diagnostics: the one shape every stage (lexer, parser, checker, analyses) reports in,
// and every front end (CLI formats, language server, tests) reads.
import type { Span } from './ast.js';

export type Severity = 'error' | 'warning';

export type Code =
  | 'NUR001' | 'NUR002' | 'NUR003' | 'NUR004'
  | 'NUR100' | 'NUR101' | 'NUR102' | 'NUR103' | 'NUR104' | 'NUR105' | 'NUR106' | 'NUR107'
  | 'NUR200' | 'NUR201' | 'NUR202' | 'NUR203' | 'NUR204'
  | 'NUR300' | 'NUR301' | 'NUR302' | 'NUR303' | 'NUR304' | 'NUR305' | 'NUR306' | 'NUR307' | 'NUR308'
  | 'NUR309' | 'NUR310' | 'NUR311' | 'NUR312'
  | 'NUR400'
  | 'NUR900';

/** A text edit that would fix the problem (editor quick fixes use these). */
export interface Edit {
  file: string;
  span: Span;
  newText: string;
}
export interface Fix {
  title: string; // "Replace with `webinar_attended`"
  edits: Edit[];
}

/** Another place that matters for this diagnostic (the first declaration of a duplicate, …). */
export interface RelatedInfo {
  file: string;
  span: Span;
  message: string;
}

export interface Diagnostic {
  code: Code;
  severity: Severity;
  file: string;
  span: Span;
  /** One sentence that names the thing: "unknown content `welcom_email`". */
  message: string;
  /** How to fix it: "did you mean `welcome_email`?" */
  help?: string;
  related?: RelatedInfo[];
  fixes?: Fix[];
}

/** Sort by file, then position, then code: the order every output uses. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.span.start - b.span.start || a.span.end - b.span.end || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}
