// The PostgreSQL store (docs/scaling.md): partitions, leases, fenced commits, workers.
export { openPostgresStore, PgStore, PgOpenError, decodeRow } from './store.js';
export type { PgStoreOptions, LeadRow } from './store.js';
export { Worker, startWorker } from './worker.js';
export type { WorkerOptions, WorkerStats, StepResult } from './worker.js';
export type { ClockOption } from './clock.js';
export { PgOutbox } from './outbox.js';
export { FencedError, PgStoreError, PlanChangedError, isTransient, reasonOf } from './errors.js';
export { PG_SCHEMA_VERSION } from './schema.js';
export { DEFAULT_PARTITIONS, partitionOf } from './partition.js';
export { isPostgresUrl, shownUrl } from './url.js';
