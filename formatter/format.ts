// Formatting API for the CLI (`nurture fmt`) and the language server: prettier with the nurture
// plugin, in the one canonical style (prettier configuration files are not consulted).
import type { Diagnostic } from '../grammar/diagnostic.js';
import { parseFile } from '../grammar/parse.js';
import { NurtureFormatterBug, NurtureSyntaxError, renderFile } from './plugin.js';
import { locatedMessage, syntaxErrors, verifyFormatting } from './verify.js';

/** The options every caller formats with: the canonical style. */
export const FORMAT_OPTIONS = {
  parser: 'nurture',
  printWidth: 80,
  tabWidth: 2,
  useTabs: false,
  endOfLine: 'lf',
} as const;

/**
 * Why a file could not be formatted. `syntax`: the file has syntax errors (the `diagnostics`);
 * `internal`: the formatter would have changed the program or lost a comment (a formatter bug).
 * Either way the caller must leave the file as it is (exit status 1 for `nurture fmt`).
 */
export class FormatError extends Error {
  override readonly name = 'FormatError';
  constructor(
    readonly kind: 'syntax' | 'internal',
    message: string,
    readonly path: string,
    readonly diagnostics: Diagnostic[] = [],
  ) {
    super(message);
  }
}

export type FormatResult =
  | { ok: true; formatted: string; changed: boolean }
  | { ok: false; error: FormatError };

/**
 * Formats one `.nurture` source. Throws a `FormatError` (never returns damaged text): `kind: 'syntax'`
 * with a located message `file:line:col: NURxxx message` per syntax error, or `kind: 'internal'`.
 */
export async function formatSource(text: string, path = '<input>'): Promise<string> {
  // CRLF is a line break; a lone CR is not (the lexer reports it, NUR004): the formatter must read the file as `check` does
  const input = text.replace(/\r\n/g, '\n');
  const parsed = parseFile(input, path);
  const errors = syntaxErrors(parsed.diagnostics);
  if (errors.length > 0) throw new FormatError('syntax', locatedMessage(errors, path), path, errors);
  let formatted: string;
  try {
    // The plugin's document rendered straight from this parse, as prettier itself would (the plugin
    // prints the whole file from its root): prettier's own pipeline would parse the file again and
    // verify it twice, which on a 5 MB file took most of the time and memory.
    formatted = renderFile(parsed.file, input, FORMAT_OPTIONS).formatted;
  } catch (error) {
    if (error instanceof NurtureSyntaxError) throw new FormatError('syntax', error.located, path, error.diagnostics);
    if (error instanceof NurtureFormatterBug) throw new FormatError('internal', error.message, path);
    const message = error instanceof Error ? error.message : String(error);
    throw new FormatError('internal', `${path}: internal formatter error, file left unchanged: ${message}`, path);
  }
  // The one safety net of this path: the output is parsed again and must mean the same.
  const problem = verifyFormatting(parsed.file, formatted, path);
  if (problem) throw new FormatError('internal', `${path}: internal formatter error, file left unchanged: ${problem}`, path);
  return formatted;
}

/** Like `formatSource`, as a result value. `changed`: the formatted text differs from `text`. */
export async function tryFormatSource(text: string, path = '<input>'): Promise<FormatResult> {
  try {
    const formatted = await formatSource(text, path);
    return { ok: true, formatted, changed: formatted !== text };
  } catch (error) {
    if (error instanceof FormatError) return { ok: false, error };
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: new FormatError('internal', message, path) };
  }
}
