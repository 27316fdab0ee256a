// The outbox in PostgreSQL: the same contract as the SQLite store's (outbox.ts) — actions written in the
// transaction that decided them, handed out until acknowledged, with their stable ids — asynchronously.
// `drain` hands out every action to every reader (each `PgOutbox` has its own cursor: deduplicate by `id`).
// Deliverers with retries (server/delivery/) share the outbox through claims instead: `claim` takes
// ready rows with `FOR UPDATE SKIP LOCKED` and hides them until a claimed-until time (`not_before`), so
// each action goes to one deliverer at a time, and a dead deliverer's claims expire. Times are the
// server's clock (`now()`), so that deliverers on several machines agree.
import type pg from 'pg';
import type { RuntimeAction } from '../../engine/core.js';
import { deadEntries, deliveryEntries, type Acked, type DeadEntry, type DeliveryEntry, type OutboxEntry } from '../outbox.js';

/** The database's clock in epoch ms (the transaction's start: one value per statement). */
const NOW_MS = '(extract(epoch FROM now()) * 1000)::bigint';
const ROW = 'seq::float8 AS seq, action, attempts, error, committed::float8 AS committed';

export class PgOutbox {
  private cursor = 0;

  constructor(private readonly pool: pg.Pool) {}

  /** The next un-acknowledged actions not yet handed out by this object (in commit order), at most `limit`. */
  async drain(limit = 1000): Promise<OutboxEntry[]> {
    const rows = await this.rows(this.cursor, limit);
    if (rows.length > 0) this.cursor = rows[rows.length - 1]!.seq;
    return rows;
  }

  /** Acknowledges delivered actions by id (one statement); returns how many outbox rows were removed. */
  async ack(ids: Iterable<string>): Promise<number> {
    const list = [...ids];
    if (list.length === 0) return 0;
    return (await this.pool.query('DELETE FROM nurture_outbox WHERE id = ANY($1::text[])', [list])).rowCount ?? 0;
  }

  /** Hands out every un-acknowledged action again from the start (what a restart does). */
  rewind(): void {
    this.cursor = 0;
  }

  async size(): Promise<number> {
    return Number((await this.pool.query('SELECT count(*) AS n FROM nurture_outbox')).rows[0].n);
  }

  /** Every un-acknowledged action, without moving the cursor (inspection, tests). */
  async all(): Promise<OutboxEntry[]> {
    return this.rows(0, null);
  }

  private async rows(after: number, limit: number | null): Promise<OutboxEntry[]> {
    const r = await this.pool.query({
      text: 'SELECT seq::float8 AS seq, action FROM nurture_outbox WHERE seq > $1 ORDER BY seq LIMIT $2',
      values: [after, limit],
      rowMode: 'array',
    });
    return (r.rows as [number, string][]).map(([seq, text]) => ({ seq, action: JSON.parse(text) as RuntimeAction }));
  }

  // --- delivery with retries (server/delivery/; the SQLite Outbox documents each method) -----------

  async list(after: number, limit: number): Promise<DeliveryEntry[]> {
    return deliveryEntries(await this.query(`SELECT ${ROW} FROM nurture_outbox WHERE seq > $1 ORDER BY seq LIMIT $2`, [after, limit]));
  }

  async claim(limit: number, claimMs: number, owner: string): Promise<DeliveryEntry[]> {
    const rows = await this.query(
      `UPDATE nurture_outbox o SET owner = $2, not_before = ${NOW_MS} + $3, attempts = o.attempts + 1
       FROM (SELECT seq FROM nurture_outbox WHERE not_before <= ${NOW_MS} ORDER BY not_before, seq LIMIT $1 FOR UPDATE SKIP LOCKED) c
       WHERE o.seq = c.seq RETURNING o.seq::float8 AS seq, o.action, o.attempts, o.error, o.committed::float8 AS committed`,
      [limit, owner, claimMs],
    );
    return deliveryEntries(rows).sort((a, b) => a.seq - b.seq);
  }

  async ackAged(ids: Iterable<string>): Promise<Acked> {
    const list = [...ids];
    if (list.length === 0) return { removed: 0, agesMs: [] };
    const rows = await this.query(
      `DELETE FROM nurture_outbox WHERE id = ANY($1::text[]) RETURNING (GREATEST(0, (extract(epoch FROM clock_timestamp()) * 1000)::bigint - committed))::float8`,
      [list],
    );
    return { removed: rows.length, agesMs: rows.map((r) => r[0] as number | null).filter((a): a is number => a !== null) };
  }

  async retryLater(id: string, owner: string, delayMs: number, error: string): Promise<boolean> {
    const r = await this.pool.query(`UPDATE nurture_outbox SET owner = NULL, not_before = ${NOW_MS} + $3, error = $4 WHERE id = $1 AND owner = $2`, [
      id,
      owner,
      delayMs,
      error,
    ]);
    return (r.rowCount ?? 0) > 0;
  }

  async bury(id: string, owner: string, error: string): Promise<boolean> {
    const r = await this.pool.query(
      `WITH d AS (DELETE FROM nurture_outbox WHERE id = $1 AND owner = $2 RETURNING seq, id, lead, at, action, committed, attempts)
       INSERT INTO nurture_outbox_dead (seq, id, lead, at, action, committed, attempts, error, died)
         SELECT seq, id, lead, at, action, committed, attempts, $3, ${NOW_MS} FROM d ON CONFLICT (seq) DO NOTHING`,
      [id, owner, error],
    );
    return (r.rowCount ?? 0) > 0;
  }

  async dead(after: number, limit: number): Promise<DeadEntry[]> {
    return deadEntries(await this.query(`SELECT ${ROW}, died::float8 FROM nurture_outbox_dead WHERE seq > $1 ORDER BY seq LIMIT $2`, [after, limit]));
  }

  async deadCount(): Promise<number> {
    return Number((await this.pool.query('SELECT count(*) AS n FROM nurture_outbox_dead')).rows[0].n);
  }

  /** (A revived action gets a new seq and a fresh delivery state.) */
  async revive(ids: readonly string[] | 'all'): Promise<number> {
    const where = ids === 'all' ? '' : 'WHERE id = ANY($1::text[])';
    const r = await this.pool.query(
      `WITH d AS (DELETE FROM nurture_outbox_dead ${where} RETURNING seq, id, lead, at, action)
       INSERT INTO nurture_outbox (id, lead, at, action, committed) SELECT id, lead, at, action, ${NOW_MS} FROM d ORDER BY seq`,
      ids === 'all' ? [] : [[...new Set(ids)]],
    );
    return r.rowCount ?? 0;
  }

  async readyIn(): Promise<number | null> {
    const rows = await this.query(`SELECT (min(not_before) - (extract(epoch FROM clock_timestamp()) * 1000)::bigint)::float8 FROM nurture_outbox`, []);
    const t = rows[0]?.[0] as number | null;
    return t === null ? null : Math.max(0, t);
  }

  private async query(text: string, values: unknown[]): Promise<unknown[][]> {
    return (await this.pool.query({ text, values, rowMode: 'array' })).rows as unknown[][];
  }
}
