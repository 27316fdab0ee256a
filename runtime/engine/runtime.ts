// The runtime host: a plan, a store of lead states, a global timer heap, and the measures of the run.
// It validates input events (8.1), deduplicates them by id per lead, orders a batch by time, feeds
// the deterministic core (core.ts) and collects actions and audit records.
import type { Loc, Plan } from '../plan-types.js';
import { Engine, type AuditRecord, type RuntimeAction, type StepOutput } from './core.js';
import { EventScratch, readEvent, Rejection, type LeadEvent } from './events.js';
import { TimerHeap } from './heap.js';
import { MeasuresCollector, summarize, type Measures } from './measures.js';
import { mergeMeasures, type MeasuresData } from './measure-data.js';
import { assignLead, toLead, toLeadState, writeBack, X_C, X_DUE, X_T0, type Lead } from './lead.js';
import { compilePlanIndex, type IndexOptions, type PlanIndex } from './plan-index.js';
import type { LeadState } from './state.js';
import { LeadMemory, keepsWorkingForm, type LeadStore, type WorkingLeads } from './store.js';
import { MAX_INSTANT, parseInstant } from './time.js';

export interface RuntimeOptions extends IndexOptions {
  /** Where lead states live; an in-memory store by default. */
  store?: LeadStore;
  /**
   * `keep` (default): every audit record is kept per lead (`audit(id)`) and queued for `drainAudit()`;
   * `stream`: only queued for `drainAudit()`; `off`: not kept (measures are still computed).
   */
  audit?: 'keep' | 'stream' | 'off';
  /**
   * Told about every input the runtime applies, before it applies it, in order: the durable runtime
   * writes them ahead (the input log, runtime/store/input-log.ts) and replays them after a crash.
   */
  inputs?: InputObserver | null;
  /**
   * The measures' data a store keeps (measure-data.ts): `measures()` adds what the runtime recorded since
   * its last `takeMeasures()` to it. None by default: the measures are the runtime's own.
   */
  storedMeasures?: (() => MeasuresData) | null;
}

/** Every input that changes state, as it is applied (a validated, non-duplicate event; a clock advance; a holdout). */
export interface InputObserver {
  event(ev: LeadEvent): void;
  advance(t: number): void;
  holdout(lead: string, journey: string, on: boolean): void;
}

export type IngestResult =
  | { ok: true; lead: string; duplicate: boolean; late: boolean }
  | { ok: false; reason: string; lead: string | null; id: string | null };

export interface RejectedEvent {
  /** Position in the batch. */
  index: number;
  reason: string;
  lead: string | null;
  id: string | null;
}

export interface BatchResult {
  accepted: number;
  duplicates: number;
  late: number;
  rejected: RejectedEvent[];
}

export interface Runtime {
  readonly index: PlanIndex;
  readonly engine: Engine;
  readonly store: LeadStore;
  /** Validates and applies one event. A rejected event changes nothing. */
  ingest(event: unknown): IngestResult;
  /** Validates every event, reports and skips the invalid ones, applies the rest in `at` order (stable). */
  ingestBatch(events: readonly unknown[]): BatchResult;
  /** Applies an event already validated with `validateEvent` against this runtime's index (no second validation). */
  ingestValidated(event: LeadEvent): IngestResult;
  /**
   * Runs every timer due at or before `t` (epoch ms or an ISO date-time with offset), oldest first;
   * returns how many lead steps ran. `Infinity` (what `nextDue()` gives when nothing is pending) is
   * "never": nothing runs. NaN, a finite time beyond the dates a Date can hold (±8.64e15 ms) or an
   * invalid string throw a RangeError naming it.
   */
  advanceTo(t: number | string): number;
  /** The earliest pending timer of any lead (epoch ms), or Infinity. */
  nextDue(): number;
  /**
   * The lead's state. With the runtime's own store, a copy linked to the lead (lead.ts): the engine's methods
   * given it act on the lead itself, and `store.put` of a changed copy writes it back.
   */
  leadState(id: string): LeadState | undefined;
  /** The lead's audit trail (with `audit: 'keep'`). */
  audit(id: string): AuditRecord[];
  /** Actions emitted since the last call, in the order they were decided. */
  drainActions(): RuntimeAction[];
  /** Audit records since the last call (with `audit: 'keep'` or `'stream'`). */
  drainAudit(): AuditRecord[];
  /** The measures (LANGUAGE.md 9): the store's (`storedMeasures`) and what this runtime recorded since it last handed them over. */
  measures(): Measures;
  /**
   * Hands over the measures' data recorded since the last call (or the start): a host that keeps the
   * measures with its store adds it there in the same transaction as the states. `keep`: a copy, and the
   * runtime keeps them.
   */
  takeMeasures(keep?: boolean): MeasuresData;
  /** Counts `n` events rejected before they reached the runtime (a host's malformed lines) in the measures. */
  countRejected(n: number): void;
  /** Puts a lead in (or out of) a journey's holdout group from its next entry on (tests: `holdout journey`). */
  setHoldout(lead: string, journey: string, on: boolean): void;
}

