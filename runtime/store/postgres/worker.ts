// A worker: owns some of the store's partitions (leases.ts) and applies their inbox events and due
// timers, one unit of work per step, each committed in ONE fenced transaction (commit.ts).
//
// A step: renew the leases (and rebalance) when due; read the clock; read up to `batch` inbox events of
// the held partitions (oldest first); apply them with the runtime (each lead's in `at` order: the batch is
// sorted, stably); if the inbox was drained, run every timer due up to the clock — the clock is read
// BEFORE the inbox, so no event at or before it is still unread (the watermark's promise); commit. `run`
// prepares the next unit while the previous one commits (units still commit in order). The
// runtime is `createRuntime` over the held partitions' leads (lead-cache.ts), so what a worker decides
// is exactly what one in-memory run decides for the same events and instants.
//
// Failures: a refused commit (a lease lost) or any error after the runtime changed something makes the
// worker reload its partitions from the database before the next step (memory may be ahead of what was
// committed; the inbox rows of an uncommitted unit are still there). Connection errors are retried with
// backoff by `run`; other errors stop it.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Plan } from '../../plan-types.js';
import { createRuntime, type Runtime } from '../../engine/runtime.js';
import { Engine } from '../../engine/core.js';
import { summarize, type Measures } from '../../engine/measures.js';
import { emptyMeasuresData, mergeMeasures } from '../../engine/measure-data.js';
import { readMeasures } from './measures.js';
import { compilePlanIndex, type IndexOptions, type PlanIndex } from '../../engine/plan-index.js';
import { toLead } from '../../engine/lead.js';
import { migrateState } from '../migrate.js';
import { StateWriter } from '../state-codec.js';
import { clockOf, type ClockOption } from './clock.js';
import { commitUnit, encodeLeads, type Unit } from './commit.js';
import { FencedError, PgStoreError, isTransient, reasonOf } from './errors.js';
import { readInbox } from './inbox.js';
import { LeadCache } from './lead-cache.js';
import { Leases, type LeaseOptions } from './leases.js';
import { sleep, type RetryOptions } from './retry.js';
import { decodeRow, type PgStore } from './store.js';

export interface WorkerOptions extends LeaseOptions, IndexOptions {
  /** The worker's name in the lease table (default host-pid-random). */
  id?: string;
  clock?: ClockOption;
  /** Inbox events per unit of work (default 10,000). */
  batch?: number;
  /** Sleep when a step found nothing to do (ms, default 100). */
  pollMs?: number;
  /** Backoff of `run` on connection errors (default: 10 consecutive failures, delays doubling to 5 s). */
  retry?: RetryOptions;
  /** Progress and retry messages (default: none). */
  log?: (line: string) => void;
}

export interface StepResult {
  events: number;
  timers: number;
  actions: number;
  /** Inbox rows left after this one: more to read at once. */
  full: boolean;
}

/** A unit of work ready to commit (`unit` null: nothing to commit). */
interface Prepared {
  unit: Unit | null;
  records: Buffer[];
  result: StepResult;
}

export interface WorkerStats {
  events: number;
  timers: number;
  actions: number;
  commits: number;
  /** Commits refused by fencing (a lease lost). */
  fenced: number;
  /** Reloads of the held partitions after a refused or failed unit. */
  reloads: number;
  /** Milliseconds spent reading the inbox, applying (engine and encoding), committing. */
  readMs: number;
  applyMs: number;
  commitMs: number;
}

export class Worker {
  readonly index: PlanIndex;
  readonly leases: Leases;
  readonly stats: WorkerStats = { events: 0, timers: 0, actions: 0, commits: 0, fenced: 0, reloads: 0, readMs: 0, applyMs: 0, commitMs: 0 };
  private cache: LeadCache;
  private rt: Runtime;
  private readonly now: () => Promise<number>;
  private readonly batch: number;
  private readonly writer = new StateWriter();
  private readonly engine: Engine;
  /** Migrations of the leads loaded since the last commit (written with it). */
  private migrations: Unit['migrations'] = [];
  private oldPlans = new Map<string, PlanIndex>();
  /** Memory may be ahead of the database: reload before the next step. */
  private stale = false;
  private stopping = false;

