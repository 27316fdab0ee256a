// Words and places for the audit trail that the plan index does not keep: each fit rule of a score
// (`+30 if job_level is vp`) with its source location, built once per plan.
import type { Loc } from '../plan-types.js';
import { exprText } from '../expr-text.js';
import type { PlanIndex } from './plan-index.js';

export interface RuleText {
  rule: string;
  loc: Loc;
}

const fitTexts = new WeakMap<PlanIndex, RuleText[][]>();

/** The fit rules of score `score` (an index of `ix.scores`), in declaration order, in words. */
export function fitRuleTexts(ix: PlanIndex, score: number): RuleText[] {
  let all = fitTexts.get(ix);
  if (all === undefined) {
    all = ix.scores.map((sc) => {
      const def = ix.plan.scores[sc.name];
      if (def === undefined || def.kind !== 'rules') return [];
      return def.fit.map((f) => ({ rule: `${f.points >= 0 ? '+' : ''}${f.points} if ${exprText(ix.plan, f.condition)}`, loc: f.loc }));
    });
    fitTexts.set(ix, all);
  }
  return all[score]!;
}
