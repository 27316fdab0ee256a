// The static analyses of LANGUAGE.md section 6 (NUR300–NUR311; the checker reports the cyclic
// definitions of NUR303 and NUR312). They read the checked model and never change it.
//
// They run on what is sound (soundness.ts): a finding is made only when the syntax it judges, and
// every declaration it reads from, holds no error — an analysis of unresolved names or ill-typed
// conditions would report consequences of those errors, but one error must not hide the others'.
//
// One module per analysis; each is linear in the size of the workspace (the pressure block and
// the boxes of one condition are bounded).
import { compareDiagnostics, type Diagnostic } from '../../grammar/diagnostic.js';
import type { Model } from '../model.js';
import { analyzeConsent } from './consent.js';
import { analyzeEntry } from './entry.js';
import { analyzeHoldouts } from './holdout.js';
import { analyzeConditions } from './intervals.js';
import { analyzePressure } from './pressure.js';
import { analyzeProgress } from './progress.js';
import { analyzeRanges } from './ranges.js';
import { analyzeReachability } from './reachability.js';
import { analyzeRepeats } from './repeats.js';
import { analyzeSplits } from './splits.js';
import { analyzeUnused } from './unused.js';
import { SOUND, type Soundness } from './soundness.js';

export { scoreRange, type ScoreRange } from './intervals.js';
export { soundness, type Soundness } from './soundness.js';

export interface AnalyzeOptions {
  /**
   * NUR305 across kinds of pressure rules: a `max N per D` made redundant by a `min G between` (or
   * the reverse), e.g. `max 1 message per day on email` under `min 2 days between messages` — the
   * issue's own example, and a pair the spec's section 2 has (so it gets this one warning). On by default.
   */
  crossKindRedundancy?: boolean;
  /** What holds no error (`soundness(diagnostics)`); by default everything. */
  sound?: Soundness;
}

export function analyze(model: Model, options: AnalyzeOptions = {}): Diagnostic[] {
  const sound = options.sound ?? SOUND;
  const out: Diagnostic[] = [
    ...analyzeRanges(model, sound),
    ...analyzeConditions(model, sound),
    ...analyzeReachability(model, sound),
    ...analyzeProgress(model, sound),
    ...analyzeSplits(model, sound),
    ...analyzePressure(model, { crossKindRedundancy: options.crossKindRedundancy ?? true, sound }),
    ...analyzeEntry(model, sound),
    ...analyzeUnused(model, sound),
    ...analyzeRepeats(model, sound),
    ...analyzeConsent(model, sound),
    ...analyzeHoldouts(model, sound),
  ];
  return out.sort(compareDiagnostics);
}
