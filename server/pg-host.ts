// The host over a PostgreSQL store (docs/scaling.md): any number of `nurture serve` processes share one
// database. Each validates the events it receives and adds them to the inbox (one transaction per
// request), and runs a Worker that takes its fair share of the partitions by leases and applies their
// events and due timers on the wall clock. Whichever process receives an event, its partition's owner
// applies it; actions are in the shared outbox, readable from any process.
//
// Plan versions: `deploy` makes the new plan the store's and restarts this process's worker with it; the
// other processes see the change within a second (they poll the store's plan, and a worker still on the
// old plan has its next commit refused) and restart theirs with the store's plan. Leads are migrated by
// their partition's owner as it loads them (§8.6), the moves recorded in nurture_migrations.
import type { Plan } from '../runtime/plan-types.js';
import { compilePlanIndex, type PlanIndex } from '../runtime/engine/plan-index.js';
import { validateEvent } from '../runtime/engine/index.js';
import { decodeRow, PlanChangedError, reasonOf, Worker, type PgStore, type WorkerOptions } from '../runtime/store/postgres/index.js';
import type { PgOutbox } from '../runtime/store/postgres/outbox.js';
import type { DeploySummary, Host, HostStats, IngestAnswer } from './host.js';
import { leadView, type LeadView } from './lead-view.js';

export interface PgHostOptions {
  worker?: Omit<WorkerOptions, 'clock' | 'log'>;
  /** How often the store's plan is compared with this process's (ms, default 1000). */
  planPollMs?: number;
  log: { info(msg: string): void; error(msg: string): void };
  /** The worker stopped for good (the store refused it, or the database stayed unreachable). */
  onFatal(e: unknown): void;
}

export async function openPgHost(store: PgStore, plan: Plan, options: PgHostOptions): Promise<PgHost> {
  const host = new PgHost(store, plan, options);
  await host.start();
  return host;
}

