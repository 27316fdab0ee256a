// Journeys (section 4.14): settings first and at most once each (NUR312), then steps, recursively.
//
// "Each at most once except `entry`" is read per setting keyword: `exit when` and `exit on` are
// both the `exit` setting (combine them with `or`, e.g. `exit when stage >= mql or has unsubscribed`),
// `goal when`/`goal on` are both `goal`. The three `entry` forms may repeat and mix.
import type { JourneyDecl, JourneySetting, Span, Step } from '../grammar/ast.js';
import { JOURNEY_SETTING_KINDS } from '../grammar/ast.js';
import type { Context } from './context.js';
import { checkAction, isAction } from './check-actions.js';
import { LEAD_SCOPE, checkCondition, checkWholeNumber, resolveEvent } from './check-expr.js';
import { describeType } from './types.js';
import { firstDeclaredHere, leadingSpan } from './reporter.js';

type SettingWord = 'entry' | 'audience' | 'reentry' | 'exit' | 'goal' | 'holdout' | 'priority';

const SETTING_WORD: Record<JourneySetting['kind'], SettingWord> = {
  entryOn: 'entry', entryWhen: 'entry', entryDate: 'entry', audience: 'audience', reentry: 'reentry',
  exitWhen: 'exit', exitOn: 'exit', goalWhen: 'goal', goalOn: 'goal', holdout: 'holdout', priority: 'priority',
};

export function isSetting(item: JourneyDecl['items'][number]): item is JourneySetting {
  return JOURNEY_SETTING_KINDS.has(item.kind);
}

export function checkJourney(ctx: Context, decl: JourneyDecl): void {
  const journey = decl.name.text ? `journey \`${decl.name.text}\`` : 'this journey';
  const seen = new Map<SettingWord, Span>();
  let firstStep: Step | undefined;
  for (const item of decl.items) {
    if (!isSetting(item)) {
      firstStep ??= item;
      checkStep(ctx, item);
      continue;
    }
    const word = SETTING_WORD[item.kind];
    if (firstStep) {
      const keyword = leadingSpan(item.span, word.length);
      ctx.report.error('NUR312', ctx.file, keyword, `the setting \`${word}\` comes after a step of ${journey}`, {
        help: 'move the journey\'s settings above its first step',
        related: [{ file: ctx.file, span: firstStep.span, message: 'first step here' }],
      });
    } else if (word !== 'entry') {
      const first = seen.get(word);
      if (first) {
        ctx.report.error('NUR312', ctx.file, leadingSpan(item.span, word.length), `\`${word}\` is given twice in ${journey}`, {
          help: word === 'exit' || word === 'goal'
            ? `a journey has one \`${word}\`; combine the conditions with \`or\` (\`has event\` tests an event)`
            : 'keep only one',
          related: firstDeclaredHere(ctx.file, leadingSpan(first, word.length), 'first given here'),
        });
      } else {
        seen.set(word, item.span);
      }
    }
    checkSetting(ctx, item);
  }
}

function checkSetting(ctx: Context, s: JourneySetting): void {
  switch (s.kind) {
    case 'entryOn':
    case 'exitOn':
    case 'goalOn': {
      const event = resolveEvent(ctx, s.event);
      if (s.where && event) checkCondition(ctx, s.where, { event });
      return;
    }
    case 'entryWhen':
    case 'exitWhen':
    case 'goalWhen':
    case 'audience':
      checkCondition(ctx, s.condition, LEAD_SCOPE);
      return;
    case 'entryDate': {
      const attr = ctx.resolve(s.attribute, 'attribute');
      if (attr && attr.type.kind !== 'date' && attr.type.kind !== 'unknown') {
        ctx.report.error('NUR200', ctx.file, s.attribute.span, `\`entry … ${s.direction}\` needs a date attribute, but \`${attr.name}\` is ${describeType(attr.type)}`, {
          help: 'name an attribute declared as `date` (a birthday, a contract end…)',
        });
      }
      return;
    }
    case 'reentry':
    case 'holdout':
    case 'priority':
      return;
  }
}

export function checkSteps(ctx: Context, steps: readonly Step[] | undefined): void {
  if (steps) for (const step of steps) checkStep(ctx, step);
}

function checkStep(ctx: Context, step: Step): void {
  if (isAction(step)) {
    checkAction(ctx, step);
    return;
  }
  switch (step.kind) {
    case 'sendNext':
      ctx.resolve(step.stream, 'stream');
      return;
    case 'wait':
    case 'end':
      return;
    case 'waitFor': {
      const event = resolveEvent(ctx, step.event);
      if (step.where && event) checkCondition(ctx, step.where, { event });
      checkSteps(ctx, step.then);
      checkSteps(ctx, step.timeout);
      return;
    }
    case 'waitUntil':
      checkCondition(ctx, step.condition, LEAD_SCOPE);
      checkSteps(ctx, step.then);
      checkSteps(ctx, step.timeout);
      return;
    case 'if':
      for (const branch of step.branches) {
        checkCondition(ctx, branch.condition, LEAD_SCOPE);
        checkSteps(ctx, branch.body);
      }
      checkSteps(ctx, step.otherwise);
      return;
    case 'split':
      for (const branch of step.branches) checkSteps(ctx, branch.body);
      return;
    case 'repeat':
      checkWholeNumber(ctx, step.max, 'the count in `max … times`');
      if (step.until) checkCondition(ctx, step.until, LEAD_SCOPE);
      checkSteps(ctx, step.body);
      return;
    case 'moveTo':
      ctx.resolve(step.journey, 'journey');
      return;
  }
}
