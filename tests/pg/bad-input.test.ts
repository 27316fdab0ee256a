// Bad input at the PostgreSQL edge: a wrong URL, a server that is down or goes down in the middle of a
// run (a clear error, retries with backoff, no partial commit), a schema from a newer nurture, a
// partition count that does not match the store's.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresStore, PG_SCHEMA_VERSION, startWorker, Worker } from '../../runtime/store/postgres/index.js';
import { storeEvents, storePlan, T0 } from '../store/fixture.js';
import { cluster, freshDatabase, pgServer, privateServer, stopPgServer } from './server.js';
import { CLI, compareWithMemory, haveCli, SPACING } from './workers.js';

const server = pgServer();
afterAll(() => stopPgServer());
const quick = { retry: { attempts: 2, baseDelayMs: 10 } };

describe.skipIf(server === null)('PostgreSQL store: bad input', () => {
  it('names what is wrong with a URL, without its password', async () => {
    await expect(openPostgresStore('mysql://x@h/db')).rejects.toThrow('`mysql://x@h/db` is not a postgres:// URL');
    await expect(openPostgresStore('postgres://u@127.0.0.1:5432')).rejects.toThrow('names no database');
    await expect(openPostgresStore('postgres://u:secret@127.0.0.1:1/db', quick)).rejects.toThrow(
      'cannot open the PostgreSQL store postgres://u:***@127.0.0.1:1/db: connection refused (is the server running, and on that host and port?)',
    );
    const u = new URL(server!.url);
    u.pathname = '/no_such_database';
    await expect(openPostgresStore(u.toString(), quick)).rejects.toThrow(/database "no_such_database" does not exist \(create it, or fix the URL\)/);
  });

  it('refuses a schema from a newer nurture, and a partition count other than the store’s', async () => {
    const url = await freshDatabase(server!, 'schema');
    const store = await openPostgresStore(url, { partitions: 16 });
    await store.pool.query("UPDATE nurture_meta SET value = $1 WHERE key = 'schema'", [String(PG_SCHEMA_VERSION + 1)]);
    await store.close();
    await expect(openPostgresStore(url)).rejects.toThrow(
      `the store has schema version ${PG_SCHEMA_VERSION + 1}, newer than this nurture knows (${PG_SCHEMA_VERSION}): run a newer nurture against it`,
    );
    const url2 = await freshDatabase(server!, 'parts');
    await (await openPostgresStore(url2, { partitions: 16 })).close();
    await expect(openPostgresStore(url2, { partitions: 32 })).rejects.toThrow(
      'the store was created with 16 partitions, not 32: the count is fixed at creation (leave it out, or give 16)',
    );
    const again = await openPostgresStore(url2); // the stored count, when none is given
    expect(again.partitions).toBe(16);
    await again.close();
  });

  it('keeps the inbox events a worker rejects, with the reason, and goes on', async () => {
    const url = await freshDatabase(server!, 'rejected');
    const store = await openPostgresStore(url, { partitions: 4 });
    const good = storeEvents(0, 50, 10);
    await expect(store.addEvents(['{"lead": "L1", "at": "broken'])).rejects.toThrow(/^event 0: not JSON/);
    await expect(store.addEvents([{ type: 'visit' }])).rejects.toThrow('event 0: needs a text `lead` (the inbox routes events by lead)');
    await store.addEvents(good.slice(0, 20));
    // a row written by another program, not through addEvents, and an event the plan rejects
    await store.pool.query(`INSERT INTO nurture_inbox (part, lead, event) VALUES (0, 'L1', '{"lead": "L1", "at": "broken')`);
    await store.addEvents([{ lead: 'L2', type: 'nope', at: '2026-01-05T10:00:00Z' }, ...good.slice(20)]);
    const w = await startWorker(store, storePlan(), { clock: () => T0 });
    await w.run(true);
    expect(await store.inboxSize()).toBe(0);
    const rejected = await store.rejected();
    expect(rejected.map((r) => [r.lead, r.reason.replace(/:.*/, '')])).toEqual([
      [null, 'not JSON'],
      ['L2', rejected[1]!.reason.replace(/:.*/, '')],
    ]);
    expect(rejected[1]!.reason).toMatch(/nope/);
    expect((await compareWithMemory(store, 50, 10, T0)).problems).toEqual([]);
    await w.close();
    await store.close();
  });

  it.skipIf(!haveCli)('nurture worker: one clear line and exit 2 when the server is not there', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nurture-badpg-'));
    try {
      const plan = join(dir, 'plan.json');
      writeFileSync(plan, JSON.stringify(storePlan()));
      const r = spawnSync(process.execPath, [CLI, 'worker', plan, '--db', 'postgres://nurture:pw@127.0.0.1:1/nurture'], { encoding: 'utf8', timeout: 60_000 });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/cannot open the PostgreSQL store postgres:\/\/nurture:\*\*\*@127\.0\.0\.1:1\/nurture: connection refused/);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      const u = spawnSync(process.execPath, [CLI, 'worker', plan, '--db', 'state.db'], { encoding: 'utf8' });
      expect(u.status).toBe(2);
      expect(u.stderr).toMatch(/--db `state.db` is not a postgres:\/\/ URL/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('a server going down mid-run: the worker retries with backoff, resumes from what was committed, loses nothing', async () => {
    const own = privateServer();
    expect(own, 'a private cluster').not.toBeNull();
    try {
      const url = await freshDatabase(own!, 'down');
      const store = await openPostgresStore(url, { partitions: 8, retry: { attempts: 20, baseDelayMs: 50, maxDelayMs: 500 } });
      const feeder = await openPostgresStore(url, { retry: { attempts: 20, baseDelayMs: 50, maxDelayMs: 500 } });
      const LEADS = 1000;
      const TOTAL = 20_000;
      await feeder.addEvents(storeEvents(0, TOTAL, LEADS));
      const until = T0 + TOTAL * SPACING;
      const log: string[] = [];
      const w = await startWorker(store, storePlan(), { clock: () => until, batch: 500, leaseMs: 60_000, retry: { attempts: 30, baseDelayMs: 50, maxDelayMs: 400 }, log: (l) => log.push(l) });
      const running = w.run(true);
      await new Promise((r) => setTimeout(r, 300)); // some units committed
      cluster(own!, 'down');
      await new Promise((r) => setTimeout(r, 1500));
      cluster(own!, 'up');
      await running;
      expect(log.some((l) => /retrying in \d+ ms/.test(l))).toBe(true);
      const { problems } = await compareWithMemory(feeder, TOTAL, LEADS, until);
      expect(problems).toEqual([]);
      // down for good: the worker gives up after its attempts, with the reason
      cluster(own!, 'down');
      await feeder.pool.end().catch(() => undefined);
      const gone = new Worker(store, storePlan(), { clock: () => until, retry: { attempts: 3, baseDelayMs: 50 } });
      await expect(gone.run()).rejects.toThrow(/^the database is unreachable \(3 attempts\): connection refused/);
      await store.pool.end().catch(() => undefined);
    } finally {
      cluster(own!, 'stop');
    }
  }, 120_000);
});
