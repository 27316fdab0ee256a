// Entry point of the front end: source text -> syntax tree + diagnostics. Never throws.
import type { SourceFile } from './ast.js';
import type { Diagnostic } from './diagnostic.js';

export interface ParseResult {
  file: SourceFile;
  diagnostics: Diagnostic[]; // NUR001 (syntax), NUR002 (characters, text), NUR003 (literals)
}

// Placeholder while the chevrotain parser is written (same signature).
export function parseFile(text: string, path: string): ParseResult {
  const span = { start: 0, end: text.length, line: 1, column: 1, endLine: 1, endColumn: 1 };
  return { file: { kind: 'file', path, declarations: [], comments: [], span }, diagnostics: [] };
}
