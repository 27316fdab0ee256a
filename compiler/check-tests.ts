// Tests (section 4.15): the initial profile, event occurrences and expectations typed against the
// lead model, and the timeline (NUR400 when it goes backwards).
//
// Decisions:
// - `lead { … }` must be the first statement and appear once; otherwise NUR312 (the test's
//   "setting" misplaced or given twice, by analogy with journeys).
// - `lead { … }` and `profile { … }` take attributes only (LANGUAGE.md 4.15): a test lead starts in the
//   first stage, like every lead, and plan version 1 has no place for another start (`lead.profile`
//   holds attributes); the stage changes through `set stage`. `stage` there is NUR102.
// - the clock starts at the first `at` if it comes before any event occurrence (`profile` counts as
//   one), else at 2026-01-05 09:00; an `at` earlier than the clock is NUR400 and leaves the clock
//   unchanged.
import type { DateTimeLit, Expr, Ident, Property, Span, TestDecl, TestStatement } from '../grammar/ast.js';
import type { Context } from './context.js';
import { checkCondition, checkValue, resolveEvent, VALUES } from './check-expr.js';
import { PROFILE_EVENT, type EventSymbol } from './model.js';
import { END_OF_TIME_MINUTES } from './check-limits.js';
import { uniqueProperties } from './properties.js';
import { didYouMean, leadingSpan } from './reporter.js';

/** 2026-01-05 09:00 (a Monday), in minutes: the default start of a test clock. */
const DEFAULT_START = Date.UTC(2026, 0, 5, 9, 0) / 60000;

export function checkTest(ctx: Context, decl: TestDecl): void {
  const statements = decl.statements;
  let leadSpan: Span | undefined;
  let clock = startOfClock(statements);
  let clockSetAt: Span | undefined;
  for (let i = 0; i < statements.length; i++) {
    const st = statements[i];
    switch (st.kind) {
      case 'testLead':
        if (leadSpan) {
          ctx.report.error('NUR312', ctx.file, leadingSpan(st.span, 'lead'.length), 'the test\'s `lead` is given twice', {
            help: 'describe the initial profile in one `lead { … }`; later changes are `profile { … }`',
            related: [{ file: ctx.file, span: leadSpan, message: 'first given here' }],
          });
        } else if (i > 0) {
          ctx.report.error('NUR312', ctx.file, leadingSpan(st.span, 'lead'.length), 'the test\'s `lead` must be its first statement', {
            help: 'move it to the top of the test; to change the profile later, use `profile { … }`',
          });
        }
        leadSpan ??= st.span;
        checkProfile(ctx, st.properties, true);
        break;
      case 'testHoldout':
        ctx.resolve(st.journey, 'journey');
        break;
      case 'at': {
        const t = minutes(st.at);
        if (t < clock) {
          ctx.report.error('NUR400', ctx.file, st.at.span, `the test timeline goes backwards: \`${datetimeText(st.at)}\` is before the test clock, ${formatMinutes(clock)}`, {
            help: 'a test\'s clock only moves forward: use a later date-time, or write a separate test',
            related: clockSetAt ? [{ file: ctx.file, span: clockSetAt, message: `the clock reached ${formatMinutes(clock)} here` }] : undefined,
          });
        } else {
          clock = t;
          clockSetAt = st.span;
        }
        break;
      }
      case 'after':
        clock += st.duration.ms / 60000;
        clockSetAt = st.span;
        if (clock >= END_OF_TIME_MINUTES) {
          ctx.report.error('NUR204', ctx.file, st.span, 'the test clock goes past the year 9999 here', {
            help: 'a test\'s clock stays before 10000-01-01: shorten the `after`, or test less time',
          });
          return; // the rest of the timeline has no date to check against
        }
        break;
      case 'occur':
        if (st.event.text === 'profile') {
          ctx.ref(st.event, PROFILE_EVENT);
          checkProfile(ctx, st.properties, false);
        } else {
          const event = resolveEvent(ctx, st.event);
          if (event) checkOccurrence(ctx, event, st.properties);
        }
        break;
      case 'expect':
        checkCondition(ctx, st.condition, { expect: true });
        break;
    }
  }
}

/** `lead { attr: value }` and `profile { attr: value }`: attributes only. */
function checkProfile(ctx: Context, props: readonly Property[], initial: boolean): void {
  const model = ctx.model;
  for (const prop of uniqueProperties(ctx, props, initial ? 'the test\'s `lead`' : 'this `profile` update')) {
    const key = prop.key;
    const attr = model.attributes.get(key.text);
    if (attr) {
      ctx.ref(key, attr);
      checkValue(ctx, prop.value, attr.type, VALUES, 'the attribute', key.text);
    } else if (key.text === 'stage') {
      reportStageInProfile(ctx, key, prop.value, initial);
    } else {
      ctx.reportNotA(key, 'attribute', model.attributes.keys(), `declare it in a lead block: \`lead { ${key.text}: text }\``);
    }
  }
}

/** NUR102 for `stage` in a test's `lead { … }` or `profile { … }`: the stage is not test data. */
function reportStageInProfile(ctx: Context, key: Ident, value: Expr, initial: boolean): void {
  const first = ctx.model.stages.values().next().value;
  const wanted = value.kind === 'name' && value.name.text ? `\`${value.name.text}\`` : 'another stage';
  const message = initial
    ? `\`stage\` is not an attribute: a test lead starts in the first stage${first ? `, \`${first.name}\`` : ''}, like every lead`
    : '`stage` is not an attribute: a profile update cannot change it';
  ctx.report.error('NUR102', ctx.file, key.span, message, {
    help: `to test a lead in ${wanted}, bring it there as a real lead gets there: the events or profile values that make a threshold or a journey \`set stage\``,
  });
}

/** `event_name { field: value }`: fields typed against the event (NUR105 for unknown fields). */
function checkOccurrence(ctx: Context, event: EventSymbol, props: readonly Property[]): void {
  for (const prop of uniqueProperties(ctx, props, 'the event', event.name)) {
    const key = prop.key;
    const field = event.fields.get(key.text);
    if (field) {
      ctx.ref(key, field);
      checkValue(ctx, prop.value, field.type, VALUES, 'the field', key.text);
      continue;
    }
    const fields = [...event.fields.keys()];
    ctx.report.error('NUR105', ctx.file, key.span, `unknown field \`${key.text}\`: event \`${event.name}\` has no such field`,
      didYouMean(ctx.file, key.span, key.text, fields,
        fields.length > 0 ? `the fields of \`${event.name}\` are ${fields.map((f) => `\`${f}\``).join(', ')}` : `\`${event.name}\` has no fields`));
  }
}

/** Where the clock starts: the first `at` when it comes before any event, else 2026-01-05 09:00. */
function startOfClock(statements: readonly TestStatement[]): number {
  for (const st of statements) {
    if (st.kind === 'occur') break;
    if (st.kind === 'at') return minutes(st.at);
  }
  return DEFAULT_START;
}

/** Wall-clock minutes of a date-time (its order is all that matters here). */
function minutes(dt: DateTimeLit): number {
  return Date.UTC(dt.date.year, dt.date.month - 1, dt.date.day, dt.time.hour, dt.time.minute) / 60000;
}

function formatMinutes(m: number): string {
  return new Date(m * 60000).toISOString().slice(0, 16).replace('T', ' ');
}

function datetimeText(dt: DateTimeLit): string {
  return `${dt.date.raw} ${dt.time.raw}`;
}
