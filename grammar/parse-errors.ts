// Syntax error messages in the product's voice: what was expected, in which construct, what was found.
import type { IParserErrorMessageProvider, IToken, TokenType } from 'chevrotain';

/** What each grammar rule is, for "expected … in <rule>" messages. */
const RULE_WHAT: Record<string, string> = {
  file: 'the file', declaration: 'a declaration', timezoneDecl: 'the `timezone` declaration',
  controlGroupDecl: 'the `control group` declaration',
  leadDecl: 'the `lead` block', eventDecl: 'an `event` declaration', fieldBlock: 'a block of fields',
  fieldDecl: 'a field (`name: type`)', typeExpr: 'a type', nameList: 'a list of names',
  channelDecl: 'a `channel` declaration', topicsDecl: 'the `topics` declaration', contentDecl: 'a `content` declaration',
  propertyBlock: 'a block of properties', property: 'a property (`key: value`)', streamDecl: 'a `stream` declaration',
  stagesDecl: 'the `stages` declaration', segmentDecl: 'a `segment` declaration', scoreDecl: 'a `score` declaration',
  scoreRule: 'a score rule', thresholdDecl: 'a `threshold` declaration', onDecl: 'an `on` handler',
  pressureDecl: 'the `pressure` block', pressureRule: 'a pressure rule', messageWord: 'a pressure rule',
  journeyDecl: 'a journey', whereClause: 'a `where` clause', journeySetting: 'a journey setting', block: 'a block of steps',
  step: 'a step', waitStep: 'a `wait` step', upTo: 'an `up to` limit', outcomeBlocks: 'a `wait` step',
  ifStep: 'an `if` step', splitStep: 'a `split` step', repeatStep: 'a `repeat` step', testDecl: 'a test',
  testStatement: 'a test statement', condition: 'a condition', arithmetic: 'an expression', orExpr: 'a condition',
  andExpr: 'a condition', notExpr: 'a condition', comparison: 'a condition', compareOp: 'a comparison',
  operand: 'a value', term: 'a value', primary: 'a value', hasExpr: 'a `has` condition',
  receivedExpr: 'a `received` condition', number: 'a number', signedNumber: 'a number', percent: 'a percentage',
  text: 'a text', time: 'a time of day', date: 'a date', dateTime: 'a date and time', dateOrDateTime: 'a date',
  list: 'a list', duration: 'a duration', perDuration: 'a duration',
};

const LITERAL_RULES = new Set([
  'number', 'signedNumber', 'percent', 'text', 'time', 'date', 'dateTime', 'dateOrDateTime', 'duration', 'perDuration', 'upTo',
]);
const VALUE_RULES = new Set(['primary', 'operand', 'comparison', 'notExpr', 'andExpr', 'orExpr']);

export function describeRule(ruleName: string): string {
  return RULE_WHAT[ruleName] ?? 'this construct';
}

export function describeToken(tok: IToken): string {
  if (tok.tokenType?.name === 'EOF' || Number.isNaN(tok.startOffset)) return 'the end of the file';
  return `\`${tok.image}\``;
}

function label(t: TokenType): string {
  return t.LABEL ?? t.name;
}

/** "`a`, `b` or `c`" from the first tokens of the alternatives. */
function expectedList(paths: TokenType[][][] | TokenType[][]): string {
  const firsts = new Set<string>();
  for (const p of paths.flat() as (TokenType | TokenType[])[]) {
    const t = Array.isArray(p) ? p[0] : p;
    if (t) firsts.add(label(t));
  }
  const all = [...firsts];
  const shown = all.length > 8 ? [...all.slice(0, 8), '…'] : all;
  if (shown.length === 1) return shown[0]!;
  return `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}`;
}

const TOP_LEVEL = (tok: IToken) =>
  `unexpected ${describeToken(tok)}: expected a declaration (\`lead\`, \`event\`, \`content\`, \`score\`, \`journey\`, …)`;

export const errorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, previous, ruleName }) {
    if (expected.name === 'EOF') return TOP_LEVEL(actual);
    if (LITERAL_RULES.has(ruleName)) return `expected ${label(expected)} after ${describeToken(previous)}, found ${describeToken(actual)}`;
    return `expected ${label(expected)} in ${describeRule(ruleName)}, found ${describeToken(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return TOP_LEVEL(firstRedundant);
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, previous, ruleName }) {
    const expected = expectedList(expectedPathsPerAlt);
    const found = describeToken(actual[0]!);
    // in the middle of a construct, "after `x`" says where better than the construct's name
    if (expected.includes('a name') && ruleName !== 'testStatement') return `expected a name after ${describeToken(previous)}, found ${found}`;
    if (VALUE_RULES.has(ruleName)) return `expected a value after ${describeToken(previous)}, found ${found}`;
    return `expected ${describeRule(ruleName)} (${expected}), found ${found}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    return `expected ${expectedList(expectedIterationPaths)} in ${describeRule(ruleName)}, found ${describeToken(actual[0]!)}`;
  },
};
