// The child process of the crash test (run compiled: `node dist/tests/store/crash-child.js DB TOTAL LEADS BATCH`).
// Ingests the fixture's event stream into the SQLite store DB, one transaction per batch, recording its
// input position in the same transaction; when restarted it resumes there — re-sending the last batch
// before it, which the processed-ids table must absorb — and finally runs every timer up to the end.
import { openSqliteRuntime } from '../../runtime/store/index.js';
import { DAY } from '../runtime/helpers.js';
import { T0, storeEvents, storePlan } from './fixture.js';

const [file, totalArg, leadsArg, batchArg] = process.argv.slice(2);
if (!file || !totalArg || !leadsArg || !batchArg) {
  process.stderr.write('usage: crash-child DB TOTAL LEADS BATCH\n');
  process.exit(2);
}
const total = Number(totalArg);
const leads = Number(leadsArg);
const batch = Number(batchArg);

// journalLimit, checkpointEvery: the inputs are checkpointed and the journal folded into `leads` several
// times per run, so kills land during checkpoints and folds too, and restarts replay input logs of any length
const rt = openSqliteRuntime(storePlan(), file, { audit: 'off', queueActions: false, journalLimit: 20_000, checkpointEvery: 15_000 });
if (rt.meta('done') === '1') {
  process.stdout.write('done\n');
  process.exit(0);
}
let pos = Number(rt.meta('pos') ?? '0');
// At-least-once input: go back one batch; those events carry ids and are recognised as duplicates.
let i = Math.max(0, pos - batch);
while (i < total) {
  const end = Math.min(total, i + batch);
  const r = rt.ingestBatch(storeEvents(i, end, leads), { pos: String(Math.max(pos, end)) });
  if (r.rejected.length > 0) throw new Error(`rejected: ${r.rejected[0]!.reason}`);
  i = end;
  pos = Math.max(pos, end);
}
// Timers, a day at a time (each step is one unit of work).
const last = T0 + total * 6_000;
let t = Number(rt.meta('clock') ?? String(T0));
while (t < last + 30 * DAY) {
  t = Math.min(t + DAY, last + 30 * DAY);
  rt.advanceTo(t, { clock: String(t) });
}
rt.advanceTo(t, { done: '1' });
rt.close();
process.stdout.write('done\n');
