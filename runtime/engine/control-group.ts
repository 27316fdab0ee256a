// The program's control group (`control group P%`, LANGUAGE.md 4.16): a stable P% of all leads, a
// function of the lead id alone (its own hash seed, so independent of every journey's holdout draw and
// of split branches), that receive no non-transactional message from any journey, handler or threshold.
// Everything else runs for them, so that the program's lift (nurtured vs control) can be measured.
import type { Loc } from '../plan-types.js';
import type { PlanIndex } from './plan-index.js';
import { unitHash } from './hash.js';

export const SEED_CONTROL = 0x4374726c; // "Ctrl"

/** Is `lead` in a control group of `percent` (0–100) of all leads, by hash? */
export function inControlGroupByHash(lead: string, percent: number): boolean {
  if (percent <= 0) return false;
  if (percent >= 100) return true;
  return unitHash(lead, SEED_CONTROL) * 100 < percent;
}

/** The control group of one engine: the plan's declaration, and the leads a test put in it. */
export class ControlGroup {
  /** The audit rule (`control group 5%`; `control group` when only a test put leads in it) and its location. */
  readonly rule: string;
  readonly loc: Loc | null;
  private readonly percent: number;
  /** Membership by hash (false with the index option `holdout: 'none'`: tests). */
  private readonly byHash: boolean;
  /** Leads put in it by a test's `control group` statement. */
  private forced: Set<string> | null = null;

  constructor(ix: PlanIndex) {
    const cg = ix.plan.controlGroup;
    this.percent = cg?.percent ?? 0;
    this.rule = cg ? `control group ${cg.percent}%` : 'control group';
    this.loc = cg?.loc ?? null;
    this.byHash = cg !== null && ix.holdoutByHash;
  }

  /** True when no lead can be in it (the engine then skips the check). */
  get empty(): boolean {
    return !this.byHash && this.forced === null;
  }

  /** Puts `lead` in the control group (`control group` in a test). */
  force(lead: string): void {
    (this.forced ??= new Set()).add(lead);
  }

  has(lead: string): boolean {
    if (this.forced !== null && this.forced.has(lead)) return true;
    return this.byHash && inControlGroupByHash(lead, this.percent);
  }
}
