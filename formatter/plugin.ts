// The prettier 3 plugin for `.nurture` files: language, parser and printer.
//
//   prettier --plugin ./dist/formatter/plugin.js --write 'examples/**/*.nurture'
//   await prettier.format(text, { parser: 'nurture', plugins: [plugin] })
//
// The parser is the project's own (`grammar/parse.ts`). A file with a syntax error (NUR001), an
// invalid character or unterminated text (NUR002) or an invalid literal (NUR003) is refused with a
// located message — `file:line:col: NURxxx message` — so prettier leaves it untouched.
//
// The printer prints the whole tree from the root and places comments itself, walking line items
// in source order (see comments.ts for the rules; prettier's generic comment attachment is not used,
// hence no `canAttachComment`). Before handing the document back to prettier it renders it, parses
// the result and compares it with the input (tree without positions, comment texts): if formatting
// would change the meaning or lose a comment it throws, and prettier writes nothing.
import type { AstPath, Parser, ParserOptions, Plugin, Printer, SupportLanguage } from 'prettier';
import { printer as docPrinter } from 'prettier/doc';
import type { SourceFile, Span } from '../grammar/ast.js';
import type { Diagnostic } from '../grammar/diagnostic.js';
import { parseFile } from '../grammar/parse.js';
import { NurturePrinter } from './printer.js';
import { locatedMessage, syntaxErrors, verifyFormatting } from './verify.js';

/** What the parser hands prettier: the file, wrapped so that prettier leaves `file.comments` alone. */
export interface NurtureRoot {
  kind: 'nurtureRoot';
  file: SourceFile;
  text: string;
  path: string;
  span: Span;
}

/** The input has syntax errors: the file is left as it is. */
export class NurtureSyntaxError extends Error {
  override readonly name = 'NurtureSyntaxError';
  /** For prettier's code frame (1-based line and column). */
  readonly loc: { start: { line: number; column: number } };
  /** The located message without prettier's code frame. */
  readonly located: string;

  constructor(
    readonly diagnostics: Diagnostic[],
    readonly path: string,
  ) {
    const located = locatedMessage(diagnostics, path);
    super(located);
    this.located = located;
    const first = diagnostics[0]!;
    this.loc = { start: { line: first.span.line, column: first.span.column } };
  }
}

/** The formatter would have changed the program or lost a comment (a bug): nothing is written. */
export class NurtureFormatterBug extends Error {
  override readonly name = 'NurtureFormatterBug';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: internal formatter error, file left unchanged: ${reason}`);
  }
}

export const languages: SupportLanguage[] = [
  {
    name: 'nurture',
    parsers: ['nurture'],
    extensions: ['.nurture'],
    vscodeLanguageIds: ['nurture'],
  },
];

function parse(text: string, options: ParserOptions<NurtureRoot>): NurtureRoot {
  const path = options.filepath ?? '<input>';
  const { file, diagnostics } = parseFile(text, path);
  const errors = syntaxErrors(diagnostics);
  if (errors.length > 0) throw new NurtureSyntaxError(errors, path);
  return { kind: 'nurtureRoot', file, text, path, span: file.span };
}

export const parsers: Record<string, Parser<NurtureRoot>> = {
  nurture: {
    parse,
    astFormat: 'nurture-ast',
    locStart: (node) => node.span?.start ?? 0,
    locEnd: (node) => node.span?.end ?? 0,
  },
};

/** The layout options the document is rendered with. */
export interface RenderOptions {
  printWidth: number;
  tabWidth: number;
  useTabs?: boolean;
}

/** A parsed file (of `text`) as prettier's document and as the text it renders to. */
export function renderFile(file: SourceFile, text: string, options: RenderOptions): { doc: ReturnType<NurturePrinter['printFile']>; formatted: string } {
  const doc = new NurturePrinter(text, file.comments, options.printWidth).printFile(file);
  const { formatted } = docPrinter.printDocToString(doc, { printWidth: options.printWidth, tabWidth: options.tabWidth, useTabs: options.useTabs });
  return { doc, formatted };
}

function print(path: AstPath<NurtureRoot>, options: ParserOptions<NurtureRoot>): ReturnType<Printer['print']> {
  const root = path.node;
  // Safety net: render, re-parse, compare. Throwing here makes prettier write nothing.
  const { doc, formatted } = renderFile(root.file, root.text, options);
  const problem = verifyFormatting(root.file, formatted, root.path);
  if (problem) throw new NurtureFormatterBug(root.path, problem);
  return doc;
}

export const printers: Record<string, Printer<NurtureRoot>> = {
  'nurture-ast': {
    print,
    // Only the root is printed by prettier; the printer walks the tree itself.
    getVisitorKeys: () => [],
  },
};

const plugin: Plugin<NurtureRoot> = { languages, parsers, printers };
export default plugin;
