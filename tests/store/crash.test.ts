// Crash test: a child process ingests 100,000 events into a SQLite store and is killed with SIGKILL at
// random points several times, then restarted until it finishes. Its outbox must equal the outbox of an
// uninterrupted run (and the actions of the in-memory engine): no action lost, none duplicated, same ids.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createRuntime } from '../../runtime/engine/index.js';
import { DAY } from '../runtime/helpers.js';
import { T0, storeEvents, storePlan } from './fixture.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = here.includes(`${join('dist', 'tests')}`) ? resolve(here, '../../..') : resolve(here, '../..');
const CHILD = join(root, 'dist/tests/store/crash-child.js');
const haveChild = existsSync(CHILD);
if (!haveChild) console.warn(`crash test skipped: ${CHILD} is missing — run \`npx tsc -p .\` first`);

const TOTAL = 100_000;
const LEADS = 10_000;
const BATCH = 2_000;
const KILLS = 5;

function runChild(db: string, killAfterMs: number | null): Promise<'done' | 'killed'> {
  return new Promise((res, rej) => {
    const p = spawn(process.execPath, [CHILD, db, String(TOTAL), String(LEADS), String(BATCH)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    const timer = killAfterMs === null ? null : setTimeout(() => p.kill('SIGKILL'), killAfterMs);
    p.on('error', rej);
    p.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal === 'SIGKILL') res('killed');
      else if (code === 0 && out.includes('done')) res('done');
      else rej(new Error(`child exited with ${code}: ${err}`));
    });
  });
}

function outbox(db: string): [string, string][] {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare('SELECT id, action FROM outbox ORDER BY seq').raw().all() as [string, string][];
  } finally {
    d.close();
  }
}

describe.skipIf(!haveChild)('crash test (SIGKILL during ingestion, restart, compare outboxes)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nurture-crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loses no action, duplicates none, keeps the ids', async () => {
    const crashed = join(dir, 'crashed.db');
    const clean = join(dir, 'clean.db');
    // Seeded kill points (reproducible): between 250 ms (node start-up) and 1.5 s.
    let seed = 12345;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const cleanRun = runChild(clean, null); // uninterrupted, in parallel
    let kills = 0;
    let runs = 0;
    for (;;) {
      runs++;
      const r = await runChild(crashed, kills < KILLS ? 250 + Math.floor(rnd() * 1250) : null);
      if (r === 'done') break;
      kills++;
      expect(runs).toBeLessThan(40);
    }
    expect(await cleanRun).toBe('done');

    const a = outbox(crashed);
    const b = outbox(clean);
    if (process.env.DEBUG_STATS) console.log(`crash test: ${kills} SIGKILLs in ${runs} runs; ${a.length} actions in the outbox`);
    expect(a.length).toBeGreaterThan(1000);
    expect(new Set(a.map((r) => r[0])).size).toBe(a.length); // none duplicated
    expect(a.map((r) => r[0])).toEqual(b.map((r) => r[0])); // same ids, same order
    expect(a).toEqual(b); // same actions

    // … and the same as the in-memory engine over the same events.
    const rt = createRuntime(storePlan(), { audit: 'off' });
    for (let i = 0; i < TOTAL; i += BATCH) rt.ingestBatch(storeEvents(i, Math.min(TOTAL, i + BATCH), LEADS));
    const last = T0 + TOTAL * 6_000;
    for (let t = T0; t < last + 30 * DAY; ) {
      t = Math.min(t + DAY, last + 30 * DAY);
      rt.advanceTo(t);
    }
    const mem = rt.drainActions().map((x) => JSON.stringify(x));
    expect(a.map((r) => r[1])).toEqual(mem);
  }, 120_000);
});
