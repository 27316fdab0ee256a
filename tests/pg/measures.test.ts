// LANGUAGE.md 9 on PostgreSQL: the measures are committed with the states, per unit of work, by every
// worker; `simulate --db postgres://… --report` reports the whole store. The b2b example's events in two
// runs — the second with another worker sharing the partitions — give the measures of one SQLite run.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../runtime/plan-types.js';
import { openPostgresStore, Worker } from '../../runtime/store/postgres/index.js';
import { REPO } from '../cli/helpers.js';
import { freshDatabase, pgServer, stopPgServer } from './server.js';
import { CLI, haveCli } from './workers.js';

const server = pgServer();
afterAll(() => stopPgServer());

const nurture = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
/** The CLI in a child process, without blocking this one (its worker runs here meanwhile). */
const run = (args: string[]) =>
  new Promise<{ status: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('close', (status) => resolve({ status, stderr }));
  });

describe.skipIf(server === null || !haveCli)('measures kept with the PostgreSQL store', () => {
  it('two runs, the second shared with another worker, report the measures of one SQLite run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nurture-pgm-'));
    try {
      const example = join(REPO, 'examples/b2b');
      const lines = readFileSync(join(example, 'events.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '');
      const at = (l: string) => Date.parse((JSON.parse(l) as { at: string }).at);
      const sorted = lines.map((l, i) => ({ l, i, t: at(l) })).sort((a, b) => a.t - b.t || a.i - b.i);
      let half = Math.floor(sorted.length / 2);
      while (sorted[half]!.t === sorted[half - 1]!.t) half++;
      const write = (name: string, xs: typeof sorted) => {
        writeFileSync(join(dir, name), xs.map((x) => x.l).join('\n') + '\n');
        return join(dir, name);
      };
      const all = write('all.jsonl', sorted);
      const first = write('first.jsonl', sorted.slice(0, half));
      const second = write('second.jsonl', sorted.slice(half));
      const one = nurture(['simulate', example, '--events', all, '--db', join(dir, 'one.db'), '--out', join(dir, 'one.out'), '--report', join(dir, 'one.json')]);
      expect(one.status).toBe(0);
      const expected = JSON.parse(readFileSync(join(dir, 'one.json'), 'utf8'));

      const url = await freshDatabase(server!, 'meas');
      const a = nurture(['simulate', example, '--events', first, '--db', url, '--out', join(dir, 'a.out'), '--report', join(dir, 'a.json')]);
      expect(a.stderr).not.toMatch(/cannot|error/i);
      expect(a.status).toBe(0);
      // Another worker of the deployment, holding partitions while the second run works.
      const planFile = join(dir, 'plan.json');
      expect(nurture(['compile', example, '-o', planFile]).status).toBe(0);
      const store = await openPostgresStore(url);
      const other = new Worker(store, JSON.parse(readFileSync(planFile, 'utf8')) as Plan, { clock: 'watermark', pollMs: 20, leaseMs: 2000 });
      await other.start();
      await other.step(); // takes every partition first
      const working = other.run();
      const b = await run(['simulate', example, '--events', second, '--db', url, '--out', join(dir, 'b.out'), '--report', join(dir, 'b.json')]);
      other.stop();
      await working;
      await other.close();
      await store.close();
      expect(b.stderr).not.toMatch(/cannot|error/i);
      expect(b.status).toBe(0);
      expect(other.stats.events).toBeGreaterThan(0); // the other worker did part of the work
      const report = JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8'));
      expect(report.measures).toEqual(expected.measures);
      expect(report.measures.leads).toBeGreaterThan(100);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
