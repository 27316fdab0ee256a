// `nurture serve` under load, over real HTTP on loopback (the server is the real CLI in a child process).
//
//   npm run build && node dist/bench/serve-bench.js [DB=sqlite|postgres://…] [EVENTS=200000] [CLIENTS=4] [RATE=5000] [SECONDS=20]
//
// 1. Throughput: EVENTS events of the store fixture (tests/store/fixture.ts; 100,000 leads, a day ahead
//    of the wall clock) posted in batches of 500 by CLIENTS concurrent clients, bodies serialized before
//    the clock starts. Accepted events/s = events / time to the last answer; with SQLite an answer comes
//    after the commit, so accepted is committed. With PostgreSQL an answer means "in the inbox": committed
//    end to end is when the workers have emptied the inbox (nurture_inbox_events 0 in /metrics).
// 2. Latency: a steady RATE events/s (batches of 50 every 10 ms) for SECONDS, events at the wall clock,
//    for 5,000 other leads, while a client pulls and acknowledges; for each action decided by an event (same lead and instant),
//    the time from the POST being sent (an upper bound of "accepted") to the action being pulled.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { storeEvent, storePlan } from '../tests/store/fixture.js';

const DB = process.argv[2] ?? 'sqlite';
const EVENTS = Number(process.argv[3] ?? 200_000);
const CLIENTS = Number(process.argv[4] ?? 4);
const RATE = Number(process.argv[5] ?? 5000);
const SECONDS = Number(process.argv[6] ?? 20);
const BATCH = 500;
const LEADS = 100_000;
const TOKEN = 'bench-token-0123456789abcdef';
const CLI = resolve(import.meta.dirname, '../../bin/nurture.js');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startServer(dir: string, db: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const planFile = join(dir, 'plan.json');
  writeFileSync(planFile, JSON.stringify(storePlan()));
  // the log goes to a file: a pipe read by this busy process would make the server wait on its writes
  const logFile = join(dir, 'serve.log');
  const fd = openSync(logFile, 'w');
  const proc = spawn(process.execPath, [...(process.env['SERVE_NODE_FLAGS'] ?? '').split(' ').filter(Boolean), CLI, 'serve', planFile, '--db', db, '--port', '0', '--log-level', 'info', '--audit', 'keep'], {
    env: { ...process.env, NURTURE_TOKENS: `ingest,read,admin ${TOKEN}` },
    stdio: ['ignore', fd, 'inherit'],
  });
  closeSync(fd);
  let exited = false;
  proc.on('exit', () => (exited = true));
  let url: string | undefined;
  for (const t0 = Date.now(); url === undefined; await sleep(50)) {
    url = /"url":"(http:[^"]+)"/.exec(readFileSync(logFile, 'utf8'))?.[1];
    if (exited || Date.now() - t0 > 60_000) throw new Error(`serve did not start: ${readFileSync(logFile, 'utf8')}`);
  }
  return {
    url,
    stop: async () => {
      const done = new Promise((r) => proc.on('exit', r));
      proc.kill('SIGTERM');
      await done;
    },
  };
}

const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

async function post(url: string, body: string): Promise<{ accepted: number[]; duplicates: number[]; rejected: { reason: string }[] }> {
  const r = await fetch(`${url}/v1/events`, { method: 'POST', headers, body });
  if (r.status !== 200) throw new Error(`POST /v1/events: ${r.status} ${await r.text()}`);
  return (await r.json()) as { accepted: number[]; duplicates: number[]; rejected: { reason: string }[] };
}

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

function eventsAt(from: number, to: number, at: (i: number) => number, leads = LEADS): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let i = from; i < to; i++) out.push({ ...storeEvent(i, leads), at: new Date(at(i)).toISOString() });
  return out;
}

