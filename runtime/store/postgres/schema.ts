// The store's schema in PostgreSQL, versioned: applied when a store is opened (idempotent, under an
// advisory lock so that workers starting together do not race), and refused when the database holds a
// newer version than this code knows. docs/scaling.md describes every table.
import type pg from 'pg';
import { PgStoreError } from './errors.js';
import { DEFAULT_PARTITIONS } from './partition.js';
import { MEASURES_SCHEMA } from './measures.js';

/** The schema version this code writes and reads (`nurture_meta.schema`). 2: the outbox's delivery state and dead letters; 3: the measures (measures.ts), added empty to an older store. */
export const PG_SCHEMA_VERSION = 3;

const SCHEMA_V1 = `
CREATE TABLE IF NOT EXISTS nurture_meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS nurture_plans (hash text PRIMARY KEY, plan text NOT NULL, first_loaded bigint NOT NULL);
CREATE TABLE IF NOT EXISTS nurture_leads (id text PRIMARY KEY, part int NOT NULL, plan text NOT NULL, due bigint, record bytea NOT NULL);
CREATE INDEX IF NOT EXISTS nurture_leads_part_due ON nurture_leads (part, due);
CREATE TABLE IF NOT EXISTS nurture_inbox (seq bigserial PRIMARY KEY, part int NOT NULL, lead text NOT NULL, event text NOT NULL);
CREATE INDEX IF NOT EXISTS nurture_inbox_part ON nurture_inbox (part, seq);
CREATE TABLE IF NOT EXISTS nurture_outbox (seq bigserial PRIMARY KEY, id text NOT NULL, lead text NOT NULL, at bigint NOT NULL, action text NOT NULL);
CREATE INDEX IF NOT EXISTS nurture_outbox_id ON nurture_outbox (id);
CREATE TABLE IF NOT EXISTS nurture_rejected (seq bigint PRIMARY KEY, lead text, reason text NOT NULL, event text NOT NULL);
CREATE TABLE IF NOT EXISTS nurture_partitions (part int PRIMARY KEY, owner text, epoch bigint NOT NULL DEFAULT 0, expires timestamptz NOT NULL DEFAULT '-infinity');
CREATE TABLE IF NOT EXISTS nurture_workers (id text PRIMARY KEY, expires timestamptz NOT NULL);
CREATE TABLE IF NOT EXISTS nurture_migrations (seq bigserial PRIMARY KEY, at bigint NOT NULL, lead text NOT NULL, from_plan text NOT NULL,
  to_plan text NOT NULL, journey text, step int, moved text NOT NULL, reason text NOT NULL);
`;

/**
 * Version 2: the outbox's delivery state (outbox.ts: attempts, the claim or next attempt `not_before` and
 * its `owner`, the last error, the commit time) and the dead letters. Additive: a store of version 1 is
 * upgraded in place when opened, and its rows get the defaults.
 */
const SCHEMA_V2 = `
ALTER TABLE nurture_outbox ADD COLUMN IF NOT EXISTS attempts int NOT NULL DEFAULT 0;
ALTER TABLE nurture_outbox ADD COLUMN IF NOT EXISTS not_before bigint NOT NULL DEFAULT 0;
ALTER TABLE nurture_outbox ADD COLUMN IF NOT EXISTS owner text;
ALTER TABLE nurture_outbox ADD COLUMN IF NOT EXISTS error text;
ALTER TABLE nurture_outbox ADD COLUMN IF NOT EXISTS committed bigint DEFAULT (extract(epoch FROM now()) * 1000)::bigint;
CREATE INDEX IF NOT EXISTS nurture_outbox_ready ON nurture_outbox (not_before, seq);
CREATE TABLE IF NOT EXISTS nurture_outbox_dead (seq bigint PRIMARY KEY, id text NOT NULL, lead text NOT NULL, at bigint NOT NULL, action text NOT NULL,
  committed bigint, attempts int NOT NULL, error text NOT NULL, died bigint NOT NULL);
CREATE INDEX IF NOT EXISTS nurture_outbox_dead_id ON nurture_outbox_dead (id);
`;

/** An arbitrary constant: the advisory lock held while the schema is checked and applied. */
const SCHEMA_LOCK = 0x6e757274;

/**
 * Applies the schema (creating the store on an empty database with `partitions` partitions, default 256)
 * and returns the store's partition count. Throws a `PgStoreError` for a newer schema, or when
 * `partitions` is given and differs from the store's.
 */
export async function applySchema(client: pg.ClientBase, partitions?: number): Promise<number> {
  if (partitions !== undefined && !(Number.isInteger(partitions) && partitions >= 1 && partitions <= 65536)) {
    throw new PgStoreError(`partitions must be an integer from 1 to 65536, not ${partitions}`);
  }
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
    const exists = (await client.query("SELECT to_regclass('nurture_meta') IS NOT NULL AS e")).rows[0].e as boolean;
    const meta = async (key: string) =>
      exists ? ((await client.query('SELECT value FROM nurture_meta WHERE key = $1', [key])).rows[0]?.value as string | undefined) : undefined;
    const version = await meta('schema');
    if (version !== undefined && !(Number(version) <= PG_SCHEMA_VERSION)) {
      throw new PgStoreError(
        `the store has schema version ${version}, newer than this nurture knows (${PG_SCHEMA_VERSION}): run a newer nurture against it`,
      );
    }
    await client.query(SCHEMA_V1);
    // ALTER TABLE locks the outbox even when its columns exist: only when upgrading
    if (!(Number(version) >= 2)) await client.query(SCHEMA_V2);
    await client.query(MEASURES_SCHEMA);
    let count = Number(await meta('partitions'));
    if (!(count > 0)) {
      count = partitions ?? DEFAULT_PARTITIONS;
      await client.query("INSERT INTO nurture_meta (key, value) VALUES ('partitions', $1)", [String(count)]);
      await client.query('INSERT INTO nurture_partitions (part) SELECT generate_series(0, $1::int - 1) ON CONFLICT DO NOTHING', [count]);
    } else if (partitions !== undefined && partitions !== count) {
      throw new PgStoreError(
        `the store was created with ${count} partitions, not ${partitions}: the count is fixed at creation (leave it out, or give ${count})`,
      );
    }
    await client.query(
      "INSERT INTO nurture_meta (key, value) VALUES ('schema', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      [String(PG_SCHEMA_VERSION)],
    );
    await client.query('COMMIT');
    return count;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}
