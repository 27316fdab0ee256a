// A live host loop on the durable runtime (see docs/host-api.md). Run after `npm run build`:
//
//   node docs/host-loop.example.mjs [PLAN.json] [STORE.db]
//
// Without PLAN.json it compiles examples/acme with the CLI. Without STORE.db it uses a temporary file.
// The clock is simulated (a real host uses Date.now()): every tick, the host
//   1. ingests the events that arrived (one batch = one transaction, with its input position),
//   2. advances time to now (due timers run: waits, delayed sends, date entries),
//   3. drains the outbox, delivers each action, acknowledges the delivered ones.
// One delivery fails on purpose: the action stays in the outbox and is delivered again, with the same id,
// after a restart of the host; the "mail service" deduplicates by id, so the lead gets one email.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPlan } from '../dist/runtime/load-plan.js';
import { openSqliteRuntime } from '../dist/runtime/store/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = mkdtempSync(join(tmpdir(), 'nurture-host-'));
let planFile = process.argv[2];
if (!planFile) {
  planFile = join(tmp, 'plan.json');
  const c = spawnSync(process.execPath, [join(root, 'bin/nurture.js'), 'compile', join(root, 'examples/acme'), '-o', planFile], { encoding: 'utf8' });
  if (c.status !== 0) throw new Error(`nurture compile failed: ${c.stderr}`);
}
const loaded = loadPlan(JSON.parse(readFileSync(planFile, 'utf8')));
if (!loaded.ok) throw new Error(loaded.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
const plan = loaded.plan;
const storeFile = process.argv[3] ?? join(tmp, 'store.db');

// --- the outside world -----------------------------------------------------------------------------
const DAY = 86_400_000;
const start = Date.parse('2026-01-05T08:00:00Z');
/** Events as they arrive (a queue, a webhook, a CDC stream…): each has a unique id. */
const incoming = [];
for (let i = 0; i < 20; i++) {
  const lead = `lead-${i}`;
  const t = start + i * 3_600_000;
  incoming.push({ id: `${lead}-p`, lead, type: 'profile', at: new Date(t).toISOString(), data: { email_consent: true, country: 'FR', job_level: 'manager' } });
  incoming.push({ id: `${lead}-f`, lead, type: 'form_submitted', at: new Date(t + 60_000).toISOString(), data: { form: 'newsletter' } });
}
const delivered = new Map(); // the mail service: action id → action (deduplicates by id)
let failOnce = true;
function deliver(action) {
  if (action.type === 'send' && failOnce) {
    failOnce = false;
    return false; // e.g. a timeout of the mail API: not acknowledged
  }
  if (!delivered.has(action.id)) delivered.set(action.id, action);
  return true;
}

// --- the host -------------------------------------------------------------------------------------
let rt = openSqliteRuntime(plan, storeFile, { audit: 'off', queueActions: false });
let position = Number(rt.meta('position') ?? 0); // where the host is in its input, committed with the state
let deliveries = 0;
let restarted = false;

function drainOutbox() {
  for (;;) {
    const batch = rt.outbox.drain(100);
    if (batch.length === 0) return;
    const ok = [];
    for (const { action } of batch) {
      deliveries++;
      if (deliver(action)) ok.push(action.id);
    }
    rt.outbox.ack(ok);
  }
}

for (let now = start; now <= start + 30 * DAY; now += 3_600_000) {
  // 1. ingest what arrived up to now
  let end = position;
  while (end < incoming.length && Date.parse(incoming[end].at) <= now) end++;
  if (end > position) {
    const r = rt.ingestBatch(incoming.slice(position, end), { position: String(end) });
    if (r.rejected.length > 0) console.error('rejected:', r.rejected);
    position = end;
  }
  // 2. advance time: every timer due by now runs
  rt.advanceTo(now);
  // 3. deliver and acknowledge
  drainOutbox();
  // a restart in the middle of the month: un-acknowledged actions come back with the same ids
  if (!restarted && now >= start + 10 * DAY) {
    restarted = true;
    rt.close();
    rt = openSqliteRuntime(plan, storeFile, { audit: 'off', queueActions: false });
    position = Number(rt.meta('position') ?? 0);
  }
}
const left = rt.outbox.size();
rt.close();
rmSync(tmp, { recursive: true, force: true });
const sends = [...delivered.values()].filter((a) => a.type === 'send').length;
console.log(`host loop: ${incoming.length} events, ${deliveries} deliveries, ${delivered.size} distinct actions (${sends} sends), ${left} left in the outbox`);
if (left !== 0 || deliveries !== delivered.size + 1) process.exit(1);
