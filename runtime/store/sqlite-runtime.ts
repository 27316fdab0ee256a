// `openSqliteRuntime(plan, file, options)`: the host API of `createRuntime`, durable.
//
// Every call that changes state (`ingest`, `ingestBatch`, `ingestValidated`, `advanceTo`, `setHoldout`)
// is ONE unit of work: the engine runs against the store's write-back cache, then the inputs it applied
// (input-log.ts), the actions it produced (outbox) and the caller's metadata are written in one SQLite
// transaction; every `checkpointEvery` inputs (and on close) the changed lead states, timers and processed
// ids are written instead and the log is emptied. A crash loses at most the unit of work in progress: on
// restart the inputs logged since the last checkpoint are replayed (same states, same action ids; their
// actions are already in the outbox) and un-acknowledged outbox actions are handed out again (same ids).
import type { Plan } from '../plan-types.js';
import { createRuntime, type BatchResult, type IngestResult, type Runtime, type RuntimeOptions } from '../engine/runtime.js';
import type { AuditRecord, RuntimeAction } from '../engine/core.js';
import type { LeadEvent } from '../engine/events.js';
import type { Measures } from '../engine/measures.js';
import { emptyMeasuresData, type MeasuresData } from '../engine/measure-data.js';
import { compilePlanIndex, type PlanIndex } from '../engine/plan-index.js';
import { Engine } from '../engine/core.js';
import type { LeadState } from '../engine/state.js';
import { toLead } from '../engine/lead.js';
import { MAX_INSTANT } from '../engine/time.js';
import { DamagedStoreError, readStoredState, SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
import { StateWriter } from './state-codec.js';
import { Outbox } from './outbox.js';
import { InputLog, replayInputs } from './input-log.js';
import { migrateState, type MigrationEntry } from './migrate.js';

export interface SqliteRuntimeOptions extends Omit<RuntimeOptions, 'store'>, SqliteStoreOptions {
  /**
   * Keep the actions of this process for `drainActions()` as `createRuntime` does (default true). A
   * host that delivers from the outbox can turn it off so that memory stays flat.
   */
  queueActions?: boolean;
}

/** Metadata written atomically with a unit of work (e.g. the host's input position). */
export type UnitMeta = Readonly<Record<string, string>>;

export interface SqliteRuntime extends Runtime {
  readonly store: SqliteStore;
  readonly outbox: Outbox;
  /** Leads moved when this plan was loaded over states of another plan (empty when nothing moved). */
  readonly migration: MigrationEntry[];
  /** Inputs replayed from the input log when the file was opened (the last run stopped without closing it), or 0. */
  readonly recovered: number;
  ingest(event: unknown, meta?: UnitMeta): IngestResult;
  ingestBatch(events: readonly unknown[], meta?: UnitMeta): BatchResult;
  ingestValidated(event: LeadEvent, meta?: UnitMeta): IngestResult;
  advanceTo(t: number | string, meta?: UnitMeta): number;
  /**
   * Groups several calls into ONE unit of work (one transaction): e.g. `nurture simulate` applying events
   * one by one with `advanceTo` + `ingest`, committed every N events. Nested calls join the
   * outermost unit. An exception rolls the whole unit back.
   */
  transaction<T>(fn: () => T, meta?: UnitMeta): T;
  /** Metadata written by a unit of work (`meta` argument), or undefined. */
  meta(key: string): string | undefined;
  close(): void;
}

/**
 * Opens (or creates) the SQLite store `file` for `plan` and returns a durable runtime. When the store holds
 * states of another plan version, they are migrated first (see migrate.ts; the report is `migration`).
 */
export function openSqliteRuntime(plan: Plan, file: string, options: SqliteRuntimeOptions = {}): SqliteRuntime {
  const store = new SqliteStore(file, options);
  try {
    const ix = compilePlanIndex(plan, options);
    const recovered = store.loggedInputs > 0 ? recover(store, ix, options) : 0;
    const migration = loadPlan(store, ix);
    store.attach(ix);
    return new SqliteRuntimeHost(ix, store, migration, recovered, options);
  } catch (e) {
    store.close();
    throw e;
  }
}

/** The options of the engine's runtime (the store's own taken out). */
function runtimeOptions(options: SqliteRuntimeOptions): RuntimeOptions {
  const { queueActions: _q, synchronous: _s, cacheLimit: _c, exclusive: _e, busyTimeoutMs: _b, journalLimit: _j, checkpointEvery: _k, ...rt } = options;
  return rt;
}

/** Replays the inputs logged since the last checkpoint over the store's states (attached to `ix`, their plan); returns how many. */
function replayLog(store: SqliteStore, ix: PlanIndex, options: SqliteRuntimeOptions): number {
  const rt = createRuntime(ix, { ...runtimeOptions(options), store, audit: 'off', inputs: null });
  let n = 0;
  for (const [, ops] of store.loggedUnits()) {
    try {
      n += replayInputs(rt, ops);
    } catch (e) {
      if (e instanceof DamagedStoreError) throw e;
      throw new DamagedStoreError(store.file, null, e);
    }
    rt.drainActions(); // written to the outbox with the inputs
  }
  store.markLogged();
  return n;
}

/**
 * After a crash: replays the input log with the plan it was written with (the runtime's, or the one the
 * store ran before, from its `plans` table) and checkpoints, so that a migration to `ix` reads every state.
 */
function recover(store: SqliteStore, ix: PlanIndex, options: SqliteRuntimeOptions): number {
  const hash = store.getMeta('plan') ?? ix.plan.source.hash;
  let logIx = ix;
  if (hash !== ix.plan.source.hash) {
    const text = store.db.prepare('SELECT plan FROM plans WHERE hash = ?').pluck().get(hash) as string | undefined;
    if (text === undefined) throw new Error(`${store.file}: inputs were logged with plan ${hash}, which is not in the store`);
    logIx = compilePlanIndex(JSON.parse(text) as Plan, options);
  }
  store.attach(logIx);
  const n = replayLog(store, logIx, options);
  store.checkpoint();
  return n;
}

/** Records the plan in the store; migrates the states of other plan versions (one transaction). */
function loadPlan(store: SqliteStore, ix: PlanIndex): MigrationEntry[] {
  const db = store.db;
  const hash = ix.plan.source.hash;
  const report: MigrationEntry[] = [];
  db.transaction(() => {
    db.prepare('INSERT OR IGNORE INTO plans (hash, plan, first_loaded) VALUES (?, ?, ?)').run(hash, JSON.stringify(ix.plan), Date.now());
    const current = store.getMeta('plan');
    if (current !== undefined && current !== hash) {
      store.compactJournal(); // every state in the base, where the migration reads them
      const plans = new Map<string, PlanIndex | null>();
      const oldIndex = (h: string): PlanIndex | null => {
        if (!plans.has(h)) {
          const text = db.prepare('SELECT plan FROM plans WHERE hash = ?').pluck().get(h) as string | undefined;
          plans.set(h, text === undefined ? null : compilePlanIndex(JSON.parse(text) as Plan));
        }
        return plans.get(h)!;
      };
      const engine = new Engine(ix);
      const update = db.prepare('UPDATE leads SET plan = ?, due = ?, state = ? WHERE id = ?');
      const log = db.prepare('INSERT INTO migrations (at, lead, from_plan, to_plan, journey, step, moved, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
      const writer = new StateWriter();
      const rows = db.prepare('SELECT id, plan, state FROM leads WHERE plan <> ?').raw().all(hash) as [string, string, unknown][];
      for (const [id, from, text] of rows) {
        const old = oldIndex(from);
        if (old === null) throw new Error(`lead ${id}: its plan ${from} is not in the store; cannot migrate`);
        const before = report.length;
        let stored: LeadState;
        try {
          stored = readStoredState(id, from, text);
        } catch (e) {
          throw new DamagedStoreError(store.file, id, e);
        }
        const s: LeadState = migrateState(old, ix, stored, report);
        const due = engine.nextDue(s);
        update.run(hash, due > MAX_INSTANT ? null : due, writer.encode(ix, toLead(ix, s)), id);
        for (let i = before; i < report.length; i++) {
          const r = report[i]!;
          log.run(s.c, r.lead, r.fromPlan, r.toPlan, r.journey, r.step, r.moved, r.reason);
        }
      }
    }
    store.setMeta('plan', hash);
  })();
  store.rollback(); // reload timers from the (possibly migrated) file
  return report;
}

/** A migration move in the lead's audit trail: `exited` (its place no longer exists), `migrated` (kept at a changed step), `stage`. */
function migrationRecord(m: MigrationEntry): AuditRecord {
  const kind = m.moved === 'kept' ? 'migrated' : m.moved;
  return { at: m.at, lead: m.lead, kind, journey: m.journey, step: m.step, subject: m.journey, from: m.fromPlan, to: m.toPlan, rule: 'plan version', loc: null, note: m.reason };
}

class SqliteRuntimeHost implements SqliteRuntime {
  readonly index: PlanIndex;
  readonly store: SqliteStore;
  readonly outbox: Outbox;
  readonly migration: MigrationEntry[];
  readonly recovered: number;
  private inner: Runtime;
  /** The moves of this open's migration, as audit records (§8.6: recorded with the reason). */
  private migrationAudit: AuditRecord[];
  private migrationUndrained: AuditRecord[];
  private queue: RuntimeAction[] = [];
  private queueActions: boolean;
  private depth = 0;
  private pendingMeta: Record<string, string> | null = null;
  /** The inputs of the unit of work in progress (none when the store writes states at every commit). */
  private log: InputLog | null;

  constructor(
    ix: PlanIndex,
    store: SqliteStore,
    migration: MigrationEntry[],
    recovered: number,
    private readonly options: SqliteRuntimeOptions,
  ) {
    this.index = ix;
    this.store = store;
    this.migration = migration;
    this.migrationAudit = migration.map(migrationRecord);
    this.migrationUndrained = this.migrationAudit;
    this.recovered = recovered;
    this.outbox = new Outbox(store.db);
    this.queueActions = options.queueActions ?? true;
    this.log = store.checkpointEvery > 0 ? new InputLog() : null;
    this.inner = this.makeInner();
  }

  private makeInner(): Runtime {
    return createRuntime(this.index, { ...runtimeOptions(this.options), store: this.store, inputs: this.log, storedMeasures: () => this.store.measures.read() });
  }

  get engine() {
    return this.inner.engine;
  }

  /** Runs `fn` as one unit of work: commit on success, roll everything back on an exception. */
  private unit<T>(fn: () => T, meta?: UnitMeta): T {
    if (meta) this.pendingMeta = { ...(this.pendingMeta ?? {}), ...meta };
    if (this.depth > 0) return fn(); // joins the enclosing unit
    this.depth++;
    let r: T;
    try {
      r = fn();
      const actions = this.inner.drainActions();
      const log = this.log;
      // A unit that changed leads without logging an input (e.g. a `store.put`) is checkpointed.
      const inputs = log !== null && (log.size > 0 || !this.store.pending) ? { count: log.size, bytes: log.take() } : undefined;
      this.store.commit(actions, this.pendingMeta ?? undefined, inputs, this.inner.takeMeasures());
      if (this.queueActions) for (const a of actions) this.queue.push(a);
    } catch (e) {
      // Back to the last checkpoint, then forward through the inputs committed since
      this.log?.clear();
      this.store.rollback();
      this.inner.drainActions();
      replayLog(this.store, this.index, this.options);
      this.inner = this.makeInner(); // the timer heap is rebuilt from the store
      throw e;
    } finally {
      this.depth--;
      this.pendingMeta = null;
    }
    return r;
  }

  transaction<T>(fn: () => T, meta?: UnitMeta): T {
    return this.unit(fn, meta);
  }

  ingest(event: unknown, meta?: UnitMeta): IngestResult {
    return this.unit(() => this.inner.ingest(event), meta);
  }
  ingestBatch(events: readonly unknown[], meta?: UnitMeta): BatchResult {
    return this.unit(() => this.inner.ingestBatch(events), meta);
  }
  ingestValidated(event: LeadEvent, meta?: UnitMeta): IngestResult {
    return this.unit(() => this.inner.ingestValidated(event), meta);
  }
  advanceTo(t: number | string, meta?: UnitMeta): number {
    return this.unit(() => this.inner.advanceTo(t), meta);
  }
  nextDue(): number {
    return this.inner.nextDue();
  }
  leadState(id: string): LeadState | undefined {
    return this.inner.leadState(id);
  }
  audit(id: string): AuditRecord[] {
    const moved = this.migrationAudit.filter((r) => r.lead === id);
    return moved.length === 0 ? this.inner.audit(id) : [...moved, ...this.inner.audit(id)];
  }
  drainActions(): RuntimeAction[] {
    const a = this.queue;
    this.queue = [];
    return a;
  }
  drainAudit(): AuditRecord[] {
    const moved = this.migrationUndrained;
    this.migrationUndrained = [];
    return moved.length === 0 ? this.inner.drainAudit() : [...moved, ...this.inner.drainAudit()];
  }
  /** The store's measures: every run's committed work, and this one's since its last commit. */
  measures(): Measures {
    return this.inner.measures();
  }
  /** Nothing: each unit of work hands its measures to the store itself. */
  takeMeasures(): MeasuresData {
    return emptyMeasuresData();
  }
  countRejected(n: number): void {
    this.unit(() => this.inner.countRejected(n));
  }
  setHoldout(lead: string, journey: string, on: boolean): void {
    this.unit(() => this.inner.setHoldout(lead, journey, on));
  }
  meta(key: string): string | undefined {
    return this.store.getMeta(key);
  }
  close(): void {
    this.store.close();
  }
}
