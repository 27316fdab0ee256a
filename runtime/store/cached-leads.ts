// The write-back cache of leads in the engine's working form that the durable stores share (the SQLite
// store, and a PostgreSQL worker's partitions): one entry per lead with its processed event ids, a map of
// next timers, and the list of entries changed since the store last wrote them. A store says how to find
// a lead it does not hold yet (`miss`) and writes `dirty` its own way.
import type { LeadStore, WorkingLeads } from '../engine/store.js';
import type { LeadState } from '../engine/state.js';
import { assignLead, toLead, touchLead, viewOf, type Lead } from '../engine/lead.js';
import type { PlanIndex } from '../engine/plan-index.js';

export interface CacheEntry {
  readonly id: string;
  /** The state in working form; undefined for a lead never seen. */
  lead: Lead | undefined;
  ids: Set<string>;
  /** In `dirty` (changed since the store last wrote it). */
  dirty: boolean;
}

export abstract class CachedLeads<E extends CacheEntry> implements LeadStore, WorkingLeads {
  readonly compact = true;
  protected entries = new Map<string, E>();
  protected due = new Map<string, number>();
  protected dirty: E[] = [];
  /** The last entry looked up: a runtime asks about one lead several times in a row (seen → lead → keep → markSeen → setDue). */
  protected last: E | null = null;

  /** The plan index the leads are laid out for. */
  protected abstract ix(): PlanIndex;
  /** The entry of a lead not in the cache: read from the database, or a new lead's. */
  protected abstract miss(id: string): E;
  abstract leads(): Iterable<string>;

  lead(id: string): Lead | undefined {
    return this.entry(id).lead;
  }
  /** `WorkingLeads.touch`: a lead in the cache only (never read from the database for that). */
  touch(id: string): number {
    const l = this.entries.get(id)?.lead;
    return l === undefined ? 0 : touchLead(this.ix().layout, l);
  }
  keep(l: Lead): void {
    const e = this.entry(l.id);
    e.lead = l;
    this.markDirty(e);
  }
  get(id: string): LeadState | undefined {
    const l = this.lead(id);
    return l === undefined ? undefined : viewOf(this.ix(), l);
  }
  put(state: LeadState): void {
    const e = this.entry(state.id);
    if (e.lead !== undefined) assignLead(this.ix(), e.lead, state);
    else e.lead = toLead(this.ix(), state);
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

  /** The lead's entry: from the cache, else `miss`. */
  protected entry(id: string): E {
    const last = this.last;
    if (last !== null && last.id === id) return last;
    let e = this.entries.get(id);
    if (e === undefined) {
      e = this.miss(id);
      this.entries.set(id, e);
    }
    this.last = e;
    return e;
  }
  protected markDirty(e: E): void {
    if (!e.dirty) {
      e.dirty = true;
      this.dirty.push(e);
    }
  }
  protected emptyCache(): void {
    this.entries.clear();
    this.last = null;
  }
}