async function throughput(url: string): Promise<void> {
  const ahead = Date.now() + 86_400_000;
  const bodies: string[] = [];
  for (let i = 0; i < EVENTS; i += BATCH) bodies.push(JSON.stringify(eventsAt(i, Math.min(EVENTS, i + BATCH), (k) => ahead + k)));
  let next = 0;
  let accepted = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let b; (b = next++) < bodies.length; ) {
        const r = await post(url, bodies[b]!);
        accepted += r.accepted.length;
        if (r.rejected.length + r.duplicates.length > 0) console.log(`batch ${b}: ${r.rejected.length} rejected (${r.rejected[0]?.reason}), ${r.duplicates.length} duplicates`);
      }
    }),
  );
  const t1 = performance.now();
  console.log(`throughput (${DB === 'sqlite' ? 'SQLite' : 'PostgreSQL'}): ${EVENTS} events in batches of ${BATCH}, ${CLIENTS} clients: ${accepted} accepted in ${((t1 - t0) / 1000).toFixed(2)} s = ${Math.round(accepted / ((t1 - t0) / 1000))} events/s accepted`);
  if (DB !== 'sqlite') {
    while ((await metric(url, 'nurture_inbox_events')) > 0) await sleep(50);
    const t2 = performance.now();
    console.log(`  committed end to end (inbox empty) after ${((t2 - t0) / 1000).toFixed(2)} s = ${Math.round(accepted / ((t2 - t0) / 1000))} events/s`);
  }
}

async function latency(url: string): Promise<void> {
  // the outbox emptied first: latency counts only this phase's actions
  const sent = new Map<string, number>(); // lead|at → when its POST was sent
  const samples: number[] = [];
  let stop = false;
  const puller = (async () => {
    let after = 0;
    while (!stop) {
      const r = await fetch(`${url}/v1/actions?limit=1000&after=${after}`, { headers });
      const page = (await r.json()) as { actions: { action: { id: string; lead: string; at: string } }[]; next: number };
      const now = performance.now();
      after = page.next;
      if (page.actions.length === 0) {
        await sleep(5);
        continue;
      }
      const actions = page.actions.map((e) => e.action);
      for (const a of actions) {
        const t = sent.get(`${a.lead}|${Date.parse(a.at)}`);
        if (t !== undefined) samples.push(now - t);
      }
      await fetch(`${url}/v1/actions/ack`, { method: 'POST', headers, body: JSON.stringify({ ids: actions.map((a) => a.id) }) });
    }
  })();
  await sleep(500);
  const per = Math.max(1, Math.round(RATE / 100)); // every 10 ms
  const total = RATE * SECONDS;
  const base = EVENTS + 1_000_000; // other event ids than phase 1
  const t0 = performance.now();
  const inflight: Promise<unknown>[] = [];
  const answered: number[] = [];
  for (let i = 0; i < total; i += per) {
    const due = t0 + (i / RATE) * 1000;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const at = Date.now();
    const evs = eventsAt(base + i, base + Math.min(total, i + per), () => at, 5000); // fewer leads: more of them get messages
    const when = performance.now();
    for (const e of evs) sent.set(`${e['lead']}|${at}`, when);
    inflight.push(post(url, JSON.stringify(evs)).then(() => answered.push(performance.now() - when)));
    if (inflight.length > 256) await inflight.shift();
  }
  await Promise.all(inflight);
  const t1 = performance.now();
  await sleep(3000);
  stop = true;
  await puller;
  samples.sort((a, b) => a - b);
  answered.sort((a, b) => a - b);
  console.log(`  POST answered: p50 ${answered[answered.length >> 1]?.toFixed(0)} ms, p99 ${answered[Math.floor(answered.length * 0.99)]?.toFixed(0)} ms`);
  const q = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))] ?? NaN;
  console.log(
    `latency (${DB === 'sqlite' ? 'SQLite' : 'PostgreSQL'}): ${total} events at a target ${RATE}/s (achieved ${Math.round(total / ((t1 - t0) / 1000))}/s), ${samples.length} actions: ` +
      `event sent → action pulled p50 ${q(0.5).toFixed(0)} ms, p99 ${q(0.99).toFixed(0)} ms, max ${q(1).toFixed(0)} ms`,
  );
}

const dir = mkdtempSync(join(tmpdir(), 'nurture-serve-bench-'));
const server = await startServer(dir, DB === 'sqlite' ? join(dir, 'state.db') : DB);
try {
  await throughput(server.url);
  await latency(server.url);
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
