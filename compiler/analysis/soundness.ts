// What the analyses may trust when the workspace has errors. The unit is the syntax a finding judges
// (its subject): a score's `range` or `decay` rule, a journey's `holdout`, a `split` step, a whole
// journey (reachability, repeats, `move to` cycles), the `pressure` block, a channel and its contents,
// a condition's declaration. A finding is made only when its subject holds no error (parser's or
// checker's), and when every declaration it reads from holds none either: a condition reads the range
// of each score it compares, so a score whose declaration has an error has no range (nothing is
// claimed about it), and a `set` of a score in a declaration with an error widens its range to the
// whole. The findings about the whole workspace (NUR306: no `move to`/`enroll` names the journey,
// NUR307: nothing uses the declaration) need every declaration: a use may hide in a broken one.
import type { Span } from '../../grammar/ast.js';
import type { Diagnostic } from '../../grammar/diagnostic.js';

export interface Soundness {
  /** Whether `span` of `file` holds no error. */
  clean(file: string, span: Span): boolean;
  /** No error anywhere. */
  readonly whole: boolean;
}

/** No error at all: every subject is sound. */
export const SOUND: Soundness = { clean: () => true, whole: true };

/** The soundness of a workspace with these diagnostics (only the errors count). */
export function soundness(diagnostics: readonly Diagnostic[]): Soundness {
  const byFile = new Map<string, { start: number; end: number }[]>();
  for (const d of diagnostics) {
    if (d.severity !== 'error') continue;
    const list = byFile.get(d.file);
    if (list) list.push(d.span);
    else byFile.set(d.file, [d.span]);
  }
  if (byFile.size === 0) return SOUND;
  // Per file: the errors by start, and the furthest end reached by the errors up to each one.
  // A zero-width error (a missing `}`) belongs to what it ends: it counts from one character before.
  const index = new Map<string, { starts: number[]; reach: number[] }>();
  for (const [file, spans] of byFile) {
    const from = spans.map((s) => (s.end > s.start ? s : { start: Math.max(0, s.start - 1), end: s.start })).sort((a, b) => a.start - b.start);
    let reach = -1;
    index.set(file, { starts: from.map((s) => s.start), reach: from.map((s) => (reach = Math.max(reach, s.end))) });
  }
  return {
    whole: false,
    clean(file, span) {
      const errors = index.get(file);
      if (!errors) return true;
      const i = firstAtOrAfter(errors.starts, span.start);
      if (i < errors.starts.length && errors.starts[i]! < span.end) return false; // starts inside
      return i === 0 || errors.reach[i - 1]! <= span.start; // or starts before and reaches inside
    },
  };
}

function firstAtOrAfter(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