export class PgHost implements Host {
  readonly kind = 'postgres';
  readonly outbox: PgOutbox;
  private ix: PlanIndex;
  private worker: Worker;
  private running: Promise<void> = Promise.resolve();
  private closing = false;
  private switching: Promise<void> | null = null;
  private listeners: ((actions: Map<string, number>) => void)[] = [];
  private indexes = new Map<string, PlanIndex>();
  private seenActions = 0;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    readonly store: PgStore,
    plan: Plan,
    private readonly options: PgHostOptions,
  ) {
    this.outbox = store.outbox;
    this.ix = compilePlanIndex(plan);
    this.worker = this.newWorker();
  }

  private newWorker(): Worker {
    return new Worker(this.store, this.ix.plan, { ...this.options.worker, clock: 'wall', log: (line) => this.options.log.info(line) });
  }

  async start(): Promise<void> {
    await this.worker.start();
    this.launch();
    // the worker's commits are not announced: its action count is watched instead
    this.timers.push(
      setInterval(() => {
        const n = this.worker.stats.actions;
        if (n > this.seenActions) {
          const delta = new Map([['any', n - this.seenActions]]);
          this.seenActions = n;
          for (const l of this.listeners) l(delta);
        }
      }, 20),
    );
    this.timers.push(setInterval(() => void this.followStorePlan(), this.options.planPollMs ?? 1000));
  }

  /** Runs the current worker until it stops; a plan change restarts it with the store's plan. */
  private launch(): void {
    const w = this.worker;
    this.running = w.run().catch(async (e: unknown) => {
      if (this.closing || w !== this.worker) return;
      if (e instanceof PlanChangedError) {
        this.options.log.info(`${e.message}; following the store's plan`);
        return this.followStorePlan();
      }
      this.options.log.error(`the worker stopped: ${reasonOf(e)}`);
      this.options.onFatal(e);
    });
  }

  /** When the store runs another plan than this process: restart the worker with it. */
  private async followStorePlan(): Promise<void> {
    if (this.closing || this.switching) return;
    try {
      const hash = await this.store.meta('plan');
      if (hash === undefined || hash === this.ix.plan.source.hash) return;
      const plan = await this.store.plan(hash);
      if (plan === undefined) return;
      await this.switchTo(plan);
      this.options.log.info(`now running plan ${hash} (deployed by another process)`);
    } catch (e) {
      this.options.log.error(`could not follow the store's plan: ${reasonOf(e)}`);
    }
  }

  private async switchTo(plan: Plan): Promise<void> {
    const ix = compilePlanIndex(plan);
    const run = async () => {
      const old = this.worker;
      old.stop();
      await this.running;
      await old.close();
      this.ix = ix;
      this.seenActions = 0;
      this.worker = this.newWorker();
      await this.worker.start();
      this.launch();
    };
    this.switching = run();
    try {
      await this.switching;
    } finally {
      this.switching = null;
    }
  }

  index(): PlanIndex {
    return this.ix;
  }

  onCommit(listener: (actions: Map<string, number>) => void): void {
    this.listeners.push(listener);
  }

  async ingest(items: readonly unknown[], preRejected: ReadonlyMap<number, string>): Promise<IngestAnswer> {
    const answer: IngestAnswer = { accepted: [], duplicates: [], late: [], rejected: [], queued: true };
    const ix = this.ix;
    const valid: unknown[] = [];
    items.forEach((item, index) => {
      const pre = preRejected.get(index);
      const v = pre === undefined ? validateEvent(ix, item) : { ok: false as const, reason: pre };
      if (v.ok) {
        valid.push(item);
        answer.accepted.push(index);
      } else answer.rejected.push({ index, reason: v.reason });
    });
    if (valid.length > 0) await this.store.addEvents(valid);
    return answer;
  }

  tick(): number {
    return 0; // the worker runs the due timers of its partitions on its own (wall clock)
  }

  nextDue(): number {
    return Infinity;
  }

  private async indexOf(hash: string): Promise<PlanIndex | undefined> {
    if (hash === this.ix.plan.source.hash) return this.ix;
    let ix = this.indexes.get(hash);
    if (ix === undefined) {
      const plan = await this.store.plan(hash);
      if (plan === undefined) return undefined;
      this.indexes.set(hash, (ix = compilePlanIndex(plan)));
    }
    return ix;
  }

  async lead(id: string): Promise<LeadView | undefined> {
    const r = await this.store.pool.query({ text: 'SELECT id, part, plan, due::float8, record FROM nurture_leads WHERE id = $1', values: [id], rowMode: 'array' });
    const row = r.rows[0] as [string, number, string, number | null, Buffer] | undefined;
    if (row === undefined) return undefined;
    const [, part, plan, due, record] = row;
    const ix = await this.indexOf(plan);
    if (ix === undefined) return undefined;
    return leadView(ix, decodeRow({ id, part, plan, due, record }).state);
  }

  async audit(): Promise<null> {
    return null; // workers keep no audit trail (docs/scaling.md)
  }

  async deploy(plan: Plan): Promise<DeploySummary> {
    const from = this.ix.plan.source.hash;
    const to = plan.source.hash;
    if (from === to) return { from, to, changed: false, migrated: 0, moves: [], note: 'the store already runs this plan: nothing to do' };
    while (this.switching) await this.switching;
    await this.store.usePlan(plan);
    await this.switchTo(plan);
    return {
      from,
      to,
      changed: true,
      migrated: null,
      moves: [],
      note: "every serve process now runs the new plan (the others within a second); each lead is migrated by its partition's owner when it loads the partition, the moves recorded in nurture_migrations (LANGUAGE.md §8.6)",
    };
  }

  async stats(): Promise<HostStats> {
    return { nextDue: null, inbox: await this.store.inboxSize() };
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const t of this.timers) clearInterval(t);
    while (this.switching) await this.switching;
    this.worker.stop();
    await this.running;
    await this.worker.close();
    await this.store.close();
  }
}
