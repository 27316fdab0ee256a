// The outbox: actions written in the same transaction as the state change that produced them, waiting
// for the host to deliver and acknowledge them. Delivery is at-least-once: an action stays in the outbox
// until acknowledged, and every action not acknowledged is handed out again (with the same id) after a
// restart or a `rewind()`. A host that deduplicates by `id` gets exactly-once effect.
//
// A deliverer with retries (`nurture serve`'s webhook, server/delivery/) uses the delivery columns:
// `claim` takes the ready actions (`not_before` passed), counts an attempt and hides them until
// `not_before` = now + the claim's length; `retryLater` sets the next attempt after a failure; `bury`
// moves an action that failed too often to `outbox_dead`, which `revive` moves back. `drain`, `ack`,
// `size` and `all` ignore these columns (they work as before; dead letters are out of the outbox).
import type Database from 'better-sqlite3';
import type { RuntimeAction } from '../engine/core.js';

export interface OutboxEntry {
  /** Position in the outbox (increasing in the order the actions were decided). */
  seq: number;
  action: RuntimeAction;
}

/** An action with its delivery state. */
export interface DeliveryEntry extends OutboxEntry {
  /** Delivery attempts started so far (a claim counts one). */
  attempts: number;
  /** Why the last attempt failed, or null. */
  error: string | null;
  /** When the action was committed to the outbox (epoch ms; null for rows of a store older than this column). */
  committed: number | null;
}

/** An action that failed `attempts` times and left the outbox (`bury`). */
export interface DeadEntry extends DeliveryEntry {
  error: string;
  /** When it was buried (epoch ms). */
  died: number;
}

/** What an acknowledgement removed: how many rows, and each one's age since its commit (ms; rows without a commit time left out). */
export interface Acked {
  removed: number;
  agesMs: number[];
}

/**
 * The delivery columns and the dead-letter table, added to a store file of any earlier layout (idempotent;
 * additive, so a runtime that does not know them keeps working on the file). The store calls it when it
 * opens a file.
 */
export function applyOutboxSchema(db: Database.Database): void {
  const have = new Set(db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('outbox') as string[]);
  const add: [string, string][] = [
    ['attempts', 'INTEGER NOT NULL DEFAULT 0'],
    ['not_before', 'INTEGER NOT NULL DEFAULT 0'],
    ['owner', 'TEXT'],
    ['error', 'TEXT'],
    ['committed', 'INTEGER'],
  ];
  db.transaction(() => {
    for (const [name, type] of add) if (!have.has(name)) db.exec(`ALTER TABLE outbox ADD COLUMN ${name} ${type}`);
    db.exec(`
CREATE INDEX IF NOT EXISTS outbox_ready ON outbox (not_before, seq);
CREATE TABLE IF NOT EXISTS outbox_dead (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, lead TEXT NOT NULL, at INTEGER NOT NULL, action TEXT NOT NULL,
  committed INTEGER, attempts INTEGER NOT NULL, error TEXT NOT NULL, died INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS outbox_dead_id ON outbox_dead (id);`);
  })();
}

/** A row `seq, action, attempts, error, committed` (then `died` for a dead letter) as the stores select it. */
type Row = unknown[];
const entry = (row: Row): DeliveryEntry => ({
  seq: row[0] as number,
  action: JSON.parse(row[1] as string) as RuntimeAction,
  attempts: row[2] as number,
  error: row[3] as string | null,
  committed: row[4] as number | null,
});
/** The rows of `list` and `claim`, and of `dead` (with `died`), as entries: shared with the PostgreSQL outbox. */
export const deliveryEntries = (rows: Row[]): DeliveryEntry[] => rows.map(entry);
export const deadEntries = (rows: Row[]): DeadEntry[] => rows.map((row) => ({ ...entry(row), error: (row[3] as string | null) ?? '', died: row[5] as number }));
const ROW = 'seq, action, attempts, error, committed';

export class Outbox {
  private cursor = 0;
  private s: Record<
    'after' | 'ack' | 'count' | 'list' | 'claim' | 'ackAged' | 'retryLater' | 'bury' | 'unbury' | 'dead' | 'deadCount' | 'readyIn',
    Database.Statement
  >;
  private revivals: Record<'one' | 'all', { insert: Database.Statement; remove: Database.Statement }>;

