// Syntax errors that are common mistakes get a message about the mistake and a way to fix it, in place
// of the parser's generic "expected X, found Y": a duration without its unit (`wait 2`), a percentage
// without `%` (`holdout 10`), a time of day in the 12-hour style (`quiet hours 9pm to 8am`).
import type { IRecognitionException, IToken } from 'chevrotain';
import type { Span } from './ast.js';
import { tokenSpan } from './spans.js';

export interface SyntaxHint {
  message: string;
  /** Where the mistake is, when that is not the token the parser stopped at. */
  span?: Span;
  help: string;
  /** Replacement text for `span` (or the token), offered as a quick fix. */
  fix?: string;
}

const DURATION_RULES = new Set(['duration', 'perDuration', 'upTo']);

export function syntaxHint(e: IRecognitionException, tokens: readonly IToken[]): SyntaxHint | undefined {
  const rule = e.context?.ruleStack?.at(-1);
  const found: IToken | undefined = e.token;
  const previous: IToken | undefined = (e as { previousToken?: IToken }).previousToken;
  if (rule === undefined || !found) return undefined;
  if (DURATION_RULES.has(rule) && previous && isNumber(previous)) return missingUnit(previous);
  if (rule === 'percent' && isNumber(found)) return missingPercent(found);
  if (rule === 'time' && isNumber(found)) return twelveHourTime(found, tokens);
  return undefined;
}

function isNumber(tok: IToken): boolean {
  return tok.tokenType?.name === 'Number' && !Number.isNaN(tok.startOffset);
}

/** `wait 2` then the next line: the caret goes under the number that lacks its unit. */
function missingUnit(number: IToken): SyntaxHint {
  const n = number.image;
  return {
    message: `missing the unit of the duration after \`${n}\``,
    span: tokenSpan(number),
    help: `write \`${n} ${n === '1' ? 'day' : 'days'}\` (units: minutes, hours, days, weeks, months, years)`,
  };
}

function missingPercent(number: IToken): SyntaxHint {
  return {
    message: `\`${number.image}\` is not a percentage: it needs the \`%\` sign`,
    help: `write \`${number.image}%\``,
    fix: `${number.image}%`,
  };
}

/** `9pm`, `8am` or a bare `9`: times of day are HH:MM on 24 hours. */
function twelveHourTime(number: IToken, tokens: readonly IToken[]): SyntaxHint {
  const next = tokens[tokens.indexOf(number) + 1];
  const suffix = next && next.startOffset === number.endOffset! + 1 && /^(am|pm)$/i.test(next.image) ? next.image.toLowerCase() : '';
  const start = tokenSpan(number);
  const span = suffix ? { ...start, end: start.end + suffix.length, endColumn: start.endColumn + suffix.length } : start;
  const written = number.image + suffix;
  let hour = Number(number.image);
  const valid = Number.isInteger(hour) && (suffix ? hour >= 1 && hour <= 12 : hour >= 0 && hour <= 23);
  if (suffix === 'pm' && hour < 12) hour += 12;
  if (suffix === 'am' && hour === 12) hour = 0;
  const fix = valid ? `${String(hour).padStart(2, '0')}:00` : undefined;
  return {
    message: `\`${written}\` is not a time of day: times are written HH:MM, on 24 hours`,
    span,
    help: fix ? `write \`${fix}\`` : 'write the hour and minutes, for example `08:00` or `21:30`',
    ...(fix ? { fix } : {}),
  };
}
