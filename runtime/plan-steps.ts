// Where a plan step can go next: shared by the plan loader (target checks, loops without a wait)
// and the engine's plan index.
import type { Step } from './plan-types.js';

/** The step's possible successors (null: the journey ends). `exhausted` of `send next from` optional. */
export function stepTargets(step: Step, withExhausted = true): (number | null)[] {
  switch (step.kind) {
    case 'sendNext':
      return withExhausted ? [step.next, step.exhausted] : [step.next];
    case 'waitFor':
      return [step.onEvent, step.onTimeout];
    case 'waitUntil':
      return [step.onTrue, step.onTimeout];
    case 'if':
      return [...step.branches.map((b) => b.target), step.else];
    case 'split':
      return step.branches.map((b) => b.target);
    case 'repeat':
      return [step.body, step.next];
    case 'moveTo':
    case 'end':
      return [];
    default:
      return [step.next];
  }
}
