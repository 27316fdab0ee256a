// One conformance suite for every durable store: what SQLite (openSqliteRuntime) and PostgreSQL
// (openPostgresStore + a Worker) both promise, each checked against one in-memory run (createRuntime)
// over the same events and instants — states that survive a close, idempotent event ids, the outbox's
// acknowledgement and redelivery with stable ids, timers of leads that receive no event, and the
// migration of states to another plan version.
import { afterAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../runtime/plan-types.js';
import { createRuntime, type RuntimeAction } from '../../runtime/engine/index.js';
import { compilePlanIndex } from '../../runtime/engine/plan-index.js';
import type { LeadState } from '../../runtime/engine/state.js';
import { migrateState, openSqliteRuntime, type MigrationEntry, type SqliteRuntime } from '../../runtime/store/index.js';
import { openPostgresStore, startWorker, type PgStore, type Worker } from '../../runtime/store/postgres/index.js';
import { A, DAY, S, buildPlan } from '../runtime/helpers.js';
import { T0, storeEvents, storePlan, storeSpec, version } from './fixture.js';
import { tempStores } from './temp-stores.js';
import { freshDatabase, pgServer, stopPgServer } from '../pg/server.js';

/** A durable store under test, driven the same way whatever it is. */
interface Handle {
  /** Applies the events and commits. */
  ingest(events: readonly unknown[]): Promise<void>;
  /** Runs every timer due up to `t` and commits. */
  advanceTo(t: number): Promise<void>;
  /** Every lead's committed state. */
  states(): Promise<Map<string, LeadState>>;
  drain(limit: number): Promise<RuntimeAction[]>;
  ack(ids: string[]): Promise<number>;
  outboxSize(): Promise<number>;
  /** The migration report of the last open (empty when nothing moved). */
  migrations(): Promise<MigrationEntry[]>;
  close(): Promise<void>;
}

interface Subject {
  name: string;
  /** A new empty store; `reopen(plan)` opens it again (after `close`). */
  create(): Promise<(plan: Plan) => Promise<Handle>>;
}

const sqlite: Subject = {
  name: 'SQLite',
  async create() {
    const file = newFile();
    return async (plan) => {
      const rt: SqliteRuntime = openSqliteRuntime(plan, file, { queueActions: false, audit: 'off' });
      return {
        ingest: async (events) => void rt.ingestBatch(events),
        advanceTo: async (t) => void rt.advanceTo(t),
        states: async () => new Map([...rt.store.leads()].map((id) => [id, plain(rt.leadState(id)!)])),
        drain: async (n) => rt.outbox.drain(n).map((e) => e.action),
        ack: async (ids) => rt.outbox.ack(ids),
        outboxSize: async () => rt.outbox.size(),
        migrations: async () => rt.migration,
        close: async () => rt.close(),
      };
    };
  },
};
const newFile = tempStores('conformance');

const server = pgServer();
afterAll(() => stopPgServer());

const postgres: Subject = {
  name: 'PostgreSQL',
  async create() {
    const url = await freshDatabase(server!, 'conf');
    return async (plan) => {
      const store: PgStore = await openPostgresStore(url, { partitions: 16 });
      let now = -Infinity;
      const worker: Worker = await startWorker(store, plan, { clock: () => now, batch: 500, pollMs: 5 });
      const settle = () => worker.run(true);
      await settle(); // takes the partitions, migrates what it loads
      const migrated = (await store.pool.query('SELECT at, lead, from_plan, to_plan, journey, step, moved, reason FROM nurture_migrations ORDER BY seq')).rows;
      return {
        ingest: async (events) => {
          await store.addEvents(events);
          await settle();
        },
        advanceTo: async (t) => {
          now = t;
          await settle();
        },
        states: async () => new Map([...(await store.leadStates())].map(([id, r]) => [id, plain(r.state)])),
        drain: async (n) => (await store.outbox.drain(n)).map((e) => e.action),
        ack: (ids) => store.outbox.ack(ids),
        outboxSize: () => store.outbox.size(),
        migrations: async () =>
          migrated.map((r) => ({ at: Number(r.at), lead: r.lead, fromPlan: r.from_plan, toPlan: r.to_plan, journey: r.journey, step: r.step, moved: r.moved, reason: r.reason })),
        close: async () => {
          await worker.close();
          await store.close();
        },
      };
    };
  },
};

const plain = (s: LeadState): LeadState => JSON.parse(JSON.stringify(s)) as LeadState;

const LEADS = 300;
const events = storeEvents(0, 3000, LEADS);
const END = T0 + 3000 * 6000;

/** The in-memory run: every lead's state and the actions, over `events` then timers up to `until`. */
function reference(plan: Plan, evs: readonly unknown[][], until: number | null) {
  const rt = createRuntime(plan, { audit: 'off' });
  for (const batch of evs) rt.ingestBatch(batch);
  if (until !== null) rt.advanceTo(until);
  const states = new Map([...rt.store.leads()].map((id) => [id, plain(rt.leadState(id)!)]));
  return { states, actions: rt.drainActions() };
}

const sortById = (a: RuntimeAction[]) => [...a].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));