const APPLIED = 0;
const LATE = 1;
const DUPLICATE = 2;
/** Events whose leads `ingestBatch` reads ahead at a time (a power of two). */
const PREFETCH = 8;

export function createRuntime(plan: Plan | PlanIndex, options: RuntimeOptions = {}): Runtime {
  const ix = 'plan' in plan && 'journeys' in plan && Array.isArray((plan as PlanIndex).journeys) ? (plan as PlanIndex) : compilePlanIndex(plan as Plan, options);
  return new RuntimeHost(ix, options);
}

class RuntimeHost implements Runtime {
  readonly index: PlanIndex;
  readonly engine: Engine;
  readonly store: LeadStore;
  private heap = new TimerHeap();
  private actions: RuntimeAction[] = [];
  private auditQueue: AuditRecord[] = [];
  private perLead = new Map<string, AuditRecord[]>();
  private mode: 'keep' | 'stream' | 'off';
  /** The engine writes straight into the queues: no copying per input. */
  private out: StepOutput = { actions: [], audit: null };
  private collector: MeasuresCollector;
  private forced = new Map<string, Set<number>>();
  private scores: number[] = [];
  private scratch = new EventScratch();
  /** See `prefetch`. */
  private touched = 0;
  /** The leads in the engine's working form: the default store itself, or a converter for a given store. */
  private leads: WorkingLeads;
  private inputs: InputObserver | null;
  private storedMeasures: (() => MeasuresData) | null;

  constructor(ix: PlanIndex, options: RuntimeOptions) {
    this.index = ix;
    this.engine = new Engine(ix);
    if (options.store === undefined) {
      const own = new LeadMemory(ix);
      this.store = own;
      this.leads = own;
    } else {
      this.store = options.store;
      this.leads = keepsWorkingForm(options.store, ix) ? options.store : new StoredLeads(ix, options.store);
    }
    this.mode = options.audit ?? 'keep';
    this.inputs = options.inputs ?? null;
    this.storedMeasures = options.storedMeasures ?? null;
    this.collector = new MeasuresCollector(ix, this.engine.control);
    this.engine.meter = this.collector;
    for (const [lead, due] of this.store.dues()) this.heap.push(due, lead);
  }

  ingest(event: unknown): IngestResult {
    // The event is applied before the next one is read: one reusable event object serves them all.
    const v = readEvent(this.index, event, this.scratch);
    if (v instanceof Rejection) {
      this.collector.rejected++;
      return { ok: false, reason: v.reason, lead: v.lead, id: v.id };
    }
    return this.apply(v);
  }

  ingestValidated(event: LeadEvent): IngestResult {
    return this.apply(event);
  }

  ingestBatch(events: readonly unknown[]): BatchResult {
    const valid: LeadEvent[] = [];
    const rejected: RejectedEvent[] = [];
    for (let index = 0; index < events.length; index++) {
      const v = readEvent(this.index, events[index], null); // a new event each: they are sorted before use
      if (!(v instanceof Rejection)) valid.push(v);
      else {
        this.collector.rejected++;
        rejected.push({ index, reason: v.reason, lead: v.lead, id: v.id });
      }
    }
    // Stable sort by time: each lead's events are applied in `at` order.
    let sorted = true;
    for (let i = 1; i < valid.length; i++) {
      if (valid[i]!.at < valid[i - 1]!.at) {
        sorted = false;
        break;
      }
    }
    if (!sorted) valid.sort((a, b) => a.at - b.at);
    let accepted = 0;
    let duplicates = 0;
    let late = 0;
    const touch = this.leads.touch;
    for (let i = 0; i < valid.length; i++) {
      if (touch !== undefined && (i & (PREFETCH - 1)) === 0) this.prefetch(touch, valid, i);
      const r = this.applied(valid[i]!);
      if (r === DUPLICATE) duplicates++;
      else {
        accepted++;
        if (r === LATE) late++;
      }
    }
    return { accepted, duplicates, late, rejected };
  }

