// The scanner: source text -> chevrotain tokens + comments + NUR002/NUR003 diagnostics.
// Hand-written rather than regex-driven so that Unicode names, located literal errors and
// unterminated texts are handled exactly, and so that it runs at memory speed.
import type { IToken, TokenType } from 'chevrotain';
import type { Comment, Span } from './ast.js';
import type { Diagnostic } from './diagnostic.js';
import { ESCAPED_BYTE_BASE, isEscapedByte } from './encoding.js';
import {
  DateTok, Identifier, KEYWORD_BY_WORD, NumberTok, PercentTok, PUNCTUATION, TextTok, TimeTok,
} from './tokens.js';

export interface LexResult {
  tokens: IToken[];
  comments: Comment[];
  diagnostics: Diagnostic[];
}

const NAME_START = /[\p{L}_]/u;
const PUNCTUATION_BY_CODE: (TokenType | undefined)[] = Array.from({ length: 128 }, (_, code) =>
  Object.prototype.hasOwnProperty.call(PUNCTUATION, String.fromCharCode(code)) ? PUNCTUATION[String.fromCharCode(code)] : undefined,
);
// Decimal digits only (\p{Nd}), as the plan schema's name pattern: `tier¹`, `eⅫ` are not names.
const NAME_PART = /[\p{L}\p{M}\p{Nd}_]/u;
const OTHER_DIGIT = /^\p{N}/u;

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isAsciiNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

