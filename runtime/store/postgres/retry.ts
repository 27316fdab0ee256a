// Retrying what failed because of the connection: exponential backoff with jitter, bounded.

export interface RetryOptions {
  /** Attempts before giving up (default 8: about 25 s in all with the default delays). */
  attempts?: number;
  /** First delay (ms, default 100), doubled per attempt up to `maxDelayMs` (default 5000). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Told of each failed attempt that will be retried. */
  onRetry?: (e: unknown, attempt: number, delayMs: number) => void;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs `fn` until it succeeds, retrying only when `transient(e)`; the last error propagates. */
export async function withRetry<T>(fn: () => Promise<T>, transient: (e: unknown) => boolean, o: RetryOptions = {}): Promise<T> {
  const attempts = o.attempts ?? 8;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (attempt >= attempts || !transient(e)) throw e;
      const delay = Math.min(o.maxDelayMs ?? 5000, (o.baseDelayMs ?? 100) * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
      o.onRetry?.(e, attempt, delay);
      await sleep(delay);
    }
  }
}
