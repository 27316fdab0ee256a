// A durable `LeadStore` on SQLite (better-sqlite3, WAL mode).
//
// Tables: `leads` (state JSON, plan hash, next timer — indexed by due time — and the lead's processed event
// ids, kept in the lead's row so that idempotency costs no extra B-tree write), `outbox` (actions waiting for the host), `plans` (every plan the store has run, by hash, so
// that states can be migrated by name), `migrations` (the plan-version report), `meta` (key/value).
//
// The engine mutates lead states in place, so the store keeps a write-back cache: `get` reads a lead once,
// `put`/`setDue`/`markSeen` only mark it dirty, and `commit(actions, meta)` writes every dirty lead, its
// timer, the new processed ids, the actions (outbox) and the host's metadata in ONE transaction. A crash
// before the commit loses the whole unit of work and nothing else; `rollback()` drops the cache.
import Database from 'better-sqlite3';
import type { RuntimeAction } from '../engine/core.js';
import type { LeadStore } from '../engine/store.js';
import { deserializeLeadState, serializeLeadState, type LeadState } from '../engine/state.js';

export type Synchronous = 'OFF' | 'NORMAL' | 'FULL';

export interface SqliteStoreOptions {
  /**
   * `NORMAL` (default): in WAL mode a commit is atomic and survives a crash of the process (SIGKILL);
   * only a power loss / OS crash may lose the last commits (never corrupts). `FULL`: fsync on every commit,
   * durable against power loss too, slower per commit. `OFF`: tests only.
   */
  synchronous?: Synchronous;
  /** Clean lead states kept in memory after a commit (default 200,000); beyond, the cache is emptied. */
  cacheLimit?: number;
  /** Take an exclusive lock on the file (default true): one runtime per database file. */
  exclusive?: boolean;
  /** How long to wait for a lock held by another connection (ms, default 5000). */
  busyTimeoutMs?: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS plans (hash TEXT PRIMARY KEY, plan TEXT NOT NULL, first_loaded INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS leads (id TEXT PRIMARY KEY, plan TEXT NOT NULL, due INTEGER, state TEXT NOT NULL, seen TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS leads_due ON leads (due) WHERE due IS NOT NULL;
CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, lead TEXT NOT NULL, at INTEGER NOT NULL, action TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS outbox_id ON outbox (id);
CREATE TABLE IF NOT EXISTS migrations (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, lead TEXT NOT NULL, from_plan TEXT NOT NULL,
  to_plan TEXT NOT NULL, journey TEXT, step INTEGER, moved TEXT NOT NULL, reason TEXT NOT NULL);
`;

/** The store's schema version (`meta.schema`). */
export const STORE_SCHEMA = '1';

type Stmt = Database.Statement;

export class SqliteStore implements LeadStore {
  readonly db: Database.Database;
  readonly file: string;
  private cache = new Map<string, LeadState>();
  private due = new Map<string, number>();
  private dirty = new Set<string>();
  /** Processed event ids of every cached lead (and of leads not in the file yet). */
  private ids = new Map<string, Set<string>>();
  private idsDirty = false;
  private cacheLimit: number;
  private s: {
    get: Stmt;
    upsert: Stmt;
    outbox: Stmt;
    meta: Stmt;
    setMeta: Stmt;
    dues: Stmt;
    leads: Stmt;
    hasLeads: Stmt;
  };

  constructor(file: string, options: SqliteStoreOptions = {}) {
    this.file = file;
    this.cacheLimit = options.cacheLimit ?? 200_000;
    const db = new Database(file, { timeout: options.busyTimeoutMs ?? 5000 });
    this.db = db;
    db.pragma('page_size = 8192'); // before the first write of a new file; ignored otherwise
    if (options.exclusive ?? true) db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    db.pragma('temp_store = MEMORY');
    db.pragma('cache_size = -65536'); // 64 MiB page cache
    db.pragma('wal_autocheckpoint = 8192'); // checkpoint every 64 MiB of WAL: pages rewritten by successive batches are copied once
    db.exec(SCHEMA);
    this.s = {
      get: db.prepare('SELECT state, seen FROM leads WHERE id = ?').raw(),
      upsert: db.prepare(
        'INSERT INTO leads (id, plan, due, state, seen) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET plan = excluded.plan, due = excluded.due, state = excluded.state, seen = excluded.seen',
      ),
      outbox: db.prepare('INSERT INTO outbox (id, lead, at, action) VALUES (?, ?, ?, ?)'),
      meta: db.prepare('SELECT value FROM meta WHERE key = ?').pluck(),
      setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      dues: db.prepare('SELECT id, due FROM leads WHERE due IS NOT NULL ORDER BY due, id').raw(),
      leads: db.prepare('SELECT id FROM leads ORDER BY id').pluck(),
      hasLeads: db.prepare('SELECT 1 FROM leads LIMIT 1').pluck(),
    };
    const schema = this.getMeta('schema');
    if (schema === undefined) this.s.setMeta.run('schema', STORE_SCHEMA);
    else if (schema !== STORE_SCHEMA) throw new Error(`${file}: store schema ${schema}, this runtime reads ${STORE_SCHEMA}`);
    this.loadDues();
  }

  private loadDues(): void {
    this.due.clear();
    for (const row of this.s.dues.iterate() as Iterable<[string, number]>) this.due.set(row[0], row[1]);
  }

  // --- LeadStore ---------------------------------------------------------------------------------

  get(lead: string): LeadState | undefined {
    const c = this.cache.get(lead);
    if (c !== undefined) return c;
    const row = this.s.get.get(lead) as [string, string] | undefined;
    if (row === undefined) {
      if (!this.ids.has(lead)) this.ids.set(lead, new Set());
      return undefined;
    }
    const s = deserializeLeadState(row[0]);
    this.cache.set(lead, s);
    this.ids.set(lead, new Set(JSON.parse(row[1]) as string[]));
    return s;
  }
  put(state: LeadState): void {
    this.cache.set(state.id, state);
    this.dirty.add(state.id);
  }
  setDue(lead: string, due: number | null): void {
    if (due === null) this.due.delete(lead);
    else this.due.set(lead, due);
    this.dirty.add(lead);
  }
  getDue(lead: string): number | null {
    return this.due.get(lead) ?? null;
  }
  dues(): Iterable<[string, number]> {
    return this.due.entries();
  }
  seen(lead: string, id: string): boolean {
    return this.idsOf(lead).has(id);
  }
  markSeen(lead: string, id: string): void {
    this.idsOf(lead).add(id);
    this.dirty.add(lead);
    this.idsDirty = true;
  }
  private idsOf(lead: string): Set<string> {
    let set = this.ids.get(lead);
    if (set === undefined) {
      this.get(lead); // loads the row (state + ids), or registers an empty set for a new lead
      set = this.ids.get(lead);
      if (set === undefined) {
        // a state `put` without a `get`: take the ids from the file
        const row = this.s.get.get(lead) as [string, string] | undefined;
        set = new Set(row === undefined ? [] : (JSON.parse(row[1]) as string[]));
        this.ids.set(lead, set);
      }
    }
    return set;
  }
  leads(): Iterable<string> {
    const ids = new Set(this.s.leads.all() as string[]);
    for (const lead of this.dirty) if (this.cache.has(lead)) ids.add(lead); // not committed yet
    return [...ids].sort();
  }

  // --- Units of work -----------------------------------------------------------------------------

  /** Uncommitted changes? */
  get pending(): boolean {
    return this.dirty.size > 0 || this.idsDirty;
  }

  /**
   * Writes every dirty lead (state + timer), the processed ids, `actions` into the outbox and `meta`
   * in one transaction. Returns the number of leads written.
   */
  commit(actions: readonly RuntimeAction[] = [], meta?: Readonly<Record<string, string>>): number {
    const n = this.dirty.size;
    this.writeTx(actions, meta);
    this.dirty.clear();
    this.idsDirty = false;
    if (this.cache.size > this.cacheLimit) {
      this.cache.clear();
      this.ids.clear();
    }
    return n;
  }

  private writeTx = (actions: readonly RuntimeAction[], meta?: Readonly<Record<string, string>>): void => {
    this.db.transaction(() => {
      this.writeLeads();
      const ob = this.s.outbox;
      for (const a of actions) ob.run(a.id, a.lead, a.at, JSON.stringify(a));
      if (meta) for (const k of Object.keys(meta)) this.s.setMeta.run(k, meta[k]!);
    })();
  };

  private writeLeads(): void {
    const up = this.s.upsert;
    for (const lead of this.dirty) {
      const s = this.cache.get(lead);
      if (s === undefined) continue; // a timer change for a lead never put: nothing to write
      const ids = this.idsOf(lead);
      up.run(lead, s.plan, this.due.get(lead) ?? null, serializeLeadState(s), ids.size === 0 ? '[]' : JSON.stringify([...ids]));
    }
  }

  /** Forgets every uncommitted change (the cache is emptied, timers are reloaded from the file). */
  rollback(): void {
    this.cache.clear();
    this.ids.clear();
    this.dirty.clear();
    this.idsDirty = false;
    this.loadDues();
  }

  // --- Metadata, plans ---------------------------------------------------------------------------

  getMeta(key: string): string | undefined {
    return this.s.meta.get(key) as string | undefined;
  }
  setMeta(key: string, value: string): void {
    this.s.setMeta.run(key, value);
  }
  hasLeads(): boolean {
    return this.s.hasLeads.get() !== undefined;
  }

  /** Drops the in-memory cache (clean states only; call after `commit`). */
  dropCache(): void {
    if (this.pending) throw new Error('uncommitted changes');
    this.cache.clear();
    this.ids.clear();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