  constructor(
    readonly store: PgStore,
    plan: Plan,
    private readonly options: WorkerOptions = {},
  ) {
    this.index = compilePlanIndex(plan, options);
    this.engine = new Engine(this.index);
    this.leases = new Leases(store.pool, options.id ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`, store.partitions, options);
    this.now = clockOf(options.clock, store);
    this.batch = options.batch ?? 10_000;
    this.cache = new LeadCache(this.index, store.partitions);
    this.rt = this.runtime();
  }

  /** Makes the worker's plan the store's (kept for migrations). Call once before the first step. */
  async start(): Promise<void> {
    await this.store.usePlan(this.index.plan);
  }

  get id(): string {
    return this.leases.worker;
  }

  private runtime(): Runtime {
    return createRuntime(this.index, { store: this.cache, audit: 'off', holdout: this.options.holdout, keepSendLog: this.options.keepSendLog });
  }

  /** Reads the leads of `parts` into the cache, migrating those of another plan version. */
  private async load(parts: number[]): Promise<void> {
    if (parts.length === 0) return;
    const ix = this.index;
    const hash = ix.plan.source.hash;
    for (const row of await this.store.leadRows(parts)) {
      let decoded;
      try {
        decoded = decodeRow(row);
      } catch (e) {
        throw new PgStoreError(`lead ${row.id}: its stored state cannot be read (${reasonOf(e)})`);
      }
      let state = decoded.state;
      let due = row.due;
      const moved = row.plan !== hash;
      if (moved) {
        const old = await this.oldPlan(row.plan, row.id);
        const report: Parameters<typeof migrateState>[3] = [];
        state = migrateState(old, ix, state, report);
        const d = this.engine.nextDue(state);
        due = d === Infinity ? null : d;
        for (const entry of report) this.migrations.push({ at: state.c, entry });
      }
      this.cache.load(row.id, row.part, toLead(ix, state), decoded.seen, due, moved);
    }
  }

  private async oldPlan(hash: string, lead: string): Promise<PlanIndex> {
    let ix = this.oldPlans.get(hash);
    if (ix === undefined) {
      const plan = await this.store.plan(hash);
      if (plan === undefined) throw new PgStoreError(`lead ${lead}: its plan ${hash} is not in the store; cannot migrate`);
      ix = compilePlanIndex(plan, this.options);
      this.oldPlans.set(hash, ix);
    }
    return ix;
  }

  /** Empties the cache and reads every held partition again (after a refused or failed unit). */
  private async reload(): Promise<void> {
    this.stats.reloads++;
    this.cache = new LeadCache(this.index, this.store.partitions);
    this.migrations = [];
    this.rt.drainActions();
    await this.load(this.leases.parts);
    this.rt = this.runtime();
    this.stale = false;
  }

  /** Renews the leases and takes or gives partitions; the runtime is rebuilt when the held set changed. */
  private async maintain(): Promise<void> {
    const change = await this.leases.maintain();
    const gone = [...change.lost, ...change.released];
    if (gone.length > 0) this.cache.drop(new Set(gone));
    if (change.gained.length > 0) {
      this.stale = true; // until the new partitions are loaded
      await this.load(change.gained);
      this.stale = false;
    }
    if (gone.length > 0 || change.gained.length > 0) {
      this.rt = this.runtime(); // its timer heap from the cache's leads
      this.options.log?.(
        `${this.id}: partitions +${change.gained.length} -${change.lost.length} lost -${change.released.length} released, holding ${this.leases.held.size}`,
      );
    }
  }

  /** One unit of work (see the header), committed before it returns. */
  async step(): Promise<StepResult> {
    const p = await this.prepare([]);
    if (p.unit !== null) await this.commit(p);
    return p.result;
  }

  /**
   * A unit of work up to its commit: the leases maintained, the inbox read (leaving out `inFlight`, the
   * rows of a unit still committing), the events and timers applied, the changed leads encoded. The cache
   * then counts them as written: if their commit fails, the worker reloads (`stale`).
   */
  private async prepare(inFlight: readonly number[]): Promise<Prepared> {
    if (this.stale) await this.reload();
    if (this.leases.due && inFlight.length === 0) await this.maintain(); // (run settles a unit in flight first)
    const parts = this.leases.parts;
    const idle = { unit: null, records: [], result: { events: 0, timers: 0, actions: 0, full: false } };
    if (parts.length === 0) return idle;
    const until = await this.now();
    const t0 = performance.now();
    const rows = await readInbox(this.store.pool, parts, this.batch, inFlight);
    const t1 = performance.now();
    this.stats.readMs += t1 - t0;
    this.stale = true; // from here on the runtime changes leads
    const unit: Unit = { leads: [], actions: [], consumed: [], rejected: [], migrations: this.migrations, measures: emptyMeasuresData() };
    const events: unknown[] = [];
    const parsed: { seq: number; event: string }[] = [];
    for (const row of rows) {
      unit.consumed.push(row.seq);
      try {
        events.push(JSON.parse(row.event));
        parsed.push(row);
      } catch (e) {
        unit.rejected.push({ seq: row.seq, lead: null, reason: `not JSON: ${reasonOf(e)}`, event: row.event });
      }
    }
    const rt = this.rt;
    if (unit.rejected.length > 0) rt.countRejected(unit.rejected.length);
    const result = events.length > 0 ? rt.ingestBatch(events) : null;
    if (result) for (const r of result.rejected) unit.rejected.push({ seq: parsed[r.index]!.seq, lead: r.lead, reason: r.reason, event: parsed[r.index]!.event });
    const full = rows.length >= this.batch;
    const timers = !full && Number.isFinite(until) ? rt.advanceTo(until) : 0;
    unit.actions = rt.drainActions();
    if (rows.length === 0 && !this.cache.pending && unit.actions.length === 0 && unit.migrations.length === 0) {
      this.stale = false;
      return { ...idle, result: { ...idle.result, timers } };
    }
    unit.leads = this.cache.changed();
    unit.measures = rt.takeMeasures();
    const records = encodeLeads(this.index, unit.leads, this.writer);
    this.cache.committed();
    this.migrations = [];
    this.stale = false; // until its commit fails
    this.stats.applyMs += performance.now() - t1;
    return { unit, records, result: { events: rows.length, timers, actions: unit.actions.length, full } };
  }

  /** Commits a prepared unit in one fenced transaction (commit.ts). */
  private async commit(p: Prepared): Promise<void> {
    const unit = p.unit!;
    const t0 = performance.now();
    const [parts, epochs] = this.leases.fence();
    const client = await this.store.pool.connect();
    let broken: Error | undefined;
    try {
      await commitUnit(client, this.index, { worker: this.id, parts, epochs, leaseMs: this.leases.leaseMs, plan: this.index.plan.source.hash }, unit, p.records);
    } catch (e) {
      this.stale = true;
      if (isTransient(e)) broken = e as Error; // the connection is not reused
      if (e instanceof FencedError) {
        this.stats.fenced++;
        this.leases.forget(e.lost);
        this.options.log?.(`${this.id}: ${e.message}; reloading the partitions it still holds`);
      }
      throw e;
    } finally {
      client.release(broken);
    }
    this.stats.commitMs += performance.now() - t0;
    this.stats.commits++;
    this.stats.events += p.result.events;
    this.stats.timers += p.result.timers;
    this.stats.actions += p.result.actions;
  }

  /**
   * Steps until `stop()` (or, with `untilIdle`, until a step finds nothing to do): sleeps `pollMs` when
   * idle. A unit is prepared while the previous one commits (the worker's CPU and the server's overlap);
   * units still commit one after the other, and lease maintenance waits for the unit in flight. On
   * connection errors it retries with backoff, giving up after `retry.attempts` failures in a row; a
   * refused commit (lease lost) is not an error: the worker goes on with what it still holds.
   */
  async run(untilIdle = false): Promise<void> {
    const attempts = this.options.retry?.attempts ?? 10;
    let failures = 0;
    let inFlight: { done: Promise<void>; seqs: number[] } | null = null;
    const settle = async () => {
      const f = inFlight;
      inFlight = null;
      if (f) await f.done;
    };
    while (!this.stopping) {
      let r: StepResult;
      try {
        if (inFlight !== null && (this.stale || this.leases.due)) await settle();
        const p = await this.prepare(inFlight?.seqs ?? []);
        await settle(); // the previous unit first: units commit in order
        if (p.unit !== null) {
          const done = this.commit(p);
          done.catch(() => undefined); // awaited by settle()
          inFlight = { done, seqs: p.unit.consumed };
        }
        r = p.result;
        if (r.events === 0 && !r.full) await settle();
        failures = 0;
      } catch (e) {
        await settle().catch(() => undefined);
        this.stale = true; // what was prepared on top of a failed unit is not in the database
        if (e instanceof FencedError) continue;
        if (!isTransient(e)) throw e;
        failures++;
        if (failures >= attempts) throw new PgStoreError(`the database is unreachable (${failures} attempts): ${reasonOf(e)}`);
        const delay = Math.min(this.options.retry?.maxDelayMs ?? 5000, (this.options.retry?.baseDelayMs ?? 100) * 2 ** (failures - 1));
        this.options.log?.(`${this.id}: ${reasonOf(e)}; retrying in ${Math.round(delay)} ms (attempt ${failures + 1} of ${attempts})`);
        await sleep(delay);
        continue;
      }
      if (r.events === 0 && !r.full) {
        if (untilIdle && r.timers === 0 && r.actions === 0) return;
        if (r.events === 0 && r.timers === 0) await sleep(this.options.pollMs ?? 100);
      }
    }
    await settle();
  }

  /** The measures (LANGUAGE.md §9) of the store: every worker's committed work, and this one's not committed yet. */
  async measures(): Promise<Measures> {
    const stored = await readMeasures(this.store.pool);
    return summarize(this.index, mergeMeasures(stored, this.rt.takeMeasures(true)));
  }

  /** Ends `run` after its current step. */
  stop(): void {
    this.stopping = true;
  }

  /** Gives the partitions up (others take them at once) and leaves the worker table. */
  async close(): Promise<void> {
    this.stopping = true;
    if (!this.stale) await this.leases.releaseAll().catch(() => undefined);
  }
}

/** Opens nothing: a worker over an open store, its plan made the store's. */
export async function startWorker(store: PgStore, plan: Plan, options: WorkerOptions = {}): Promise<Worker> {
  const w = new Worker(store, plan, options);
  await w.start();
  return w;
}
