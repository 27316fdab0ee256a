// `openPostgresStore(url, options)`: a connection pool to a PostgreSQL store, its schema applied. What
// every process of a deployment shares: the inbox (any process adds events), the outbox (any process
// delivers), the watermark (the instant up to which input is complete, for workers on a logical clock),
// plan versions, and the lead rows that workers (worker.ts) load per partition.
import { addMeasures, readMeasures } from './measures.js';
import { inTransaction } from './transaction.js';
import type { MeasuresData } from '../../engine/measure-data.js';
import pg from 'pg';
import type { Plan } from '../../plan-types.js';
import type { LeadState } from '../../engine/state.js';
import { decodeState, readRecords } from '../state-codec.js';
import { PgStoreError, isTransient, reasonOf } from './errors.js';
import { addEvents } from './inbox.js';
import { PgOutbox } from './outbox.js';
import { withRetry, type RetryOptions } from './retry.js';
import { applySchema } from './schema.js';
import { checkUrl, shownUrl } from './url.js';

export interface PgStoreOptions {
  /** Partitions of a new store (default 256); for an existing store, when given, it must match. */
  partitions?: number;
  /** Connections in the pool (default 4). */
  connections?: number;
  /**
   * The server ends a session idle inside a transaction for longer than this (ms, default 10,000): a
   * worker paused in the middle of a commit does not keep its partitions' rows locked (a takeover waits
   * for them).
   */
  idleInTransactionMs?: number;
  /** How the first connection is retried (default: 8 attempts over about 25 s). */
  retry?: RetryOptions;
}

/** A lead row as a worker loads it: its state and processed ids decoded by the caller. */
export interface LeadRow {
  id: string;
  part: number;
  plan: string;
  due: number | null;
  record: Buffer;
}

export class PgStore {
  readonly outbox: PgOutbox;

  constructor(
    readonly pool: pg.Pool,
    readonly url: string,
    readonly partitions: number,
  ) {
    this.outbox = new PgOutbox(pool);
  }

  /** Adds events to the inbox (one transaction; see inbox.ts). */
  addEvents(events: readonly unknown[]): Promise<number> {
    return addEvents(this.pool, this.partitions, events);
  }

  /** Input is complete up to `t` (epoch ms): workers on the `watermark` clock run timers up to it. Never moves back. */
  async setWatermark(t: number): Promise<void> {
    await this.pool.query(
      "INSERT INTO nurture_meta (key, value) VALUES ('watermark', $1) ON CONFLICT (key) DO UPDATE SET value = GREATEST(nurture_meta.value::float8, excluded.value::float8)::text",
      [String(t)],
    );
  }
  async watermark(): Promise<number> {
    const v = await this.meta('watermark');
    return v === undefined ? -Infinity : Number(v);
  }

  async meta(key: string): Promise<string | undefined> {
    return (await this.pool.query('SELECT value FROM nurture_meta WHERE key = $1', [key])).rows[0]?.value as string | undefined;
  }