  /**
   * Reads the next PREFETCH events' leads ahead of applying them. An input spends much of its time waiting
   * for its lead's memory; these reads do not depend on each other, so the processor overlaps their cache
   * misses instead of paying them one after the other. A hint only: nothing changes.
   */
  private prefetch(touch: (id: string) => number, valid: LeadEvent[], from: number): void {
    let sink = 0;
    const to = Math.min(valid.length, from + PREFETCH);
    for (let i = from; i < to; i++) sink += touch.call(this.leads, valid[i]!.lead);
    this.touched = sink; // kept, so that the reads are not optimised away
  }

  private apply(ev: LeadEvent): IngestResult {
    const r = this.applied(ev);
    return { ok: true, lead: ev.lead, duplicate: r === DUPLICATE, late: r === LATE };
  }

  /** Applies `ev` (no result object: a batch only counts): APPLIED, LATE (applied late) or DUPLICATE. */
  private applied(ev: LeadEvent): number {
    const store = this.store;
    if (ev.id !== null && store.seen(ev.lead, ev.id)) {
      this.collector.duplicates++;
      return DUPLICATE;
    }
    if (this.inputs !== null) this.inputs.event(ev);
    let s = this.leads.lead(ev.lead);
    const isNew = s === undefined;
    if (s === undefined) {
      s = this.engine.createLead(ev.lead, ev.at, this.leads.compact);
      const f = this.forced.get(ev.lead);
      if (f) s.hf = [...f].sort((a, b) => a - b);
      this.collector.newLead(s.id, s.x[X_T0]!);
    }
    const late = ev.at < s.x[X_C]!;
    if (late) this.collector.late++;
    this.run(s, ev, 0, isNew);
    if (ev.id !== null) store.markSeen(ev.lead, ev.id);
    if (isNew) this.collector.newLeadScores(this.engine.scoresOfLead(s, this.scores));
    return late ? LATE : APPLIED;
  }

  /** Applies the event `ev`, or (when null) runs the timers due at or before `t`; `isNew`: `s` was just created. */
  private run(s: Lead, ev: LeadEvent | null, t: number, isNew = false): void {
    const out = this.out;
    out.actions = this.actions;
    const audit = this.mode === 'off' ? null : this.auditQueue;
    const a0 = audit === null ? 0 : audit.length;
    out.audit = audit;
    // The lead's next timer before the step (the store's record of it too: they are saved together).
    const prev = s.x[X_DUE]!;
    if (ev !== null) this.engine.stepEvent(s, ev, out);
    else this.engine.stepAdvance(s, t, out);
    out.audit = null; // the queue may be drained (handed over) before the next input
    this.leads.keep(s);
    this.collector.instant(s.x[X_C]!);
    if (this.mode === 'keep' && audit !== null && audit.length > a0) {
      let list = this.perLead.get(s.id);
      if (!list) {
        list = [];
        this.perLead.set(s.id, list);
      }
      for (let i = a0; i < audit.length; i++) list.push(audit[i]!);
    }
    // Unchanged timers and re-evaluation inputs: the due before the step still holds (a new lead has none yet).
    let due = this.engine.timersChanged || ev === null || isNew ? this.engine.dueAfterStep(s) : prev;
    if (due > MAX_INSTANT) due = Infinity; // beyond any date: never due
    s.x[X_DUE] = due;
    if (due === prev) return;
    if (due === Infinity) this.store.setDue(s.id, null);
    else {
      this.store.setDue(s.id, due);
      // The heap holds an entry at or before every lead's due: a later due (an event moved a re-evaluation or
      // a wait further) keeps the earlier entry, which is moved when it comes out (`current`).
      if (due < prev || ev === null) this.heap.push(due, s.id);
    }
  }

  /**
   * Pops the heap's earliest entry when it is stale or early: an entry for a lead whose due is now later is
   * pushed again at that due. Returns false when the earliest entry is the lead's current due (or the heap is empty).
   */
  private dropStale(): boolean {
    const heap = this.heap;
    if (heap.size === 0) return false;
    const due = heap.peekDue();
    const lead = heap.peekLead()!;
    const now = this.store.getDue(lead) ?? Infinity;
    if (now === due) return false;
    heap.pop();
    if (now > due && now !== Infinity) heap.push(now, lead);
    return true;
  }

