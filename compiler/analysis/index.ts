// The static analyses of LANGUAGE.md section 6 (NUR300–NUR311; the checker reports the cyclic
// definitions of NUR303 and NUR312). They read the checked model and never change it.
//
// They run only on a workspace without errors (see compiler/workspace.ts): an analysis of a model
// with unresolved names or ill-typed conditions would report consequences of those errors.
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

export { scoreRange, type ScoreRange } from './intervals.js';

export interface AnalyzeOptions {
  /**
   * NUR305 across kinds of pressure rules: a `max N per D` made redundant by a `min G between` (or
   * the reverse), e.g. `max 1 message per day on email` under `min 2 days between messages` — the
   * issue's own example, and a pair the spec's section 2 has (so it gets this one warning). On by default.
   */
  crossKindRedundancy?: boolean;
}

export function analyze(model: Model, options: AnalyzeOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = [
    ...analyzeRanges(model),
    ...analyzeConditions(model),
    ...analyzeReachability(model),
    ...analyzeProgress(model),
    ...analyzeSplits(model),
    ...analyzePressure(model, { crossKindRedundancy: options.crossKindRedundancy ?? true }),
    ...analyzeEntry(model),
    ...analyzeUnused(model),
    ...analyzeRepeats(model),
    ...analyzeConsent(model),
    ...analyzeHoldouts(model),
  ];
  return out.sort(compareDiagnostics);
}
