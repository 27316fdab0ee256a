// Store throughput: events/s ingested into the SQLite store (one transaction per batch, WAL) versus the
// in-memory engine, on the fixture plan of tests/store (a journey with waits, scores with limits and
// decay, a threshold, a handler, pressure rules).
//
//   npm run build && node dist/bench/store-bench.js [EVENTS=1000000] [LEADS=100000] [BATCH=10000] [SYNC=NORMAL] [DIR] [JOURNAL=1000000] [CHECKPOINT]
//   (JOURNAL: the store's journalLimit — lead records appended before they are folded into the `leads` table;
//   CHECKPOINT: its checkpointEvery — inputs logged between two writes of the changed states; 0: no input log)
//
// Timed: `ingestBatch` only (validation, engine, and for SQLite the commit of the input log or, at a
// checkpoint, of states, timers and processed ids, and the outbox). Event generation is outside the
// timing. CPU time is printed too: on a shared machine wall time is noisy.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime, type Runtime } from '../runtime/engine/index.js';
import { openSqliteRuntime, type Synchronous } from '../runtime/store/index.js';
import { storeEvents, storePlan } from '../tests/store/fixture.js';

const EVENTS = Number(process.argv[2] ?? 1_000_000);
const LEADS = Number(process.argv[3] ?? 100_000);
const BATCH = Number(process.argv[4] ?? 10_000);
const SYNC = (process.argv[5] ?? 'NORMAL') as Synchronous;
const DIR = process.argv[6] || tmpdir();
const JOURNAL = Number(process.argv[7] ?? 1_000_000);
const CHECKPOINT = process.argv[8] === undefined ? undefined : Number(process.argv[8]);

interface Figure {
  wallMs: number;
  cpuMs: number;
  actions: number;
}

function feed(rt: Runtime, drain: () => number): Figure {
  let wall = 0;
  let cpu = 0;
  let actions = 0;
  for (let i = 0; i < EVENTS; i += BATCH) {
    const batch = storeEvents(i, Math.min(EVENTS, i + BATCH), LEADS);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = rt.ingestBatch(batch);
    wall += performance.now() - t0;
    const c = process.cpuUsage(c0);
    cpu += (c.user + c.system) / 1000;
    if (r.rejected.length > 0) throw new Error(r.rejected[0]!.reason);
    actions += drain();
  }
  return { wallMs: wall, cpuMs: cpu, actions };
}

const rate = (f: Figure) => `${Math.round(EVENTS / (f.wallMs / 1000)).toLocaleString('en-US')} events/s (wall ${(f.wallMs / 1000).toFixed(2)} s, cpu ${(f.cpuMs / 1000).toFixed(2)} s → ${Math.round(EVENTS / (f.cpuMs / 1000)).toLocaleString('en-US')} events/cpu-s)`;

const plan = storePlan();
console.log(`store bench: ${EVENTS.toLocaleString('en-US')} events, ${LEADS.toLocaleString('en-US')} leads, batches of ${BATCH.toLocaleString('en-US')}, synchronous=${SYNC}, journalLimit=${JOURNAL.toLocaleString('en-US')}, checkpointEvery=${CHECKPOINT === undefined ? 'default' : CHECKPOINT.toLocaleString('en-US')}`);

const mem = createRuntime(plan, { audit: 'off' });
const m = feed(mem, () => mem.drainActions().length);
console.log(`in-memory : ${rate(m)}; ${m.actions} actions`);

const dir = mkdtempSync(join(DIR, 'nurture-store-bench-'));
try {
  const file = join(dir, 'bench.db');
  const rt = openSqliteRuntime(plan, file, { audit: 'off', queueActions: false, synchronous: SYNC, journalLimit: JOURNAL, ...(CHECKPOINT === undefined ? {} : { checkpointEvery: CHECKPOINT }) });
  let acked = 0;
  const s = feed(rt, () => {
    // a host drains and acknowledges the outbox as it goes
    let n = 0;
    for (;;) {
      const out = rt.outbox.drain(5000);
      if (out.length === 0) break;
      acked += rt.outbox.ack(out.map((e) => e.action.id));
      n += out.length;
    }
    return n;
  });
  rt.close();
  const size = statSync(file).size;
  console.log(`sqlite    : ${rate(s)}; ${s.actions} actions through the outbox (${acked} acknowledged); file ${(size / 2 ** 20).toFixed(1)} MiB`);
  console.log(`ratio sqlite / in-memory: ${(m.wallMs / s.wallMs).toFixed(2)} (wall), ${(m.cpuMs / s.cpuMs).toFixed(2)} (cpu)`);
  if (s.actions !== m.actions) throw new Error(`action counts differ: ${s.actions} vs ${m.actions}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
