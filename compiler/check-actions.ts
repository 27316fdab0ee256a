// Actions (section 4.14): `set`, `handoff`, `enroll`, `remove from`, `send` — in journey steps,
// thresholds and `on` handlers.
import type { Action, SetAction, Step } from '../grammar/ast.js';
import type { Context } from './context.js';
import { LEAD_SCOPE, VALUES, checkValue } from './check-expr.js';
import { STAGE_PROPERTY, kindName, withArticle } from './model.js';
import { didYouMean } from './reporter.js';
import { T } from './types.js';

const ACTION_KINDS: ReadonlySet<string> = new Set(['set', 'handoff', 'enroll', 'removeFrom', 'send']);

export function isAction(step: Step): step is Action {
  return ACTION_KINDS.has(step.kind);
}

/** The words that start each step, for messages. */
export const STEP_WORDS: Record<Step['kind'], string> = {
  send: 'send', sendNext: 'send next from', wait: 'wait', waitFor: 'wait for', waitUntil: 'wait until', if: 'if',
  split: 'split', repeat: 'repeat', moveTo: 'move to', end: 'end', set: 'set', handoff: 'handoff', enroll: 'enroll',
  removeFrom: 'remove from',
};

/**
 * The body of a threshold or an `on` handler: actions only. The parser accepts any step there;
 * a journey-only step is reported as a syntax error (NUR001) naming what is allowed.
 */
export function checkActionList(ctx: Context, steps: readonly Step[], owner: string): void {
  for (const step of steps) {
    if (isAction(step)) {
      checkAction(ctx, step);
      continue;
    }
    ctx.report.error('NUR001', ctx.file, step.span, `\`${STEP_WORDS[step.kind]}\` is a journey step: ${owner} only runs actions`, {
      help: 'the actions are `set`, `handoff`, `enroll`, `remove from` and `send`; to wait or branch, `enroll` the lead in a journey',
    });
  }
}

export function checkAction(ctx: Context, action: Action): void {
  switch (action.kind) {
    case 'send':
      ctx.resolve(action.content, 'content');
      return;
    case 'set':
      checkSet(ctx, action);
      return;
    case 'handoff':
      return;
    case 'enroll':
    case 'removeFrom':
      ctx.resolve(action.journey, 'journey');
      return;
  }
}

/**
 * `set stage = s`, `set attribute = value`, `set score = N`. Only the engagement part of a score
 * can be set: a derived score or a score with only fit (`if`) rules is NUR102 (setting it would
 * not give it the written value).
 */
function checkSet(ctx: Context, action: SetAction): void {
  const { target, value } = action;
  const name = target.text;
  const model = ctx.model;
  if (!name) return;
  const attribute = model.attributes.get(name);
  if (attribute) {
    ctx.ref(target, attribute);
    checkValue(ctx, value, attribute.type, LEAD_SCOPE, 'the attribute', name);
    return;
  }
  if (name === 'stage') {
    ctx.ref(target, STAGE_PROPERTY);
    checkValue(ctx, value, T.stage, VALUES, '', 'stage'); // the plan's `setStage` holds a stage, not a value to read
    return;
  }
  const score = model.scores.get(name);
  if (score) {
    ctx.ref(target, score);
    if (score.category === 'derived' || score.category === 'fit') {
      const why = score.category === 'derived'
        ? `\`${name}\` is a derived score: its value is computed from its expression`
        : `\`${name}\` is a fit score: its value comes from its \`if\` rules`;
      ctx.report.error('NUR102', ctx.file, target.span, `${why} and cannot be set`, {
        help: '`set` changes an attribute, the stage, or the engagement part of a score with `on` rules',
        related: [{ file: score.file, span: score.span, message: `the score \`${name}\` is declared here` }],
      });
      return;
    }
    checkValue(ctx, value, T.number, LEAD_SCOPE, 'the score', name);
    return;
  }
  const settable = [...model.attributes.keys(), ...[...model.scores.values()].filter((s) => s.category !== 'derived' && s.category !== 'fit').map((s) => s.name), 'stage'];
  const segment = model.segments.get(name);
  if (segment) {
    ctx.ref(target, segment);
    ctx.report.error('NUR102', ctx.file, target.span, `\`${name}\` is a segment: its value is computed from its condition and cannot be set`, {
      help: '`set` changes an attribute, the stage, or the engagement part of a score',
      related: [{ file: segment.file, span: segment.span, message: `the segment \`${name}\` is declared here` }],
    });
    return;
  }
  const other = ctx.findAny(name);
  if (other) {
    ctx.report.error('NUR102', ctx.file, target.span, `\`${name}\` is ${withArticle(kindName(other.kind))}, not an attribute or a score: it cannot be set`, {
      ...didYouMean(ctx.file, target.span, name, settable),
      related: [{ file: other.file, span: other.span, message: `the ${kindName(other.kind)} \`${name}\` is declared here` }],
    });
    return;
  }
  ctx.report.error('NUR100', ctx.file, target.span, `unknown attribute or score \`${name}\``,
    didYouMean(ctx.file, target.span, name, settable, `declare it in a lead block: \`lead { ${name}: text }\``));
}
