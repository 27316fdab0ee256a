// Where lead states live. The runtime only needs get/put of a lead's (JSON-serialisable) state, an
// index of the leads' next timer, and the set of processed event ids per lead (idempotent ingestion).
// `MemoryStore` keeps everything in Maps; a SQLite store implements the same interface.
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

export class MemoryStore implements LeadStore {
  private states = new Map<string, LeadState>();
  private due = new Map<string, number>();
  private ids = new Map<string, Set<string>>();

  get(lead: string): LeadState | undefined {
    return this.states.get(lead);
  }
  put(state: LeadState): void {
    this.states.set(state.id, state);
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
  leads(): Iterable<string> {
    return this.states.keys();
  }
  get size(): number {
    return this.states.size;
  }
}
