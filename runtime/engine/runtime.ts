// The runtime host: a plan, a store of lead states, a global timer heap, and the measures of the run.
// It validates input events (8.1), deduplicates them by id per lead, orders a batch by time, feeds
// the deterministic core (core.ts) and collects actions and audit records.
import type { Loc, Plan } from '../plan-types.js';
import { Engine, type AuditRecord, type RuntimeAction, type StepOutput } from './core.js';
import { validateEvent, type LeadEvent } from './events.js';
import { TimerHeap } from './heap.js';
import { MeasuresCollector, type Measures } from './measures.js';
import { compilePlanIndex, type IndexOptions, type PlanIndex } from './plan-index.js';
import type { LeadState } from './state.js';
import { MemoryStore, type LeadStore } from './store.js';
import { parseInstant } from './time.js';

export interface RuntimeOptions extends IndexOptions {
  /** Where lead states live; an in-memory store by default. */
  store?: LeadStore;
  /**
   * `keep` (default): every audit record is kept per lead (`audit(id)`) and queued for `drainAudit()`;
   * `stream`: only queued for `drainAudit()`; `off`: not kept (measures are still computed).
   */
  audit?: 'keep' | 'stream' | 'off';
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
  /** Runs every timer due at or before `t` (epoch ms or an ISO date-time with offset), oldest first. */
  advanceTo(t: number | string): number;
  /** The earliest pending timer of any lead (epoch ms), or Infinity. */
  nextDue(): number;
  leadState(id: string): LeadState | undefined;
  /** The lead's audit trail (with `audit: 'keep'`). */
  audit(id: string): AuditRecord[];
  /** Actions emitted since the last call, in the order they were decided. */
  drainActions(): RuntimeAction[];
  /** Audit records since the last call (with `audit: 'keep'` or `'stream'`). */
  drainAudit(): AuditRecord[];
  measures(): Measures;
  /** Puts a lead in (or out of) a journey's holdout group from its next entry on (tests: `holdout journey`). */
  setHoldout(lead: string, journey: string, on: boolean): void;
}

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
  private scratch: StepOutput = { actions: [], audit: [] };
  private collector: MeasuresCollector;
  private forced = new Map<string, Set<number>>();

  constructor(ix: PlanIndex, options: RuntimeOptions) {
    this.index = ix;
    this.engine = new Engine(ix);
    this.store = options.store ?? new MemoryStore();
    this.mode = options.audit ?? 'keep';
    this.collector = new MeasuresCollector(ix);
    for (const [lead, due] of this.store.dues()) this.heap.push(due, lead);
  }

  ingest(event: unknown): IngestResult {
    const v = validateEvent(this.index, event);
    if (!v.ok) {
      this.collector.rejected++;
      return v;
    }
    return this.apply(v.event);
  }

  ingestValidated(event: LeadEvent): IngestResult {
    return this.apply(event);
  }

  ingestBatch(events: readonly unknown[]): BatchResult {
    const valid: LeadEvent[] = [];
    const rejected: RejectedEvent[] = [];
    events.forEach((e, index) => {
      const v = validateEvent(this.index, e);
      if (v.ok) valid.push(v.event);
      else {
        this.collector.rejected++;
        rejected.push({ index, reason: v.reason, lead: v.lead, id: v.id });
      }
    });
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
    for (const ev of valid) {
      const r = this.apply(ev);
      if (r.ok) {
        if (r.duplicate) duplicates++;
        else accepted++;
        if (r.late) late++;
      }
    }
    return { accepted, duplicates, late, rejected };
  }

  private apply(ev: LeadEvent): IngestResult {
    const store = this.store;
    if (ev.id !== null && store.seen(ev.lead, ev.id)) {
      this.collector.duplicates++;
      return { ok: true, lead: ev.lead, duplicate: true, late: false };
    }
    let s = store.get(ev.lead);
    const isNew = s === undefined;
    if (s === undefined) {
      s = this.engine.newLead(ev.lead, ev.at);
      const f = this.forced.get(ev.lead);
      if (f) s.hf = [...f].sort((a, b) => a - b);
    }
    const late = ev.at < s.c;
    if (late) this.collector.late++;
    this.run(s, { kind: 'event', event: ev });
    if (ev.id !== null) store.markSeen(ev.lead, ev.id);
    if (isNew) this.collector.newLead(s.id, s.t0, this.engine.scoresOf(s));
    return { ok: true, lead: ev.lead, duplicate: false, late };
  }

  private run(s: LeadState, input: Parameters<Engine['step']>[1]): void {
    const out = this.scratch;
    if (out.actions.length !== 0) out.actions = [];
    if (out.audit!.length !== 0) out.audit = [];
    const ms0 = s.ms;
    this.engine.step(s, input, out);
    this.store.put(s);
    this.collector.instant(s.c);
    if (s.ms > ms0) this.collector.reachedStage(ms0, s.ms);
    for (const a of out.actions) {
      this.actions.push(a);
      this.collector.action(a);
    }
    const audit = out.audit!;
    if (audit.length > 0) {
      let list: AuditRecord[] | undefined;
      if (this.mode === 'keep') {
        list = this.perLead.get(s.id);
        if (!list) {
          list = [];
          this.perLead.set(s.id, list);
        }
      }
      for (const r of audit) {
        this.collector.audit(r);
        if (list) list.push(r);
        if (this.mode !== 'off') this.auditQueue.push(r);
      }
    }
    const due = this.engine.nextDue(s);
    const prev = this.store.getDue(s.id);
    if (due === Infinity) {
      if (prev !== null) this.store.setDue(s.id, null);
    } else if (prev !== due) {
      this.store.setDue(s.id, due);
      this.heap.push(due, s.id);
    }
  }

  advanceTo(t: number | string): number {
    let until: number;
    if (typeof t === 'string') {
      const p = parseInstant(t);
      if (typeof p === 'string') throw new Error(p);
      until = p;
    } else until = t;
    let runs = 0;
    while (this.heap.peekDue() <= until) {
      const [due, lead] = this.heap.pop()!;
      if (this.store.getDue(lead) !== due) continue; // stale entry
      const s = this.store.get(lead);
      if (!s) continue;
      this.run(s, { kind: 'advance', t: due });
      runs++;
    }
    return runs;
  }

  nextDue(): number {
    while (this.heap.size > 0) {
      const due = this.heap.peekDue();
      if (this.store.getDue(this.heap.peekLead()!) === due) return due;
      this.heap.pop();
    }
    return Infinity;
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
    return this.collector.result();
  }

  setHoldout(lead: string, journey: string, on: boolean): void {
    const js = this.index.journeySlot.get(journey);
    if (js === undefined) throw new Error(`journey ${journey} is not declared`);
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
