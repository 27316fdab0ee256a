// KNOWN_OPEN_FAULTS: the classes of input that the fuzz harnesses must not generate while their fixes
// are in flight on other branches (issue 20). Each entry says what it avoids and why; a harness skips a
// generated case for which `knownFault` names an entry (and counts the skips). When a fix is merged, the
// coordinator deletes its entry, and the harnesses start generating that class again: the list is meant
// to end empty.

export interface KnownFault {
  /** Where it is tracked. */
  issue: string;
  what: string;
  /** True when the input (source text or events file) falls in this class. */
  matches(text: string): boolean;
}

function maxBraceDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (const c of text) {
    if (c === '{' || c === '(' || c === '[') max = Math.max(max, ++depth);
    else if (c === '}' || c === ')' || c === ']') depth = Math.max(0, depth - 1);
  }
  return max;
}

export const KNOWN_OPEN_FAULTS: readonly KnownFault[] = [
  {
    issue: '20.2',
    what: '`__proto__`, `constructor`, `prototype` as names (keys of plain objects)',
    matches: (t) => /__proto__|constructor|prototype/.test(t),
  },
  {
    issue: '20.3',
    what: 'numbers past what the later commands handle (`wait 99999999999999999999999 days`, `max 1e23`, `cost: -5`)',
    matches: (t) => /\d{7,}|\d[eE][+-]?\d|cost\s*:\s*-/.test(t),
  },
  {
    issue: '20.4',
    what: 'names with non-decimal digits (`tier¹`, `eⅫ`): the plan validator refuses them',
    matches: (t) => /[\p{No}\p{Nl}]/u.test(t),
  },
  {
    issue: '20.5',
    what: 'deep nesting: the parser\'s error recovery overflows the stack below its limit of 100',
    matches: (t) => maxBraceDepth(t) >= 40,
  },
  {
    issue: '20.7',
    what: 'invalid UTF-8 (silently U+FFFD): harnesses write text, U+FFFD and lone surrogates stand for it',
    matches: (t) => /\uFFFD|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(t),
  },
  {
    issue: '20.8',
    what: 'CR-only line endings (a comment runs to the end of the file; fmt reads CR as a line break)',
    matches: (t) => /\r(?!\n)/.test(t),
  },
  {
    issue: '20.10, 20.11',
    what: 'dates far in the future (year 9999 moves --until; advanceTo(Infinity) never returns)',
    matches: (t) => /\b(2[2-9]|[3-9]\d)\d\d-\d\d-\d\d/.test(t) || /"at"\s*:\s*"[+-]\d{6}/.test(t),
  },
];

/** The first known open fault this input falls in, if any. */
export function knownFault(text: string): KnownFault | undefined {
  return KNOWN_OPEN_FAULTS.find((f) => f.matches(text));
}
