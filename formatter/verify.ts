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

/**
 * Where two syntax trees first differ in meaning, as a JSON-ish path, or undefined when they do not:
 * `firstDifference(normalizeTree(a), normalizeTree(b))` without building the two normalized copies
 * (on a 5 MB file those copies were most of `fmt`'s time and memory).
 */
export function treeDifference(a: unknown, b: unknown, root = '$'): string | undefined {
  const path: string[] = [];
  const found = differ(a, b, path);
  return found === undefined ? undefined : `${[root, ...path.reverse()].join('.')}: ${found}`;
}

/** The difference found (its path pushed to `path` innermost first), or undefined. */
function differ(a: unknown, b: unknown, path: string[]): string | undefined {
  if (a === b) return undefined;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') {
    return `${JSON.stringify(normalizeTree(a))} became ${JSON.stringify(normalizeTree(b))}`;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return 'shape changed';
  if (Array.isArray(a)) {
    const bs = b as unknown[];
    for (let i = 0; i < Math.max(a.length, bs.length); i++) {
      const d = differ(a[i], bs[i], path);
      if (d !== undefined) return path.push(String(i)), d;
    }
    return undefined;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  for (const k in ao) {
    if (IGNORED_KEYS.has(k) || !Object.hasOwn(ao, k)) continue;
    const d = differ(ao[k], bo[k], path);
    if (d !== undefined) return path.push(k), d;
  }
  for (const k in bo) {
    if (IGNORED_KEYS.has(k) || !Object.hasOwn(bo, k) || (Object.hasOwn(ao, k) && ao[k] !== undefined)) continue;
    if (bo[k] !== undefined) return path.push(k), `undefined became ${JSON.stringify(normalizeTree(bo[k]))}`;
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
  const diff = treeDifference(inputFile.declarations, reparsed.file.declarations, 'declarations');
  return diff ? `the formatted text would mean something else (${diff})` : undefined;
}