export function lex(text: string, file: string): LexResult {
  const tokens: IToken[] = [];
  const comments: Comment[] = [];
  const diagnostics: Diagnostic[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let seenInvalidByte = false;
  let seenLoneCR = false;

  const spanAt = (start: number, end: number): Span => ({
    start, end, line, column: start - lineStart + 1, endLine: line, endColumn: end - lineStart + 1,
  });
  const report = (code: 'NUR002' | 'NUR003' | 'NUR004', start: number, end: number, message: string, help?: string) => {
    const d: Diagnostic = { code, severity: 'error', file, span: spanAt(start, end), message };
    if (help) d.help = help;
    diagnostics.push(d);
  };
  const push = (type: TokenType, start: number, end: number, payload?: unknown) => {
    const col = start - lineStart + 1;
    tokens.push({
      image: text.slice(start, end), startOffset: start, endOffset: end - 1, startLine: line, endLine: line,
      startColumn: col, endColumn: col + (end - start) - 1, tokenTypeIdx: type.tokenTypeIdx!, tokenType: type,
      payload,
    });
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    // whitespace and newlines
    if (c === 32 || c === 9 || c === 0xfeff) { i++; continue; }
    if (c === 13) { if (text.charCodeAt(i + 1) !== 10) loneCR(i); i++; continue; }
    if (c === 10) { i++; line++; lineStart = i; continue; }
    // comments
    if (c === 35 /* # */) {
      let j = i;
      for (let d = text.charCodeAt(j); j < n && d !== 10; d = text.charCodeAt(++j)) {
        if (d === 13 && text.charCodeAt(j + 1) !== 10) loneCR(j);
        else if (escapedByteAt(j)) invalidByte(j);
      }
      let end = j;
      if (end > i && text.charCodeAt(end - 1) === 13) end--;
      comments.push({ text: text.slice(i, end), span: spanAt(i, end) });
      i = j;
      continue;
    }
    // names and keywords
    if (isAsciiNameStart(c) || (c > 127 && NAME_START.test(String.fromCodePoint(text.codePointAt(i)!)))) {
      let j = i + (text.codePointAt(i)! > 0xffff ? 2 : 1);
      while (j < n) {
        const d = text.charCodeAt(j);
        if (isAsciiNameStart(d) || isDigit(d)) { j++; continue; }
        if (d < 128) break;
        const cp = text.codePointAt(j)!;
        if (!NAME_PART.test(String.fromCodePoint(cp))) break;
        j += cp > 0xffff ? 2 : 1;
      }
      const word = text.slice(i, j);
      // a word followed by `:` is a field or property key (`channel: email`), never a keyword;
      // knowing it here also keeps error recovery from re-synchronising on it
      let k = j;
      while (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9) k++;
      const keyword = text.charCodeAt(k) === 58 && !isDigit(text.charCodeAt(k + 1)) ? undefined : KEYWORD_BY_WORD.get(word);
      push(keyword ?? Identifier, i, j);
      i = j;
      continue;
    }
    // numbers, percentages, times, dates
    if (isDigit(c)) {
      i = scanNumeric(i);
      continue;
    }
    if (c === 34 /* " */) {
      i = scanText(i);
      continue;
    }
    // punctuation (two-character operators first)
    if (text.charCodeAt(i + 1) === 61 /* = */ && (c === 61 || c === 33 || c === 60 || c === 62)) {
      push(PUNCTUATION[text.slice(i, i + 2)]!, i, i + 2);
      i += 2;
      continue;
    }
    const one = c < 128 ? PUNCTUATION_BY_CODE[c] : undefined;
    if (one) {
      push(one, i, i + 1);
      i++;
      continue;
    }
    if (escapedByteAt(i)) {
      invalidByte(i);
      i++;
      continue;
    }
    // anything else: one diagnostic for a run of invalid characters
    let j = i;
    while (j < n && !isValidStart(j)) j += text.codePointAt(j)! > 0xffff ? 2 : 1;
    const bad = text.slice(i, j);
    report('NUR002', i, j, `invalid character${[...bad].length > 1 ? 's' : ''} \`${bad}\``, invalidCharHelp(bad));
    i = j;
  }
  return { tokens, comments, diagnostics };

  // The file's bytes and line endings (NUR004): reported once per file, at the first place.
  /** An escaped invalid byte (grammar/encoding.ts), not the second half of a surrogate pair. */
  function escapedByteAt(k: number): boolean {
    return isEscapedByte(text.charCodeAt(k)) && !(k > 0 && isHighSurrogate(text.charCodeAt(k - 1)));
  }
  function invalidByte(k: number): void {
    if (seenInvalidByte) return;
    seenInvalidByte = true;
    const byte = (text.charCodeAt(k) - ESCAPED_BYTE_BASE + 0x80).toString(16).toUpperCase();
    report('NUR004', k, k + 1, `the file is not valid UTF-8: byte 0x${byte} here is not part of a UTF-8 character`,
      'save the file as UTF-8 (it may be Latin-1 or Windows-1252: `iconv -f latin1 -t utf-8` converts it); nothing is compiled or formatted until then');
  }
  function loneCR(k: number): void {
    if (seenLoneCR) return;
    seenLoneCR = true;
    report('NUR004', k, k + 1, 'carriage return without a line feed: lines end with LF or CRLF',
      'save the file with LF (or CRLF) line endings: a lone CR (old Mac style) is not a line break, so a comment before it would run on');
  }

  function isValidStart(k: number): boolean {
    const d = text.charCodeAt(k);
    if (d === 32 || d === 9 || d === 10 || d === 13 || d === 35 || d === 34 || isDigit(d) || isAsciiNameStart(d) || escapedByteAt(k)) return true;
    if (PUNCTUATION[text[k]!] || text.startsWith('!=', k)) return true;
    return d > 127 && NAME_START.test(String.fromCodePoint(text.codePointAt(k)!));
  }

  function digitsFrom(k: number): number {
    while (k < n && isDigit(text.charCodeAt(k))) k++;
    return k;
  }

  function scanNumeric(start: number): number {
    let j = digitsFrom(start);
    // date: digits-digits-digits
    if (text.charCodeAt(j) === 45 && isDigit(text.charCodeAt(j + 1))) {
      const k = digitsFrom(j + 1);
      if (text.charCodeAt(k) === 45 && isDigit(text.charCodeAt(k + 1))) {
        const end = digitsFrom(k + 1);
        push(DateTok, start, end, checkDate(start, end));
        return end;
      }
    }
    // time: digits:digits
    if (text.charCodeAt(j) === 58 && isDigit(text.charCodeAt(j + 1))) {
      const end = digitsFrom(j + 1);
      push(TimeTok, start, end, checkTime(start, end));
      return end;
    }
    if (text.charCodeAt(j) === 46 && isDigit(text.charCodeAt(j + 1))) j = digitsFrom(j + 1);
    if (text.charCodeAt(j) === 37 /* % */) {
      const value = Number(text.slice(start, j));
      if (value > 100) {
        report('NUR003', start, j + 1, `invalid percentage \`${text.slice(start, j + 1)}\`: a percentage is between 0% and 100%`);
      }
      push(PercentTok, start, j + 1, value);
      return j + 1;
    }
    push(NumberTok, start, j, Number(text.slice(start, j)));
    return j;
  }

  function checkDate(start: number, end: number): { year: number; month: number; day: number } {
    const raw = text.slice(start, end);
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
    if (!m) {
      report('NUR003', start, end, `invalid date \`${raw}\``, 'write dates as YYYY-MM-DD, for example `2026-01-05`');
      return { year: 2000, month: 1, day: 1 };
    }
    const year = Number(m[1]), month = Number(m[2]), day = Number(m[3]);
    const monthDays = [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if (month < 1 || month > 12) {
      report('NUR003', start, end, `invalid date \`${raw}\`: there is no month ${month}`, 'months go from 01 to 12');
    } else if (day < 1 || day > monthDays[month - 1]!) {
      report('NUR003', start, end, `invalid date \`${raw}\`: month ${m[2]} of ${year} has ${monthDays[month - 1]} days`);
    }
    return { year, month, day };
  }

  function checkTime(start: number, end: number): { hour: number; minute: number } {
    const raw = text.slice(start, end);
    const m = /^(\d{1,2}):(\d{2})$/.exec(raw);
    if (!m) {
      report('NUR003', start, end, `invalid time \`${raw}\``, 'write times of day as HH:MM (24 h), for example `09:00`');
      return { hour: 0, minute: 0 };
    }
    const hour = Number(m[1]), minute = Number(m[2]);
    if (hour > 23 || minute > 59) {
      report('NUR003', start, end, `invalid time \`${raw}\`: hours go from 00 to 23 and minutes from 00 to 59`);
    }
    return { hour, minute };
  }

  function scanText(start: number): number {
    let j = start + 1;
    let value = '';
    while (j < n) {
      const d = text.charCodeAt(j);
      if (d === 34) {
        push(TextTok, start, j + 1, value);
        return j + 1;
      }
      if (d === 10 || (d === 13 && text.charCodeAt(j + 1) === 10)) break;
      if (d === 13) loneCR(j);
      else if (escapedByteAt(j)) invalidByte(j);
      if (d === 92 /* \ */) {
        const e = text[j + 1];
        if (e === '"' || e === '\\') { value += e; j += 2; continue; }
        if (e === 'n') { value += '\n'; j += 2; continue; }
        if (e === 't') { value += '\t'; j += 2; continue; }
        if (e === 'u') {
          const m = /^\\u\{([0-9a-fA-F]{1,6})\}/.exec(text.slice(j, j + 10));
          const cp = m ? parseInt(m[1]!, 16) : NaN;
          if (m && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) {
            value += String.fromCodePoint(cp);
            j += m[0].length;
            continue;
          }
          report('NUR003', j, j + (m ? m[0].length : 2), 'invalid unicode escape in text', 'write `\\u{1F600}`: 1 to 6 hexadecimal digits of a code point');
          j += m ? m[0].length : 2;
          continue;
        }
        const shown = e === undefined || e === '\n' || e === '\r' ? '' : e;
        report('NUR003', j, j + 1 + shown.length, `invalid escape \`\\${shown}\` in text`, 'the escapes are `\\"`, `\\\\`, `\\n`, `\\t` and `\\u{…}`');
        j += 1 + shown.length;
        continue;
      }
      value += text[j];
      j++;
    }
    report('NUR002', start, j, 'unterminated text: the closing `"` is missing', 'close the text with `"` on the same line');
    push(TextTok, start, j, value);
    return j;
  }
}

function invalidCharHelp(bad: string): string | undefined {
  if (OTHER_DIGIT.test(bad)) return 'a name is made of letters, marks, decimal digits (0-9 or another script\'s) and `_`: write the digit in full, for example `tier1`';
  if (bad.startsWith('&')) return 'write `and` to combine conditions';
  if (bad.startsWith('|')) return 'write `or` to combine conditions';
  if (bad.startsWith('!')) return 'write `not` to negate a condition, or `!=` to compare';
  if (bad.startsWith("'") || bad.startsWith('“') || bad.startsWith('”')) return 'texts are written between straight double quotes: "…"';
  if (bad.startsWith(';')) return 'no `;` is needed: put each statement on its own line';
  return undefined;
}
