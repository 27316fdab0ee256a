// Shared helpers for the formatter tests.
import { join } from 'node:path';
import * as prettier from 'prettier';
import { parseFile } from '../../grammar/parse.js';
import plugin from '../../formatter/plugin.js';
import { commentTexts, normalizeTree, syntaxErrors } from '../../formatter/verify.js';

export { nurtureFiles } from '../files.js';

export const ROOT = join(import.meta.dirname, '..', '..');


/** Formats through prettier's public API with the plugin, as `prettier --plugin` does. */
export function prettierFormat(text: string, filepath = 'test.nurture'): Promise<string> {
  return prettier.format(text, { parser: 'nurture', plugins: [plugin], filepath });
}

/** What must survive formatting: the tree without positions, and the comments in order. */
export function meaning(text: string): { tree: unknown; comments: string[]; errors: string[] } {
  const { file, diagnostics } = parseFile(text, 'test.nurture');
  return {
    tree: normalizeTree(file.declarations),
    comments: commentTexts(file.comments),
    errors: syntaxErrors(diagnostics).map((d) => `${d.span.line}:${d.span.column} ${d.code} ${d.message}`),
  };
}

/** Layout checks every formatted text must pass. */
export function layoutProblems(out: string): string[] {
  const problems: string[] = [];
  if (out.length > 0 && !out.endsWith('\n')) problems.push('no final newline');
  if (out.endsWith('\n\n')) problems.push('blank line at the end');
  if (out.startsWith('\n')) problems.push('blank line at the start');
  if (/\n\n\n/.test(out)) problems.push('two blank lines in a row');
  if (/[ \t]+\n/.test(out)) problems.push('trailing whitespace');
  if (/\t/.test(out)) problems.push('a tab');
  if (/\{\n\n/.test(out)) problems.push('blank line after `{`');
  if (/\n\n\s*\}/.test(out)) problems.push('blank line before `}`');
  return problems;
}
