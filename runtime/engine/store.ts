// Where lead states live. The runtime only needs get/put of a lead's (JSON-serialisable) state, an
// index of the leads' next timer, and the set of processed event ids per lead (idempotent ingestion).
// `MemoryStore` keeps everything in Maps; a SQLite store implements the same interface. `LeadMemory` is
// the runtime's default store, in the engine's working form.
import { assignLead, toLead, touchLead, viewOf, X_DUE, type Lead } from './lead.js';
import type { PlanIndex } from './plan-index.js';
import type { LeadState } from './state.js';

export interface LeadStore {
  get(lead: string): LeadState | undefined;
  /** Saves the state (the in-memory store keeps the object itself; others serialise it). */
  put(state: LeadState): void;
  /** Records the lead's next timer (epoch ms), or `null` when it has none. */
  setDue(lead: string, due: number | null): void;
  /** The lead's recorded next timer, or `null`. */
  getDue(lead: string): number | null;
  /** Every lead with a timer and its due time (rebuilds the runtime's heap when it starts). */
  dues(): Iterable<[lead: string, due: number]>;
  /** Was event `id` already processed for `lead`? */
  seen(lead: string, id: string): boolean;
  markSeen(lead: string, id: string): void;
  /** Every lead id. */
  leads(): Iterable<string>;
}

/** The leads of a runtime in the engine's working form (lead.ts). */
export interface WorkingLeads {
  lead(id: string): Lead | undefined;
  /** Saves the lead after an input. */
  keep(l: Lead): void;
  /** New leads may use the shared empty lists (see `Engine.createLead`). */
  readonly compact: boolean;
  /**
   * Reads the lead's memory that every input touches, if the lead is at hand (never loads it from
   * elsewhere), and returns a number made of it: a runtime calls it for the next few leads of a batch
   * so that their cache misses overlap (`Runtime.prefetch`).
   */
  touch?(id: string): number;
}

/**
 * A store that keeps leads in working form itself (the runtime's own `LeadMemory`, the SQLite store),
 * for plan index `ix`: the runtime then skips the conversion to and from `LeadState` per input.
 */
export function keepsWorkingForm(store: LeadStore, ix: PlanIndex): store is LeadStore & WorkingLeads {
  const s = store as Partial<WorkingLeads> & { readonly index?: PlanIndex | null };
  return typeof s.lead === 'function' && typeof s.keep === 'function' && s.index === ix;
}

/** A `LeadStore` in Maps: the states as given (`LeadState`), the next timers, the processed ids. */
export class MemoryStore implements LeadStore {
  private states = new Map<string, LeadState>();
  private due = new Map<string, number>();
  /** The state last read or written: putting it back (a runtime does after every input) is a no-op. */
  private last: LeadState | undefined = undefined;
  private ids = new Map<string, Set<string>>();

  seen(lead: string, id: string): boolean {
    return this.ids.get(lead)?.has(id) ?? false;
  }
  markSeen(lead: string, id: string): void {
    let set = this.ids.get(lead);
    if (!set) {
      set = new Set();
      this.ids.set(lead, set);
    }
    set.add(id);
  }
  get(lead: string): LeadState | undefined {
    return (this.last = this.states.get(lead));
  }
  put(state: LeadState): void {
    if (state === this.last) return;
    this.states.set(state.id, state);
    this.last = state;
  }
  setDue(lead: string, due: number | null): void {
    if (due === null) this.due.delete(lead);
    else this.due.set(lead, due);
  }
  getDue(lead: string): number | null {
    return this.due.get(lead) ?? null;
  }
  dues(): Iterable<[string, number]> {
    return this.due.entries();
  }
  leads(): Iterable<string> {
    return this.states.keys();
  }
  get size(): number {
    return this.states.size;
  }
}

/**
 * The runtime's own store (when it is given none): the leads in the engine's working form (lead.ts).
 * As a `LeadStore` it hands out `LeadState` copies linked to them (see `viewOf`) and takes states back.
 */
export class LeadMemory implements LeadStore, WorkingLeads {
  readonly compact = true;
  private states = new Map<string, Lead>();
  private last: Lead | undefined = undefined;

  constructor(readonly index: PlanIndex) {}

  /** The lead in working form. */
  lead(id: string): Lead | undefined {
    const last = this.last;
    if (last !== undefined && last.id === id) return last;
    return (this.last = this.states.get(id));
  }
  // Processed ids live on the lead (`Lead.ids`): `seen` finds the lead that `lead` and `markSeen` then reuse.
  seen(lead: string, id: string): boolean {
    const l = this.lead(lead);
    return l !== undefined && l.ids !== null && l.ids.has(id);
  }
  markSeen(lead: string, id: string): void {
    const l = this.lead(lead);
    if (l === undefined) throw new Error(`markSeen: lead ${lead} is not in the store`);
    if (l.ids === null) l.ids = new Set();
    l.ids.add(id);
  }
  keep(l: Lead): void {
    if (l === this.last) return;
    this.states.set(l.id, l);
    this.last = l;
  }
  touch(id: string): number {
    const l = this.states.get(id);
    return l === undefined ? 0 : touchLead(this.index.layout, l);
  }
  // A lead's next timer is its own `X_DUE` (the runtime sets it before `setDue`): no Map of timers beside the leads.
  setDue(lead: string, due: number | null): void {
    const l = this.lead(lead);
    if (l !== undefined) l.x[X_DUE] = due ?? Infinity;
  }
  getDue(lead: string): number | null {
    const due = this.lead(lead)?.x[X_DUE] ?? Infinity;
    return due === Infinity ? null : due;
  }
  *dues(): Iterable<[string, number]> {
    for (const l of this.states.values()) if (l.x[X_DUE] !== Infinity) yield [l.id, l.x[X_DUE]!];
  }

  get(lead: string): LeadState | undefined {
    const l = this.states.get(lead);
    return l === undefined ? undefined : viewOf(this.index, l);
  }
  put(state: LeadState): void {
    const l = this.states.get(state.id);
    if (l !== undefined) assignLead(this.index, l, state);
    else this.states.set(state.id, toLead(this.index, state));
  }
  leads(): Iterable<string> {
    return this.states.keys();
  }
  get size(): number {
    return this.states.size;
  }
}
