// The leads of the partitions a worker owns, in memory, in the engine's working form: the runtime
// (createRuntime) runs against this cache synchronously, and a commit writes the leads changed since the
// last one. A partition is loaded whole when the worker takes it (its leads are read once, not per
// event), and dropped when the worker loses or gives it up; after a failed commit the whole cache is
// reloaded from the database (what is in memory may be ahead of what was committed).
import type { LeadStore, WorkingLeads } from '../../engine/store.js';
import type { LeadState } from '../../engine/state.js';
import { assignLead, toLead, touchLead, viewOf, type Lead } from '../../engine/lead.js';
import type { PlanIndex } from '../../engine/plan-index.js';
import { partitionOf } from './partition.js';

interface Entry {
  readonly id: string;
  readonly part: number;
  lead: Lead | undefined;
  ids: Set<string>;
  dirty: boolean;
}

/** A lead as a commit writes it. */
export interface ChangedLead {
  id: string;
  part: number;
  lead: Lead;
  ids: ReadonlySet<string>;
  due: number | null;
}

export class LeadCache implements LeadStore, WorkingLeads {
  readonly compact = true;
  private entries = new Map<string, Entry>();
  private due = new Map<string, number>();
  private dirty: Entry[] = [];
  private last: Entry | null = null;

  constructor(
    readonly index: PlanIndex,
    readonly partitions: number,
  ) {}

  /** Adds a lead read from the database (`due` its stored next timer). */
  load(id: string, part: number, lead: Lead, ids: Iterable<string>, due: number | null, dirty = false): void {
    const e: Entry = { id, part, lead, ids: new Set(ids), dirty: false };
    this.entries.set(id, e);
    if (due !== null) this.due.set(id, due);
    if (dirty) this.markDirty(e);
  }

  /** Forgets the leads of the partitions in `parts` (given up or lost). */
  drop(parts: ReadonlySet<number>): void {
    for (const e of this.entries.values()) {
      if (parts.has(e.part)) {
        this.entries.delete(e.id);
        this.due.delete(e.id);
      }
    }
    this.dirty = this.dirty.filter((e) => !parts.has(e.part));
    this.last = null;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The leads changed since the last `committed()`. */
  changed(): ChangedLead[] {
    const out: ChangedLead[] = [];
    for (const e of this.dirty) if (e.lead !== undefined) out.push({ id: e.id, part: e.part, lead: e.lead, ids: e.ids, due: this.due.get(e.id) ?? null });
    return out;
  }
  get pending(): boolean {
    return this.dirty.length > 0;
  }
  committed(): void {
    for (const e of this.dirty) e.dirty = false;
    this.dirty = [];
  }

  // --- WorkingLeads, LeadStore ---

  lead(id: string): Lead | undefined {
    return this.entry(id).lead;
  }
  touch(id: string): number {
    const l = this.entries.get(id)?.lead;
    return l === undefined ? 0 : touchLead(this.index.layout, l);
  }
  keep(l: Lead): void {
    const e = this.entry(l.id);
    e.lead = l;
    this.markDirty(e);
  }
  get(id: string): LeadState | undefined {
    const l = this.entries.get(id)?.lead;
    return l === undefined ? undefined : viewOf(this.index, l);
  }
  put(state: LeadState): void {
    const e = this.entry(state.id);
    if (e.lead !== undefined) assignLead(this.index, e.lead, state);
    else e.lead = toLead(this.index, state);
    this.markDirty(e);
  }
  setDue(lead: string, due: number | null): void {
    if (due === null) this.due.delete(lead);
    else this.due.set(lead, due);
    this.markDirty(this.entry(lead));
  }
  getDue(lead: string): number | null {
    return this.due.get(lead) ?? null;
  }
  dues(): Iterable<[string, number]> {
    return this.due.entries();
  }
  seen(lead: string, id: string): boolean {
    return this.entry(lead).ids.has(id);
  }
  markSeen(lead: string, id: string): void {
    const e = this.entry(lead);
    e.ids.add(id);
    this.markDirty(e);
  }
  leads(): Iterable<string> {
    const ids: string[] = [];
    for (const e of this.entries.values()) if (e.lead !== undefined) ids.push(e.id);
    return ids.sort();
  }

  /** The lead's entry; a lead not loaded is new (its partition was loaded whole). */
  private entry(id: string): Entry {
    const last = this.last;
    if (last !== null && last.id === id) return last;
    let e = this.entries.get(id);
    if (e === undefined) {
      e = { id, part: partitionOf(id, this.partitions), lead: undefined, ids: new Set(), dirty: false };
      this.entries.set(id, e);
    }
    this.last = e;
    return e;
  }
  private markDirty(e: Entry): void {
    if (!e.dirty) {
      e.dirty = true;
      this.dirty.push(e);
    }
  }
}
