// The formatter's safety net: formatting must never change what a file says. After printing, the
// output is parsed again and compared with the input: same syntax tree (positions aside) and the same
// comments in the same order. Any difference is an internal error and the input is left untouched.
import type { Comment, SourceFile } from '../grammar/ast.js';
import { compareDiagnostics, type Diagnostic } from '../grammar/diagnostic.js';
import { parseFile } from '../grammar/parse.js';
import { commentText } from './comments.js';

/** Keys that hold positions or bookkeeping, not meaning. */
const IGNORED_KEYS: ReadonlySet<string> = new Set(['span', 'opSpan', 'path', 'comments']);

/** The tree without positions: what the formatter must preserve. */
export function normalizeTree(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(normalizeTree);
  if (node !== null && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(node).sort()) {
      if (IGNORED_KEYS.has(key)) continue;
      const value = (node as Record<string, unknown>)[key];
      if (value === undefined) continue;
      out[key] = normalizeTree(value);
    }
    return out;
  }
  return node;
}

/** The comment texts in order, as the formatter prints them (trailing blanks dropped). */
export function commentTexts(comments: readonly Comment[]): string[] {
  return [...comments].sort((a, b) => a.span.start - b.span.start).map(commentText);
}

/** Syntax errors the formatter refuses to touch a file for, in source order. */
export function syntaxErrors(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics
    .filter((d) => d.severity === 'error' && (d.code === 'NUR001' || d.code === 'NUR002' || d.code === 'NUR003' || d.code === 'NUR004'))
    .sort(compareDiagnostics);
}

/** `file:line:col: NURxxx message` for each diagnostic. */
export function locatedMessage(diagnostics: readonly Diagnostic[], path: string): string {
  return diagnostics
    .map((d) => `${d.file || path}:${d.span.line}:${d.span.column}: ${d.code} ${d.message}`)
    .join('\n');
}

/** Where two normalized trees first differ, as a JSON-ish path; undefined when equal. */
export function firstDifference(a: unknown, b: unknown, at = '$'): string | undefined {
  if (a === b) return undefined;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') {
    return `${at}: ${JSON.stringify(a)} became ${JSON.stringify(b)}`;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return `${at}: shape changed`;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  for (const k of new Set([...ka, ...kb])) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`);
    if (d) return d;
  }
  return undefined;
}

/**
 * Checks that `output` says exactly what `input` (already parsed as `inputFile`) says.
 * Returns undefined when it does, else the reason.
 */
export function verifyFormatting(inputFile: SourceFile, output: string, path: string): string | undefined {
  const reparsed = parseFile(output, path);
  const errors = syntaxErrors(reparsed.diagnostics);
  if (errors.length > 0) return `the formatted text does not parse:\n${locatedMessage(errors, path)}`;
  const before = commentTexts(inputFile.comments);
  const after = commentTexts(reparsed.file.comments);
  if (before.length !== after.length || before.some((c, i) => c !== after[i])) {
    const lost = before.find((c, i) => c !== after[i]);
    return `a comment would be lost or changed: ${JSON.stringify(lost ?? after[before.length])}`;
  }
  const diff = firstDifference(
    normalizeTree(inputFile.declarations),
    normalizeTree(reparsed.file.declarations),
    'declarations',
  );
  return diff ? `the formatted text would mean something else (${diff})` : undefined;
}
