// NUR302: unreachable steps — steps after a `move to` or an `end` in the same block, or after a step
// every path of which leaves the journey (an `if` with an `else`, a `split`, a `wait for`/`wait until`
// with both blocks, each of whose blocks ends with `move to` or `end`). A `repeat` is never taken to
// leave: it may end before its body runs (`until`, an exhausted stream). Reported once per block, on
// the unreachable steps, pointing at the step that leaves.
import type { Step } from '../../grammar/ast.js';
import type { Diagnostic } from '../../grammar/diagnostic.js';
import type { Model } from '../model.js';
import { childLists, joinSpans, journeySteps, warning } from './common.js';
import type { Soundness } from './soundness.js';

export function analyzeReachability(model: Model, sound: Soundness): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const j of model.journeys.values()) if (sound.clean(j.file, j.declSpan)) checkBlock(j.file, j.name, journeySteps(j.decl), out);
  return out;
}

/** Checks one block and its nested blocks; true when the block always leaves the journey. */
function checkBlock(file: string, journey: string, steps: readonly Step[], out: Diagnostic[]): boolean {
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    if (!leaves(file, journey, step, out)) continue;
    if (i + 1 < steps.length) {
      const first = steps[i + 1];
      const last = steps[steps.length - 1];
      const count = steps.length - i - 1;
      const them = count === 1 ? 'it' : 'them';
      out.push(warning('NUR302', file, joinSpans(first.span, last.span),
        `${count === 1 ? 'this step is' : `these ${count} steps are`} never run: ${describeLeave(step, journey)} before ${them}`, {
          help: `remove ${them}, or move ${them} above the \`${leaveWord(step)}\``,
          related: [{ file, span: step.span, message: `journey \`${journey}\` is left here` }],
        }));
    }
    return true;
  }
  return false;
}

/** Whether `step` always leaves the journey (checking its nested blocks on the way). */
function leaves(file: string, journey: string, step: Step, out: Diagnostic[]): boolean {
  if (step.kind === 'moveTo' || step.kind === 'end') return true;
  const results = childLists(step).map((list) => checkBlock(file, journey, list, out));
  switch (step.kind) {
    case 'if':
      return step.otherwise !== undefined && results.every((r) => r);
    case 'split':
      return results.length > 0 && results.every((r) => r);
    case 'waitFor':
    case 'waitUntil':
      return step.then !== undefined && step.timeout !== undefined && results.every((r) => r);
    default:
      return false;
  }
}

function leaveWord(step: Step): string {
  switch (step.kind) {
    case 'moveTo': return `move to ${step.journey.text}`;
    case 'end': return 'end';
    case 'if': return 'if';
    case 'split': return 'split';
    case 'waitFor': return 'wait for';
    case 'waitUntil': return 'wait until';
    default: return step.kind;
  }
}

function describeLeave(step: Step, journey: string): string {
  if (step.kind === 'moveTo') return `\`move to ${step.journey.text}\` leaves journey \`${journey}\``;
  if (step.kind === 'end') return `\`end\` ends journey \`${journey}\``;
  return `every branch of the \`${leaveWord(step)}\` above leaves journey \`${journey}\``;
}
