// The outbox in PostgreSQL: the same contract as the SQLite store's (outbox.ts) — actions written in the
// transaction that decided them, handed out until acknowledged, with their stable ids — asynchronously.
// Any process may deliver; several deliverers at once each see every action (deduplicate by `id`).
import type pg from 'pg';
import type { RuntimeAction } from '../../engine/core.js';
import type { OutboxEntry } from '../outbox.js';

export class PgOutbox {
  private cursor = 0;

  constructor(private readonly pool: pg.Pool) {}

  /** The next un-acknowledged actions not yet handed out by this object (in commit order), at most `limit`. */
  async drain(limit = 1000): Promise<OutboxEntry[]> {
    const rows = await this.rows(this.cursor, limit);
    if (rows.length > 0) this.cursor = rows[rows.length - 1]!.seq;
    return rows;
  }

  /** Up to `limit` un-acknowledged actions after position `after` (0: from the start), without moving the cursor. */
  page(after: number, limit: number): Promise<OutboxEntry[]> {
    return this.rows(after, limit);
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
}
