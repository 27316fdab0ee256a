// The deterministic core of the runtime (LANGUAGE.md section 8): one lead's state + one input (an
// event, or "advance the clock to t") → the new state, the actions for the host and the audit trail.
// No I/O, no clock, no randomness: every decision is a function of the plan, the state and the input.
//
// The engine works on leads in working form (lead.ts): `stepEvent` / `stepAdvance` are what the runtime
// host calls. `Engine.step` takes a `LeadState` and mutates it; `step()` at the bottom of this file is the
// pure form (it works on a copy).
import type { Loc, SplitStep } from '../plan-types.js';
import { branchNames } from './splits.js';
import { externalValue, type LeadEvent } from './events.js';
import type { CondFn, EvalCtx } from './expr.js';
import { ControlGroup } from './control-group.js';
import { fitRuleTexts } from './explain.js';
import { actionId, inHoldout, splitPoint } from './hash.js';
import type { MeasuresCollector } from './measures.js';
import type { CAction, CStep, ContentIx, EngRuleIx, JourneyIx, PlanIndex } from './plan-index.js';
import { decidedBy, decideSend, logSend } from './pressure.js';
import {
  A_GOAL_OPEN,
  append1,
  append2,
  append3,
  EMPTY_LIST,
  newJourneyState,
  W_DELAYED,
  W_FOR,
  W_READY,
  W_REPEAT,
  W_UNTIL,
  W_WAIT,
  cloneLeadState,
  type HistoryCell,
  type JourneyState,
  type LeadState,
  type Value,
} from './state.js';
import { DAY, dayOf, isValidZone, localToInstant, ymd } from './time.js';
import { decayOnce, nextReevaluation } from './time-driven.js';

export { decayOnce };
import { dueOf, forgetFits, leadBehind, newNumbers, toLead, toLeadState, writeBack, X_C, X_DUE, X_F, X_LATE, X_MS, X_N, X_ST, X_T0, Lead } from './lead.js';

/** At most this many rounds of thresholds → exits/goals → entries/waits per unit of work (8.2 step 5). */
export const MAX_ROUNDS = 16;
/** A journey run that executes more steps than this without waiting is stopped (and the lead flagged). */
export const MAX_STEPS_PER_RUN = 1000;
/** At most this many timers run for one input. */
export const MAX_TIMERS_PER_INPUT = 100_000;

export type Input = { kind: 'event'; event: LeadEvent } | { kind: 'advance'; t: number };

interface ActionBase {
  /** Stable id: the same input stream always gives the same ids. */
  id: string;
  /** Epoch ms. */
  at: number;
  lead: string;
  /** The journey that caused it, or null (thresholds, handlers). */
  journey: string | null;
}
export type RuntimeAction =
  | (ActionBase & { type: 'send'; content: string; channel: string })
  | (ActionBase & { type: 'handoff'; to: string })
  | (ActionBase & { type: 'stage'; from: string; to: string })
  | (ActionBase & { type: 'set'; attribute: string; value: Value | null });

export type AuditKind =
  | 'entered'
  | 'notEntered'
  | 'exited'
  | 'completed'
  | 'converted'
  | 'score'
  /** An engagement rule that matched but was stopped by its `max K per D` or `once`. */
  | 'notScored'
  | 'threshold'
  | 'handler'
  | 'sent'
  | 'delayed'
  | 'skipped'
  | 'suppressed'
  | 'heldOut'
  | 'controlGroup'
  | 'exhausted'
  | 'timeout'
  | 'handoff'
  | 'stage'
  | 'set'
  | 'late'
  | 'flagged'
  | 'migrated'
  /** The branch a `split` sent the lead to (`subject`: the branch's name, `to`: its 1-based position). */
  | 'branch';

/** The kinds of a journey run's records (entered, left): the measures count them per group. */
export type RunKind = 'entered' | 'completed' | 'exited' | 'converted';
/** The outcomes of a message: each audited with the content as subject. */
export type MessageKind = 'sent' | 'delayed' | 'skipped' | 'suppressed' | 'heldOut' | 'controlGroup' | 'exhausted';
/** The group of a journey run: the holdout group gets no (non-transactional) message. */
export type RunGroup = 'nurtured' | 'holdout';

/** The `note` of a holdout run's records, and of a goal reached after its run completed (text for people only). */
export const HOLDOUT_NOTE = 'holdout';
export const GOAL_AFTER_NOTE = 'after the journey';
export const GOAL_AFTER_HOLDOUT_NOTE = 'holdout, after the journey';

/** One entry of a lead's audit trail. Every field is always present (null when not relevant). */
export interface AuditRecord {
  /** Epoch ms. */
  at: number;
  lead: string;
  kind: AuditKind;
  journey: string | null;
  step: number | null;
  /** What it is about: a content, score, threshold, attribute, queue or journey name. */
  subject: string | null;
  from: Value | null;
  to: Value | null;
  /** The rule that decided, in words (`max 3 messages per 7 days`, `consent email_consent`, …). */
  rule: string | null;
  /** Where that rule (or the deciding node) is in the sources. */
  loc: Loc | null;
  /** Extra: `holdout` for the holdout group, the delay target, a reason… */
  note: string | null;
}

export interface StepOutput {
  actions: RuntimeAction[];
  /** `null` turns the audit trail off. */
  audit: AuditRecord[] | null;
}

const SEND_SENT = 0;
const SEND_DELAYED = 1;
const SEND_OTHER = 2; // suppressed or skipped: nothing goes out, the journey goes on
const SEND_HELD = 3; // held out (holdout group): nothing goes out, the journey goes on
/** The rule of a hold-out carried over by `move to` or `enroll` from a journey the lead is held out of. */
const TRACK_HOLDOUT = 'holdout of an earlier journey (move to / enroll)';

export class Engine implements EvalCtx {
  readonly ix: PlanIndex;
  // EvalCtx
  s!: Lead;
  now = 0;
  fields: (Value | undefined)[] | null = null;
  row: (Value | null)[] | null = null;
  rowBase = 0;
  gen = 1;
  scoreGen: number[];
  scoreVal: number[];
  /** The fit part of `scoreVal` (rules scores). */
  private fitVal: number[];

  private out!: StepOutput;
  /** The program's control group (LANGUAGE.md 4.16). */
  readonly control: ControlGroup;
  /** The runtime's measures, told about every audited decision and action as it happens (even with the audit off). */
  meter: MeasuresCollector | null = null;
  private queue: number[] = [];
  private stopped = false;
  private timersRun = 0;
  /** Content chosen by the last `sendNext` (for audit of delayed sends). */
  private delayedTo = 0;
  /** Scratch: fit scores before a profile change. */
  private fitBefore: number[] = [];
  /** Scratch: the truth of every fit rule of `ix.fitScores` before a profile change, in order. */
  private fitHeld: boolean[] = [];
  /** Set by every change of timer state in the current step (see `X_DUE`). */
  private timers = false;
  /**
   * The lead's earliest timer as `runTimers` found it when it stopped with nothing more due, while the step
   * has changed nothing since (`stepDueKnown`): `dueAfterStep` then needs no second scan (with time-driven
   * conditions, `nextReevaluation` is the costly part of it).
   */
  private stepDue = Infinity;
  /**
   * Set when the step changed something a re-evaluation instant depends on (`nextReevaluation`: histories,
   * contents received, decaying parts, journey runs and goal windows, the stage and attributes its guards read). Untouched, that instant stays the
   * same while the clock moves towards it: the lead's due is then the one it had before the step.
   */
  private reDirty = false;
  private stepDueKnown = false;