async function drainAll(h: Handle): Promise<RuntimeAction[]> {
  const out: RuntimeAction[] = [];
  for (let got; (got = await h.drain(1000)).length > 0; ) out.push(...got);
  return out;
}

for (const subject of [sqlite, postgres]) {
  describe.skipIf(subject === postgres && server === null)(`store conformance: ${subject.name}`, () => {
    it('keeps every lead state across a close, equal to the in-memory run', async () => {
      const open = await subject.create();
      let h = await open(storePlan());
      await h.ingest(events.slice(0, 1500));
      await h.ingest(events.slice(1500));
      await h.close();
      h = await open(storePlan());
      const ref = reference(storePlan(), [events.slice(0, 1500), events.slice(1500)], null);
      expect(await h.states()).toEqual(ref.states);
      expect(sortById(await drainAll(h))).toEqual(sortById(ref.actions));
      await h.close();
    });

    it('applies an event id once: the same events again change nothing, also after a reopen', async () => {
      const open = await subject.create();
      let h = await open(storePlan());
      await h.ingest(events.slice(0, 1000));
      const before = await h.states();
      const actions = await h.outboxSize();
      await h.ingest(events.slice(0, 1000));
      await h.close();
      h = await open(storePlan());
      await h.ingest(events.slice(500, 1000));
      expect(await h.states()).toEqual(before);
      expect(await h.outboxSize()).toBe(actions);
      await h.close();
    });

    it('hands out every unacknowledged action again after a reopen, with the same ids; acknowledged ones never', async () => {
      const open = await subject.create();
      let h = await open(storePlan());
      await h.ingest(events);
      const first = await drainAll(h);
      expect(first.length).toBeGreaterThan(100);
      const acked = first.filter((_, i) => i % 3 === 0).map((a) => a.id);
      expect(await h.ack(acked)).toBe(acked.length);
      expect(await h.drain(10)).toEqual([]); // handed out already
      await h.close();
      h = await open(storePlan());
      const again = await drainAll(h);
      const ackedSet = new Set(acked);
      expect(again).toEqual(first.filter((a) => !ackedSet.has(a.id)));
      expect(await h.ack(again.map((a) => a.id))).toBe(again.length);
      expect(await h.outboxSize()).toBe(0);
      await h.close();
    });

    it('runs the timers of leads that receive no event, at their instant', async () => {
      const open = await subject.create();
      const h = await open(storePlan());
      await h.ingest(events);
      await h.advanceTo(END + 2 * DAY);
      await h.advanceTo(END + 40 * DAY);
      const ref = reference(storePlan(), [events], null);
      const mem = createRuntime(storePlan(), { audit: 'off' });
      mem.ingestBatch(events);
      mem.advanceTo(END + 2 * DAY);
      mem.advanceTo(END + 40 * DAY);
      const timed = mem.drainActions();
      expect(timed.length).toBeGreaterThan(ref.actions.length); // the timers did something
      expect(sortById(await drainAll(h))).toEqual(sortById(timed));
      expect(await h.states()).toEqual(new Map([...mem.store.leads()].map((id) => [id, plain(mem.leadState(id)!)])));
      await h.close();
    });

    it('migrates the states to another plan version by step key, reporting the leads that left a journey', async () => {
      const v1 = storePlan();
      const v2 = version(buildPlan(storeSpec([S.send('offer'), S.send('welcome'), S.send('tip1'), S.wait(DAY), S.send('tip2'), S.wait(3 * DAY), S.act(A.stage(1))])), 'c');
      const open = await subject.create();
      let h = await open(v1);
      await h.ingest(events.slice(0, 2000));
      await h.close();
      h = await open(v2);
      // the in-memory expectation: v1's states migrated one by one (migrate.ts), then v2 runs on
      const mem = createRuntime(v1, { audit: 'off' });
      mem.ingestBatch(events.slice(0, 2000));
      const ix1 = compilePlanIndex(v1);
      const ix2 = compilePlanIndex(v2);
      const report: MigrationEntry[] = [];
      const mem2 = createRuntime(v2, { audit: 'off' });
      for (const id of [...mem.store.leads()].sort()) mem2.store.put(migrateState(ix1, ix2, plain(mem.leadState(id)!), report));
      expect(report.length).toBeGreaterThan(0);
      // the fields every store reports (a store may add its own, e.g. the instant)
      const byLead = (m: MigrationEntry[]) =>
        m.map(({ lead, fromPlan, toPlan, journey, step, moved, reason }) => ({ lead, fromPlan, toPlan, journey, step, moved, reason })).sort((a, b) => (a.lead < b.lead ? -1 : a.lead > b.lead ? 1 : 0));
      expect(byLead(await h.migrations())).toEqual(byLead(report));
      await h.ingest(events.slice(2000));
      mem2.ingestBatch(events.slice(2000));
      expect(await h.states()).toEqual(new Map([...mem2.store.leads()].map((id) => [id, plain(mem2.leadState(id)!)])));
      await h.close();
    });
  });
}
