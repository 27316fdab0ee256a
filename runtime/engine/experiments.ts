// Experiments (LANGUAGE.md 9): each `split` reports its branches' conversion — the runs that went down a
// branch and reached the journey's goal — side by side with a test of their difference, and names a
// winner only when that difference is significant at 5%.
//
// Counted: nurtured runs of leads outside the control group (the others get no message, so no variant);
// a run converts when it reaches the goal (within its window, also after the run completed). Two
// branches: Fisher's exact test when an expected count of the 2×2 table is below 5, else the pooled
// two-proportion z test (stats.ts `compareProportions`). Three or more: the branch with the best rate
// against each of the others, the p-values adjusted by Holm's method; the winner is that branch when every
// adjusted p is below 5%, and `p` is the largest of them (the one that decides).
import type { Loc, SplitStep } from '../plan-types.js';
import { splitBranchKey, conversionKey, type MeasuresData } from './measure-data.js';
import type { PlanIndex } from './plan-index.js';
import { branchNames } from './splits.js';
import { compareProportions, holm } from './stats.js';

/** The significance level for naming a winner. */
export const ALPHA = 0.05;

export interface SplitBranch {
  name: string;
  entered: number;
  converted: number;
  rate: number | null;
}

export interface SplitMeasures {
  journey: string;
  /** The split's step id in the plan, as text. */
  step: string;
  loc: Loc | null;
  /** The journey's goal in words (`on webinar_registered`, `when stage >= mql`), or null without one. */
  goal: string | null;
  branches: SplitBranch[];
  test: { method: 'fisher' | 'two-proportions'; p: number | null; adjusted: boolean };
  winner: string | null;
}

/** Every split of the plan, with its branches' counts from `data` and the test of their difference. */
export function splitMeasures(ix: PlanIndex, data: MeasuresData, goalText: (journey: string) => string | null): SplitMeasures[] {
  // entered and converted per (journey, step) and branch
  const counts = new Map<string, { entered: number[]; converted: number[] }>();
  for (const [k, b] of data.branches) {
    const { journey, step, lead, run } = splitBranchKey(k);
    const key = `${journey}\t${step}`;
    let c = counts.get(key);
    if (c === undefined) counts.set(key, (c = { entered: [], converted: [] }));
    c.entered[b] = (c.entered[b] ?? 0) + 1;
    if (data.conversions.has(conversionKey(journey, lead, run))) c.converted[b] = (c.converted[b] ?? 0) + 1;
  }
  const out: SplitMeasures[] = [];
  for (const J of ix.journeys) {
    for (const cs of J.steps) {
      if (cs.step.kind !== 'split') continue;
      const split = cs.step as SplitStep;
      const c = counts.get(`${J.name}\t${split.id}`);
      const names = branchNames(J.steps, split);
      const goal = J.goal === null ? null : goalText(J.name);
      const branches = names.map((name, i) => {
        const entered = c?.entered[i] ?? 0;
        const converted = c?.converted[i] ?? 0;
        return { name, entered, converted, rate: goal === null || entered === 0 ? null : converted / entered };
      });
      out.push({ journey: J.name, step: String(split.id), loc: split.loc, goal, branches, ...compare(branches) });
    }
  }
  return out;
}

/** The test of the branches' difference and the winner, if significant. */
function compare(branches: SplitBranch[]): Pick<SplitMeasures, 'test' | 'winner'> {
  const adjusted = branches.length >= 3;
  const none = { test: { method: 'two-proportions' as const, p: null, adjusted }, winner: null };
  if (branches.length < 2 || branches.some((b) => b.rate === null)) return none;
  let best = 0;
  branches.forEach((b, i) => {
    if (b.rate! > branches[best]!.rate!) best = i;
  });
  const b0 = branches[best]!;
  const tests = branches.filter((_, i) => i !== best).map((b) => compareProportions(b0.converted, b0.entered, b.converted, b.entered));
  const ps = adjusted ? holm(tests.map((t) => t.p)) : tests.map((t) => t.p);
  const p = Math.max(...ps);
  const method = tests.some((t) => t.test === 'fisher') ? 'fisher' : 'two-proportions';
  // A winner beats every other branch: a tie for the best rate never wins.
  const beatsAll = branches.every((b, i) => i === best || b.rate! < b0.rate!);
  return { test: { method, p, adjusted }, winner: p < ALPHA && beatsAll ? b0.name : null };
}
