// NUR310: invalid score ranges and decay — a range whose minimum is above its maximum, a decay over
// 100% (or below 0), a negative decay amount, a decay period of zero.
import type { Diagnostic } from '../../grammar/diagnostic.js';
import type { Model } from '../model.js';
import { error, num } from './common.js';
import type { Soundness } from './soundness.js';

export function analyzeRanges(model: Model, sound: Soundness): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const s of model.scores.values()) {
    if (s.decl.kind !== 'score') continue;
    for (const rule of s.decl.rules) {
      if (!sound.clean(s.file, rule.span)) continue; // `decay 150%` (NUR003) does not hide `range 80 to 10`
      if (rule.kind === 'range') {
        const min = rule.min.value;
        const max = rule.max.value;
        if (min > max) {
          out.push(error('NUR310', s.file, rule.span, `the range of score \`${s.name}\` goes from ${num(min)} down to ${num(max)}: its minimum is above its maximum`, {
            help: `write the smaller bound first: \`range ${num(max)} to ${num(min)}\``,
          }));
        }
      } else if (rule.kind === 'decay') {
        const a = rule.amount;
        if (a.kind === 'percent' && (a.value > 100 || a.value < 0)) {
          out.push(error('NUR310', s.file, a.span, `score \`${s.name}\` decays by ${num(a.value)}%: a decay is between 0% and 100%`, {
            help: 'for example `decay 20% every 30 days idle`',
          }));
        } else if (a.kind === 'number' && a.value < 0) {
          out.push(error('NUR310', s.file, a.span, `score \`${s.name}\` decays by ${num(a.value)} points: a decay removes points, it cannot add them`, {
            help: `write a positive amount: \`decay ${num(-a.value)} every ${rule.every.raw} idle\``,
          }));
        }
        if (rule.every.ms <= 0) {
          out.push(error('NUR310', s.file, rule.every.span, `score \`${s.name}\` decays every ${rule.every.raw}: the decay period must be longer than zero`, {
            help: 'for example `every 30 days idle`',
          }));
        }
      }
    }
  }
  return out;
}
