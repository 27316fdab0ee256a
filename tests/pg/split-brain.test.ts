// Split brain: a worker paused past its lease while another takes its partitions over must commit
// nothing when it resumes (every commit checks the lease epoch in its own transaction), and the result
// must still equal one in-memory run. First in-process, deterministically (the paused worker is held
// inside a step, between its lease check and its commit), then with real processes (SIGSTOP/SIGCONT).
import { afterAll, describe, expect, it } from 'vitest';
import { FencedError, openPostgresStore, startWorker } from '../../runtime/store/postgres/index.js';
import { DAY } from '../runtime/helpers.js';
import { storeEvents, T0 } from '../store/fixture.js';
import { freshDatabase, pgServer, stopPgServer } from './server.js';
import { compareWithMemory, Deployment, feed, haveCli, settled, SPACING } from './workers.js';

const server = pgServer();
afterAll(() => stopPgServer());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(server === null)('split brain', () => {
  it('refuses the late commit of a worker paused past its lease (in process, deterministic)', async () => {
    const url = await freshDatabase(server!, 'fence');
    const storeA = await openPostgresStore(url, { partitions: 8 });
    const storeB = await openPostgresStore(url);
    const LEADS = 500;
    const at = (i: number) => T0 + i * SPACING;
    try {
      let hold: Promise<void> | null = null;
      let clockA = -Infinity;
      const a = await startWorker(storeA, (await import('../store/fixture.js')).storePlan(), {
        id: 'A',
        leaseMs: 400,
        renewMs: 60_000, // A does not renew on its own: only its commits would
        clock: async () => {
          if (hold) await hold;
          return clockA;
        },
      });
      const b = await startWorker(storeB, (await import('../store/fixture.js')).storePlan(), { id: 'B', leaseMs: 400, clock: () => clockA });
      await storeA.addEvents(storeEvents(0, 2000, LEADS));
      clockA = at(1999);
      await a.step();
      expect(a.leases.held.size).toBe(8);
      // A is paused inside its next step (at its clock), its leases still valid in its own view
      let resume!: () => void;
      hold = new Promise((r) => (resume = r));
      const paused = a.step();
      await sleep(700); // past A's lease
      await b.step(); // B's share: every partition, expired → taken with a new epoch
      expect(b.leases.held.size).toBe(8);
      await storeA.addEvents(storeEvents(2000, 3000, LEADS));
      clockA = at(2999);
      resume(); // A reads the new events and tries to commit them
      await expect(paused).rejects.toBeInstanceOf(FencedError);
      expect(a.stats.fenced).toBe(1);
      expect(await storeA.inboxSize()).toBe(1000); // nothing of A's unit was written
      await b.run(true);
      await a.step(); // A reloads, renews: it holds nothing any more (B's leases are live)
      expect(a.leases.held.size).toBe(0);
      const { problems } = await compareWithMemory(storeA, 3000, LEADS, at(2999));
      expect(problems).toEqual([]);
      await a.close();
      await b.close();
    } finally {
      await storeA.close();
      await storeB.close();
    }
  });

  it.skipIf(!haveCli)('a SIGSTOPped worker resumed after a takeover commits nothing late; the result equals the in-memory run', async () => {
    const url = await freshDatabase(server!, 'sigstop');
    const store = await openPostgresStore(url, { partitions: 32 });
    const TOTAL = 60_000;
    const LEADS = 6_000;
    const d = new Deployment(url, 2, 1000);
    try {
      d.startAll();
      let chunks = 0;
      await feed(store, TOTAL, LEADS, 3000, async () => {
        if (++chunks !== 8) return;
        // worker 0 is busy with the chunk just added: stop it, let worker 1 take everything over, resume it
        d.procs[0]!.kill('SIGSTOP');
        await sleep(3500);
        d.procs[0]!.kill('SIGCONT');
      });
      const until = T0 + TOTAL * SPACING + 30 * DAY;
      await store.setWatermark(until);
      await settled(store, until, d, 120_000);
      const { problems } = await compareWithMemory(store, TOTAL, LEADS, until);
      expect(problems).toEqual([]);
      await d.stopAll();
      const log0 = d.logs.filter((l) => l.startsWith('[w0]')).join('');
      expect(log0).toMatch(/lease lost .*commit refused|\d+ lost/);
    } finally {
      await d.stopAll();
      await store.close();
    }
  }, 180_000);
});
