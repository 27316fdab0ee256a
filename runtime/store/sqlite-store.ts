// A durable `LeadStore` on SQLite (better-sqlite3, WAL mode).
//
// Tables: `leads` (the base: per lead its state, plan hash, next timer — indexed by due time — and processed
// event ids), `journal` (states written since the last compaction, appended), `inputs` (the input log since
// the last checkpoint, input-log.ts), `outbox` (actions waiting for the host, with their delivery state)
// and `outbox_dead` (dead letters; both in outbox.ts), `plans` (every plan the store has run, by hash, so
// that states can be migrated by name), `migrations` (the plan-version report), `meta`.
//
// The engine mutates leads in place, so the store keeps a write-back cache of leads in the engine's working
// form (lead.ts; `attach` gives the plan index), one entry per lead with its processed ids: `lead`/`get`
// read a lead once, `put`/`setDue`/`markSeen` only mark it changed. `commit(actions, meta, inputs)` writes
// the unit's inputs (the runtime's input log), the actions (outbox) and the host's metadata in ONE
// transaction; a checkpoint (every `checkpointEvery` inputs, and on close) writes every lead changed since
// the last one — state, timer, processed ids — and empties the log. A crash loses the unit in progress and
// nothing else: the runtime replays the log over the checkpointed states when it opens the file
// (sqlite-runtime.ts). `rollback()` goes back to the last checkpoint (the runtime then replays the log).
//
// Why a journal: a checkpoint touches leads at random, so updating them in place in `leads` dirtied nearly
// every page of the table (100,000 leads: ~50 MiB of WAL). A checkpoint appends the changed leads to
// `journal` instead, in chunks of up to CHUNK leads per row (their ids and timers as JSON lists, their
// states and processed ids as one blob of records: a row per lead cost ~3 µs of SQLite work each). The
// latest record of each lead is found through an in-memory map (lead → chunk and position) rebuilt from the
// journal's ids when the store opens. When the journal holds `journalLimit` lead records it is folded into
// `leads` (one upsert per lead) in the same transaction. States are stored in binary (state-codec.ts).
import Database from 'better-sqlite3';
import type { RuntimeAction } from '../engine/core.js';
import { deserializeLeadState, type LeadState } from '../engine/state.js';
import { toLead } from '../engine/lead.js';
import type { PlanIndex } from '../engine/plan-index.js';
import { decodeState, isEncodedState, readRecords, StateWriter } from './state-codec.js';
import { CachedLeads, type CacheEntry } from './cached-leads.js';
import { applyOutboxSchema } from './outbox.js';
import type { MeasuresData } from '../engine/measure-data.js';
import { MEASURES_SCHEMA, SqliteMeasures } from './measures-sqlite.js';

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
  /** Journal rows that trigger a compaction into `leads` at the end of a commit (default 1,000,000). */
  journalLimit?: number;
  /**
   * Inputs written ahead (input log) between two checkpoints, where the changed leads' states are written
   * (default 1,000,000; also on `close`, and when the cache holds more than `cacheLimit` leads). A restart
   * after a crash replays at most that many inputs (~10 s for 1,000,000, checkpoint included, on the
   * development machine). 0: every commit writes the states (no input log).
   */
  checkpointEvery?: number;
  /** Take an exclusive lock on the file (default true): one runtime per database file. */
  exclusive?: boolean;
  /** How long to wait for a lock held by another connection (ms, default 5000). */
  busyTimeoutMs?: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS plans (hash TEXT PRIMARY KEY, plan TEXT NOT NULL, first_loaded INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS leads (id TEXT PRIMARY KEY, plan TEXT NOT NULL, due INTEGER, state BLOB NOT NULL, seen TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS leads_due ON leads (due) WHERE due IS NOT NULL;
CREATE TABLE IF NOT EXISTS journal (seq INTEGER PRIMARY KEY, leads TEXT NOT NULL, dues TEXT NOT NULL, records BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, lead TEXT NOT NULL, at INTEGER NOT NULL, action TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS outbox_id ON outbox (id);
CREATE TABLE IF NOT EXISTS inputs (seq INTEGER PRIMARY KEY, plan TEXT NOT NULL, n INTEGER NOT NULL, ops BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS migrations (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, lead TEXT NOT NULL, from_plan TEXT NOT NULL,
  to_plan TEXT NOT NULL, journey TEXT, step INTEGER, moved TEXT NOT NULL, reason TEXT NOT NULL);
`;

/**
 * The store's schema version (`meta.schema`). 2: the journal and binary states; 3: the input log (a
 * runtime of version 2 would ignore inputs not checkpointed yet). Stores of versions 1 (JSON states, no
 * journal) and 2 are upgraded when opened: their states are read in either form. 4: the measures
 * (measures-sqlite.ts); a store of version 3 gains them empty (its earlier runs' measures were not kept).
 */
export const STORE_SCHEMA = '4';

/** Outbox rows per INSERT statement. */
const OUTBOX_ROWS = 32;
/** Leads per journal row. */
const CHUNK = 128;
/** A journal position: seq · SLOT + position in the chunk. */
const SLOT = 4096;

type Stmt = Database.Statement;

/** A row of the file that cannot be read back (damaged outside this runtime): names the file and the lead (or the input log). */
export class DamagedStoreError extends Error {
  override readonly name = 'DamagedStoreError';
  constructor(
    readonly file: string,
    readonly lead: string | null,
    reason: unknown,
  ) {
    super(`${lead === null ? 'input log' : `lead ${lead}`}: ${reason instanceof Error ? reason.message : String(reason)} (in ${file})`);
  }
}

/** A lead's state as a row keeps it: binary (state-codec.ts), or the JSON text of a version-1 store. */
export function readStoredState(id: string, plan: string, state: unknown): LeadState {
  if (isEncodedState(state)) return decodeState(state, id, plan);
  if (typeof state === 'string') return { ...deserializeLeadState(state), id, plan };
  throw new Error('its stored state is neither binary nor JSON');
}

/** What the store keeps in memory per lead (cached-leads.ts); `dirty`: changed since the last checkpoint. */
type Entry = CacheEntry;

export class SqliteStore extends CachedLeads<Entry> {
  readonly db: Database.Database;
  /** The measures kept in the store (written by `commit`). */
  readonly measures: SqliteMeasures;
  readonly file: string;
  /** The plan index the cached leads are laid out for (`attach`). */
  index: PlanIndex | null = null;
  // The cache (cached-leads.ts): `dirty` holds the leads changed since the last checkpoint (their states
  // are not in the file yet; the input log covers them).
  /** Something changed since the last commit. */
  private changed = false;
  /** Inputs in the log since the last checkpoint. */
  private logged = 0;
  /** Leads whose latest state is in the journal: where (seq · SLOT + position in the chunk). */
  private journaled = new Map<string, number>();
  /** No row in `leads` (nothing folded yet): a lead not in the journal is not in the file. */
  private baseEmpty = false;
  /** Lead records in the journal. */
  private journalRows = 0;
  /** The plan of the journal's states (`meta.plan`). */
  private plan: string | undefined;
  private readonly cacheLimit: number;
  private readonly journalLimit: number;
  readonly checkpointEvery: number;
  /** Writes the chunks of a commit; `single` the states of other plans (straight to `leads`). */
  private readonly writer = new StateWriter();
  private readonly outboxParams = new Array<string | number>(5 * OUTBOX_ROWS);
  private readonly single = new StateWriter();
  private s: {
    get: Stmt;
    getJournal: Stmt;
    upsert: Stmt;
    append: Stmt;
    outbox: Stmt;
    outboxRows: Stmt;
    log: Stmt;
    inputs: Stmt;
    meta: Stmt;
    setMeta: Stmt;
    dues: Stmt;
    journal: Stmt;
    chunks: Stmt;
    leads: Stmt;
    anyBase: Stmt;
    hasLeads: Stmt;
    countInputs: Stmt;
  };

  constructor(file: string, options: SqliteStoreOptions = {}) {
    super();
    this.file = file;
    this.cacheLimit = options.cacheLimit ?? 200_000;
    this.journalLimit = options.journalLimit ?? 1_000_000;
    this.checkpointEvery = options.checkpointEvery ?? 1_000_000;
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
    applyOutboxSchema(db);
    db.exec(MEASURES_SCHEMA);
    this.measures = new SqliteMeasures(db);
    this.s = {
      get: db.prepare('SELECT plan, state, seen FROM leads WHERE id = ?').raw(),
      getJournal: db.prepare('SELECT records FROM journal WHERE seq = ?').pluck(),
      upsert: db.prepare(
        'INSERT INTO leads (id, plan, due, state, seen) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET plan = excluded.plan, due = excluded.due, state = excluded.state, seen = excluded.seen',
      ),
      append: db.prepare('INSERT INTO journal (leads, dues, records) VALUES (?, ?, ?)'),
      outbox: db.prepare('INSERT INTO outbox (id, lead, at, action, committed) VALUES (?, ?, ?, ?, ?)'),
      outboxRows: db.prepare(`INSERT INTO outbox (id, lead, at, action, committed) VALUES ${new Array<string>(OUTBOX_ROWS).fill('(?, ?, ?, ?, ?)').join(', ')}`),
      log: db.prepare('INSERT INTO inputs (plan, n, ops) VALUES (?, ?, ?)'),
      inputs: db.prepare('SELECT plan, ops FROM inputs ORDER BY seq').raw(),
      meta: db.prepare('SELECT value FROM meta WHERE key = ?').pluck(),
      setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      dues: db.prepare('SELECT id, due FROM leads WHERE due IS NOT NULL').raw(),
      journal: db.prepare('SELECT seq, leads, dues FROM journal ORDER BY seq').raw(),
      chunks: db.prepare('SELECT seq, leads, dues, records FROM journal WHERE seq > ? ORDER BY seq LIMIT 64').raw(),
      leads: db.prepare('SELECT id FROM leads').pluck(),
      anyBase: db.prepare('SELECT 1 FROM leads LIMIT 1').pluck(),
      hasLeads: db.prepare('SELECT (SELECT 1 FROM leads LIMIT 1) OR (SELECT 1 FROM journal LIMIT 1) OR (SELECT 1 FROM inputs LIMIT 1)').pluck(),
      countInputs: db.prepare('SELECT COALESCE(SUM(n), 0) FROM inputs').pluck(),
    };
    const schema = this.getMeta('schema');
    if (schema === undefined || schema === '1' || schema === '2' || schema === '3') this.s.setMeta.run('schema', STORE_SCHEMA);
    else if (schema !== STORE_SCHEMA) throw new Error(`${file}: store schema ${schema}, this runtime reads ${STORE_SCHEMA}`);
    this.loadIndex();
  }

  /** Timers and the journal's map, from the file. */
  private loadIndex(): void {
    this.plan = this.getMeta('plan');
    this.baseEmpty = this.s.anyBase.get() === undefined;
    this.due.clear();
    this.journaled.clear();
    for (const row of this.s.dues.iterate() as Iterable<[string, number]>) this.due.set(row[0], row[1]);
    let rows = 0;
    for (const [seq, leadsText, duesText] of this.s.journal.iterate() as Iterable<[number, string, string]>) {
      const leads = JSON.parse(leadsText) as string[];
      const dues = JSON.parse(duesText) as (number | null)[];
      for (let i = 0; i < leads.length; i++) {
        const id = leads[i]!;
        const due = dues[i]!;
        this.journaled.set(id, seq * SLOT + i);
        if (due === null) this.due.delete(id);
        else this.due.set(id, due);
      }
      rows += leads.length;
    }
    this.journalRows = rows;
    this.logged = this.s.countInputs.get() as number;
  }

  /** The lead's row (plan, state, processed ids), from the journal or the base; undefined for a new lead. */
  private row(lead: string): [plan: string, state: unknown, seen: string[]] | undefined {
    try {
      return this.readRow(lead);
    } catch (e) {
      throw new DamagedStoreError(this.file, lead, e);
    }
  }

  private readRow(lead: string): [plan: string, state: unknown, seen: string[]] | undefined {
    const at = this.journaled.get(lead);
    if (at === undefined) {
      if (this.baseEmpty) return undefined; // every lead of the file is in the journal: a new lead, no query
      const r = this.s.get.get(lead) as [string, unknown, string] | undefined;
      return r === undefined ? undefined : [r[0], r[1], JSON.parse(r[2]) as string[]];
    }
    const chunk = this.s.getJournal.get(Math.floor(at / SLOT)) as Uint8Array;
    let found: [string, unknown, string[]] | undefined;
    readRecords(chunk, (i, state, seen) => {
      if (i === at % SLOT) found = [this.plan!, state, seen()];
    });
    if (found === undefined) throw new Error('missing from its journal chunk');
    return found;
  }

  /** Lays the cached leads out for plan index `ix` (a runtime's, after its plan is loaded). */
  attach(ix: PlanIndex): void {
    if (this.changed || this.dirty.length > 0) throw new Error('changes not checkpointed');
    this.index = ix;
    this.emptyCache();
  }

  protected ix(): PlanIndex {
    if (this.index === null) throw new Error(`${this.file}: the store is not attached to a plan index (attach(ix))`);
    return this.index;
  }

  // --- the cache (cached-leads.ts) ---

  /** A lead not in the cache, read from the file (a new lead: no state, no ids). */
  protected miss(id: string): Entry {
    const row = this.row(id);
    if (row === undefined) return { id, lead: undefined, ids: new Set(), dirty: false };
    try {
      return { id, lead: toLead(this.ix(), readStoredState(id, row[0], row[1])), ids: new Set(row[2]), dirty: false };
    } catch (e) {
      throw new DamagedStoreError(this.file, id, e);
    }
  }
  protected override markDirty(e: Entry): void {
    super.markDirty(e);
    this.changed = true;
  }
  leads(): Iterable<string> {
    const ids = new Set(this.s.leads.all() as string[]);
    for (const lead of this.journaled.keys()) ids.add(lead);
    for (const e of this.dirty) if (e.lead !== undefined) ids.add(e.id); // not checkpointed yet
    return [...ids].sort();
  }

  // --- Units of work -----------------------------------------------------------------------------

  /** Uncommitted changes (since the last commit)? */
  get pending(): boolean {
    return this.changed;
  }

  /** Inputs in the log, not checkpointed yet (a replay after a crash applies them again). */
  get loggedInputs(): number {
    return this.logged;
  }

  /**
   * Ends a unit of work in one transaction: `actions` into the outbox, `meta`, and either the unit's
   * `inputs` (`InputLog.take`: `count` of them, in binary) appended to the input log, or — at a checkpoint
   * (every `checkpointEvery` inputs, when the cache holds more than `cacheLimit` leads, or when the unit
   * gives no inputs for its changes) — every lead changed since the last checkpoint (state, timer,
   * processed ids), the log then emptied. `measures`: what the unit's decisions add to the store's
   * measures, in the same transaction. Returns the leads written.
   */
  commit(actions: readonly RuntimeAction[] = [], meta?: Readonly<Record<string, string>>, inputs?: { bytes: Uint8Array; count: number }, measures?: MeasuresData): number {
    // A checkpoint also when the cache holds more leads than `cacheLimit` (it is emptied after one, and
    // leads waiting for a checkpoint cannot leave it): memory stays bounded.
    const logIt = inputs !== undefined && this.checkpointEvery > 0 && this.logged + inputs.count < this.checkpointEvery && this.entries.size <= this.cacheLimit;
    if (logIt) {
      this.db.transaction(() => {
        if (inputs.count > 0) this.s.log.run(this.plan ?? '', inputs.count, inputs.bytes);
        this.writeOutbox(actions, meta);
        if (measures !== undefined) this.measures.add(measures);
      })();
      this.logged += inputs.count;
      this.changed = false;
      return 0;
    }
    const n = this.dirty.length;
    this.db.transaction(() => {
      this.writeCheckpoint();
      this.writeOutbox(actions, meta);
      if (measures !== undefined) this.measures.add(measures);
    })();
    this.saved();
    return n;
  }

  /** Writes every lead changed since the last checkpoint and empties the input log (one transaction). */
  checkpoint(): number {
    if (this.changed) throw new Error('uncommitted changes');
    const n = this.dirty.length;
    if (n === 0 && this.logged === 0) return 0;
    this.db.transaction(() => this.writeCheckpoint())();
    this.saved();
    return n;
  }

  /** After a replay of the input log: the changes it made are the log's (committed, not checkpointed). */
  markLogged(): void {
    this.changed = false;
  }

  /** The inputs logged since the last checkpoint, oldest first: [plan hash, the unit's inputs (input-log.ts)]. */
  loggedUnits(): [plan: string, ops: Uint8Array][] {
    return this.s.inputs.all() as [string, Uint8Array][];
  }

  private writeCheckpoint(): void {
    this.writeLeads();
    if (this.logged > 0) this.db.exec('DELETE FROM inputs');
    if (this.journalRows >= this.journalLimit) this.foldJournal();
  }

  private writeOutbox(actions: readonly RuntimeAction[], meta?: Readonly<Record<string, string>>): void {
    // OUTBOX_ROWS actions per statement: one call into SQLite instead of one per action
    // `committed` (wall clock): where a deliverer's latency starts
    let i = 0;
    const now = Date.now();
    if (actions.length >= OUTBOX_ROWS) {
      const params = this.outboxParams;
      for (; i + OUTBOX_ROWS <= actions.length; i += OUTBOX_ROWS) {
        for (let k = 0; k < OUTBOX_ROWS; k++) {
          const a = actions[i + k]!;
          params[5 * k] = a.id;
          params[5 * k + 1] = a.lead;
          params[5 * k + 2] = a.at;
          params[5 * k + 3] = JSON.stringify(a);
          params[5 * k + 4] = now;
        }
        this.s.outboxRows.run(params);
      }
    }
    const ob = this.s.outbox;
    for (; i < actions.length; i++) {
      const a = actions[i]!;
      ob.run(a.id, a.lead, a.at, JSON.stringify(a), now);
    }
    if (meta) for (const k of Object.keys(meta)) this.s.setMeta.run(k, meta[k]!);
  }

  /** After a checkpoint: nothing unsaved; the cache is emptied when it grew beyond its limit. */
  private saved(): void {
    for (const e of this.dirty) e.dirty = false;
    this.dirty = [];
    this.changed = false;
    this.logged = 0;
    if (this.entries.size > this.cacheLimit) this.emptyCache();
  }

  private writeLeads(): void {
    const ix = this.ix();
    let leads: string[] = [];
    let dues: (number | null)[] = [];
    const flush = () => {
      const seq = Number(this.s.append.run(JSON.stringify(leads), JSON.stringify(dues), this.writer.view()).lastInsertRowid);
      for (let i = 0; i < leads.length; i++) this.journaled.set(leads[i]!, seq * SLOT + i);
      this.journalRows += leads.length;
      leads = [];
      dues = [];
      this.writer.reset();
    };
    this.writer.reset();
    for (const e of this.dirty) {
      const l = e.lead;
      if (l === undefined) continue; // a timer change for a lead never put: nothing to write
      const lead = e.id;
      const ids = e.ids;
      const due = this.due.get(lead) ?? null;
      if (l.plan === this.plan) {
        this.writer.record(ix, l, ids);
        leads.push(lead);
        dues.push(due);
        if (leads.length === CHUNK) flush();
      } else {
        // a state of another plan than the store's (tests, a store without a plan yet): in the base
        this.s.upsert.run(lead, l.plan, due, this.single.encode(ix, l), JSON.stringify([...ids]));
        this.journaled.delete(lead);
        this.baseEmpty = false;
      }
    }
    if (leads.length > 0) flush();
  }

  /** Folds the journal into `leads`: each journaled lead's latest record (inside a transaction). */
  private foldJournal(): void {
    if (this.journalRows === 0) return;
    const up = this.s.upsert;
    // in pages of chunks: the connection cannot write while a statement iterates
    for (let after = 0; ; ) {
      const rows = this.s.chunks.all(after) as [number, string, string, Uint8Array][];
      if (rows.length === 0) break;
      for (const [seq, leadsText, duesText, records] of rows) {
        const leads = JSON.parse(leadsText) as string[];
        const dues = JSON.parse(duesText) as (number | null)[];
        readRecords(records, (i, state, seen) => {
          if (this.journaled.get(leads[i]!) === seq * SLOT + i) {
            up.run(leads[i]!, this.plan, dues[i]!, state, JSON.stringify(seen()));
            this.baseEmpty = false;
          }
        });
        after = seq;
      }
    }
    this.db.exec('DELETE FROM journal');
    this.journaled.clear();
    this.journalRows = 0;
  }

  /**
   * Folds the journal into `leads` now (one transaction): what opening with another plan needs first
   * (migration reads the base). Call with no uncommitted changes.
   */
  compactJournal(): void {
    if (this.changed || this.dirty.length > 0) throw new Error('changes not checkpointed');
    this.db.transaction(() => this.foldJournal())();
  }

  /**
   * Goes back to the last checkpoint: the cache is emptied, timers are reloaded from the file. The inputs
   * logged since (`loggedUnits`) are still to be replayed by the runtime.
   */
  rollback(): void {
    this.emptyCache();
    this.dirty = [];
    this.changed = false;
    this.loadIndex();
  }

  // --- Metadata, plans ---------------------------------------------------------------------------

  getMeta(key: string): string | undefined {
    return this.s.meta.get(key) as string | undefined;
  }
  setMeta(key: string, value: string): void {
    if (key === 'plan' && value !== this.plan) {
      // the journal's states are of the store's plan: they go to the base (with it) before it changes
      this.foldJournal();
      this.plan = value;
    }
    this.s.setMeta.run(key, value);
  }
  hasLeads(): boolean {
    return this.s.hasLeads.get() === 1;
  }

  /** Drops the in-memory cache (clean states only; call after `commit`). */
  dropCache(): void {
    if (this.changed || this.dirty.length > 0) throw new Error('changes not checkpointed');
    this.emptyCache();
  }

  /** Checkpoints what the input log covers (nothing to replay at the next open), then closes the file. */
  close(): void {
    if (!this.db.open) return;
    try {
      if (!this.changed && this.index !== null) this.checkpoint();
    } finally {
      this.db.close();
    }
  }
}
