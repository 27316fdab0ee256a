// NUR304: the percentages of a `split` must add up to 100%.
import type { SplitStep } from '../../grammar/ast.js';
import type { Diagnostic } from '../../grammar/diagnostic.js';
import type { Model } from '../model.js';
import { error, keywordSpan, num, stepIndex } from './common.js';
import type { Soundness } from './soundness.js';

export function analyzeSplits(model: Model, sound: Soundness): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { file, journey, step } of stepIndex(model).splits) if (journey && sound.clean(file, step.span)) check(file, journey.name, step, out);
  return out;
}

function check(file: string, journey: string, step: SplitStep, out: Diagnostic[]): void {
  if (step.branches.length === 0) return;
  const total = step.branches.reduce((sum, b) => sum + b.percent.value, 0);
  if (Math.abs(total - 100) < 1e-9) return;
  const parts = step.branches.map((b) => b.percent.raw || `${num(b.percent.value)}%`).join(' + ');
  const diff = Math.round((100 - total) * 1e6) / 1e6;
  out.push(error('NUR304', file, keywordSpan(step.span, 'split'.length),
    `the branches of this split in journey \`${journey}\` add up to ${num(total)}%${step.branches.length > 1 ? ` (${parts})` : ''}, not 100%`, {
      help: diff > 0
        ? `${num(diff)}% of the leads would take no branch: raise a percentage so that they add up to 100%`
        : `lower the percentages by ${num(-diff)}% in all so that they add up to 100%`,
    }));
}
