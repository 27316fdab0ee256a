// The limits on numbers (LANGUAGE.md 3, NUR204): the checker is the gate, so that nothing it accepts
// makes a later command fail (the plan validator, the runtime's clock, the store's dates).
//
// - A duration is at most 100 years. Journeys wait days to months; 100 years from any accepted date
//   stays far inside what a JavaScript date can hold (year 275760), whatever a run's clock reaches.
// - A number is at most 10^15 in size: below 2^53, where every whole number is exact.
// - A count (`max N messages per`, `max N times`, `N times`, `at least N times`) is at most
//   1,000,000,000: a larger one is "unlimited" for one lead, and it stays a small integer everywhere.
// - A score rule's `max N per D` is at most 1000: the runtime keeps the times of the last N applications
//   of the rule in every lead's state (a billion would be gigabytes per lead).
// - A date is between 1900-01-01 and 9999-12-31 (four-digit years; two-digit years are ambiguous to
//   JavaScript's Date.UTC), and a test's clock stays before 10000-01-01.
// - A content's cost is not negative.
import type { DurationLit, Node, NumberLit, SourceFile } from '../grammar/ast.js';
import type { Context } from './context.js';

export const MAX_DURATION_MS = 100 * 365 * 86_400_000;
export const MAX_NUMBER = 1e15;
export const MAX_COUNT = 1_000_000_000;
export const MAX_RULE_LIMIT = 1000;
export const MIN_YEAR = 1900;
/** 10000-01-01 00:00 UTC, in minutes: a test clock stays below. */
export const END_OF_TIME_MINUTES = Date.UTC(10000, 0, 1) / 60000;

/** Keys under which a number is a count (and `max` of a `repeat`; the `max` of a `range` is a number). */
const COUNT_KEYS: ReadonlySet<string> = new Set(['count', 'times', 'atLeast']);

/** Reports every duration, number, count and date of the file out of range (walked without recursion). */
export function checkLimits(ctx: Context, file: SourceFile): void {
  // three parallel stacks (node, its key, its parent's kind): no tuple per node in a 5 MB file
  const nodes: unknown[] = [...file.declarations];
  const keys: string[] = nodes.map(() => '');
  const parents: string[] = nodes.map(() => '');
  while (nodes.length > 0) {
    const node = nodes.pop();
    const key = keys.pop()!;
    const parent = parents.pop()!;
    if (Array.isArray(node)) {
      for (const x of node) {
        nodes.push(x);
        keys.push(key);
        parents.push(parent);
      }
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    const n = node as Node & { kind?: string };
    switch (n.kind) {
      case 'duration':
        checkDuration(ctx, n as unknown as DurationLit);
        continue;
      case 'number': {
        const max = parent === 'max' && key === 'count' ? MAX_RULE_LIMIT : COUNT_KEYS.has(key) || (key === 'max' && parent === 'repeat') ? MAX_COUNT : undefined;
        checkNumber(ctx, n as unknown as NumberLit, max);
        continue;
      }
      case 'date': {
        const d = n as unknown as { year: number; raw: string };
        if (d.year < MIN_YEAR) {
          ctx.report.error('NUR204', ctx.file, n.span, `the date \`${d.raw}\` is out of range: dates go from ${MIN_YEAR}-01-01 to 9999-12-31`);
        }
        continue;
      }
      case 'name':
      case 'text':
      case 'bool':
      case 'percent':
      case 'time':
        continue; // leaves
    }
    const kind = n.kind ?? parent;
    for (const k in node) {
      const v = (node as Record<string, unknown>)[k];
      if (k === 'span' || v === null || typeof v !== 'object') continue;
      nodes.push(v);
      keys.push(k);
      parents.push(kind);
    }
  }
}

function checkDuration(ctx: Context, d: DurationLit): void {
  if (d.ms <= MAX_DURATION_MS) return;
  ctx.report.error('NUR204', ctx.file, d.span, `the duration \`${d.raw}\` is longer than 100 years`, {
    help: 'the longest duration is 100 years (36500 days); a longer one could never be scheduled',
  });
}

/** A number, or a count when `maxCount` is given. */
function checkNumber(ctx: Context, n: NumberLit, maxCount: number | undefined): void {
  if (maxCount !== undefined && n.value > maxCount) {
    const what = maxCount === MAX_RULE_LIMIT ? 'the count of a score rule\'s `max … per`' : 'a count';
    ctx.report.error('NUR204', ctx.file, n.span, `the count \`${n.raw}\` is too large: ${what} is at most ${maxCount}`, {
      help: 'for no limit at all, leave the count out',
    });
  } else if (!(Math.abs(n.value) <= MAX_NUMBER)) {
    ctx.report.error('NUR204', ctx.file, n.span, `the number \`${n.raw}\` is too large: numbers are at most 10^15 (1000000000000000) in size`, {
      help: 'larger numbers would lose precision',
    });
  }
}