  constructor(private readonly db: Database.Database) {
    this.s = {
      after: db.prepare('SELECT seq, action FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?').raw(),
      ack: db.prepare('DELETE FROM outbox WHERE id = ?'),
      count: db.prepare('SELECT count(*) FROM outbox').pluck(),
      list: db.prepare(`SELECT ${ROW} FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?`).raw(),
      claim: db
        .prepare(
          `UPDATE outbox SET owner = ?, not_before = ?, attempts = attempts + 1
           WHERE seq IN (SELECT seq FROM outbox WHERE not_before <= ? ORDER BY not_before, seq LIMIT ?) RETURNING ${ROW}`,
        )
        .raw(),
      ackAged: db.prepare('DELETE FROM outbox WHERE id = ? RETURNING committed').pluck(),
      retryLater: db.prepare('UPDATE outbox SET owner = NULL, not_before = ?, error = ? WHERE id = ? AND owner = ?'),
      bury: db.prepare(
        `INSERT INTO outbox_dead (seq, id, lead, at, action, committed, attempts, error, died)
         SELECT seq, id, lead, at, action, committed, attempts, ?, ? FROM outbox WHERE id = ? AND owner = ?`,
      ),
      unbury: db.prepare('DELETE FROM outbox WHERE id = ? AND owner = ?'),
      dead: db.prepare(`SELECT ${ROW}, died FROM outbox_dead WHERE seq > ? ORDER BY seq LIMIT ?`).raw(),
      deadCount: db.prepare('SELECT count(*) FROM outbox_dead').pluck(),
      readyIn: db.prepare('SELECT min(not_before) FROM outbox').pluck(),
    };
    // a revived action gets a new seq (the end of the outbox) and a fresh delivery state
    const revive = (where: string) => ({
      insert: db.prepare(`INSERT INTO outbox (id, lead, at, action, committed) SELECT id, lead, at, action, ? FROM outbox_dead ${where} ORDER BY seq`),
      remove: db.prepare(`DELETE FROM outbox_dead ${where}`),
    });
    this.revivals = { one: revive('WHERE id = ?'), all: revive('') };
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

  // --- delivery with retries (server/delivery/) ---------------------------------------------------

  /** Un-acknowledged actions after `seq` `after`, with their delivery state (no cursor moved). */
  list(after: number, limit: number): DeliveryEntry[] {
    return deliveryEntries(this.s.list.all(after, limit) as Row[]);
  }

  /**
   * Takes at most `limit` ready actions for one attempt by `owner`: counts the attempt and hides them from
   * other claims for `claimMs` (then they are ready again: a deliverer that died gave them up).
   */
  claim(limit: number, claimMs: number, owner: string): DeliveryEntry[] {
    const now = Date.now();
    const rows = this.s.claim.all(owner, now + claimMs, now, limit) as Row[];
    return deliveryEntries(rows).sort((a, b) => a.seq - b.seq);
  }

  /** `ack` that also returns each removed row's age since its commit (delivery latency). */
  ackAged(ids: Iterable<string>): Acked {
    const now = Date.now();
    const out: Acked = { removed: 0, agesMs: [] };
    this.db.transaction(() => {
      for (const id of ids) {
        for (const committed of this.s.ackAged.all(id) as (number | null)[]) {
          out.removed++;
          if (committed !== null) out.agesMs.push(Math.max(0, now - committed));
        }
      }
    })();
    return out;
  }

  /** After a failed attempt: ready again in `delayMs` — if `owner` still holds the claim (else another deliverer has it). */
  retryLater(id: string, owner: string, delayMs: number, error: string): boolean {
    return this.s.retryLater.run(Date.now() + delayMs, error, id, owner).changes > 0;
  }

  /** Moves an action `owner` holds to the dead letters (`error`: its last failure); false when the claim was lost. */
  bury(id: string, owner: string, error: string): boolean {
    return this.db.transaction(() => {
      if (this.s.bury.run(error, Date.now(), id, owner).changes === 0) return false;
      this.s.unbury.run(id, owner);
      return true;
    })();
  }

  /** Dead letters after `seq` `after`, in the order they were decided. */
  dead(after: number, limit: number): DeadEntry[] {
    return deadEntries(this.s.dead.all(after, limit) as Row[]);
  }

  deadCount(): number {
    return this.s.deadCount.get() as number;
  }

  /** Moves dead letters (by id, or all) back into the outbox with no attempt made; returns how many. */
  revive(ids: readonly string[] | 'all'): number {
    const now = Date.now();
    return this.db.transaction(() => {
      if (ids === 'all') {
        this.revivals.all.insert.run(now);
        return this.revivals.all.remove.run().changes;
      }
      let n = 0;
      for (const id of new Set(ids)) {
        this.revivals.one.insert.run(now, id);
        n += this.revivals.one.remove.run(id).changes;
      }
      return n;
    })();
  }

  /**
   * Makes every claimed action ready at once; returns how many. A store file has one process (the exclusive
   * lock), so at start every claim is a killed process's: its deliverer need not wait for them to expire.
   */
  releaseClaims(): number {
    return this.db.prepare('UPDATE outbox SET owner = NULL, not_before = 0 WHERE owner IS NOT NULL').run().changes;
  }

  /** Milliseconds until an action is ready for a claim (0: now), or null when the outbox is empty. */
  readyIn(): number | null {
    const t = this.s.readyIn.get() as number | null;
    return t === null ? null : Math.max(0, t - Date.now());
  }
}
