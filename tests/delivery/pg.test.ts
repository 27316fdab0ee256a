// Delivery from a PostgreSQL outbox shared by two deliverers (two serve processes' worth: two pools, two
// apps): each action goes to one deliverer at a time through claims, a dead deliverer's claims expire,
// dead letters are shared; and a store of schema 1 gets the delivery columns when opened.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openPostgresStore, PG_SCHEMA_VERSION, type PgStore } from '../../runtime/store/postgres/index.js';
import { freshDatabase, pgServer, stopPgServer } from '../pg/server.js';
import { oneRun, storeEvents, T0 } from '../store/fixture.js';
import { deliveryApp, receiver, SECRET, TOKENS, until, type Received } from './harness.js';

const server = pgServer();
afterAll(() => stopPgServer());
let cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

/** A fresh store whose outbox holds the actions of `events` fixture events (written as a worker's commit writes them); their ids. */
async function storeWithActions(events: number, leads: number): Promise<{ url: string; store: PgStore; ids: string[] }> {
  const url = await freshDatabase(server!, 'delivery');
  const store = await openPostgresStore(url, { partitions: 4 });
  const actions = oneRun(storeEvents(0, events, leads), T0 + events * 6000 + 10 * 86_400_000);
  await store.pool.query('INSERT INTO nurture_outbox (id, lead, at, action) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[])', [
    actions.map((a) => a.id),
    actions.map((a) => a.lead),
    actions.map((a) => a.at),
    actions.map((a) => JSON.stringify(a)),
  ]);
  return { url, store, ids: actions.map((a) => a.id) };
}

/** `storeWithActions` opened by two processes' worth of stores (two pools), closed after the test. */
async function twoProcesses(events: number, leads: number): Promise<{ a: PgStore; b: PgStore; ids: string[] }> {
  const { url, store: a, ids } = await storeWithActions(events, leads);
  const b = await openPostgresStore(url);
  cleanups.push(
    () => a.close(),
    () => b.close(),
  );
  return { a, b, ids };
}

const webhook = (url: string, more: Record<string, number> = {}) => ({
  url,
  secret: SECRET,
  timeoutMs: 2000,
  maxAttempts: 5,
  minBackoffMs: 20,
  maxBackoffMs: 200,
  ...more,
});
const ok = (rs: Received[], path: string) => rs.filter((r) => r.path === path && typeof r.answer === 'object').flatMap((r) => r.ids);

describe.skipIf(server === null)('delivery from PostgreSQL', () => {
  it('two deliverers share one outbox: every action delivered once, none by both; a dead claimer’s actions come after its claim expires', async () => {
    const { a, b, ids } = await twoProcesses(3000, 300);
    expect(ids.length).toBeGreaterThan(300);
    // a deliverer that died holding a claim of 1.5 s on the first 20 actions
    const claimedAt = Date.now();
    const orphans = (await a.outbox.claim(20, 1500, 'dead-process')).map((e) => e.action.id);
    expect(orphans).toEqual(ids.slice(0, 20));

    const rec = await receiver(() => ({ slowMs: 5 }));
    const one = await deliveryApp({ outbox: a.outbox, webhook: webhook(`${rec.url}/a`, { batchSize: 10 }) });
    const two = await deliveryApp({ outbox: b.outbox, webhook: webhook(`${rec.url}/b`, { batchSize: 10 }) });
    cleanups.push(
      () => rec.close(),
      () => one.close(),
      () => two.close(),
    );
    await until('all delivered', async () => (await a.outbox.size()) === 0, 30_000);

    const byA = ok(rec.requests, '/a');
    const byB = ok(rec.requests, '/b');
    expect([...byA, ...byB].sort()).toEqual([...ids].sort()); // each action once: no duplicate, none lost
    expect(byA.filter((id) => byB.includes(id))).toEqual([]);
    expect(byA.length).toBeGreaterThan(0);
    expect(byB.length).toBeGreaterThan(0);
    const orphanTimes = rec.requests.filter((r) => r.ids.some((id) => orphans.includes(id))).map((r) => r.t);
    expect(Math.min(...orphanTimes) - claimedAt).toBeGreaterThanOrEqual(1500 - 50); // not before the claim expired (server clock vs ours: slack)
    const rows = (await a.pool.query('SELECT count(*)::int AS n FROM nurture_outbox_dead')).rows[0].n;
    expect(rows).toBe(0);
  }, 60_000);

  it('dead letters are shared: buried by one deliverer, listed and retried through the other', async () => {
    const { a, b, ids } = await twoProcesses(400, 80);
    const poison = new Set(ids.slice(0, 5));
    const rec = await receiver(({ ids: got }) => (got.some((id) => poison.has(id)) ? 500 : { slowMs: 1 }));
    const one = await deliveryApp({ outbox: a.outbox, webhook: webhook(`${rec.url}/a`, { batchSize: 1, maxAttempts: 2 }) });
    cleanups.push(
      () => rec.close(),
      () => one.close(),
    );
    await until('the rest delivered, the poison dead', async () => (await a.outbox.size()) === 0 && (await a.outbox.deadCount()) === 5, 30_000);
    expect(new Set(ok(rec.requests, '/a'))).toEqual(new Set(ids.slice(5)));

    const two = await deliveryApp({ outbox: b.outbox }); // a pull-only server: lists and retries
    cleanups.push(() => two.close());
    const dead = await two.call('GET', '/v1/actions/dead', TOKENS.read);
    expect(dead.json.dead.map((d: { action: { id: string } }) => d.action.id)).toEqual(ids.slice(0, 5));
    expect(dead.json.dead.every((d: { attempts: number; error: string }) => d.attempts === 2 && d.error.startsWith('HTTP 500'))).toBe(true);
    poison.clear();
    expect((await two.call('POST', '/v1/actions/dead/retry', TOKENS.admin, { ids: ids.slice(0, 5) })).json).toEqual({ retried: 5 });
    // the pushing deliverer finds them by its poll (the other process cannot wake it)
    await until('retried ones delivered', async () => (await a.outbox.size()) === 0 && (await a.outbox.deadCount()) === 0, 10_000);
    expect(new Set(ok(rec.requests, '/a'))).toEqual(new Set(ids));
  }, 60_000);

  it('a store of schema 1 is upgraded when opened (idempotent): its outbox rows get a delivery state', async () => {
    const { url, store, ids } = await storeWithActions(60, 12);
    // back to schema 1's layout
    await store.pool.query(`DROP TABLE nurture_outbox_dead; DROP INDEX nurture_outbox_ready;
      ALTER TABLE nurture_outbox DROP COLUMN attempts, DROP COLUMN not_before, DROP COLUMN owner, DROP COLUMN error, DROP COLUMN committed;
      UPDATE nurture_meta SET value = '1' WHERE key = 'schema'`);
    await store.close();
    for (let k = 0; k < 2; k++) {
      const again = await openPostgresStore(url);
      expect(await again.meta('schema')).toBe(String(PG_SCHEMA_VERSION));
      const claimed = await again.outbox.claim(3, 1000, 'me');
      expect(claimed.map((e) => e.action.id)).toEqual(ids.slice(3 * k, 3 * k + 3));
      expect(claimed.every((e) => e.attempts === 1 && typeof e.committed === 'number')).toBe(true);
      expect((await again.outbox.ackAged(claimed.map((e) => e.action.id))).removed).toBe(3);
      await again.close();
    }
  });
});
