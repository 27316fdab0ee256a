// Entry point of the front end: source text -> syntax tree + diagnostics. Never throws.
import type { IRecognitionException, IToken } from 'chevrotain';
import type { SourceFile, Span } from './ast.js';
import type { Diagnostic } from './diagnostic.js';
import { lex } from './lexer.js';
import { NurtureParser } from './parser.js';
import { endPosition, tokenSpan, UNIT_WORDS } from './spans.js';
import { closest } from './suggest.js';
import { syntaxHint, type SyntaxHint } from './syntax-hints.js';

export interface ParseResult {
  file: SourceFile;
  diagnostics: Diagnostic[]; // NUR001 (syntax), NUR002 (characters, text), NUR003 (literals)
}

let parser: NurtureParser | undefined;

/** One parser instance, built on first use (grammar analysis takes a few milliseconds). */
function sharedParser(): NurtureParser {
  parser ??= new NurtureParser();
  return parser;
}

export function parseFile(text: string, path: string): ParseResult {
  const lexed = lex(text, path);
  // The recursive parser's stack use per level depends on how warm the code is (a first parse, in
  // interpreted code, takes several times the stack of a later one) and on the host's stack: should a
  // nesting below the limit still overflow it, the file is read again with half the limit, so that
  // it gets a located diagnostic instead of a crash.
  for (let limit = MAX_NESTING; ; limit = Math.floor(limit / 2)) {
    try {
      return parseTokens(lexed, text, path, limit);
    } catch (e) {
      if (!(e instanceof RangeError) || !/call stack/i.test(e.message) || limit <= MIN_NESTING) throw e;
      parser = undefined; // its state after an overflow is unknown: a new one
    }
  }
}

function parseTokens(lexed: ReturnType<typeof lex>, text: string, path: string, maxNesting: number): ParseResult {
  const p = sharedParser();
  const tooDeep = nestingLimit(lexed.tokens, maxNesting);
  p.load(tooDeep ? lexed.tokens.slice(0, tooDeep.index) : lexed.tokens);
  let declarations = p.file() ?? [];
  const diagnostics = [...lexed.diagnostics];
  // one report per place; a token the lexer already reported (unterminated text…) is not repeated
  const seen = new Set<number>(lexed.diagnostics.map((d) => d.span.start));
  for (const e of p.errors) {
    const hint = syntaxHint(e, lexed.tokens);
    const span = hint?.span ?? errorSpan(e, text);
    if (seen.has(span.start) || followsLexError(span, lexed.diagnostics, text)) continue;
    seen.add(span.start);
    const extras = hint ? hintExtras(hint, path, span) : syntaxHelp(e);
    diagnostics.push({ code: 'NUR001', severity: 'error', file: path, span, message: hint?.message ?? e.message, ...extras });
  }
  for (const l of p.lenient) {
    diagnostics.push({
      code: 'NUR001', severity: 'error', file: path, span: l.span, message: l.message, help: l.help,
      ...(l.fix ? { fixes: [{ title: `Replace with \`${l.fix}\``, edits: [{ file: path, span: l.span, newText: l.fix }] }] } : {}),
    });
  }
  for (const { token, amount } of p.badUnits) {
    const suggestion = closest(token.image, UNIT_WORDS.filter((u) => u.endsWith('s') === (amount !== 1)));
    diagnostics.push({
      code: 'NUR003', severity: 'error', file: path, span: tokenSpan(token),
      message: `unknown duration unit \`${token.image}\``,
      help: suggestion
        ? `did you mean \`${suggestion}\`?`
        : 'the units are minute(s), hour(s), day(s), week(s), month(s) (30 days) and year(s) (365 days)',
      ...(suggestion ? { fixes: [{ title: `Replace with \`${suggestion}\``, edits: [{ file: path, span: tokenSpan(token), newText: suggestion }] }] } : {}),
    });
  }
  declarations = declarations.filter((d) => d !== undefined);
  if (tooDeep) {
    const span = tokenSpan(lexed.tokens[tooDeep.index]!);
    diagnostics.push({
      code: 'NUR001', severity: 'error', file: path, span,
      message: `${tooDeep.what} nested more than ${maxNesting} levels deep: the rest of the file is not read`,
      help: 'split the condition into named segments, or the journey into several journeys',
    });
  }
  const operators = operatorsPerDeclaration(declarations, lexed.tokens);
  declarations = declarations.filter((d, i) => {
    // Only a long chain of operators makes a deep tree (brackets and `not`s are limited above):
    // the walk is skipped for the everyday declaration, where it would cost a fifth of the parse.
    if (operators[i]! < MAX_TREE_DEPTH / 2) return true;
    const depth = treeDepth(d);
    if (depth <= MAX_TREE_DEPTH) return true;
    diagnostics.push({
      code: 'NUR001', severity: 'error', file: path, span: d.span,
      // a flat chain of `and`s is not nesting, but it is a tree as deep as the chain is long
      message: `this declaration is too large to check: its expression tree is ${depth} levels deep (each \`and\`, \`or\` or arithmetic operator of a chain adds one; the most is ${MAX_TREE_DEPTH})`,
      help: 'split long chains of `and`/`or` or arithmetic into named segments and scores',
    });
    return false;
  });
  const end = endPosition(text);
  const file: SourceFile = {
    kind: 'file', path, declarations, comments: lexed.comments,
    span: { start: 0, end: text.length, line: 1, column: 1, endLine: end.line, endColumn: end.column },
  };
  return { file, diagnostics };
}