  constructor(ix: PlanIndex) {
    this.ix = ix;
    this.scoreGen = ix.scores.map(() => 0);
    this.scoreVal = ix.scores.map(() => 0);
    this.fitVal = ix.scores.map(() => 0);
    this.control = new ControlGroup(ix);
  }

  // ------------------------------------------------------------------------------------------
  // State

  /** A new lead, first seen at `t` (every list a new array, that the caller may push to). */
  newLead(id: string, t: number): LeadState {
    return toLeadState(this.ix, this.createLead(id, t, false));
  }

  /**
   * A new lead in the engine's working form. `compact` (what a runtime keeps in memory): its empty lists
   * are the shared, frozen EMPTY_LIST, replaced when something is added.
   */
  createLead(id: string, t: number, compact: boolean): Lead {
    const ix = this.ix;
    const L = ix.layout;
    const x = newNumbers(L);
    x[X_C] = t;
    x[X_T0] = t;
    x[X_DUE] = Infinity;
    for (let i = 0; i < ix.rulesScores.length; i++) {
      x[L.eg + i] = ix.egStart[i]!;
      x[L.ea + i] = t;
    }
    for (let i = 0; i < ix.dateEntries.length; i++) x[L.de + i] = -1;
    forgetFits(L, x);
    const l = new Lead(x, compact ? ix.noJourneys : sized(ix.journeys.length, null), sized(ix.attrNames.length, null), id, compact ? EMPTY_LIST : [], compact ? EMPTY_LIST : [], lists<HistoryCell>(ix.tracked.length, compact), ix.plan.source.hash);
    if (!compact) {
      l.ps = [];
      l.rx = [];
      l.sl = [];
      l.q = [];
      l.hf = [];
    }
    return l;
  }

  /**
   * Runs `fn` on the working form of `s` and writes the result back into `s` (the methods that take a
   * `LeadState` mutate it). A copy handed out by a runtime stands for the runtime's own lead.
   */
  private onState<T>(s: LeadState, fn: (l: Lead) => T): T {
    let l = leadBehind(s);
    if (l !== undefined) forgetFits(this.ix.layout, l.x); // the copy's attributes may have been changed in place
    else l = toLead(this.ix, s);
    const r = fn(l);
    l.x[X_DUE] = this.dueOf(l);
    writeBack(this.ix, l, s);
    return r;
  }

  /** The earliest pending timer of the lead (epoch ms), or Infinity. */
  nextDue(s: LeadState): number {
    return this.dueOf(leadBehind(s) ?? toLead(this.ix, s));
  }

  /** `nextDue` of a lead in working form. */
  dueOf(l: Lead): number {
    return dueOf(this.ix, l);
  }

  /** `dueOf` of the lead the last step ran on, right after it (taken from `runTimers` when it was the step's last act). */
  dueAfterStep(l: Lead): number {
    return this.stepDueKnown && l === this.s ? this.stepDue : dueOf(this.ix, l);
  }

  /** Did the last step change anything a timer depends on (journey waits, date entries, delayed sends, re-evaluations)? */
  get timersChanged(): boolean {
    return this.timers || this.reDirty;
  }

  /** Applies one input to the lead's state (mutated in place), appending actions and audit to `out`. */
  step(s: LeadState, input: Input, out: StepOutput): void {
    this.onState(s, (l) => {
      if (input.kind === 'advance') this.stepAdvance(l, input.t, out);
      else this.stepEvent(l, input.event, out);
    });
  }

  /** `step` for an event, on a lead in working form. */
  stepEvent(l: Lead, ev: LeadEvent, out: StepOutput): void {
    this.begin(l, out);
    this.applyEvent(ev);
  }

  /** `step` for "advance the clock to t" (the lead's timers due at or before `t`), on a lead in working form. */
  stepAdvance(l: Lead, t: number, out: StepOutput): void {
    this.begin(l, out);
    this.runTimers(t);
  }

  private begin(s: Lead, out: StepOutput): void {
    this.s = s;
    this.out = out;
    this.timers = false;
    this.gen++;
    this.stopped = false;
    this.timersRun = 0;
    this.stepDueKnown = false;
    this.reDirty = false;
    if (this.queue.length !== 0) this.queue.length = 0;
    this.fields = null;
    this.row = null;
  }

  /** Every score's value for this state now (no time passes). */
  scoresOf(s: LeadState): number[] {
    return this.onState(s, (l) => this.scoresOfLead(l, []));
  }

  /** `scoresOf` a lead in working form, into `into`. */
  scoresOfLead(s: Lead, into: number[]): number[] {
    this.s = s;
    this.gen++;
    const n = this.ix.scores.length;
    into.length = n;
    for (let i = 0; i < n; i++) into[i] = this.score(i);
    return into;
  }

  /**
   * Evaluates a condition (compiled with `compileCondition`) for the lead at instant `t` (not before its
   * clock). Pending decay up to `t` is applied first, as it would be by any input at `t`.
   */
  evaluate(s: LeadState, cond: CondFn, t: number, out: StepOutput = { actions: [], audit: null }): boolean {
    return this.onState(s, (l) => {
      this.s = l;
      this.out = out;
      this.fields = null;
      this.row = null;
      this.setNow(Math.max(t, l.x[X_C]!));
      return cond(this);
    });
  }

  // ------------------------------------------------------------------------------------------
  // Evaluation context

  score(slot: number): number {
    if (this.scoreGen[slot] === this.gen) return this.scoreVal[slot]!;
    const sc = this.ix.scores[slot]!;
    let v: number;
    if (sc.derived !== null) {
      const x = sc.derived(this);
      v = typeof x === 'number' ? x : NaN;
    } else {
      const x = this.s.x;
      const cache = sc.fitCache;
      let fit = cache >= 0 ? x[cache]! : NaN;
      if (fit !== fit) {
        fit = 0;
        for (let i = 0; i < sc.fit.length; i++) if (sc.fit[i]!.cond(this)) fit += sc.fit[i]!.points;
        if (cache >= 0) x[cache] = fit;
      }
      this.fitVal[slot] = fit;
      v = clamp(fit + x[this.ix.layout.eg + sc.slot]!, sc.min, sc.max);
    }
    this.scoreGen[slot] = this.gen;
    this.scoreVal[slot] = v;
    return v;
  }

  segment(slot: number): boolean {
    return this.ix.segments[slot]!(this);
  }