  /** Makes `plan` the store's plan (kept in `nurture_plans` for migrations); returns the previous plan's hash. */
  async usePlan(plan: Plan): Promise<string | undefined> {
    const hash = plan.source.hash;
    return inTransaction(this.pool, async (client) => {
      await client.query('INSERT INTO nurture_plans (hash, plan, first_loaded) VALUES ($1, $2, $3) ON CONFLICT (hash) DO NOTHING', [hash, JSON.stringify(plan), Date.now()]);
      const prev = (await client.query("SELECT value FROM nurture_meta WHERE key = 'plan' FOR UPDATE")).rows[0]?.value as string | undefined;
      await client.query("INSERT INTO nurture_meta (key, value) VALUES ('plan', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [hash]);
      return prev;
    });
  }

  /** A plan the store has run, by hash, or undefined. */
  async plan(hash: string): Promise<Plan | undefined> {
    const text = (await this.pool.query('SELECT plan FROM nurture_plans WHERE hash = $1', [hash])).rows[0]?.plan as string | undefined;
    return text === undefined ? undefined : (JSON.parse(text) as Plan);
  }

  /** The lead rows of partitions `parts`. */
  async leadRows(parts: readonly number[]): Promise<LeadRow[]> {
    const r = await this.pool.query({
      text: 'SELECT id, part, plan, due::float8, record FROM nurture_leads WHERE part = ANY($1::int[])',
      values: [parts],
      rowMode: 'array',
    });
    return (r.rows as [string, number, string, number | null, Buffer][]).map(([id, part, plan, due, record]) => ({ id, part, plan, due, record }));
  }

  /** Every lead's committed state and processed ids (inspection, tests; reads the whole table). */
  async leadStates(): Promise<Map<string, { state: LeadState; seen: string[]; due: number | null }>> {
    const out = new Map<string, { state: LeadState; seen: string[]; due: number | null }>();
    const all = await this.leadRows([...Array(this.partitions).keys()]);
    for (const row of all) out.set(row.id, decodeRow(row));
    return out;
  }

  /** Events the workers rejected (with the reason), in inbox order. */
  async rejected(): Promise<{ seq: number; lead: string | null; reason: string; event: string }[]> {
    const r = await this.pool.query('SELECT seq::float8 AS seq, lead, reason, event FROM nurture_rejected ORDER BY seq');
    return r.rows;
  }

  /** Events waiting in the inbox. */
  /** Every worker's committed measures (measures.ts). */
  async measures(): Promise<MeasuresData> {
    return readMeasures(this.pool);
  }

  /** Adds `d` to the store's measures as `writer` (e.g. the lines a feeder rejected before the inbox). */
  async addMeasures(writer: string, d: MeasuresData): Promise<void> {
    await inTransaction(this.pool, (client) => addMeasures(client, writer, d));
  }

  async inboxSize(): Promise<number> {
    return Number((await this.pool.query('SELECT count(*) AS n FROM nurture_inbox')).rows[0].n);
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/** A lead row's state and processed ids. */
export function decodeRow(row: LeadRow): { state: LeadState; seen: string[]; due: number | null } {
  let out: { state: LeadState; seen: string[]; due: number | null } | undefined;
  readRecords(row.record, (_i, state, seen) => {
    out = { state: decodeState(state, row.id, row.plan), seen: seen(), due: row.due };
  });
  if (out === undefined) throw new Error(`lead ${row.id}: empty record`);
  return out;
}

/** The error of a store that cannot be opened, in words (URL without its password). */
export class PgOpenError extends PgStoreError {}

/**
 * Connects to the store at `url` (retrying while the server is unreachable, with backoff), applies the
 * schema, and checks the partition count. Errors say what is wrong: the URL, the server, the schema.
 */
export async function openPostgresStore(url: string, options: PgStoreOptions = {}): Promise<PgStore> {
  const bad = checkUrl(url);
  if (bad !== null) throw new PgOpenError(bad);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.connections ?? 4,
    connectionTimeoutMillis: 10_000,
    options: `-c idle_in_transaction_session_timeout=${options.idleInTransactionMs ?? 10_000}`,
  });
  // A connection dropped by the server (idle in the pool, or checked out between two queries) emits an
  // error event; the query that uses it next fails and is retried: the event itself is not an error.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  try {
    const partitions = await withRetry(
      async () => {
        const client = await pool.connect();
        try {
          return await applySchema(client, options.partitions);
        } finally {
          client.release();
        }
      },
      isTransient,
      options.retry,
    );
    return new PgStore(pool, url, partitions);
  } catch (e) {
    await pool.end().catch(() => undefined);
    if (e instanceof PgStoreError) throw new PgOpenError(`${shownUrl(url)}: ${e.message}`);
    throw new PgOpenError(`cannot open the PostgreSQL store ${shownUrl(url)}: ${reasonOf(e)}`);
  }
}
