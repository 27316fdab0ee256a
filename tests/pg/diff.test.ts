// `nurture diff --db postgres://…`: the leads in flight of a PostgreSQL store, counted as for the same
// events in a SQLite store, read without writing anything to it.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanWorkspaces, runCli } from '../cli/helpers.js';
import { editedExample } from '../diff/helpers.js';
import { freshDatabase, pgServer, stopPgServer } from './server.js';

const server = pgServer();
afterAll(() => stopPgServer());
afterAll(cleanWorkspaces);

/** Every row of the store's tables, as text: equal before and after means nothing was written. */
async function snapshot(url: string): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const tables = ['nurture_meta', 'nurture_plans', 'nurture_leads', 'nurture_inbox', 'nurture_outbox', 'nurture_partitions', 'nurture_migrations'];
    const out: string[] = [];
    for (const t of tables) out.push(JSON.stringify((await c.query(`SELECT md5(string_agg(x::text, ',' ORDER BY x::text)) AS h, count(*) AS n FROM ${t} x`)).rows[0]));
    return out.join('\n');
  } finally {
    await c.end();
  }
}

describe.skipIf(server === null)('nurture diff --db postgres://', () => {
  it('counts stay, move and leave as for a SQLite store of the same events; the store is unchanged', async () => {
    const dir = editedExample('b2b', {
      'journeys/welcome.nurture': [
        ['  wait 2 days', '  wait 4 days'],
        ['  send welcome_3\n  wait 7 days\n', '  send welcome_3\n'],
      ],
    });
    writeFileSync(join(dir, 'half.jsonl'), readFileSync(join(dir, 'old/events.jsonl'), 'utf8').split('\n').slice(0, 4000).join('\n'));
    cpSync(join(dir, 'half.jsonl'), join(dir, 'half2.jsonl'));
    const url = await freshDatabase(server!, 'diff');
    expect((await runCli(['simulate', 'old', '--events', 'half.jsonl', '--db', url], { cwd: dir })).status).toBe(0);
    expect((await runCli(['simulate', 'old', '--events', 'half2.jsonl', '--db', 'state.db'], { cwd: dir })).status).toBe(0);
    const before = await snapshot(url);

    const onPg = await runCli(['diff', 'old', 'new', '--db', url, '--format', 'json'], { cwd: dir });
    expect(onPg.stderr).toBe('');
    expect(onPg.status).toBe(0);
    const onSqlite = await runCli(['diff', 'old', 'new', '--db', 'state.db', '--format', 'json'], { cwd: dir });
    const strip = (out: string) => {
      const f = (JSON.parse(out) as { inFlight: Record<string, unknown> }).inFlight;
      delete f['store'];
      return f;
    };
    const pgMoves = strip(onPg.stdout);
    expect(pgMoves).toEqual(strip(onSqlite.stdout));
    expect(pgMoves['leave']).toBeGreaterThan(0);
    expect(pgMoves['move']).toBeGreaterThan(0);
    expect(await snapshot(url)).toBe(before);
  });

  it('a database that is not a store, or no server: one line, exit 2', async () => {
    const dir = editedExample('b2b', {});
    const url = await freshDatabase(server!, 'empty');
    const r = await runCli(['diff', 'old', 'new', '--db', url], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^nurture: postgres:\/\/.* is not a nurture store \(no nurture_meta and nurture_leads tables\)\n$/);
    const down = await runCli(['diff', 'old', 'new', '--db', 'postgres://nobody@127.0.0.1:1/x'], { cwd: dir });
    expect(down.status).toBe(2);
    expect(down.stderr).toBe('nurture: cannot connect to postgres://nobody@127.0.0.1:1/x: connection refused (is the server running, and on that host and port?)\n');
  });
});
