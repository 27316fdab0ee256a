// NUR311: a journey's holdout must be between 0% and 100% (error; the lexer already rejects a
// percentage outside 0–100%, so this guards models built otherwise); above 50% it is a warning: most
// entrants would get none of the journey's messages.
import type { Diagnostic } from '../../grammar/diagnostic.js';
import type { Model } from '../model.js';
import { error, journeySettings, num, warning } from './common.js';
import type { Soundness } from './soundness.js';

export function analyzeHoldouts(model: Model, sound: Soundness): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const j of model.journeys.values()) {
    for (const s of journeySettings(j.decl)) {
      if (s.kind !== 'holdout' || !sound.clean(j.file, s.span)) continue;
      const p = s.percent.value;
      if (p < 0 || p > 100) {
        out.push(error('NUR311', j.file, s.percent.span, `holdout ${num(p)}% in journey \`${j.name}\` is not a percentage of the entrants`, {
          help: 'a holdout is between 0% and 100%, usually small: `holdout 10%`',
        }));
      } else if (p > 50) {
        out.push(warning('NUR311', j.file, s.percent.span,
          `holdout ${num(p)}% in journey \`${j.name}\` keeps most entrants out: only ${num(100 - p)}% of them would get its messages`, {
            help: 'the holdout is a control group to measure the journey\'s lift; keep it small, for example `holdout 10%`',
          }));
      }
    }
  }
  return out;
}
