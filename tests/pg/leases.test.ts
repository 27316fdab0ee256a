// Sharing partitions: a worker that joins gets its fair share while the others keep committing, and the
// partitions of a worker that stops renewing (dead) are taken over within its lease plus a renewal.
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresStore, Worker } from '../../runtime/store/postgres/index.js';
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
});