  advanceTo(t: number | string): number {
    const until = advanceTarget(t);
    if (!Number.isFinite(until)) return 0; // Infinity is "never" (a `repeat every` chain has no end): nothing runs
    if (this.inputs !== null) this.inputs.advance(until);
    let runs = 0;
    while (this.heap.peekDue() <= until) {
      if (this.dropStale()) continue;
      const due = this.heap.peekDue();
      const lead = this.heap.peekLead()!;
      this.heap.pop();
      const s = this.leads.lead(lead);
      if (!s) continue;
      this.run(s, null, due);
      runs++;
    }
    return runs;
  }

  nextDue(): number {
    while (this.dropStale());
    return this.heap.size > 0 ? this.heap.peekDue() : Infinity;
  }

  leadState(id: string): LeadState | undefined {
    return this.store.get(id);
  }

  audit(id: string): AuditRecord[] {
    return this.perLead.get(id) ?? [];
  }

  drainActions(): RuntimeAction[] {
    const a = this.actions;
    this.actions = [];
    return a;
  }

  drainAudit(): AuditRecord[] {
    const a = this.auditQueue;
    this.auditQueue = [];
    return a;
  }

  measures(): Measures {
    const own = this.collector.take(true); // a copy of its own
    return summarize(this.index, this.storedMeasures === null ? own : mergeMeasures(this.storedMeasures(), own));
  }

  takeMeasures(keep = false): MeasuresData {
    return this.collector.take(keep);
  }

  countRejected(n: number): void {
    this.collector.rejected += n;
  }

  setHoldout(lead: string, journey: string, on: boolean): void {
    const js = this.index.journeySlot.get(journey);
    if (js === undefined) throw new Error(`journey ${journey} is not declared`);
    if (this.inputs !== null) this.inputs.holdout(lead, journey, on);
    let set = this.forced.get(lead);
    if (!set) {
      set = new Set();
      this.forced.set(lead, set);
    }
    if (on) set.add(js);
    else set.delete(js);
    const s = this.store.get(lead);
    if (s) {
      s.hf = [...set].sort((a, b) => a - b);
      this.store.put(s);
    }
  }
}

/** A store of `LeadState`s given to the runtime: each lead converted to working form and back, per input. */
class StoredLeads implements WorkingLeads {
  readonly compact = false;
  /** The state the lead being processed was read from (written back into it). */
  private state: LeadState | undefined = undefined;
  /** The working form made for a state object the store hands out again (its cache): refreshed, not rebuilt. */
  private forms = new WeakMap<LeadState, Lead>();

  constructor(
    private readonly ix: PlanIndex,
    private readonly store: LeadStore,
  ) {}

  lead(id: string): Lead | undefined {
    const s = (this.state = this.store.get(id));
    if (s === undefined) return undefined;
    let l = this.forms.get(s);
    if (l === undefined) this.forms.set(s, (l = toLead(this.ix, s)));
    else assignLead(this.ix, l, s); // the state may have been changed since (e.g. `store.put` by a test)
    return l;
  }
  keep(l: Lead): void {
    const s = this.state;
    if (s !== undefined && s.id === l.id) writeBack(this.ix, l, s);
    else this.state = toLeadState(this.ix, l);
    this.store.put(this.state!);
  }
}

/** An action as JSON for the host: `at` as an ISO date-time (UTC). */
export function actionToJson(a: RuntimeAction): Record<string, unknown> {
  return { ...a, at: new Date(a.at).toISOString() };
}

/** An audit record as JSON: `at` as ISO, `loc` as `{ file, line, column }`. */
export function auditToJson(ix: PlanIndex, r: AuditRecord): Record<string, unknown> {
  return { ...r, at: new Date(r.at).toISOString(), loc: locToJson(ix, r.loc) };
}

export function locToJson(ix: PlanIndex, loc: Loc | null): { file: string; line: number; column: number } | null {
  if (loc === null) return null;
  return { file: ix.files[loc[0]] ?? '?', line: loc[1], column: loc[2] };
}

/** `advanceTo`'s argument as epoch ms (Infinity: never), or a RangeError naming what is wrong with it. */
function advanceTarget(t: unknown): number {
  if (typeof t === 'string') {
    const p = parseInstant(t);
    if (typeof p === 'string') throw new RangeError(`advanceTo: ${p}`);
    return p;
  }
  if (typeof t !== 'number' || Number.isNaN(t)) {
    throw new RangeError(`advanceTo: expected epoch milliseconds or an ISO date-time with offset, not ${typeof t === 'number' ? 'NaN' : String(t)}`);
  }
  if (Math.abs(t) > MAX_INSTANT && Number.isFinite(t)) throw new RangeError(`advanceTo: ${t} is beyond the dates a Date can hold (±${MAX_INSTANT} ms)`);
  return t;
}
