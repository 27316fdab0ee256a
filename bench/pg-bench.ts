// PostgreSQL store throughput: 1,000,000 events for 100,000 leads (the store fixture of tests/store)
// applied by 1 and by 2 `nurture worker` processes, next to the SQLite store in the same run; the bytes
// of state per lead; and the two drivers (`pg`, `postgres`) on the commit's statements.
//
//   npm run build && node dist/bench/pg-bench.js [EVENTS=1000000] [LEADS=100000] [WORKERS=1,2] [BATCH=10000]
//   (the server: NURTURE_PG_URL, else a throwaway cluster started by scripts/pg-test-cluster.sh)
//
// Timed for PostgreSQL: from the workers' start to the moment the inbox is empty and no timer is due up
// to the watermark (the last event) — reading the inbox, the engine, the fenced commits of state,
// processed ids, timers, outbox and inbox progress; worker start-up (plan load, lease) included. The
// inbox is filled before (its insert rate is printed apart). SQLite: `ingestBatch` over the same events
// in batches of BATCH (openSqliteRuntime, the defaults of docs/host-api.md).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { openSqliteRuntime } from '../runtime/store/index.js';
import { openPostgresStore, type PgStore } from '../runtime/store/postgres/index.js';
import { compilePlanIndex } from '../runtime/engine/plan-index.js';
import { StateWriter } from '../runtime/store/state-codec.js';
import { toLead } from '../runtime/engine/lead.js';
import { createRuntime } from '../runtime/engine/index.js';
import { storeEvents, storePlan, T0 } from '../tests/store/fixture.js';
import { CLI } from '../tests/pg/workers.js';
import { freshDatabase, pgServer, stopPgServer } from '../tests/pg/server.js';

const EVENTS = Number(process.argv[2] ?? 1_000_000);
const LEADS = Number(process.argv[3] ?? 100_000);
const WORKERS = (process.argv[4] ?? '1,2').split(',').map(Number);
const BATCH = Number(process.argv[5] ?? 10_000);
const SPACING = 6_000;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function fill(store: PgStore): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < EVENTS; i += 50_000) await store.addEvents(storeEvents(i, Math.min(EVENTS, i + 50_000), LEADS, SPACING));
  await store.setWatermark(T0 + (EVENTS - 1) * SPACING);
  return performance.now() - t0;
}

