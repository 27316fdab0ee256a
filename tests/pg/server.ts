// The PostgreSQL server of the tests: NURTURE_PG_URL when set (.ci/run starts one with
// scripts/pg-test-cluster.sh), else a throwaway cluster started by that script for this test file and
// stopped after it. Each test gets a database of its own (`freshDatabase`). When no server can be
// started the PostgreSQL tests are skipped — loudly: a warning line says why.
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const here = dirname(fileURLToPath(import.meta.url));
const root = here.includes(join('dist', 'tests')) ? resolve(here, '../../..') : resolve(here, '../..');
const SCRIPT = join(root, 'scripts/pg-test-cluster.sh');

export interface PgServer {
  /** The server's maintenance URL (database `nurture`). */
  url: string;
  /** The cluster directory when this file started the server (stop it after), else null. */
  dir: string | null;
}

let started: PgServer | null | undefined;

/** The server, started at most once per test file; null (with a warning) when none can be started. */
export function pgServer(): PgServer | null {
  if (started !== undefined) return started;
  const given = process.env['NURTURE_PG_URL'];
  if (given) return (started = { url: given, dir: null });
  try {
    const out = execFileSync(SCRIPT, ['start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const url = /NURTURE_PG_URL=(\S+)/.exec(out)?.[1];
    const dir = /NURTURE_PG_DIR=(\S+)/.exec(out)?.[1];
    if (!url || !dir) throw new Error(`unexpected output: ${out}`);
    return (started = { url, dir });
  } catch (e) {
    const why = (e as { stderr?: string }).stderr?.trim() || (e as Error).message;
    console.warn(`\n*** WARNING: PostgreSQL tests SKIPPED — no server could be started (${why}). Set NURTURE_PG_URL or install postgresql. ***\n`);
    return (started = null);
  }
}

/** Stops the server this file started (if any). */
export function stopPgServer(): void {
  if (started?.dir) execFileSync(SCRIPT, ['stop', started.dir], { stdio: 'ignore' });
  started = undefined;
}

let counter = 0;

/** A new, empty database on the server; returns its URL. */
export async function freshDatabase(server: PgServer, tag = 't'): Promise<string> {
  const name = `nurture_${tag}_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const c = new pg.Client({ connectionString: server.url });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
  const u = new URL(server.url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A cluster of the caller's own (to stop and start again); null when none can be started. */
export function privateServer(): PgServer | null {
  try {
    const out = execFileSync(SCRIPT, ['start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { url: /NURTURE_PG_URL=(\S+)/.exec(out)![1]!, dir: /NURTURE_PG_DIR=(\S+)/.exec(out)![1]! };
  } catch {
    return null;
  }
}

/** Stops (`down`) or starts again (`up`, same port) the server of a private cluster; `stop` removes it. */
export function cluster(server: PgServer, action: 'down' | 'up' | 'stop'): void {
  execFileSync(SCRIPT, [action, server.dir!], { stdio: 'ignore' });
}
