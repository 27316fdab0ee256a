// A deployment in a test: N `nurture worker` processes (the real CLI, dist/) over one PostgreSQL store
// on the watermark clock, fed with the store fixture's events; helpers to kill, pause and restart them,
// to wait for the end of the work, and the in-memory run the result must equal.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { createRuntime, type RuntimeAction } from '../../runtime/engine/index.js';
import type { LeadState } from '../../runtime/engine/state.js';
import type { PgStore } from '../../runtime/store/postgres/index.js';
import { storeEvents, storePlan, T0 } from '../store/fixture.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = here.includes(join('dist', 'tests')) ? resolve(here, '../../..') : resolve(here, '../..');
export const CLI = join(root, 'bin/nurture.js');
export const haveCli = existsSync(join(root, 'dist/nurture.mjs'));

export const SPACING = 6_000;

export class Deployment {
  readonly dir = mkdtempSync(join(tmpdir(), 'nurture-workers-'));
  readonly planFile = join(this.dir, 'plan.json');
  readonly procs: (ChildProcess | null)[] = [];
  readonly logs: string[] = [];
  private started = 0;

  constructor(
    readonly url: string,
    readonly count: number,
    readonly leaseMs: number,
    readonly batch = 2000,
  ) {
    writeFileSync(this.planFile, JSON.stringify(storePlan()));
  }

  start(i: number): ChildProcess {
    const p = spawn(
      process.execPath,
      [CLI, 'worker', this.planFile, '--db', this.url, '--clock', 'watermark', '--lease', String(this.leaseMs), '--batch', String(this.batch), '--id', `w${i}.${this.started++}`],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    p.stderr!.on('data', (d) => this.logs.push(`[w${i}] ${d}`));
    this.procs[i] = p;
    return p;
  }

  startAll(): void {
    for (let i = 0; i < this.count; i++) this.start(i);
  }

  /** Kills worker i (SIGKILL) and waits for its exit. */
  async kill(i: number): Promise<void> {
    const p = this.procs[i];
    if (!p || p.exitCode !== null) return;
    const gone = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await gone;
    this.procs[i] = null;
  }

  /** Stops every worker (SIGTERM, then SIGKILL after 10 s) and removes the temporary folder. */
  async stopAll(): Promise<void> {
    await Promise.all(
      this.procs.map(async (p) => {
        if (!p || p.exitCode !== null || p.signalCode !== null) return;
        const gone = new Promise((r) => p.once('exit', r));
        p.kill('SIGCONT');
        p.kill('SIGTERM');
        const t = setTimeout(() => p.kill('SIGKILL'), 10_000);
        await gone;
        clearTimeout(t);
      }),
    );
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A worker that exited by itself (not killed by the test): its log says why. */
  crashed(): string | null {
    for (const p of this.procs) if (p && p.exitCode !== null && p.exitCode !== 0) return this.logs.join('');
    return null;
  }
}

/** Feeds `total` events for `leads` leads in chunks, the watermark after each (events are in time order). */
export async function feed(store: PgStore, total: number, leads: number, chunk: number, between?: () => Promise<void>): Promise<void> {
  for (let i = 0; i < total; i += chunk) {
    const evs = storeEvents(i, Math.min(total, i + chunk), leads, SPACING);
    await store.addEvents(evs);
    await store.setWatermark(T0 + (Math.min(total, i + chunk) - 1) * SPACING);
    if (between) await between();
  }
}

/** Waits until the inbox is empty and no lead has a timer due at or before the watermark `w`. */
export async function settled(store: PgStore, w: number, deployment: Deployment, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const r = await store.pool.query('SELECT (SELECT count(*) FROM nurture_inbox) AS inbox, (SELECT count(*) FROM nurture_leads WHERE due <= $1) AS due', [w]);
    if (Number(r.rows[0].inbox) === 0 && Number(r.rows[0].due) === 0) return;
    const crash = deployment.crashed();
    if (crash !== null) throw new Error(`a worker exited:\n${crash}`);
    if (Date.now() - t0 > timeoutMs) throw new Error(`not settled after ${timeoutMs} ms (inbox ${r.rows[0].inbox}, due ${r.rows[0].due}):\n${deployment.logs.join('').slice(-4000)}`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

/** One in-memory run over the same events, then timers up to `until`: the actions (by id) and every lead's state. */
export function inMemory(total: number, leads: number, until: number): { actions: Map<string, RuntimeAction>; states: Map<string, LeadState> } {
  const rt = createRuntime(storePlan(), { audit: 'off' });
  for (let i = 0; i < total; i += 10_000) rt.ingestBatch(storeEvents(i, Math.min(total, i + 10_000), leads, SPACING));
  rt.advanceTo(until);
  const actions = new Map(rt.drainActions().map((a) => [a.id, a]));
  const states = new Map([...rt.store.leads()].map((id) => [id, JSON.parse(JSON.stringify(rt.leadState(id))) as LeadState]));
  return { actions, states };
}

/** Compares the store's outbox and lead states with the in-memory run; returns the number of actions. */
export async function compareWithMemory(store: PgStore, total: number, leads: number, until: number): Promise<{ problems: string[]; actions: number }> {
  const ref = inMemory(total, leads, until);
  const problems: string[] = [];
  const rows = (await store.pool.query({ text: 'SELECT id, action FROM nurture_outbox ORDER BY seq', rowMode: 'array' })).rows as [string, string][];
  const seen = new Set<string>();
  for (const [id, text] of rows) {
    if (seen.has(id)) problems.push(`action ${id} twice in the outbox`);
    seen.add(id);
    const want = ref.actions.get(id);
    if (want === undefined) problems.push(`action ${id} not decided by the in-memory run: ${text}`);
    else if (JSON.stringify(want) !== text) problems.push(`action ${id} differs: ${text} vs ${JSON.stringify(want)}`);
  }
  for (const id of ref.actions.keys()) if (!seen.has(id)) problems.push(`action ${id} missing from the outbox`);
  const states = await store.leadStates();
  if (states.size !== ref.states.size) problems.push(`${states.size} leads in the store, ${ref.states.size} in memory`);
  for (const [id, want] of ref.states) {
    const got = states.get(id);
    if (got === undefined) problems.push(`lead ${id} missing`);
    else if (!isDeepStrictEqual(JSON.parse(JSON.stringify(got.state)), want)) problems.push(`lead ${id}: state differs`);
  }
  return { problems: problems.slice(0, 20), actions: rows.length };
}