/** CPU time (ms) of every process of the PostgreSQL server (its owner's processes: the user `nurture-pg` or the current one's `postgres`). */
function serverCpuMs(): number {
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
      if (!cmd.startsWith('postgres') && !cmd.includes('/bin/postgres')) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += ((Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 1000) / tick;
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/** CPU time (ms) of the children of this process that have exited (the workers). */
function childrenCpuMs(): number {
  const f = readFileSync('/proc/self/stat', 'latin1');
  const v = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return ((Number(v[13]) + Number(v[14])) * 1000) / 100;
}

async function pgRun(base: { url: string }, workers: number, planFile: string): Promise<void> {
  const url = await freshDatabase(base as never, `bench${workers}`);
  const store = await openPostgresStore(url);
  const fillMs = await fill(store);
  const t0 = performance.now();
  const cpu0 = serverCpuMs();
  const child0 = childrenCpuMs();
  const procs = Array.from({ length: workers }, (_, i) =>
    spawn(process.execPath, [CLI, 'worker', planFile, '--db', url, '--clock', 'watermark', '--batch', String(BATCH), '--id', `bench${i}`], { stdio: ['ignore', 'ignore', 'inherit'] }),
  );
  const w = T0 + (EVENTS - 1) * SPACING;
  for (;;) {
    const r = await store.pool.query('SELECT (SELECT count(*) FROM nurture_inbox) AS inbox, (SELECT count(*) FROM nurture_leads WHERE due <= $1) AS due', [w]);
    if (Number(r.rows[0].inbox) === 0 && Number(r.rows[0].due) === 0) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  const ms = performance.now() - t0;
  const serverMs = serverCpuMs() - cpu0;
  await Promise.all(procs.map((p) => new Promise((res) => (p.on('exit', res), p.kill('SIGTERM')))));
  const workersMs = childrenCpuMs() - child0;
  const size = (
    await store.pool.query(
      "SELECT count(*) AS leads, avg(octet_length(record)) AS record, pg_total_relation_size('nurture_leads') AS total, (SELECT count(*) FROM nurture_outbox) AS actions FROM nurture_leads",
    )
  ).rows[0];
  console.log(
    `PostgreSQL, ${workers} worker${workers === 1 ? ' ' : 's'}: ${fmt(EVENTS / (ms / 1000))} events/s committed (${(ms / 1000).toFixed(1)} s; inbox filled at ${fmt(EVENTS / (fillMs / 1000))} events/s); ` +
      `CPU: workers ${(workersMs / 1000).toFixed(1)} s, server ${(serverMs / 1000).toFixed(1)} s → ${fmt(EVENTS / ((workersMs + serverMs) / 1000))} events per CPU-second; ` +
      `${size.actions} actions; ${size.leads} leads, state + processed ids ${fmt(Number(size.record))} B per lead (table with indexes ${fmt(Number(size.total) / Number(size.leads))} B per lead)`,
  );
  await store.close();
}

function sqliteRun(): void {
  const dir = mkdtempSync(join(tmpdir(), 'nurture-pg-bench-'));
  try {
    const rt = openSqliteRuntime(storePlan(), join(dir, 's.db'), { audit: 'off', queueActions: false });
    let ms = 0;
    const c0 = process.cpuUsage();
    for (let i = 0; i < EVENTS; i += BATCH) {
      const batch = storeEvents(i, Math.min(EVENTS, i + BATCH), LEADS, SPACING);
      const t0 = performance.now();
      rt.ingestBatch(batch);
      ms += performance.now() - t0;
      rt.outbox.ack(rt.outbox.drain(1_000_000).map((e) => e.action.id));
    }
    const t0 = performance.now();
    rt.close(); // its checkpoint: the states written
    ms += performance.now() - t0;
    const c = process.cpuUsage(c0);
    console.log(
      `SQLite, one process     : ${fmt(EVENTS / (ms / 1000))} events/s committed (${(ms / 1000).toFixed(1)} s, batches of ${fmt(BATCH)}, closing checkpoint included; ` +
        `CPU ${((c.user + c.system) / 1e6).toFixed(1)} s with the event generation)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The drivers on what a commit writes: 100,000 lead records upserted (unnest, 10,000 per statement),
 * with 1,800 outbox rows per statement, in transactions of one batch each.
 */
async function drivers(base: { url: string }): Promise<void> {
  const ix = compilePlanIndex(storePlan());
  const rt = createRuntime(ix, { audit: 'off' });
  rt.ingestBatch(storeEvents(0, 200_000, 100_000, SPACING));
  const w = new StateWriter();
  const ids = [...rt.store.leads()];
  const records = ids.map((id) => Buffer.from(w.encode(ix, toLead(ix, rt.leadState(id)!))));
  const actions = rt.drainActions().slice(0, 18_000);
  const SQL_LEADS =
    'INSERT INTO nurture_leads (id, part, plan, due, record) SELECT id, 0, $3, NULL, record FROM unnest($1::text[], $2::bytea[]) AS u(id, record) ON CONFLICT (id) DO UPDATE SET record = excluded.record';
  const SQL_OUT = 'INSERT INTO nurture_outbox (id, lead, at, action) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[])';
  const rounds = async (name: string, run: (lo: number, hi: number, a: typeof actions) => Promise<void>) => {
    const times: number[] = [];
    for (let round = 0; round < 3; round++) {
      const t0 = performance.now();
      for (let lo = 0; lo < ids.length; lo += 10_000) await run(lo, lo + 10_000, actions.slice((lo / 10_000) * 1800, (lo / 10_000 + 1) * 1800));
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    console.log(`driver ${name.padEnd(8)}: ${fmt(ids.length / (times[1]! / 1000))} lead upserts/s with their outbox rows (median of 3: ${fmt(times[1]!)} ms; ${fmt(times[0]!)}–${fmt(times[2]!)})`);
  };
  {
    const url = await freshDatabase(base as never, 'drvpg');
    const store = await openPostgresStore(url);
    const client = await store.pool.connect();
    await rounds('pg', async (lo, hi, a) => {
      await client.query('BEGIN');
      await client.query(SQL_LEADS, [ids.slice(lo, hi), records.slice(lo, hi), 'p']);
      await client.query(SQL_OUT, [a.map((x) => x.id), a.map((x) => x.lead), a.map((x) => x.at), a.map((x) => JSON.stringify(x))]);
      await client.query('COMMIT');
    });
    client.release();
    await store.close();
  }
  {
    const url = await freshDatabase(base as never, 'drvjs');
    await (await openPostgresStore(url)).close();
    const sql = postgres(url, { max: 1, onnotice: () => undefined });
    await rounds('postgres', async (lo, hi, a) => {
      await sql.begin(async (tx) => {
        await tx.unsafe(SQL_LEADS, [ids.slice(lo, hi), records.slice(lo, hi), 'p'] as never);
        await tx.unsafe(SQL_OUT, [a.map((x) => x.id), a.map((x) => x.lead), a.map((x) => x.at), a.map((x) => JSON.stringify(x))] as never);
      });
    });
    await sql.end();
  }
}

const server = pgServer();
if (server === null) process.exit(1);
const dir = mkdtempSync(join(tmpdir(), 'nurture-pg-bench-plan-'));
const planFile = join(dir, 'plan.json');
writeFileSync(planFile, JSON.stringify(storePlan()));
try {
  console.log(`pg bench: ${fmt(EVENTS)} events, ${fmt(LEADS)} leads, inbox batches of ${fmt(BATCH)}; server ${server.url}`);
  sqliteRun();
  for (const n of WORKERS) await pgRun(server, n, planFile);
  await drivers(server);
} finally {
  rmSync(dir, { recursive: true, force: true });
  stopPgServer();
}
