// Token types of the language. Keywords are contextual: every keyword except the reserved words
// belongs to the `Name` category, so the parser accepts it wherever it expects a name.
import { createToken, Lexer, type TokenType } from 'chevrotain';

export const Name = createToken({ name: 'Name', pattern: Lexer.NA, label: 'a name' });

/** Words that can never be names (LANGUAGE.md section 3). */
export const RESERVED_WORDS = ['and', 'or', 'not', 'is', 'in', 'has', 'received', 'true', 'false', 'if', 'else'] as const;

/** Contextual keywords: words with a meaning in some places, names everywhere else. */
export const CONTEXTUAL_WORDS = [
  'timezone', 'lead', 'event', 'channel', 'topics', 'content', 'stream', 'stages', 'segment', 'score',
  'threshold', 'on', 'pressure', 'journey', 'test', 'control', 'group',
  'one', 'of', 'list',
  'max', 'per', 'once', 'decay', 'every', 'idle', 'range', 'to', 'where',
  'message', 'messages', 'min', 'between', 'the', 'same', 'topic', 'quiet', 'hours', 'days', 'delay',
  'capped', 'up', 'skip',
  'entry', 'when', 'before', 'after', 'yearly', 'audience', 'reentry', 'never', 'always', 'exit', 'goal',
  'within', 'holdout', 'priority',
  'send', 'next', 'from', 'wait', 'for', 'until', 'timeout', 'split', 'repeat', 'times', 'move', 'end',
  'set', 'handoff', 'enroll', 'remove',
  'at', 'least', 'any', 'contains', 'known', 'missing', 'completed', 'handed', 'off', 'expect',
] as const;

type Reserved = (typeof RESERVED_WORDS)[number];
type Contextual = (typeof CONTEXTUAL_WORDS)[number];
export type Keyword = Reserved | Contextual;

/** Every keyword: the words the lexer turns into keyword tokens (`KW`). */
export const KEYWORDS: readonly Keyword[] = [...RESERVED_WORDS, ...CONTEXTUAL_WORDS];

/** The keywords that begin a top-level declaration (`control` for `control group`). */
export const DECLARATION_WORDS = [
  'timezone', 'control', 'lead', 'event', 'channel', 'topics', 'content', 'stream', 'stages', 'segment', 'score',
  'threshold', 'on', 'pressure', 'journey', 'test',
] as const satisfies readonly Contextual[];

/**
 * The keywords that begin a declaration or a statement in a block (setting, step, rule, test
 * statement). At the start of a line, the parser never reads one as a value (see `startsStatement`).
 */
export const STATEMENT_WORDS = [
  ...DECLARATION_WORDS,
  'max', 'min', 'quiet', 'delay', 'skip', 'decay', 'range', 'entry', 'audience', 'reentry', 'exit', 'goal', 'holdout',
  'priority', 'send', 'wait', 'split', 'repeat', 'move', 'end', 'set', 'handoff', 'enroll', 'remove', 'at', 'after',
  'expect',
] as const satisfies readonly Contextual[];

/**
 * Tokens after which a statement is unfinished — an operand, a name or a list item must follow —
 * so a line that ends with one goes on at the next line whatever that line starts with.
 */
export const CONTINUING_WORDS = [
  'and', 'or', 'not', 'is', 'in', 'contains', 'where', 'when', 'if', 'to', 'of', 'from', 'on', 'send', 'has', 'received',
] as const satisfies readonly Keyword[];
export const CONTINUING_PUNCTUATION = [',', ':', '=', '==', '!=', '<', '<=', '>', '>=', '(', '[', '+', '-', '*', '/'] as const;

function keyword(word: string, isName: boolean): TokenType {
  return createToken({
    name: `Kw_${word}`,
    pattern: Lexer.NA,
    label: `\`${word}\``,
    categories: isName ? [Name] : [],
  });
}

/** Keyword token types by word. */
export const KW = Object.fromEntries([
  ...RESERVED_WORDS.map((w) => [w, keyword(w, false)]),
  ...CONTEXTUAL_WORDS.map((w) => [w, keyword(w, true)]),
]) as Record<Reserved | Contextual, TokenType>;

/** A plain name that is no keyword. */
export const Identifier = createToken({ name: 'Identifier', pattern: Lexer.NA, label: 'a name', categories: [Name] });

function literal(name: string, label: string): TokenType {
  return createToken({ name, pattern: Lexer.NA, label });
}
export const NumberTok = literal('Number', 'a number');
export const PercentTok = literal('Percent', 'a percentage');
export const TimeTok = literal('Time', 'a time of day');
export const DateTok = literal('Date', 'a date');
export const TextTok = literal('Text', 'a text in quotes');

function punct(name: string, image: string): TokenType {
  return createToken({ name, pattern: Lexer.NA, label: `\`${image}\`` });
}
export const LCurly = punct('LCurly', '{');
export const RCurly = punct('RCurly', '}');
export const LBracket = punct('LBracket', '[');
export const RBracket = punct('RBracket', ']');
export const LParen = punct('LParen', '(');
export const RParen = punct('RParen', ')');
export const Comma = punct('Comma', ',');
export const Colon = punct('Colon', ':');
export const Assign = punct('Assign', '=');
export const EqEq = punct('EqEq', '==');
export const NotEq = punct('NotEq', '!=');
export const Lt = punct('Lt', '<');
export const Le = punct('Le', '<=');
export const Gt = punct('Gt', '>');
export const Ge = punct('Ge', '>=');
export const Plus = punct('Plus', '+');
export const Minus = punct('Minus', '-');
export const Star = punct('Star', '*');
export const Slash = punct('Slash', '/');

export const PUNCTUATION: Record<string, TokenType> = {
  '{': LCurly, '}': RCurly, '[': LBracket, ']': RBracket, '(': LParen, ')': RParen, ',': Comma, ':': Colon,
  '=': Assign, '==': EqEq, '!=': NotEq, '<': Lt, '<=': Le, '>': Gt, '>=': Ge, '+': Plus, '-': Minus, '*': Star,
  '/': Slash,
};

export const KEYWORD_BY_WORD: ReadonlyMap<string, TokenType> = new Map(Object.entries(KW));

export const ALL_TOKENS: TokenType[] = [
  Name, Identifier, ...Object.values(KW), NumberTok, PercentTok, TimeTok, DateTok, TextTok,
  ...new Set(Object.values(PUNCTUATION)),
];

/** What a token is, for the tools that colour or read tokens without parsing (completion, semantic tokens). */
export type TokenClass = 'keyword' | 'name' | 'number' | 'percent' | 'time' | 'date' | 'text' | 'operator' | 'punctuation';

const OPERATORS: ReadonlySet<TokenType> = new Set([EqEq, NotEq, Lt, Le, Gt, Ge, Plus, Minus, Star, Slash, Assign]);
const CLASS_OF: ReadonlyMap<TokenType, TokenClass> = new Map<TokenType, TokenClass>([
  ...Object.values(KW).map((t) => [t, 'keyword'] as const),
  [Identifier, 'name'], [NumberTok, 'number'], [PercentTok, 'percent'], [TimeTok, 'time'], [DateTok, 'date'], [TextTok, 'text'],
  ...Object.values(PUNCTUATION).map((t) => [t, OPERATORS.has(t) ? 'operator' : 'punctuation'] as const),
]);

export function tokenClass(type: TokenType): TokenClass {
  return CLASS_OF.get(type) ?? 'punctuation';
}

export function isReservedWord(word: string): boolean {
  return (RESERVED_WORDS as readonly string[]).includes(word);
}
