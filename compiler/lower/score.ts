// Scores → `rules` (fit and engagement rules, decay, range) or `derived` (docs/plan.md, "Scores").
import type { Decay, EngagementRule, FitRule, Score } from '../../runtime/plan-types.js';
import type { ScoreSymbol } from '../model.js';
import type { Lowering } from './context.js';
import { lowerExpr } from './expr.js';

export function lowerScore(lw: Lowering, s: ScoreSymbol): Score {
  const decl = s.decl;
  if (decl.kind === 'derivedScore') return { kind: 'derived', expr: lowerExpr(lw, decl.expr), loc: lw.loc(decl.span) };
  const fit: FitRule[] = [];
  const engagement: EngagementRule[] = [];
  let decay: Decay | null = null;
  // `range 0 to 100` unless written (a repeated `range`/`decay` is NUR312, so the last one is the only one).
  let range: { min: number; max: number; loc: [number, number, number] | null } = { min: 0, max: 100, loc: null };
  for (const rule of decl.rules) {
    const loc = lw.loc(rule.span);
    switch (rule.kind) {
      case 'fitRule':
        fit.push({ points: rule.points.value, condition: lowerExpr(lw, rule.condition), loc });
        break;
      case 'engagementRule':
        engagement.push({
          points: rule.points.value,
          event: lw.name(rule.event, 'event'),
          where: rule.where ? lowerExpr(lw, rule.where) : null,
          limit: !rule.limit
            ? null
            : rule.limit.kind === 'once'
              ? { kind: 'once', loc: lw.loc(rule.limit.span) }
              : { kind: 'max', count: rule.limit.count.value, perMs: rule.limit.per.ms, loc: lw.loc(rule.limit.span) },
          loc,
        });
        break;
      case 'decay':
        decay = rule.amount.kind === 'percent'
          ? { kind: 'percent', value: rule.amount.value, everyMs: rule.every.ms, loc }
          : { kind: 'amount', value: rule.amount.value, everyMs: rule.every.ms, loc };
        break;
      case 'range':
        range = { min: rule.min.value, max: rule.max.value, loc };
        break;
    }
  }
  return { kind: 'rules', fit, engagement, decay, range, loc: lw.loc(decl.span) };
}
