// NUR306: a journey no lead can enter — it has no `entry` rule, and no `move to` or `enroll` (in
// another journey, a threshold or an `on` handler) names it. A journey that only names itself is
// not entered either. (A test's `holdout journey` or an `in journey` condition enters nobody.)
import type { Diagnostic } from '../../grammar/diagnostic.js';
import type { JourneySymbol, Model } from '../model.js';
import { journeySettings, stepIndex, warning } from './common.js';
import type { Soundness } from './soundness.js';

export function analyzeEntry(model: Model, sound: Soundness): Diagnostic[] {
  if (!sound.whole) return []; // the `enroll` that enters it may be in a declaration with an error
  const entered = new Set<JourneySymbol>();
  for (const { journey, step } of stepIndex(model).transfers) {
    const target = model.journeys.get(step.journey.text);
    if (target && target !== journey) entered.add(target);
  }
  const out: Diagnostic[] = [];
  for (const j of model.journeys.values()) {
    if (entered.has(j)) continue;
    const settings = journeySettings(j.decl);
    if (settings.some((s) => s.kind === 'entryOn' || s.kind === 'entryWhen' || s.kind === 'entryDate')) continue;
    out.push(warning('NUR306', j.file, j.span, `no lead can enter journey \`${j.name}\`: it has no \`entry\` rule, and no \`move to\` or \`enroll\` names it`, {
      help: `add an entry rule (\`entry on event\`, \`entry when condition\`), or \`enroll ${j.name}\` from a threshold, a handler or another journey`,
    }));
  }
  return out;
}
