// Every diagnostic code of the language (LANGUAGE.md section 6): its default severity, a short rule name
// (used as the SARIF rule name) and a one-line meaning. The one table every front end reads.
import type { Code, Severity } from '../grammar/diagnostic.js';

export interface CodeInfo {
  code: Code;
  severity: Severity;
  /** PascalCase rule name, stable: "UnknownName". */
  name: string;
  /** One line, lower case, no final period. */
  summary: string;
}

const table = {
  NUR001: ['error', 'SyntaxError', 'syntax error'],
  NUR002: ['error', 'InvalidCharacter', 'invalid character or unterminated text'],
  NUR003: ['error', 'InvalidLiteral', 'invalid literal (time, date, percent, duration unit)'],
  NUR004: ['error', 'InvalidEncoding', 'file not valid UTF-8, or a carriage return without a line feed'],
  NUR100: ['error', 'UnknownName', 'unknown name'],
  NUR101: ['error', 'DuplicateName', 'name declared twice'],
  NUR102: ['error', 'WrongKindOfName', 'wrong kind of name (e.g. `send fit` where `fit` is a score)'],
  NUR103: ['error', 'ReservedName', 'reserved name (`stage` as attribute, event `profile`, …)'],
  NUR104: ['error', 'UnknownEnumMember', 'unknown enumeration member'],
  NUR105: ['error', 'UnknownEventField', 'unknown event field'],
  NUR106: ['warning', 'MetadataKeyTypo', 'content metadata key that looks like a typo of a known key'],
  NUR107: ['warning', 'FieldShadowsAttribute', 'event field shadows a lead attribute'],
  NUR200: ['error', 'TypeMismatch', 'type mismatch'],
  NUR201: ['error', 'OperatorNotApplicable', 'operator not applicable to this type'],
  NUR202: ['error', 'MissingProperty', 'missing required property (content without `channel`, …)'],
  NUR203: ['error', 'ConsentNotBool', 'consent attribute is not `bool`'],
  NUR204: ['error', 'OutOfRange', 'number out of range: a duration over 100 years, a number over 10^15, a count too large, a date before 1900, a negative cost'],
  NUR300: ['error', 'NeverTrue', 'condition can never be true'],
  NUR301: ['warning', 'AlwaysTrue', 'condition is always true'],
  NUR302: ['warning', 'UnreachableStep', 'unreachable step (after `move to` or `end`)'],
  NUR303: ['error', 'NoProgress', 'no progress: a loop or a chain of `move to` that never waits'],
  NUR304: ['error', 'SplitNot100', 'split percentages do not sum to 100%'],
  NUR305: ['warning', 'PressureConflict', 'pressure rules that contradict or make another one redundant'],
  NUR306: ['warning', 'JourneyNotEnterable', 'journey that no lead can enter'],
  NUR307: ['warning', 'UnusedDeclaration', 'content, stream, segment, channel or topic declared but never used'],
  NUR308: ['warning', 'EndlessRepeat', '`repeat` with neither `max` nor `until` in a journey with no `exit` or `goal`'],
  NUR309: ['warning', 'ChannelWithoutConsent', 'non-transactional content on a channel without consent'],
  NUR310: ['error', 'InvalidRangeOrDecay', 'invalid range or decay (min above max, decay over 100%)'],
  NUR311: ['error', 'InvalidHoldout', 'holdout outside 0–100% (warning above 50%)'],
  NUR312: ['error', 'MisplacedSetting', 'journey setting after a step, or a setting given twice'],
  NUR400: ['error', 'TimelineBackwards', 'test timeline goes backwards'],
  NUR900: ['error', 'InternalCompilerError', 'internal compiler error: the checker accepted what lowering cannot compile (a bug)'],
} as const satisfies Record<Code, readonly [Severity, string, string]>;

export const CODES: Readonly<Record<Code, CodeInfo>> = Object.fromEntries(
  Object.entries(table).map(([code, [severity, name, summary]]) => [code, { code, severity, name, summary }]),
) as Record<Code, CodeInfo>;

/** All codes in ascending order. */
export const ALL_CODES: readonly Code[] = (Object.keys(table) as Code[]).sort();

/** Info for a code; tolerates codes added to the checker before this table (generic entry). */
export function codeInfo(code: string): CodeInfo {
  return (CODES as Record<string, CodeInfo | undefined>)[code] ?? {
    code: code as Code,
    severity: 'error',
    name: code,
    summary: 'diagnostic ' + code,
  };
}
