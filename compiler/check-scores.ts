// Scores (section 4.10): fit rules (conditions on the profile), engagement rules (events), decay,
// range, and derived scores (arithmetic over scores and numbers).
//
// Decisions: `range` and `decay` given twice in one score are NUR312 ("a setting given twice").
// Fit rules and derived expressions are definitions: the scores and segments they mention are
// dependencies, and a cycle among them is reported by dependencies.ts.
import type { DerivedScoreDecl, Expr, ScoreDecl, Span } from '../grammar/ast.js';
import type { Context } from './context.js';
import { checkCondition, checkWholeNumber, exprText, LEAD_SCOPE, resolveEvent, valueSymbol } from './check-expr.js';
import { kindName, withArticle, type ScoreSymbol } from './model.js';
import { didYouMean, firstDeclaredHere, leadingSpan } from './reporter.js';
import { T } from './types.js';

export function checkScore(ctx: Context, decl: ScoreDecl, sym: ScoreSymbol | undefined): void {
  const once = new Map<'range' | 'decay', Span>();
  for (const rule of decl.rules) {
    switch (rule.kind) {
      case 'fitRule':
        ctx.owner = sym;
        checkCondition(ctx, rule.condition, LEAD_SCOPE);
        ctx.owner = undefined;
        break;
      case 'engagementRule': {
        const event = resolveEvent(ctx, rule.event);
        if (rule.where && event) checkCondition(ctx, rule.where, { event });
        if (rule.limit?.kind === 'max') checkWholeNumber(ctx, rule.limit.count, 'the count in `max … per`');
        break;
      }
      case 'decay':
      case 'range': {
        const keyword = leadingSpan(rule.span, rule.kind.length);
        const first = once.get(rule.kind);
        if (first) {
          ctx.report.error('NUR312', ctx.file, keyword, `\`${rule.kind}\` is given twice in score \`${decl.name.text}\``, {
            help: 'keep only one',
            related: firstDeclaredHere(ctx.file, first, 'first given here'),
          });
        } else {
          once.set(rule.kind, keyword);
        }
        break;
      }
    }
  }
}

/** `score total = fit + engagement`: numbers, scores, parentheses and arithmetic only. */
export function checkDerivedScore(ctx: Context, decl: DerivedScoreDecl, sym: ScoreSymbol | undefined): void {
  ctx.owner = sym;
  checkDerivedExpr(ctx, decl.expr);
  ctx.owner = undefined;
}

function checkDerivedExpr(ctx: Context, e: Expr): void {
  ctx.model.exprTypes.set(e, T.number);
  switch (e.kind) {
    case 'number':
    case 'error':
      return;
    case 'paren':
      checkDerivedExpr(ctx, e.inner);
      return;
    case 'arith':
      checkDerivedExpr(ctx, e.left);
      checkDerivedExpr(ctx, e.right);
      return;
    case 'name': {
      const ident = e.name;
      if (!ident.text) return;
      const score = ctx.model.scores.get(ident.text);
      if (score) {
        ctx.ref(ident, score);
        return;
      }
      const other = valueSymbol(ctx, ident, LEAD_SCOPE);
      if (other && other.kind !== 'builtin') {
        ctx.ref(ident, other);
        const hint = didYouMean(ctx.file, ident.span, ident.text, ctx.model.scores.keys());
        ctx.report.error('NUR102', ctx.file, ident.span, `\`${ident.text}\` is ${withArticle(kindName(other.kind))}, not a score: a derived score combines scores and numbers`, {
          ...hint,
          help: hint.help ?? (other.kind === 'attribute' ? `to score an attribute, write a fit rule: \`+10 if ${ident.text} …\` in a score` : undefined),
        });
        return;
      }
      ctx.resolve(ident, 'score');
      return;
    }
    default:
      ctx.report.error('NUR200', ctx.file, e.span, `a derived score is arithmetic over scores and numbers, but ${exprText(e) ? `\`${exprText(e)}\`` : 'this'} is not`, {
        help: 'for example `score total = fit + engagement` or `score weighted = (fit * 2 + engagement) / 3`',
      });
  }
}
