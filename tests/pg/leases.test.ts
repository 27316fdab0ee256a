// Sharing partitions: a worker that joins gets its fair share while the others keep committing, and the
// partitions of a worker that stops renewing (dead) are taken over within its lease plus a renewal.
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresStore, Worker } from '../../runtime/store/postgres/index.js';
import { DEAD_ROW_LEASES } from '../../runtime/store/postgres/leases.js';
import { storeEvents, storePlan, T0 } from '../store/fixture.js';
import { freshDatabase, pgServer, stopPgServer } from './server.js';
import { compareWithMemory, SPACING } from './workers.js';

const server = pgServer();
afterAll(() => stopPgServer());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, cond: () => boolean, ms: number): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`not within ${ms} ms: ${what}`);
    await sleep(10);
  }
}

describe.skipIf(server === null)('leases', () => {
  it('a joining worker gets its fair share without stopping the busy one; a dead one’s partitions are taken over in bounded time', async () => {
    const url = await freshDatabase(server!, 'leases');
    const sa = await openPostgresStore(url, { partitions: 16 });
    const sb = await openPostgresStore(url);
    const TOTAL = 40_000;
    const LEADS = 2_000;
    const end = T0 + (TOTAL - 1) * SPACING;
    const opts = { clock: () => end, batch: 300, leaseMs: 800, renewMs: 100, pollMs: 5 };
    await sa.addEvents(storeEvents(0, TOTAL, LEADS));
    const a = new Worker(sa, storePlan(), { ...opts, id: 'A' });
    const b = new Worker(sb, storePlan(), { ...opts, id: 'B' });
    await a.start();
    const runA = a.run();
    await until('A holds every partition', () => a.leases.held.size === 16 && a.stats.commits > 2, 20_000);
    const runB = b.run();
    await until('B holds half', () => b.leases.held.size === 8, 5_000);
    const commitsA = a.stats.commits;
    await until('A goes on committing', () => a.stats.commits > commitsA, 5_000);
    expect(a.leases.held.size).toBe(8);
    expect(await sa.inboxSize()).toBeGreaterThan(0); // the handover happened while there was work
    // A dies: it stops without giving its partitions up (no close), so they expire
    a.stop();
    await runA;
    const t0 = Date.now();
    await until('B takes A’s partitions over', () => b.leases.held.size === 16, 5_000);
    const took = Date.now() - t0;
    expect(took).toBeLessThan(opts.leaseMs + 2 * opts.renewMs + 1000); // bounded: the lease, a renewal, slack for a loaded machine
    while ((await sb.inboxSize()) > 0) await sleep(50);
    b.stop();
    await runB;
    const { problems } = await compareWithMemory(sb, TOTAL, LEADS, end);
    expect(problems).toEqual([]);
    await b.close();
    await sa.close();
    await sb.close();
  }, 60_000);

  it('removes the rows of workers dead for ten leases, and no other', async () => {
    const url = await freshDatabase(server!, 'dead_rows');
    const store = await openPostgresStore(url, { partitions: 4 });
    const leaseMs = 1000;
    // three processes gone without a word (SIGKILL): long ago, just past the limit, recently
    await store.pool.query(
      `INSERT INTO nurture_workers (id, expires) VALUES
         ('long-gone', now() - interval '1 day'),
         ('past-limit', now() - $1 * interval '1 millisecond'),
         ('recent', now() - interval '2 seconds')`,
      [(DEAD_ROW_LEASES + 1) * leaseMs],
    );
    const w = new Worker(store, storePlan(), { clock: () => T0, leaseMs, renewMs: 100, pollMs: 5, id: 'W' });
    await w.start();
    await w.step(); // the first step heartbeats and takes its share (Leases.maintain)
    const ids = (await store.pool.query('SELECT id FROM nurture_workers ORDER BY id')).rows.map((r: { id: string }) => r.id);
    expect(ids).toEqual(['W', 'recent']); // a recent one may still be a paused worker coming back
    expect(w.leases.held.size).toBe(4); // and neither counted as live: the only live worker holds all
    await w.close();
    await store.close();
  }, 30_000);
});
