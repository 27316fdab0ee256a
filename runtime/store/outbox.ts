// The outbox: actions written in the same transaction as the state change that produced them, waiting
// for the host to deliver and acknowledge them. Delivery is at-least-once: an action stays in the outbox
// until acknowledged, and every action not acknowledged is handed out again (with the same id) after a
// restart or a `rewind()`. A host that deduplicates by `id` gets exactly-once effect.
import type Database from 'better-sqlite3';
import type { RuntimeAction } from '../engine/core.js';

export interface OutboxEntry {
  /** Position in the outbox (increasing in the order the actions were decided). */
  seq: number;
  action: RuntimeAction;
}

export class Outbox {
  private cursor = 0;
  private s: { after: Database.Statement; ack: Database.Statement; count: Database.Statement };

  constructor(private readonly db: Database.Database) {
    this.s = {
      after: db.prepare('SELECT seq, action FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?').raw(),
      ack: db.prepare('DELETE FROM outbox WHERE id = ?'),
      count: db.prepare('SELECT count(*) FROM outbox').pluck(),
    };
  }

  /**
   * The next un-acknowledged actions not yet handed out by this process (in decision order), at most
   * `limit`. They stay in the outbox until `ack`ed.
   */
  drain(limit = 1000): OutboxEntry[] {
    const rows = this.s.after.all(this.cursor, limit) as [number, string][];
    if (rows.length > 0) this.cursor = rows[rows.length - 1]![0];
    return rows.map(([seq, text]) => ({ seq, action: JSON.parse(text) as RuntimeAction }));
  }

  /**
   * Up to `limit` un-acknowledged actions after position `after` (0: from the start), in decision order,
   * without moving the cursor: a reader that keeps its own position (pull delivery over HTTP).
   */
  page(after: number, limit: number): OutboxEntry[] {
    const rows = this.s.after.all(after, limit) as [number, string][];
    return rows.map(([seq, text]) => ({ seq, action: JSON.parse(text) as RuntimeAction }));
  }

  /** Acknowledges delivered actions by id (one transaction); returns how many outbox rows were removed. */
  ack(ids: Iterable<string>): number {
    let n = 0;
    this.db.transaction(() => {
      for (const id of ids) n += this.s.ack.run(id).changes;
    })();
    return n;
  }

  /** Hands out every un-acknowledged action again from the start (what a restart does). */
  rewind(): void {
    this.cursor = 0;
  }

  /** Actions in the outbox (not acknowledged). */
  size(): number {
    return this.s.count.get() as number;
  }

  /** Every un-acknowledged action, without moving the cursor (inspection, tests). */
  all(): OutboxEntry[] {
    const rows = this.s.after.all(0, -1) as [number, string][];
    return rows.map(([seq, text]) => ({ seq, action: JSON.parse(text) as RuntimeAction }));
  }
}