/** A syntax error right after an invalid character is its consequence, not a new problem. */
function followsLexError(span: Span, lexErrors: Diagnostic[], text: string): boolean {
  return lexErrors.some((d) => d.span.end <= span.start && d.span.line === span.line && text.slice(d.span.end, span.start).trim() === '');
}

/**
 * Deep nesting would exhaust the stack of the recursive parser, checker and formatter. A first (cold)
 * parse in the CLI overflowed at 89 unclosed `{` and 100 closed ones: 50 leaves room for hosts with a
 * deeper call stack (the language server, the editor's extension host).
 */
export const MAX_NESTING = 50;
/** The last limit tried after stack overflows. */
const MIN_NESTING = 12;
const MAX_TREE_DEPTH = 400;

/** The first token that opens one level too many (brackets, braces, parentheses, or a run of `not`). */
function nestingLimit(tokens: IToken[], max: number): { index: number; what: string } | undefined {
  let depth = 0;
  let nots = 0;
  for (let i = 0; i < tokens.length; i++) {
    const image = tokens[i]!.image;
    if (image === '(' || image === '[' || image === '{') depth++;
    else if ((image === ')' || image === ']' || image === '}') && depth > 0) depth--;
    nots = image === 'not' ? nots + 1 : 0;
    if (depth > max) return { index: i, what: 'brackets' };
    if (nots > max) return { index: i, what: '`not`s' };
  }
  return undefined;
}

const OPERATORS = new Set(['and', 'or', '+', '-', '*', '/']);

/** How many binary-operator tokens each declaration holds (declarations and tokens are in text order). */
function operatorsPerDeclaration(declarations: readonly { span: Span }[], tokens: readonly IToken[]): number[] {
  const counts = declarations.map(() => 0);
  let d = 0;
  for (const tok of tokens) {
    if (!OPERATORS.has(tok.image)) continue;
    while (d < declarations.length && declarations[d]!.span.end <= tok.startOffset) d++;
    if (d === declarations.length) break;
    if (declarations[d]!.span.start <= tok.startOffset) counts[d]!++;
  }
  return counts;
}

/** The depth of a syntax tree, measured without recursion (a chain of 10,000 `and`s is legal text). */
function treeDepth(root: object): number {
  let max = 0;
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > max) max = depth;
    if (max > MAX_TREE_DEPTH) return max;
    if (Array.isArray(node)) for (const x of node) stack.push([x, depth]);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) if (k !== 'span' && v && typeof v === 'object') stack.push([v, depth + 1]);
    }
  }
  return max;
}

function errorSpan(e: IRecognitionException, text: string): Span {
  const tok: IToken = e.token;
  if (tok && !Number.isNaN(tok.startOffset) && !tok.isInsertedInRecovery) return tokenSpan(tok);
  // at the end of the file: point just after the last token before it
  const prev: IToken | undefined = (e as { previousToken?: IToken }).previousToken;
  if (prev && !Number.isNaN(prev.startOffset)) {
    const s = tokenSpan(prev);
    return { start: s.end, end: s.end, line: s.endLine, column: s.endColumn, endLine: s.endLine, endColumn: s.endColumn };
  }
  const end = endPosition(text);
  return { start: text.length, end: text.length, line: end.line, column: end.column, endLine: end.line, endColumn: end.column };
}


function hintExtras(hint: SyntaxHint, path: string, span: Span): Pick<Diagnostic, 'help' | 'fixes'> {
  if (hint.fix === undefined) return { help: hint.help };
  return { help: hint.help, fixes: [{ title: `Replace with \`${hint.fix}\``, edits: [{ file: path, span, newText: hint.fix }] }] };
}

function syntaxHelp(e: IRecognitionException): { help?: string } {
  const found = e.token?.image;
  if (found === '=' && /expected .*comparison|found `=`/.test(e.message)) return { help: 'to compare, write `==` or `is`' };
  if (e.message.includes('found the end of the file')) return { help: 'a `}` may be missing' };
  return {};
}
