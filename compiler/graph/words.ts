// The words a journey graph shows, rebuilt from the plan (not from the sources): the same picture for a
// workspace and for a plan .json whose sources are elsewhere. Conditions go through the runtime's
// `exprText`, durations through its `formatDuration`, so that the graph reads like the test runner's
// messages.
import { formatDuration, formatMinute } from '../../runtime/engine/time.js';
import type { Entry, Exit, Expr, Goal, Journey, Plan, Step } from '../../runtime/plan-types.js';
import { exprText } from '../../runtime/test-runner.js';

export { formatDuration };

/** A step as a keyword (`send`, `wait for webinar_attended`) and what it applies to (`welcome_email`). */
export interface StepWords {
  title: string;
  detail: string;
}

/** A condition in the language's words: `engagement >= 10`. */
export function conditionText(plan: Plan, e: Expr): string {
  return exprText(plan, e);
}

const where = (plan: Plan, c: Expr | null): string => (c === null ? '' : ` where ${conditionText(plan, c)}`);

export function stepWords(plan: Plan, step: Step): StepWords {
  switch (step.kind) {
    case 'send':
      return { title: 'send', detail: step.content };
    case 'sendNext':
      return { title: 'send next from', detail: step.stream };
    case 'wait':
      return { title: 'wait', detail: formatDuration(step.durationMs) };
    case 'waitFor':
      return { title: `wait for ${step.event}`, detail: `${where(plan, step.where)} up to ${formatDuration(step.upToMs)}`.trimStart() };
    case 'waitUntil':
      return { title: 'wait until', detail: `${conditionText(plan, step.condition)} up to ${formatDuration(step.upToMs)}` };
    case 'if':
      return { title: 'if', detail: step.branches[0] ? conditionText(plan, step.branches[0].condition) : '' };
    case 'split':
      return { title: 'split', detail: step.branches.map((b) => `${b.percent}%`).join(' / ') };
    case 'repeat': {
      const parts = [step.max === null ? '' : `max ${step.max} times`, step.until === null ? '' : `until ${conditionText(plan, step.until)}`];
      return { title: `repeat every ${formatDuration(step.everyMs)}`, detail: parts.filter((p) => p).join(' ') };
    }
    case 'moveTo':
      return { title: 'move to', detail: step.journey };
    case 'end':
      return { title: 'end', detail: '' };
    case 'setAttr':
      return { title: 'set', detail: `${step.attribute} = ${conditionText(plan, step.value)}` };
    case 'setStage':
      return { title: 'set', detail: `stage = ${plan.stages[step.stage]?.name ?? String(step.stage)}` };
    case 'setScore':
      return { title: 'set', detail: `${step.score} = ${conditionText(plan, step.value)}` };
    case 'handoff':
      return { title: 'handoff', detail: JSON.stringify(step.queue) };
    case 'enroll':
      return { title: 'enroll', detail: step.journey };
    case 'removeFrom':
      return { title: 'remove from', detail: step.journey };
  }
}

function entryLine(plan: Plan, e: Entry): string {
  switch (e.kind) {
    case 'on':
      return `entry on ${e.event}${where(plan, e.where)}`;
    case 'when':
      return `entry when ${conditionText(plan, e.condition)}`;
    case 'date': {
      const side = e.offsetMs < 0 ? 'before' : 'after';
      const at = e.atMinute === 540 ? '' : ` at ${formatMinute(e.atMinute)}`; // 09:00 is the rule's own
      return `entry ${formatDuration(Math.abs(e.offsetMs))} ${side} ${e.attribute}${e.yearly ? ' yearly' : ''}${at}`;
    }
  }
}

function exitLine(plan: Plan, e: Exit): string {
  return e.kind === 'when' ? `exit when ${conditionText(plan, e.condition)}` : `exit on ${e.event}${where(plan, e.where)}`;
}

function goalLine(plan: Plan, g: Goal): string {
  const what = g.kind === 'when' ? conditionText(plan, g.condition) : `on ${g.event}${where(plan, g.where)}`;
  return `goal ${what} within ${formatDuration(g.withinMs)}`;
}

/** A journey's settings, one line each, in the order they are written: its header in the graph. */
export function journeyHeader(plan: Plan, journey: Journey): string[] {
  const lines = journey.entries.map((e) => entryLine(plan, e));
  if (lines.length === 0) lines.push('entered by move to / enroll');
  if (journey.audience) lines.push(`audience ${conditionText(plan, journey.audience)}`);
  const r = journey.reentry;
  if (r.mode === 'after') lines.push(`reentry after ${formatDuration(r.afterMs)}`);
  else if (r.mode === 'always') lines.push('reentry always');
  lines.push(...journey.exits.map((e) => exitLine(plan, e)));
  if (journey.goal) lines.push(goalLine(plan, journey.goal));
  if (journey.holdoutPercent > 0) lines.push(`holdout ${journey.holdoutPercent}%`);
  if (journey.priority !== 0) lines.push(`priority ${journey.priority}`);
  return lines;
}