  /** The lead's time zone: its `timezone` attribute when declared as text and valid, else the plan's. */
  zone(): string {
    const ix = this.ix;
    if (ix.tzAttr >= 0) {
      const z = this.s.at[ix.tzAttr];
      if (typeof z === 'string' && isValidZone(z)) return z;
    }
    return ix.plan.timezone;
  }

  private setNow(t: number): void {
    this.now = t;
    if (t > this.s.x[X_C]!) this.s.x[X_C] = t;
    this.gen++;
    this.applyDecay(t);
  }

  /**
   * Lazy decay: brings every decaying engagement part up to `t`. For each score, the idle periods
   * elapsed since its anchor (last engagement rule application or `set`) are counted; the ones not
   * applied yet are applied now, one by one, exactly as an eager per-period application would.
   */
  private applyDecay(t: number): void {
    const ix = this.ix;
    if (!ix.anyDecay) return;
    const x = this.s.x;
    const L = ix.layout;
    for (let slot = 0; slot < ix.rulesScores.length; slot++) {
      const sc = ix.scores[ix.rulesScores[slot]!]!;
      const d = sc.decay;
      if (d === null || d.everyMs <= 0) continue;
      const periods = Math.floor((t - x[L.ea + slot]!) / d.everyMs);
      const done = x[L.ed + slot]!;
      if (periods <= done) continue;
      const from = x[L.eg + slot]!;
      let v = from;
      for (let k = done; k < periods; k++) {
        const next = decayOnce(v, d.kind, d.value, sc.min, sc.max);
        if (next === v) break;
        v = next;
      }
      x[L.ed + slot] = periods;
      if (v !== from) {
        const fromScore = this.score(ix.rulesScores[slot]!);
        x[L.eg + slot] = v;
        this.gen++;
        const note = `${periods - done} idle period${periods - done === 1 ? '' : 's'}`;
        this.changeRecord('score', -1, null, sc.name, fromScore, this.score(ix.rulesScores[slot]!), sc.decayRule, d.loc, note, x[L.ea + slot]! + periods * d.everyMs);
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // Output

  private journeyName(journey: number): string | null {
    return journey < 0 ? null : this.ix.journeys[journey]!.name;
  }

  private nextId(): string {
    const s = this.s;
    const seq = s.x[X_N]!;
    s.x[X_N] = seq + 1;
    return actionId(s.id, seq);
  }

  // Audit records: built by the small typed helpers below, each for one family of decisions. The measures
  // are told the typed facts (group, rule, location) by the helpers, never the record's free-text note.

  /** Appends a record to the trail (when it is on). */
  private record(
    kind: AuditKind,
    journey: number,
    step: number | null,
    subject: string | null,
    rule: string | null,
    loc: Loc | null,
    note: string | null,
    from: Value | null = null,
    to: Value | null = null,
    at = this.now,
  ): void {
    const a = this.out.audit;
    if (a === null) return;
    a.push({ at, lead: this.s.id, kind, journey: journey < 0 ? null : this.ix.journeys[journey]!.name, step, subject, from, to, rule, loc, note });
  }

  /** A journey run entered or left (`converted` with `afterRun`: its goal reached after the run completed). */
  private runRecord(kind: RunKind, js: number, inst: JourneyState, rule: string, loc: Loc | null, afterRun = false): void {
    const group: RunGroup = inst.h === 1 ? 'holdout' : 'nurtured';
    this.meter?.run(kind, js, group, this.s.id, inst.n, afterRun);
    const note = afterRun ? (group === 'holdout' ? GOAL_AFTER_HOLDOUT_NOTE : GOAL_AFTER_NOTE) : group === 'holdout' ? HOLDOUT_NOTE : null;
    this.record(kind, js, null, this.ix.journeys[js]!.name, rule, loc, note);
  }

  /** An entry refused by `rule` (reentry, audience, exit when); `cause` what asked for it. */
  private refusedEntry(js: number, rule: string, loc: Loc | null, cause: string): void {
    this.record('notEntered', js, null, this.ix.journeys[js]!.name, rule, loc, cause);
  }

  /** A message's outcome, decided by `rule`. */
  private messageRecord(kind: MessageKind, js: number, stepId: number | null, content: string, rule: string | null, loc: Loc | null, note: string | null = null): void {
    const m = this.meter;
    if (m !== null) {
      if (kind === 'delayed' || kind === 'skipped' || kind === 'suppressed') m.ruled(kind, rule ?? '', loc);
      else if (kind === 'heldOut') m.heldOut++;
      else if (kind === 'controlGroup') m.withheld++;
    }
    this.record(kind, js, stepId, content, rule, loc, note);
  }

  /** A change of a score, the stage or an attribute (`subject`), from → to. */
  private changeRecord(kind: 'score' | 'stage' | 'set', js: number, stepId: number | null, subject: string, from: Value | null, to: Value | null, rule: string | null, loc: Loc | null, note: string | null = null, at = this.now): void {
    this.record(kind, js, stepId, subject, rule, loc, note, from, to, at);
  }

  /** The branch (0-based) a `split` sent the lead to; the run's group and number tie it to the run's conversion. */
  private branchRecord(js: number, inst: JourneyState, split: SplitStep, branch: number): void {
    const group: RunGroup = inst.h === 1 ? 'holdout' : 'nurtured';
    this.meter?.branch(js, split.id, branch, group, this.s.id, inst.n);
    if (this.out.audit === null) return;
    const name = branchNames(this.ix.journeys[js]!.steps, split)[branch]!;
    this.record('branch', js, split.id, name, `${split.branches[branch]!.percent}%`, split.branches[branch]!.loc, group === 'holdout' ? HOLDOUT_NOTE : null, null, branch + 1);
  }

  /** A decision about the lead outside journeys: a handler, a threshold, a rule not applied, a late event. */
  private leadRecord(kind: 'handler' | 'threshold' | 'notScored' | 'late', subject: string, rule: string | null, loc: Loc | null, note: string | null = null): void {
    this.record(kind, -1, null, subject, rule, loc, note);
  }

  /** A step of journey `js` that decided something: a wait's timeout, a handoff, a split's branch. */
  private stepRecord(kind: 'timeout' | 'handoff', js: number, stepId: number | null, subject: string | null, rule: string | null, loc: Loc | null): void {
    this.record(kind, js, stepId, subject, rule, loc, null);
  }

  private flag(reason: string, journey = -1): void {
    this.s.x[X_F] = 1;
    this.meter?.flagged(this.s.id, this.s.x[X_T0]!);
    this.record('flagged', journey, null, null, null, null, reason);
  }

  // ------------------------------------------------------------------------------------------
  // Events (8.2)

  private applyEvent(ev: LeadEvent): void {
    const s = this.s;
    const ix = this.ix;
    const late = ev.at < s.x[X_C]!;
    const t = late ? s.x[X_C]! : ev.at;
    // 1. timers due at or before t (the lead's next timer is kept in X_DUE: most inputs have none due)
    if (s.x[X_DUE]! <= t) {
      this.runTimers(t);
      this.stepDueKnown = false; // the event changes the state after these timers
      this.reDirty = true; // and the lead's due moved past them
    }
    this.stopped = false;
    this.setNow(t);
    if (late) {
      s.x[X_LATE]!++;
      this.leadRecord('late', ev.type, null, null, `event at ${new Date(ev.at).toISOString()} is older than the lead's clock; applied at the clock`);
    }
    // 2. profile or history
    if (ev.profile !== null) {
      this.applyProfile(ev.profile);
    } else {
      const ep = ix.eventPlans.get(ev.type)!;
      if (ep.ev.tracked >= 0) this.recordHistory(ep.ev.tracked, ev);
      this.fields = ev.fields;
      // 3. engagement rules, then handlers
      const rules = ep.rules;
      for (let i = 0; i < rules.length; i++) this.applyEngagement(rules[i]!);
      const handlers = ep.handlers;
      if (handlers.length > 0) {
        for (const h of handlers) {
          if (h.where !== null && !h.where(this)) continue;
          this.leadRecord('handler', ev.type, ep.handlerRule, h.loc);
          this.runActions(h.actions, -1);
        }
        this.drain();
      }
      // 4. exits/goals on this event, resume waits, then entries
      if (ep.journeyHooks) {
        for (const js of ix.order) {
          const inst = s.j[js];
          if (inst === null || inst === undefined) continue;
          const J = ix.journeys[js]!;
          if (inst.a !== 1) {
            const g = J.goal;
            if (inst.a === A_GOAL_OPEN && g !== null && g.kind === 'on' && g.event === ev.type && t <= inst.e + g.withinMs && (g.where === null || g.where(this))) {
              this.goalAfter(js, inst, g.rule, g.loc);
            }
            continue;
          }
          let left = false;
          for (const x of J.exitsOn) {
            if (x.event === ev.type && (x.where === null || x.where(this))) {
              this.leave(js, 'exited', x.rule, x.loc);
              left = true;
              break;
            }
          }
          if (left) continue;
          const g = J.goal;
          if (g !== null && g.kind === 'on' && g.event === ev.type && t <= inst.e + g.withinMs && (g.where === null || g.where(this))) {
            this.leave(js, 'converted', g.rule, g.loc);
            continue;
          }
          if (inst.w === W_FOR) {
            const cs = J.steps[inst.s]!;
            if (cs.event === ev.type && (cs.where === null || cs.where(this))) {
              const st = cs.step as Extract<CStep['step'], { kind: 'waitFor' }>;
              this.resume(js, inst, st.onEvent);
            }
          }
        }
        this.drain();
      }
      const entries = ep.entries;
      if (entries.length > 0) {
        for (const e of entries) {
          if (e.where !== null && !e.where(this)) continue;
          this.enter(e.journey, false, e.cause, e.loc);
        }
        this.drain();
      }
      this.fields = null;
    }
    // 5. rounds
    this.rounds();
    // timers that became due at this very instant (e.g. a date entry for today set by this event)
    this.stopped = false;
    if (this.timers || s.x[X_DUE]! <= t) this.runTimers(t);
  }

  private applyProfile(profile: [number, Value | null][]): void {
    const s = this.s;
    const ix = this.ix;
    // Fit parts move with the profile: audit the change of every rules score that has fit rules.
    const fitScores = this.out.audit !== null ? ix.fitScores : NONE;
    const before = this.fitBefore;
    const held = this.fitHeld;
    for (let k = 0, h = 0; k < fitScores.length; k++) {
      before[k] = this.score(fitScores[k]!);
      for (const f of ix.scores[fitScores[k]!]!.fit) held[h++] = f.cond(this);
    }
    let dates = false;
    for (let i = 0; i < profile.length; i++) {
      const slot = profile[i]![0];
      const v = profile[i]![1];
      const old = s.at[slot];
      if (sameValue(old ?? null, v)) continue;
      s.at[slot] = v;
      forgetFits(ix.layout, s.x);
      this.gen++;
      if (ix.timeDriven.attrs[slot]) this.reDirty = true;
      if (ix.dateAttrs.size > 0 && ix.dateAttrs.has(slot)) dates = true;
    }
    if (dates) this.scheduleDates();
    if (fitScores.length > 0) this.auditFitRules(fitScores);
  }

  /**
   * After a profile change, one `score` record per fit rule whose truth it flipped, in declaration order,
   * naming the rule and where it is: the score goes from the value before the change to the value after.
   */
  private auditFitRules(fitScores: readonly number[]): void {
    const ix = this.ix;
    const held = this.fitHeld;
    for (let k = 0, h = 0; k < fitScores.length; h += ix.scores[fitScores[k]!]!.fit.length, k++) {
      const i = fitScores[k]!;
      const sc = ix.scores[i]!;
      let from = this.fitBefore[k]!;
      if (this.score(i) === from) continue;
      const texts = fitRuleTexts(ix, i);
      const eg = this.s.x[ix.layout.eg + sc.slot]!;
      let fit = 0;
      for (let r = 0; r < sc.fit.length; r++) if (held[h + r]) fit += sc.fit[r]!.points;
      for (let r = 0; r < sc.fit.length; r++) {
        const now = sc.fit[r]!.cond(this);
        if (now === held[h + r]) continue;
        fit += now ? sc.fit[r]!.points : -sc.fit[r]!.points;
        const to = clamp(fit + eg, sc.min, sc.max);
        this.changeRecord('score', -1, null, sc.name, from, to, texts[r]!.rule, texts[r]!.loc, 'profile changed');
        from = to;
      }
    }
  }

  private recordHistory(k: number, ev: LeadEvent): void {
    const s = this.s;
    const tr = this.ix.tracked[k]!;
    s.x[this.ix.layout.hc + k]!++;
    if (tr.keepMs < 0) return;
    if (this.ix.timeDriven.history[k]) this.reDirty = true;
    let rows = s.hr[k]!;
    if (rows === EMPTY_LIST) s.hr[k] = rows = []; // grows with the events: an ordinary array
    rows.push(this.now);
    for (const pos of tr.fieldPositions) {
      const v = ev.fields[pos];
      rows.push(v === undefined ? null : v);
    }
    if (tr.keepMs !== Infinity) {
      const lo = this.now - tr.keepMs;
      let drop = 0;
      while (drop < rows.length && (rows[drop] as number) < lo) drop += tr.stride;
      if (drop > 0) rows.splice(0, drop);
    }
  }

  private applyEngagement(r: EngRuleIx): void {
    if (r.where !== null && !r.where(this)) return;
    const s = this.s;
    const t = this.now;
    const sc = this.ix.scores[r.score]!;
    if (r.limit !== null) {
      // The rule's window in x (lead.ts, `Layout.rh`): n, then the times of the last n applications
      const x = s.x;
      const at = this.ix.layout.rh[r.limitSlot]!;
      const n = x[at]!;
      if (r.limit.kind === 'once' ? n > 0 : r.limit.count > 0 && n >= r.limit.count && x[at + 1 + n - r.limit.count]! > t - r.limit.perMs) {
        // `once` already applied, or count applications in (t − D, t] already reached: say so
        this.leadRecord('notScored', sc.name, r.rule, r.loc);
        return;
      }
      // The last `keep` applications, this one included (shifted once the window is full).
      const keep = r.limit.kind === 'once' ? 1 : r.limit.count;
      if (keep > 0) {
        if (n === keep) {
          for (let i = 1; i < keep; i++) x[at + i] = x[at + i + 1]!;
          x[at + keep] = t;
        } else {
          x[at + 1 + n] = t;
          x[at] = n + 1;
        }
      }
    }
    const audited = this.out.audit !== null; // the score before and after are only needed for the record
    const from = audited ? this.score(r.score) : 0;
    const L = this.ix.layout;
    const eg = s.x[L.eg + r.slot]!;
    const next = clamp(eg + r.points, sc.min, sc.max);
    s.x[L.ea + r.slot] = t;
    s.x[L.ed + r.slot] = 0;
    if (this.ix.timeDriven.decaying[r.slot]) this.reDirty = true;
    if (next !== eg) {
      s.x[L.eg + r.slot] = next;
      this.gen++;
      // The fit part did not move (no rule of a score depends on that score itself): the score after
      // is known without evaluating its fit rules again.
      if (audited) {
        this.scoreGen[r.score] = this.gen;
        this.scoreVal[r.score] = clamp(this.fitVal[r.score]! + next, sc.min, sc.max);
      }
    }
    this.changeRecord('score', -1, null, sc.name, from, audited ? this.score(r.score) : 0, r.rule, r.loc);
  }

  // ------------------------------------------------------------------------------------------
  // Rounds (8.2 step 5)

  private rounds(): void {
    const ix = this.ix;
    const s = this.s;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      if (this.stopped) return;
      const g0 = this.gen;
      for (let i = 0; i < ix.thresholds.length; i++) {
        const th = ix.thresholds[i]!;
        const v = th.cond(this);
        const prev = s.x[ix.layout.tm + i]!;
        s.x[ix.layout.tm + i] = v ? 2 : 1;
        if (v && prev !== 2) {
          this.leadRecord('threshold', th.name, th.rule, th.loc);
          this.runActions(th.actions, -1);
        }
      }
      this.drain();
      const rj = ix.roundJourneys;
      for (let k = 0; k < rj.length; k++) {
        const js = rj[k]!;
        const inst = s.j[js];
        if (inst === null || inst === undefined) continue;
        const J = ix.journeys[js]!;
        if (inst.a !== 1) {
          const g = J.goal;
          if (inst.a === A_GOAL_OPEN && g !== null && g.kind === 'when' && this.now <= inst.e + g.withinMs && g.cond(this)) this.goalAfter(js, inst, 'goal', g.loc);
          continue;
        }
        let left = false;
        for (const x of J.exitsWhen) {
          if (x.cond(this)) {
            this.leave(js, 'exited', 'exit when', x.loc);
            left = true;
            break;
          }
        }
        if (left) continue;
        const g = J.goal;
        if (g !== null && g.kind === 'when' && this.now <= inst.e + g.withinMs && g.cond(this)) this.leave(js, 'converted', 'goal', g.loc);
      }
      for (const ew of ix.entriesWhen) {
        const v = ew.cond(this);
        const prev = s.x[ix.layout.em + ew.slot]!;
        s.x[ix.layout.em + ew.slot] = v ? 2 : 1;
        if (v && prev !== 2) this.enter(ew.journey, false, 'entry when', ew.loc);
      }
      if (ix.anyWaitUntil) {
        for (const js of ix.order) {
          const inst = s.j[js];
          if (inst === null || inst === undefined || inst.a !== 1 || inst.w !== W_UNTIL) continue;
          const cs = ix.journeys[js]!.steps[inst.s]!;
          if (cs.cond!(this)) this.resume(js, inst, (cs.step as Extract<CStep['step'], { kind: 'waitUntil' }>).onTrue);
        }
      }
      this.drain();
      if (this.gen === g0) return;
    }
    this.flag(`still changing after ${MAX_ROUNDS} rounds of thresholds, exits, goals and entries; work stopped`);
    this.stopped = true;
  }

  // ------------------------------------------------------------------------------------------
  // Timers

  private runTimers(upTo: number): void {
    const s = this.s;
    const ix = this.ix;
    for (;;) {
      if (this.stopped) return;
      // The earliest timer; ties: journeys by priority, then date entries, then delayed sends, then re-evaluation.
      let due = Infinity;
      let kind = 0;
      let which = -1;
      const order = ix.order;
      for (let k = 0; k < order.length; k++) {
        const js = order[k]!;
        const inst = s.j[js];
        if (inst !== null && inst !== undefined && inst.a === 1 && inst.w !== W_READY && inst.d >= 0 && inst.d < due) {
          due = inst.d;
          kind = 1;
          which = js;
        }
      }
      const x = s.x;
      const deAt = ix.layout.de;
      for (let i = 0; i < ix.dateEntries.length; i++) {
        const d = x[deAt + i]!;
        if (d >= 0 && d < due) {
          due = d;
          kind = 2;
          which = i;
        }
      }
      for (let i = 0; i < s.ps.length; i += 3) {
        if (s.ps[i]! < due) {
          due = s.ps[i]!;
          kind = 3;
          which = i;
        }
      }
      // §8.5: the next instant a time-dependent condition may change (after the other timers of that instant)
      const re = nextReevaluation(ix, s, s.x[X_C]!);
      if (re < due) {
        due = re;
        kind = 4;
      }
      if (due > upTo) {
        this.stepDue = due; // the same scan as `dueOf`: the lead's next timer while nothing changes
        this.stepDueKnown = true;
        return;
      }
      if (++this.timersRun > MAX_TIMERS_PER_INPUT) {
        this.flag(`more than ${MAX_TIMERS_PER_INPUT} timers for one input; the rest wait for the next one`);
        return;
      }
      this.setNow(Math.max(due, s.x[X_C]!));
      if (kind === 1) this.fireJourneyTimer(which);
      else if (kind === 2) this.fireDateEntry(which);
      else if (kind === 3) this.firePendingSend(which);
      // kind 4, re-evaluate: the rounds below, at that instant (decay up to it applied by `setNow`)
      this.drain();
      this.rounds();
      this.stopped = false;
    }
  }

  private fireJourneyTimer(js: number): void {
    const inst = this.s.j[js]!;
    const J = this.ix.journeys[js]!;
    const cs = J.steps[inst.s]!;
    const st = cs.step;
    const w = inst.w;
    inst.w = W_READY;
    inst.d = -1;
    this.timers = true;
    switch (w) {
      case W_WAIT:
        this.go(js, inst, (st as Extract<typeof st, { kind: 'wait' }>).next);
        break;
      case W_FOR: {
        const s2 = st as Extract<typeof st, { kind: 'waitFor' }>;
        this.stepRecord('timeout', js, st.id, s2.event, null, st.loc);
        this.go(js, inst, s2.onTimeout);
        break;
      }
      case W_UNTIL: {
        const s2 = st as Extract<typeof st, { kind: 'waitUntil' }>;
        if (cs.cond!(this)) this.go(js, inst, s2.onTrue);
        else {
          this.stepRecord('timeout', js, st.id, null, null, st.loc);
          this.go(js, inst, s2.onTimeout);
        }
        break;
      }
      case W_REPEAT: {
        const r = st as Extract<typeof st, { kind: 'repeat' }>;
        if (cs.cond !== null && cs.cond(this)) {
          setCounter(inst, r.id, -1);
          this.go(js, inst, r.next);
        } else {
          setCounter(inst, r.id, getCounter(inst, r.id) + 1);
          this.go(js, inst, r.body);
        }
        break;
      }
      case W_DELAYED: {
        const orig = inst.o;
        inst.o = -1;
        if (!this.journeySend(js, inst, cs, orig)) return;
        break;
      }
      default:
        break;
    }
    if (inst.a === 1 && inst.w === W_READY) this.queue.push(js);
  }

  private fireDateEntry(i: number): void {
    const de = this.ix.dateEntries[i]!;
    const at = this.ix.layout.de + i;
    const due = this.s.x[at]!;
    this.timers = true;
    this.s.x[at] = de.yearly ? this.dateDue(i, due, false) : -1;
    this.enter(de.journey, false, 'entry by date', de.loc);
  }

  private firePendingSend(i: number): void {
    const ps = this.s.ps;
    const content = ps[i + 1]!;
    const orig = ps[i + 2]!;
    ps.splice(i, 3);
    this.timers = true;
    this.actionSend(content, orig, null);
  }

  /** Next instant (epoch ms) of date entry `i` at or after `after` (strictly after unless `inclusive`), or -1. */
  private dateDue(i: number, after: number, inclusive: boolean): number {
    const de = this.ix.dateEntries[i]!;
    const v = this.s.at[de.attr];
    if (typeof v !== 'number') return -1;
    const zone = this.zone();
    const ok = (t: number) => (inclusive ? t >= after : t > after);
    const instant = (day: number) => localToInstant(zone, Math.floor((day * DAY + de.offsetMs) / DAY), de.atMinute);
    if (!de.yearly) {
      const t = instant(v);
      return ok(t) ? t : -1;
    }
    const [, m, d] = ymd(v);
    const [y0] = ymd(Math.floor(after / DAY));
    const offsetYears = Math.ceil(Math.abs(de.offsetMs) / (365 * DAY)) + 1;
    for (let y = y0 - offsetYears; y <= y0 + offsetYears + 1; y++) {
      const t = instant(dayOf(y, m, d));
      if (ok(t)) return t;
    }
    return -1;
  }

  /** Recomputes every date entry's next instant (after a date attribute or the time zone changed). */
  private scheduleDates(): void {
    for (let i = 0; i < this.ix.dateEntries.length; i++) this.s.x[this.ix.layout.de + i] = this.dateDue(i, this.now, true);
    this.timers = true;
  }

  // ------------------------------------------------------------------------------------------
  // Journeys

  private drain(): void {
    const q = this.queue;
    if (q.length === 0) return;
    for (let i = 0; i < q.length; i++) this.run(q[i]!);
    q.length = 0;
  }

  /**
   * Enters journey `js` now. `force` (move to) ignores reentry and audience. Refused entries are
   * audited with the deciding rule. A lead already in the journey stays where it is. `track`: the lead
   * comes by `move to` or `enroll` from a journey it is held out of, so it is held out of this one too.
   */
  private enter(js: number, force: boolean, cause: string, causeLoc: Loc | null, track = false): boolean {
    const s = this.s;
    const J = this.ix.journeys[js]!;
    let inst = s.j[js];
    if (inst === null || inst === undefined) {
      inst = newJourneyState();
      if (s.j === this.ix.noJourneys) s.j = sized(s.j.length, null);
      s.j[js] = inst;
    }
    if (inst.a === 1) return false;
    if (!force) {
      const re = J.reentry;
      if (inst.n > 0 && re.mode === 'never') {
        this.refusedEntry(js, 'reentry never', re.loc, cause);
        return false;
      }
      if (inst.n > 0 && re.mode === 'after' && this.now < inst.e + re.afterMs!) {
        this.refusedEntry(js, 'reentry after', re.loc, cause);
        return false;
      }
      if (J.audience !== null && !J.audience(this)) {
        this.refusedEntry(js, 'audience', J.audienceLoc, cause);
        return false;
      }
    }
    for (const x of J.exitsWhen) {
      if (x.cond(this)) {
        this.refusedEntry(js, 'exit when', x.loc, cause);
        return false;
      }
    }
    const held = track || s.hf.includes(js) || (this.ix.holdoutByHash && inHoldout(s.id, J.name, J.holdoutPercent));
    inst.a = 1;
    inst.s = 0;
    inst.w = W_READY;
    inst.d = -1;
    this.timers = true;
    inst.o = -1;
    inst.e = this.now;
    inst.n++;
    inst.h = held ? 1 : 0;
    if (inst.r.length !== 0) inst.r = EMPTY_LIST;
    this.gen++;
    this.runRecord('entered', js, inst, cause, causeLoc);
    this.queue.push(js);
    return true;
  }

  private leave(js: number, kind: 'completed' | 'exited' | 'converted', rule: string, loc: Loc | null): void {
    const inst = this.s.j[js]!;
    const goal = this.ix.journeys[js]!.goal;
    // A completed run keeps its goal's window (measured from entry): reaching the goal later still converts.
    inst.a = kind === 'completed' && goal !== null && this.now <= inst.e + goal.withinMs ? A_GOAL_OPEN : 0;
    inst.w = W_READY;
    inst.d = -1;
    this.timers = true;
    inst.o = -1;
    if (inst.r.length !== 0) inst.r = EMPTY_LIST;
    if (kind !== 'exited') inst.c++;
    this.gen++;
    this.runRecord(kind, js, inst, rule, loc);
  }

  /** The goal of a run that completed before reaching it, reached within its window: converted (not completed again). */
  private goalAfter(js: number, inst: JourneyState, rule: string, loc: Loc | null): void {
    inst.a = 0;
    this.reDirty = true;
    this.gen++;
    this.runRecord('converted', js, inst, rule, loc, true);
  }

  /** Continues a waiting journey at `target` and queues it to run. */
  private resume(js: number, inst: JourneyState, target: number | null): void {
    inst.w = W_READY;
    inst.d = -1;
    this.timers = true;
    this.gen++;
    this.go(js, inst, target);
    if (inst.a === 1 && inst.w === W_READY) this.queue.push(js);
  }

  private go(js: number, inst: JourneyState, target: number | null): void {
    if (target === null) this.leave(js, 'completed', 'end of the journey', null);
    else inst.s = target;
  }

  /** Runs journey `js` until it waits, ends or leaves. */
  private run(js: number): void {
    const s = this.s;
    const inst = s.j[js]!;
    const J = this.ix.journeys[js]!;
    let budget = MAX_STEPS_PER_RUN;
    while (inst.a === 1 && inst.w === W_READY) {
      if (J.steps.length === 0) {
        this.leave(js, 'completed', 'end of the journey', null);
        return;
      }
      if (--budget < 0) {
        this.flag(`journey ${J.name} ran ${MAX_STEPS_PER_RUN} steps without waiting; the lead was taken out of it`, js);
        this.leave(js, 'exited', 'step budget', null);
        return;
      }
      const cs = J.steps[inst.s]!;
      const st = cs.step;
      switch (st.kind) {
        case 'send':
        case 'sendNext':
          if (!this.journeySend(js, inst, cs, this.now)) return;
          break;
        case 'wait':
          this.startWait(inst, W_WAIT, st.durationMs);
          return;
        case 'waitFor':
          this.startWait(inst, W_FOR, st.upToMs);
          return;
        case 'waitUntil':
          if (cs.cond!(this)) this.go(js, inst, st.onTrue);
          else {
            this.startWait(inst, W_UNTIL, st.upToMs);
            return;
          }
          break;
        case 'if': {
          let target = st.else;
          for (const b of cs.branches) {
            if (b.cond(this)) {
              target = b.target;
              break;
            }
          }
          this.go(js, inst, target);
          break;
        }
        case 'split': {
          const point = splitPoint(s.id, J.name, st.id);
          let cum = 0;
          let branch = st.branches.length - 1;
          for (let b = 0; b < st.branches.length; b++) {
            cum += st.branches[b]!.percent;
            if (point < cum) {
              branch = b;
              break;
            }
          }
          this.branchRecord(js, inst, st, branch);
          this.go(js, inst, st.branches[branch]!.target);
          break;
        }
        case 'repeat': {
          const count = getCounter(inst, st.id);
          if (count < 0) {
            if (cs.cond !== null && cs.cond(this)) this.go(js, inst, st.next);
            else {
              setCounter(inst, st.id, 1);
              this.go(js, inst, st.body);
            }
          } else if (st.max !== null && count >= st.max) {
            setCounter(inst, st.id, -1);
            this.go(js, inst, st.next);
          } else {
            this.startWait(inst, W_REPEAT, st.everyMs);
            return;
          }
          break;
        }
        case 'moveTo':
          this.leave(js, 'completed', cs.rule!, st.loc);
          this.enter(cs.target, true, J.moveFrom, st.loc, inst.h === 1);
          return;
        case 'end':
          this.leave(js, 'completed', 'end', st.loc);
          return;
        default:
          this.runAction(cs.act!, js, st.id);
          if (inst.a === 1) this.go(js, inst, st.next);
          break;
      }
    }
  }

  private startWait(inst: JourneyState, kind: number, ms: number): void {
    inst.w = kind;
    inst.d = this.now + ms;
    this.timers = true;
    this.gen++;
  }

  /**
   * A `send` / `send next from` step. Returns false when the journey now waits for a delayed
   * message; otherwise the instance has moved on to its next step.
   */
  private journeySend(js: number, inst: JourneyState, cs: CStep, orig: number): boolean {
    const st = cs.step;
    let content: number;
    if (st.kind === 'sendNext') {
      content = -1;
      for (const c of cs.stream) {
        if (!received(this.s, c) && !this.s.rx.includes(c)) {
          content = c;
          break;
        }
      }
      if (content < 0) {
        this.messageRecord('exhausted', js, st.id, st.stream, cs.rule, st.loc, 'every content of the stream was received');
        for (const r of cs.clear) setCounter(inst, r, -1);
        this.go(js, inst, st.exhausted);
        return true;
      }
    } else if (st.kind === 'send') {
      content = (cs.act as Extract<CAction, { kind: 'send' }>).content;
    } else {
      return true;
    }
    const r = this.sendContent(content, orig, js, inst, st.id);
    if (r === SEND_DELAYED) {
      inst.w = W_DELAYED;
      inst.d = this.delayedTo;
      this.timers = true;
      inst.o = orig;
      this.gen++;
      return false;
    }
    if (r === SEND_HELD && !this.s.rx.includes(content)) this.s.rx = append1(this.s.rx, content);
    this.go(js, inst, st.next);
    return true;
  }

  // ------------------------------------------------------------------------------------------
  // Actions

  private runActions(actions: CAction[], js: number): void {
    for (let i = 0; i < actions.length; i++) this.runAction(actions[i]!, js, null);
  }

  private runAction(a: CAction, js: number, stepId: number | null): void {
    const s = this.s;
    const ix = this.ix;
    switch (a.kind) {
      case 'send':
        // In a journey, sends are steps (journeySend); here: thresholds and handlers.
        this.actionSend(a.content, this.now, stepId);
        return;
      case 'setAttr': {
        const v = a.value(this);
        const nv = v === undefined ? null : v;
        const old = s.at[a.attr] ?? null;
        if (sameValue(old, nv)) return;
        s.at[a.attr] = nv;
        forgetFits(ix.layout, s.x);
        this.gen++;
        if (ix.timeDriven.attrs[a.attr]) this.reDirty = true;
        const ext = externalValue(ix, a.attr, nv);
        this.out.actions.push({ id: this.nextId(), at: this.now, lead: s.id, journey: this.journeyName(js), type: 'set', attribute: a.name, value: ext });
        this.changeRecord('set', js, stepId, a.name, externalValue(ix, a.attr, old), ext, a.rule, a.loc);
        if (ix.dateAttrs.has(a.attr)) this.scheduleDates();
        return;
      }
      case 'setStage': {
        if (s.x[X_ST] === a.stage) return;
        const from = s.x[X_ST]!;
        s.x[X_ST] = a.stage;
        if (a.stage > s.x[X_MS]!) s.x[X_MS] = a.stage;
        this.gen++;
        if (ix.timeDriven.stage) this.reDirty = true;
        this.out.actions.push({ id: this.nextId(), at: this.now, lead: s.id, journey: this.journeyName(js), type: 'stage', from: ix.stages[from]!, to: ix.stages[a.stage]! });
        this.meter?.stage(s.id, s.x[X_T0]!, s.x[X_N]!, from, a.stage, this.now);
        this.changeRecord('stage', js, stepId, 'stage', ix.stages[from]!, ix.stages[a.stage]!, a.rule, a.loc);
        return;
      }
      case 'setScore': {
        const sc = ix.scores[a.score]!;
        const v = a.value(this);
        if (typeof v !== 'number' || sc.slot < 0) return;
        const from = this.score(a.score);
        const next = clamp(v, sc.min, sc.max);
        const L = ix.layout;
        s.x[L.ea + sc.slot] = this.now; // a `set` restarts the idle period of decay
        if (this.ix.timeDriven.decaying[sc.slot]) this.reDirty = true;
        s.x[L.ed + sc.slot] = 0;
        if (next === s.x[L.eg + sc.slot]) return;
        s.x[L.eg + sc.slot] = next;
        this.gen++;
        this.changeRecord('score', js, stepId, sc.name, from, this.score(a.score), a.rule, a.loc);
        return;
      }
      case 'handoff':
        this.out.actions.push({ id: this.nextId(), at: this.now, lead: s.id, journey: this.journeyName(js), type: 'handoff', to: a.queue });
        this.meter?.handoff(s.id, s.x[X_T0]!, s.x[X_N]!, this.now);
        this.stepRecord('handoff', js, stepId, a.queue, a.rule, a.loc);
        if (!s.q.includes(a.queue)) {
          s.q = append1(s.q, a.queue);
          this.gen++;
        }
        return;
      case 'enroll':
        this.enter(a.journey, false, 'enroll', a.loc, js >= 0 && s.j[js]!.h === 1);
        return;
      case 'removeFrom': {
        const inst = s.j[a.journey];
        if (inst !== null && inst !== undefined && inst.a === 1) this.leave(a.journey, 'exited', a.rule, a.loc);
        return;
      }
    }
  }

  /** A `send` from a threshold or handler: a delayed one is kept as a pending send (a timer). */
  private actionSend(content: number, orig: number, stepId: number | null): void {
    const r = this.sendContent(content, orig, -1, null, stepId);
    if (r === SEND_DELAYED) {
      this.s.ps = append3(this.s.ps, this.delayedTo, content, orig);
      this.timers = true;
      this.gen++;
    }
  }

  /**
   * Sending (8.3): suppressed (no consent) → held out (holdout group) → control group → sent now when every pressure
   * rule allows it → else delayed to the earliest allowed instant within the delay limit (counted
   * from `orig`, when it was first asked for) or skipped. Every outcome is audited with its rule.
   */
  private sendContent(c: number, orig: number, js: number, inst: JourneyState | null, stepId: number | null): number {
    const ix = this.ix;
    const s = this.s;
    const content = ix.contents[c]!;
    if (content.consent >= 0 && s.at[content.consent] !== true) {
      this.messageRecord('suppressed', js, stepId, content.name, content.consentRule, content.channelLoc, content.consentNote);
      return SEND_OTHER;
    }
    if (inst !== null && inst.h === 1 && !content.transactional) {
      const J = ix.journeys[js]!;
      // Held out of this journey's own draw, or of the journey it came from (LANGUAGE.md 4.14)?
      const own = s.hf.includes(js) || (ix.holdoutByHash && inHoldout(s.id, J.name, J.holdoutPercent));
      this.messageRecord('heldOut', js, stepId, content.name, own ? J.holdoutRule : TRACK_HOLDOUT, J.loc, HOLDOUT_NOTE);
      return SEND_HELD;
    }
    if (!content.transactional && !this.control.empty && this.control.has(s.id)) {
      this.messageRecord('controlGroup', js, stepId, content.name, this.control.rule, this.control.loc);
      return SEND_HELD; // like a holdout: a drip still moves along its stream
    }
    if (!content.transactional && ix.pressure.any) {
      const t = decideSend(ix, s, this.zone(), content, this.now, orig);
      if (t !== this.now) {
        const rule = decidedBy()!;
        if (t === Infinity) {
          this.messageRecord('skipped', js, stepId, content.name, rule.rule, rule.loc, ix.pressure.skipNote);
          return SEND_OTHER;
        }
        this.delayedTo = t;
        this.messageRecord('delayed', js, stepId, content.name, rule.rule, rule.loc, new Date(t).toISOString());
        return SEND_DELAYED;
      }
    }
    this.deliver(content, c, js, stepId);
    return SEND_SENT;
  }

  private deliver(content: ContentIx, c: number, js: number, stepId: number | null): void {
    const s = this.s;
    const t = this.now;
    this.out.actions.push({ id: this.nextId(), at: t, lead: s.id, journey: this.journeyName(js), type: 'send', content: content.name, channel: content.channelName });
    this.meter?.sent(s.id, s.x[X_T0]!, c, t);
    this.messageRecord('sent', js, stepId, content.name, null, content.loc);
    let found = false;
    for (let i = 0; i < s.rc.length; i += 3) {
      if (s.rc[i] === c) {
        s.rc[i + 1]!++;
        s.rc[i + 2] = t;
        found = true;
        break;
      }
    }
    if (!found) s.rc = append3(s.rc, c, 1, t);
    if (this.ix.timeDriven.received) this.reDirty = true;
    if (this.ix.keepSendLog) {
      if (s.sl === EMPTY_LIST) s.sl = []; // grows with every send: an ordinary array
      s.sl.push(c, t);
    }
    if (!content.transactional && this.ix.pressure.any) logSend(this.ix, s, t, content);
    this.gen++;
  }
}

// ---------------------------------------------------------------------------------------------

const NONE: readonly number[] = Object.freeze([]);

function clamp(v: number, min: number, max: number): number {
  return v < min ? min : v > max ? max : v;
}

function sameValue(a: Value | null, b: Value | null): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return false;
}

function received(s: Lead, c: number): boolean {
  for (let i = 0; i < s.rc.length; i += 3) if (s.rc[i] === c) return true;
  return false;
}

function getCounter(inst: JourneyState, repeat: number): number {
  const r = inst.r;
  for (let i = 0; i < r.length; i += 2) if (r[i] === repeat) return r[i + 1]!;
  return -1;
}

function setCounter(inst: JourneyState, repeat: number, value: number): void {
  const r = inst.r;
  for (let i = 0; i < r.length; i += 2) {
    if (r[i] === repeat) {
      if (value < 0) r.splice(i, 2);
      else r[i + 1] = value;
      return;
    }
  }
  if (value >= 0) inst.r = append2(r, repeat, value);
}

/** `n` empty lists (shared ones when `compact`); the shared empty list when `n` is 0. */
function lists<T>(n: number, compact: boolean): T[][] {
  if (n === 0) return EMPTY_LIST;
  const out = new Array<T[]>(n);
  for (let i = 0; i < n; i++) out[i] = compact ? EMPTY_LIST : [];
  return out;
}

/** A new array of `n` times `v` (exactly that long); the shared empty list when `n` is 0. */
function sized<T>(n: number, v: T): T[] {
  if (n === 0) return EMPTY_LIST;
  const out = new Array<T>(n);
  for (let i = 0; i < n; i++) out[i] = v;
  return out;
}

// ---------------------------------------------------------------------------------------------
// The pure form

const engines = new WeakMap<PlanIndex, Engine>();

/**
 * The pure core: plan index + one lead's state (or undefined for a new lead) + one input → the new
 * state, the actions and the audit records. The given state is not modified.
 */
export function step(
  ix: PlanIndex,
  state: LeadState | undefined,
  input: Input,
): { state: LeadState | undefined; actions: RuntimeAction[]; audit: AuditRecord[] } {
  let engine = engines.get(ix);
  if (!engine) {
    engine = new Engine(ix);
    engines.set(ix, engine);
  }
  const out: StepOutput = { actions: [], audit: [] };
  if (state === undefined && input.kind === 'advance') return { state: undefined, actions: [], audit: [] };
  const s = state === undefined ? engine.newLead((input as { event: LeadEvent }).event.lead, (input as { event: LeadEvent }).event.at) : cloneLeadState(state);
  engine.step(s, input, out);
  return { state: s, actions: out.actions, audit: out.audit! };
}

export type { JourneyIx };
