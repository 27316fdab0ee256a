// The names of a `split`'s branches, as the audit trail and the report show them: the content each branch
// sends first when every branch starts with a different `send`, else `branch 1`, `branch 2`, … in source order.
import type { SplitStep, Step } from '../plan-types.js';

const names = new WeakMap<SplitStep, string[]>();

/** The branch names of `split`, whose journey's steps are `steps` (indexed by step id). */
export function branchNames(steps: readonly { step: Step }[] | readonly Step[], split: SplitStep): string[] {
  let known = names.get(split);
  if (known !== undefined) return known;
  const stepAt = (id: number): Step | undefined => {
    const x = steps[id];
    return x === undefined ? undefined : 'step' in x ? x.step : x;
  };
  const first = split.branches.map((b) => {
    const st = b.target === null ? undefined : stepAt(b.target);
    return st !== undefined && st.kind === 'send' ? st.content : null;
  });
  const distinct = first.every((c) => c !== null) && new Set(first).size === first.length;
  known = distinct ? (first as string[]) : split.branches.map((_, i) => `branch ${i + 1}`);
  names.set(split, known);
  return known;
}
