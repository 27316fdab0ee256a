// Helpers for the checker tests: check nurture sources, pick diagnostics, locate text.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../../grammar/diagnostic.js';
import { checkSources, type CheckResult } from '../../compiler/workspace.js';

export const SPEC_EXAMPLE = readFileSync(fileURLToPath(new URL('../fixtures/valid/spec-example.nurture', import.meta.url)), 'utf8');

/** The declarations of the spec example without its test: a base to add snippets to. */
export const BASE = SPEC_EXAMPLE.slice(0, SPEC_EXAMPLE.indexOf('test "'));

/** The static analyses (NUR300–NUR311) have their own tests in tests/analysis/; NUR303 also stands
 *  for the checker's cyclic definitions, so it stays. */
function isAnalysis(d: Diagnostic): boolean {
  const n = Number(d.code.slice(3));
  return n >= 300 && n <= 311 && n !== 303;
}

/** Checks one file; the result holds the checker's and the parser's diagnostics, not the analyses'. */
export function check(text: string, path = 'main.nurture'): CheckResult {
  const result = checkSources([{ path, text }]);
  return { ...result, diagnostics: result.diagnostics.filter((d) => !isAnalysis(d)) };
}

/** Checks `snippet` (as snippet.nurture) on top of BASE (base.nurture); returns the snippet's diagnostics. */
export function checkSnippet(snippet: string): Diagnostic[] {
  const result = checkSources([{ path: 'base.nurture', text: BASE }, { path: 'snippet.nurture', text: snippet }]);
  const diagnostics = result.diagnostics.filter((d) => !isAnalysis(d));
  const baseDiagnostics = diagnostics.filter((d) => d.file === 'base.nurture');
  if (baseDiagnostics.length > 0) throw new Error(`unexpected diagnostics in the base: ${format(baseDiagnostics)}`);
  return diagnostics;
}

/** Codes of the diagnostics, in order. */
export function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => d.code);
}

/** Only the checker's codes (the parser may add NUR001/002/003 on purpose-made broken input). */
export function errors(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === 'error');
}

/** 1-based line and column of the `occurrence`-th (0-based) occurrence of `needle` in `text`. */
export function pos(text: string, needle: string, occurrence = 0): { line: number; column: number; offset: number } {
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`\`${needle}\` not found`);
  }
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { line, column, offset };
}

/** Asserts-friendly view of a diagnostic's span start. */
export function startOf(d: Diagnostic): { line: number; column: number; offset: number } {
  return { line: d.span.line, column: d.span.column, offset: d.span.start };
}

export function format(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => `${d.file}:${d.span.line}:${d.span.column} ${d.code} ${d.message}`).join('\n');
}
