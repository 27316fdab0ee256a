// The inbox: events waiting for their partition's owner. Any process may add events (a web hook, a
// queue consumer, `nurture simulate`); each row carries its lead's partition so that an owner reads only
// its own. An owner removes the rows it applied in the transaction that commits their effects, so an
// event is applied exactly once whichever worker applies it (and a row committed late by a slow writer,
// with a smaller `seq` than rows already read, is still found: nothing is skipped by a position).
import { inTransaction } from './transaction.js';
import type pg from 'pg';
import { partitionOf } from './partition.js';

/** Rows per INSERT statement (three array parameters, unnested). */
const ROWS = 20_000;

/**
 * Adds events to the inbox, in the given order (one transaction): objects, or their JSON text. Each
 * needs a text `lead` (its partition); everything else is validated by the owner, which keeps the events it rejects in
 * `nurture_rejected` with the reason.
 */
export async function addEvents(pool: pg.Pool, partitions: number, events: readonly unknown[]): Promise<number> {
  const parts: number[] = [];
  const leads: string[] = [];
  const texts: string[] = [];
  events.forEach((ev, i) => {
    let value = ev;
    if (typeof ev === 'string') {
      try {
        value = JSON.parse(ev);
      } catch (e) {
        throw new Error(`event ${i}: not JSON (${e instanceof Error ? e.message : String(e)})`);
      }
    }
    const lead = (value as { lead?: unknown } | null)?.lead;
    if (typeof lead !== 'string' || lead === '') throw new Error(`event ${i}: needs a text \`lead\` (the inbox routes events by lead)`);
    parts.push(partitionOf(lead, partitions));
    leads.push(lead);
    texts.push(typeof ev === 'string' ? ev : JSON.stringify(ev));
  });
  await inTransaction(pool, async (client) => {
    for (let i = 0; i < texts.length; i += ROWS) {
      await client.query('INSERT INTO nurture_inbox (part, lead, event) SELECT * FROM unnest($1::int[], $2::text[], $3::text[])', [
        parts.slice(i, i + ROWS),
        leads.slice(i, i + ROWS),
        texts.slice(i, i + ROWS),
      ]);
    }
  });
  return texts.length;
}

export interface InboxRow {
  seq: number;
  event: string;
}

/** The oldest `limit` events of the partitions `parts` (by seq), leaving out the rows `skip` (a unit still committing). */
export async function readInbox(db: pg.ClientBase | pg.Pool, parts: readonly number[], limit: number, skip: readonly number[] = []): Promise<InboxRow[]> {
  const r = await db.query({
    // ORDER BY the column, not the float8 output (which would sort every matching row instead of reading the index in order)
    text: 'SELECT seq::float8 AS s, event FROM nurture_inbox WHERE part = ANY($1::int[]) AND seq <> ALL($3::bigint[]) ORDER BY nurture_inbox.seq LIMIT $2',
    values: [parts, limit, skip],
    rowMode: 'array',
  });
  return (r.rows as [number, string][]).map(([seq, event]) => ({ seq, event }));
}
