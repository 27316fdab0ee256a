// NUR308: a `repeat` with neither `max N times` nor `until`, in a journey with no `exit` and no
// `goal`: nothing ever stops it. A body that always runs `send next from` (at its top level) is
// bounded: the repeat ends when the stream runs out (section 4.14), so it is not reported.
import type { Diagnostic } from '../../grammar/diagnostic.js';
import type { JourneySymbol, Model } from '../model.js';
import { journeySettings, keywordSpan, stepIndex, warning } from './common.js';
import type { Soundness } from './soundness.js';

export function analyzeRepeats(model: Model, sound: Soundness): Diagnostic[] {
  const out: Diagnostic[] = [];
  const stops = new Map<JourneySymbol, boolean>();
  for (const { file, journey: j, step } of stepIndex(model).repeats) {
    if (!j || step.max || step.until || !sound.clean(j.file, j.declSpan)) continue;
    let stopped = stops.get(j);
    if (stopped === undefined) {
      stopped = journeySettings(j.decl).some((s) => s.kind === 'exitWhen' || s.kind === 'exitOn' || s.kind === 'goalWhen' || s.kind === 'goalOn');
      stops.set(j, stopped);
    }
    if (stopped || step.body.some((s) => s.kind === 'sendNext')) continue;
    out.push(warning('NUR308', file, keywordSpan(step.span, 'repeat'.length),
      `this \`repeat every ${step.every.raw}\` never stops: it has no \`max … times\` or \`until\`, and journey \`${j.name}\` has no \`exit\` or \`goal\``, {
        help: `add \`max 10 times\` or \`until condition\` after \`repeat every ${step.every.raw}\`, or give the journey an \`exit when …\``,
      }));
  }
  return out;
}
