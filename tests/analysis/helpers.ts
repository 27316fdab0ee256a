// Helpers for the analysis tests: check a workspace, keep the analyses' diagnostics, locate text.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../../grammar/diagnostic.js';
import { checkSources, type CheckResult } from '../../compiler/workspace.js';

export const SPEC_EXAMPLE = readFileSync(fileURLToPath(new URL('../fixtures/valid/spec-example.nurture', import.meta.url)), 'utf8');
export const ACME = readFileSync(fileURLToPath(new URL('../../examples/acme/acme.nurture', import.meta.url)), 'utf8');

/** A small clean base: a lead model, events, a consented channel, contents, stages. */
export const BASE = `lead { email_consent: bool, budget: number, job_level: one of [intern, vp, c_level] }
event form_submitted { form: text }
event email_opened
event demo_requested
channel email { consent: email_consent }
topics product
content hello { channel: email, topic: product }
content bye { channel: email, topic: product }
stages subscriber, lead, mql
`;

/** The usual journey that uses BASE's declarations, so that they are not unused. */
export const USES = `journey uses_base {
  entry on form_submitted
  exit when stage >= mql
  send hello
  send bye
}
`;

export function check(text: string, path = 'main.nurture'): CheckResult {
  return checkSources([{ path, text }]);
}

/** Diagnostics of BASE + USES + `snippet` (one file, snippet last); throws on a checker error. */
export function analyzeSnippet(snippet: string): Diagnostic[] {
  const { diagnostics } = check(BASE + USES + snippet);
  const errors = diagnostics.filter((d) => d.severity === 'error' && !ANALYSIS_CODES.has(d.code));
  if (errors.length > 0) throw new Error(`unexpected checker errors:\n${format(errors)}`);
  return diagnostics;
}

/** Line of the snippet within BASE + USES + snippet. */
export const SNIPPET_LINE = (BASE + USES).split('\n').length;

export const ANALYSIS_CODES = new Set([
  'NUR300', 'NUR301', 'NUR302', 'NUR303', 'NUR304', 'NUR305', 'NUR306', 'NUR307', 'NUR308', 'NUR309', 'NUR310', 'NUR311',
]);

export function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => d.code);
}

/** 1-based line and column of the `occurrence`-th (0-based) occurrence of `needle` in `text`. */
export function pos(text: string, needle: string, occurrence = 0): { line: number; column: number } {
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`\`${needle}\` not found`);
  }
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

export function at(d: Diagnostic): string {
  return `${d.span.line}:${d.span.column}`;
}

export function format(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => `${d.file}:${d.span.line}:${d.span.column}-${d.span.endLine}:${d.span.endColumn} ${d.code} ${d.severity} ${d.message}${d.help ? `\n    help: ${d.help}` : ''}`).join('\n');
}

/** The whole text analyzeSnippet checks, to locate expected positions. */
export function full(snippet: string): string {
  return BASE + USES + snippet;
}

/** Only the diagnostics with `code`. */
export function only(code: string, diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.code === code);
}
