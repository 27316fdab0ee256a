// What delivery needs of a store's outbox: the SQLite store's `Outbox` (synchronous) and PostgreSQL's
// `PgOutbox` (asynchronous) both have it; callers `await` every result.
import type { Acked, DeadEntry, DeliveryEntry } from '../../runtime/store/outbox.js';

type Maybe<T> = T | Promise<T>;

export interface DeliveryQueue {
  size(): Maybe<number>;
  list(after: number, limit: number): Maybe<DeliveryEntry[]>;
  claim(limit: number, claimMs: number, owner: string): Maybe<DeliveryEntry[]>;
  ackAged(ids: Iterable<string>): Maybe<Acked>;
  retryLater(id: string, owner: string, delayMs: number, error: string): Maybe<boolean>;
  bury(id: string, owner: string, error: string): Maybe<boolean>;
  dead(after: number, limit: number): Maybe<DeadEntry[]>;
  deadCount(): Maybe<number>;
  revive(ids: readonly string[] | 'all'): Maybe<number>;
  readyIn(): Maybe<number | null>;
  /** SQLite only (one process per file): frees the claims a killed process left, at start. */
  releaseClaims?(): number;
}
