// The errors of the PostgreSQL store, and which driver errors are worth retrying.

/** A store that cannot be used as it is (schema, partition count, plan): retrying does not help. */
export class PgStoreError extends Error {
  override readonly name = 'PgStoreError';
}

/**
 * A commit refused because this worker no longer holds the lease of a partition it wrote to (another
 * worker took it over: this one was paused or cut off past its lease). Nothing of the unit was written.
 */
export class FencedError extends Error {
  override readonly name = 'FencedError';
  constructor(readonly lost: readonly number[]) {
    super(`lease lost for partition${lost.length === 1 ? '' : 's'} ${lost.slice(0, 8).join(', ')}${lost.length > 8 ? ', …' : ''}: commit refused`);
  }
}

/** The store now runs another plan than this worker's (a newer deployment): this worker must stop. */
export class PlanChangedError extends PgStoreError {}

const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * A connection problem or a server going away (retry with backoff), as opposed to a bad request or a
 * refused store. SQLSTATE classes 08 (connection), 53 (insufficient resources), 57P (shutdown), 40
 * (serialization / deadlock: the transaction was rolled back).
 */
export function isTransient(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (TRANSIENT_CODES.has(code)) return true;
    if (/^(08|53|57P|40)/.test(code)) return true;
  }
  return /Connection terminated|connection timeout|Client has encountered a connection error|not queryable/i.test(e.message);
}

/** The reason of a driver error in words (its SQLSTATE or system code kept). */
export function reasonOf(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const code = (e as { code?: unknown }).code;
  if (code === 'ECONNREFUSED') return 'connection refused (is the server running, and on that host and port?)';
  if (code === 'ENOTFOUND') return 'unknown host';
  if (code === '3D000') return `${e.message} (create it, or fix the URL)`;
  if (code === '28P01' || code === '28000') return `${e.message} (check the user and password of the URL)`;
  const m = e.message || (e as AggregateError).errors?.map((x: Error) => x.message).join('; ') || e.name;
  return typeof code === 'string' && !m.includes(code) ? `${m} (${code})` : m;
}
