// Durable stores for the runtime (see docs/host-api.md).
export { DamagedStoreError, SqliteStore, STORE_SCHEMA } from './sqlite-store.js';
export type { SqliteStoreOptions, Synchronous } from './sqlite-store.js';
export { Outbox } from './outbox.js';
export type { OutboxEntry } from './outbox.js';
export { openSqliteRuntime } from './sqlite-runtime.js';
export type { SqliteRuntime, SqliteRuntimeOptions, UnitMeta } from './sqlite-runtime.js';
export { migrateState, stepKeys } from './migrate.js';
export type { MigrationEntry } from './migrate.js';
