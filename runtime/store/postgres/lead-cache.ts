// The leads of the partitions a worker owns, in memory, in the engine's working form (cached-leads.ts):
// the runtime (createRuntime) runs against this cache synchronously, and a commit writes the leads changed
// since the last one. A partition is loaded whole when the worker takes it (its leads are read once, not
// per event), so a lead not in the cache is a new lead; a partition given up or lost is dropped. After a
// failed commit the worker builds a new cache from the database (memory may be ahead of what was committed).
import type { Lead } from '../../engine/lead.js';
import type { PlanIndex } from '../../engine/plan-index.js';
import { CachedLeads, type CacheEntry } from '../cached-leads.js';
import { partitionOf } from './partition.js';

interface Entry extends CacheEntry {
  readonly part: number;
}

/** A lead as a commit writes it. */
export interface ChangedLead {
  id: string;
  part: number;
  lead: Lead;
  ids: ReadonlySet<string>;
  due: number | null;
}

export class LeadCache extends CachedLeads<Entry> {
  constructor(
    readonly index: PlanIndex,
    readonly partitions: number,
  ) {
    super();
  }

  protected ix(): PlanIndex {
    return this.index;
  }
  protected miss(id: string): Entry {
    return { id, part: partitionOf(id, this.partitions), lead: undefined, ids: new Set(), dirty: false };
  }

  /** Adds a lead read from the database (`due` its stored next timer; `changed`: to be written, e.g. migrated). */
  load(id: string, part: number, lead: Lead, ids: Iterable<string>, due: number | null, changed = false): void {
    const e: Entry = { id, part, lead, ids: new Set(ids), dirty: false };
    this.entries.set(id, e);
    if (due !== null) this.due.set(id, due);
    if (changed) this.markDirty(e);
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

  leads(): Iterable<string> {
    const ids: string[] = [];
    for (const e of this.entries.values()) if (e.lead !== undefined) ids.push(e.id);
    return ids.sort();
  }
}
