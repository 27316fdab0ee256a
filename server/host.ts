// What the routes need from a store, whichever it is: the embedded SQLite runtime (one process,
// sqlite-host.ts) or a PostgreSQL deployment (any number of processes, pg-host.ts). The routes and the
// clock loop speak only to this interface.
import type { Plan } from '../runtime/plan-types.js';
import type { PlanIndex } from '../runtime/engine/plan-index.js';
import type { DeliveryQueue } from './delivery/queue.js';
import type { LeadView } from './lead-view.js';

/** The per-item answer of `POST /v1/events`: positions in the request's list (0-based). */
export interface IngestAnswer {
  accepted: number[];
  duplicates: number[];
  /** Accepted, but older than their lead's clock: applied at the clock (LANGUAGE.md §8.1). */
  late: number[];
  rejected: { index: number; reason: string }[];
  /** The store only queued the accepted events (PostgreSQL: a worker applies them shortly). */
  queued: boolean;
}

export interface DeploySummary {
  from: string | null;
  to: string;
  changed: boolean;
  /** Leads moved by the migration (SQLite: all of them at once; PostgreSQL: as each partition is loaded). */
  migrated: number | null;
  moves: { lead: string; journey: string | null; step: number | null; moved: string; reason: string }[];
  note: string;
}

export interface HostStats {
  /** Earliest pending timer (epoch ms), or Infinity; null when this host does not know (PostgreSQL). */
  nextDue: number | null;
  /** Events waiting for a worker (PostgreSQL), or null. */
  inbox: number | null;
}

export interface Host {
  readonly kind: 'sqlite' | 'postgres';
  /** The outbox the delivery subsystem reads (stable for the host's life, across plan deployments). */
  readonly outbox: DeliveryQueue;
  /** The plan events are validated against now. */
  index(): PlanIndex;
  /** Validates and applies (SQLite) or queues (PostgreSQL) `items`, the request's events in order. */
  ingest(items: readonly unknown[], preRejected: ReadonlyMap<number, string>): Promise<IngestAnswer>;
  lead(id: string): Promise<LeadView | undefined>;
  /** The lead's audit trail (JSON records with source locations), or undefined when unknown; null when this store keeps none. */
  audit(id: string, limit: number): Promise<Record<string, unknown>[] | undefined | null>;
  deploy(plan: Plan): Promise<DeploySummary>;
  stats(): Promise<HostStats>;
  /** Advances the clock to `now` (SQLite; PostgreSQL's worker keeps its own clock): lead steps run. */
  tick(now: number): number;
  /** When `tick` has something to do next (epoch ms), or Infinity. */
  nextDue(): number;
  /** Called after each commit that may have produced actions. */
  onCommit(listener: (actions: Map<string, number>) => void): void;
  close(): Promise<void>;
}
