// `nurture simulate --db postgres://…`: the same actions as the in-memory simulation (as a set: the store
// prints them in commit order), a later run continuing from the stored state, bad URLs reported.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { storeEvents, storePlan, T0 } from '../store/fixture.js';
import { freshDatabase, pgServer, stopPgServer } from './server.js';
import { CLI, haveCli } from './workers.js';

const server = pgServer();
afterAll(() => stopPgServer());

const nurture = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
const sorted = (out: string) => out.split('\n').filter(Boolean).sort();

describe.skipIf(server === null || !haveCli)('nurture simulate --db postgres://', () => {
  it('prints the in-memory simulation’s actions; a later run continues from the store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nurture-simpg-'));
    try {
      const plan = join(dir, 'plan.json');
      writeFileSync(plan, JSON.stringify(storePlan()));
      const evs = storeEvents(0, 4000, 400);
      const write = (name: string, list: unknown[]) => {
        writeFileSync(join(dir, name), list.map((e) => JSON.stringify(e)).join('\n') + '\n');
        return join(dir, name);
      };
      const all = write('all.jsonl', [...evs, 'not json']);
      const first = write('first.jsonl', evs.slice(0, 2500));
      const second = write('second.jsonl', evs.slice(2500));
      const until = new Date(T0 + 4000 * 6000 + 20 * 86_400_000).toISOString();
      const mem = nurture(['simulate', plan, '--events', all, '--until', until]);
      expect(mem.status).toBe(0);
      const url = await freshDatabase(server!, 'sim');
      const a = nurture(['simulate', plan, '--events', first, '--db', url]);
      expect(a.stderr).toMatch(/simulated on postgres:\/\/.*: 2500 events added to the inbox/);
      expect(a.status).toBe(0);
      const b = nurture(['simulate', plan, '--events', second, '--db', url, '--until', until]);
      expect(b.status).toBe(0);
      expect(sorted(a.stdout + b.stdout)).toEqual(sorted(mem.stdout));
      expect(sorted(mem.stdout).length).toBeGreaterThan(500);
      // the same events again: processed ids, nothing new
      const c = nurture(['simulate', plan, '--events', all, '--db', url, '--until', until]);
      expect(c.stderr).toContain(`${all}:4001: `);
      expect(c.stdout).toBe('');
      const bad = nurture(['simulate', plan, '--events', first, '--db', 'postgres://nurture@127.0.0.1:1/nurture']);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/cannot use `postgres:\/\/nurture@127\.0\.0\.1:1\/nurture` as the state store: .*connection refused/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
