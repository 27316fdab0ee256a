// Leases: which worker owns which partition, kept in PostgreSQL (`nurture_partitions`: owner, epoch,
// expiry by the SERVER's clock). Why a lease table rather than advisory locks: an advisory lock lives as
// long as a connection, so a worker that is paused (SIGSTOP, a long GC) keeps it while its TCP connection
// stays up, and nothing can be checked inside another connection's transaction. A lease row has an
// epoch, incremented at every takeover, that each commit checks in its own transaction (fencing,
// commit.ts), and an expiry after which any other worker may take the partition.
//
// Sharing: every worker heartbeats in `nurture_workers`; the fair share is ceil(partitions / live
// workers). A worker above it gives partitions up (after committing), one below it takes free or
// expired ones: a new worker gets its share within one renewal period, without stopping the others.
import type pg from 'pg';


/** A worker row expired this many leases ago is a dead worker's: removed by the next `maintain`. */
export const DEAD_ROW_LEASES = 10;
export interface LeaseOptions {
  /** How long a lease lasts without renewal (ms, default 10,000): a dead worker's partitions are taken over after at most this plus `renewMs`. */
  leaseMs?: number;
  /** How often leases are renewed and the share rebalanced (ms, default leaseMs / 4). */
  renewMs?: number;
}

/** What one `maintain` changed. */
export interface LeaseChange {
  gained: number[];
  lost: number[];
  released: number[];
}

export class Leases {
  /** The partitions this worker holds, with the epoch of its lease on each. */
  readonly held = new Map<number, number>();
  readonly leaseMs: number;
  readonly renewMs: number;
  private lastRenew = -Infinity;

  constructor(
    private readonly pool: pg.Pool,
    readonly worker: string,
    readonly partitions: number,
    o: LeaseOptions = {},
  ) {
    this.leaseMs = o.leaseMs ?? 10_000;
    this.renewMs = o.renewMs ?? Math.max(1, Math.floor(this.leaseMs / 4));
  }

  get parts(): number[] {
    return [...this.held.keys()].sort((a, b) => a - b);
  }

  /** The held partitions and their epochs, as two arrays (the fencing statement's parameters). */
  fence(): [number[], number[]] {
    const parts = this.parts;
    return [parts, parts.map((p) => this.held.get(p)!)];
  }

  /** Forgets partitions (a refused commit found them lost). */
  forget(parts: Iterable<number>): void {
    for (const p of parts) this.held.delete(p);
  }

  /**
   * Time for `maintain`: every `renewMs`, busy or not — a commit renews the leases too, but only
   * `maintain` heartbeats and rebalances (a busy worker must still give partitions to a new one).
   */
  get due(): boolean {
    return performance.now() - this.lastRenew >= this.renewMs;
  }

  /**
   * Heartbeat, renewal, then rebalancing towards the fair share. Call with nothing uncommitted: the
   * partitions released here are given up at once.
   */
  async maintain(): Promise<LeaseChange> {
    const change: LeaseChange = { gained: [], lost: [], released: [] };
    const ms = this.leaseMs;
    await this.pool.query(
      "INSERT INTO nurture_workers (id, expires) VALUES ($1, now() + $2 * interval '1 millisecond') ON CONFLICT (id) DO UPDATE SET expires = excluded.expires",
      [this.worker, ms],
    );
    const [parts, epochs] = this.fence();
    if (parts.length > 0) {
      const r = await this.pool.query(
        `UPDATE nurture_partitions p SET expires = now() + $3 * interval '1 millisecond'
           FROM unnest($1::int[], $2::bigint[]) AS o(part, epoch)
          WHERE p.part = o.part AND p.epoch = o.epoch AND p.owner = $4 RETURNING p.part`,
        [parts, epochs, ms, this.worker],
      );
      const kept = new Set(r.rows.map((row: { part: number }) => row.part));
      for (const p of parts) if (!kept.has(p)) change.lost.push(p);
      this.forget(change.lost);
    }
    this.lastRenew = performance.now();
    // Live workers counted; the rows of workers dead for ten leases (killed, never back) removed on the way.
    const live = Number(
      (
        await this.pool.query(
          `WITH gone AS (DELETE FROM nurture_workers WHERE expires < now() - $1 * interval '1 millisecond')
           SELECT count(*) AS n FROM nurture_workers WHERE expires > now()`,
          [DEAD_ROW_LEASES * ms],
        )
      ).rows[0].n,
    );
    const share = Math.ceil(this.partitions / Math.max(1, live));
    if (this.held.size > share) {
      const give = this.parts.slice(share);
      await this.pool.query(
        `UPDATE nurture_partitions p SET owner = NULL, expires = '-infinity'
           FROM unnest($1::int[], $2::bigint[]) AS o(part, epoch)
          WHERE p.part = o.part AND p.epoch = o.epoch AND p.owner = $3`,
        [give, give.map((p) => this.held.get(p)!), this.worker],
      );
      this.forget(give);
      change.released = give;
    } else if (this.held.size < share) {
      // Free or expired partitions, taken with a new epoch; rows locked by another taker are skipped.
      const r = await this.pool.query(
        `UPDATE nurture_partitions p SET owner = $1, epoch = p.epoch + 1, expires = now() + $2 * interval '1 millisecond'
          WHERE p.part IN (SELECT part FROM nurture_partitions WHERE owner IS NULL OR expires < now()
                            ORDER BY part LIMIT $3 FOR UPDATE SKIP LOCKED)
          RETURNING p.part, p.epoch::float8 AS epoch`,
        [this.worker, ms, share - this.held.size],
      );
      for (const row of r.rows as { part: number; epoch: number }[]) {
        this.held.set(row.part, row.epoch);
        change.gained.push(row.part);
      }
    }
    return change;
  }

  /** Gives every partition up and leaves (a worker stopping cleanly): others take over at once. */
  async releaseAll(): Promise<void> {
    const [parts, epochs] = this.fence();
    await this.pool.query(
      `UPDATE nurture_partitions p SET owner = NULL, expires = '-infinity'
         FROM unnest($1::int[], $2::bigint[]) AS o(part, epoch)
        WHERE p.part = o.part AND p.epoch = o.epoch AND p.owner = $3`,
      [parts, epochs, this.worker],
    );
    await this.pool.query('DELETE FROM nurture_workers WHERE id = $1', [this.worker]);
    this.held.clear();
  }
}
