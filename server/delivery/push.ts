// The push loop: claims ready actions from the outbox in batches, POSTs each batch to the webhook with a
// signature and a timeout, acknowledges it on a 2xx, and otherwise schedules each action's next attempt
// (exponential backoff, full jitter) or, after its last attempt, moves it to the dead letters.
// Several batches may be in flight (`concurrency`); a claim hides its actions from every other claim —
// of this process or, with PostgreSQL, of another — until it expires (`claimMs`).
import type { Logger } from 'pino';
import { actionToJson } from '../../runtime/engine/runtime.js';
import type { DeliveryEntry } from '../../runtime/store/outbox.js';
import type { DeliveryMetrics, FailureReason } from './metrics.js';
import type { DeliveryQueue } from './queue.js';
import { SIGNATURE_HEADER, signatureHeader } from './signature.js';

export interface WebhookOptions {
  url: string;
  secret: string;
  /** Per request: the answer's status must come within this time (ms). */
  timeoutMs: number;
  /** Attempts of an action before it becomes a dead letter. */
  maxAttempts: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  /** Actions per request, at most (default 100). */
  batchSize?: number;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** How long a claim hides its actions from other deliverers (default max(30 s, 3 × timeoutMs)). */
  claimMs?: number;
  /** How often the outbox is looked at when nothing wakes the loop (ms, default 250): other processes' actions, due retries. */
  pollMs?: number;
}

/** The wait before attempt `attempts + 1`: uniform in [min, min(max, min · 2^attempts)] ("full jitter" above the floor). */
export function backoffMs(attempts: number, min: number, max: number, random: () => number = Math.random): number {
  const ceiling = Math.min(max, min * 2 ** Math.min(attempts, 52));
  return Math.round(min + random() * Math.max(0, ceiling - min));
}

interface Failure {
  reason: FailureReason | 'shutdown';
  message: string;
  /** A Retry-After of the answer (ms). */
  retryAfterMs?: number;
}

/** A Retry-After header (seconds or an HTTP date) in ms, or undefined. */
function retryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const ms = /^\d+$/.test(value.trim()) ? Number(value) * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/** The start of a response body, for the log and the dead letter's error (the rest is not read). */
async function snippet(res: Response, max = 200): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  let bytes = Buffer.alloc(0);
  try {
    while (bytes.length < max) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes = Buffer.concat([bytes, value]);
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const text = bytes.subarray(0, max).toString('utf8').replace(/\s+/g, ' ').trim();
  return text === '' ? '' : `: ${text}`;
}

export class Pusher {
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly claimMs: number;
  private readonly pollMs: number;
  private readonly inflight = new Set<Promise<void>>();
  private readonly controllers = new Set<AbortController>();
  private stopping = false;
  /** A pass over the outbox is running (`pass`: the latest one, for `drain`). */
  private pumping = false;
  private pass: Promise<void> = Promise.resolve();
  private again = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly queue: DeliveryQueue,
    private readonly webhook: WebhookOptions,
    private readonly metrics: DeliveryMetrics,
    private readonly log: Logger,
    /** This deliverer's name in the claims (unique per process). */
    readonly owner: string,
  ) {
    this.batchSize = webhook.batchSize ?? 100;
    this.concurrency = webhook.concurrency ?? 4;
    this.claimMs = webhook.claimMs ?? Math.max(30_000, 3 * webhook.timeoutMs);
    this.pollMs = webhook.pollMs ?? 250;
  }

  /** Looks at the outbox now (new actions, a freed slot). */
  wake(): void {
    if (this.stopping) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true; // before the call: a pass may end without awaiting anything
    this.pass = this.pump();
  }

  /** Takes no new action; waits for the attempts in flight (at most their timeout and 2 s), then aborts what is left. */
  async drain(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    const bound = this.webhook.timeoutMs + 2000;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), bound)));
    const settled = (async () => {
      await this.pass;
      await Promise.allSettled([...this.inflight]);
    })();
    if ((await Promise.race([settled, late])) === 'late') {
      this.log.warn(
        { inFlight: this.inflight.size },
        `delivery: attempts still in flight after ${bound} ms; aborting them (their actions stay in the outbox)`,
      );
      for (const c of this.controllers) c.abort('shutdown');
      await Promise.race([Promise.allSettled([...this.inflight]), new Promise((r) => setTimeout(r, 1000))]);
    }
    clearTimeout(timer);
  }

  private async pump(): Promise<void> {
    let pause = this.pollMs;
    try {
      do {
        this.again = false;
        while (!this.stopping && this.inflight.size < this.concurrency) {
          const batch = await this.queue.claim(this.batchSize, this.claimMs, this.owner);
          if (batch.length === 0) break;
          const p: Promise<void> = this.attempt(batch).finally(() => {
            this.inflight.delete(p);
            this.wake();
          });
          this.inflight.add(p);
        }
      } while (this.again && !this.stopping);
      if (this.inflight.size < this.concurrency) {
        const ready = await this.queue.readyIn();
        if (ready !== null) pause = Math.max(10, Math.min(pause, ready));
      }
    } catch (e) {
      this.log.error({ err: e }, `delivery: the outbox could not be read; trying again in ${pause} ms`);
    }
    this.pumping = false;
    if (this.stopping) return;
    if (this.again) return this.wake();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), pause).unref();
  }

  /** One request for `batch`, then its outcome written to the outbox. */
  private async attempt(batch: DeliveryEntry[]): Promise<void> {
    const failure = await this.post(JSON.stringify({ actions: batch.map((e) => actionToJson(e.action)) }));
    const ids = batch.map((e) => e.action.id);
    try {
      if (failure === null) {
        const acked = await this.queue.ackAged(ids);
        this.metrics.delivered('push', acked.removed, acked.agesMs);
        return;
      }
      if (failure.reason === 'shutdown') {
        for (const id of ids) await this.queue.retryLater(id, this.owner, 0, failure.message);
        return;
      }
      this.metrics.failed(failure.reason, batch.length);
      let buried = 0;
      for (const e of batch) {
        if (e.attempts >= this.webhook.maxAttempts) {
          if (await this.queue.bury(e.action.id, this.owner, failure.message)) buried++;
        } else {
          const { minBackoffMs: min, maxBackoffMs: max } = this.webhook;
          const delay = Math.max(backoffMs(e.attempts, min, max), Math.min(failure.retryAfterMs ?? 0, max));
          await this.queue.retryLater(e.action.id, this.owner, delay, failure.message);
        }
      }
      if (buried > 0) {
        this.metrics.dead(buried);
        this.log.error(
          { actions: buried, error: failure.message },
          `delivery: ${buried} action(s) moved to the dead letters after ${this.webhook.maxAttempts} attempts`,
        );
      }
      this.log.warn({ actions: batch.length, reason: failure.reason, error: failure.message }, 'delivery: webhook attempt failed');
    } catch (e) {
      // the claims expire: the actions are attempted again (at least once)
      this.log.error({ err: e, actions: batch.length }, 'delivery: the outcome of an attempt could not be written to the outbox');
    }
  }

  /** POSTs `body`: null on a 2xx, else why not. */
  private async post(body: string): Promise<Failure | null> {
    const controller = new AbortController();
    this.controllers.add(controller);
    const { timeoutMs } = this.webhook;
    const timer = setTimeout(() => controller.abort('timeout'), timeoutMs);
    try {
      const res = await fetch(this.webhook.url, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'nurture-delivery',
          [SIGNATURE_HEADER]: signatureHeader(this.webhook.secret, body),
        },
        signal: controller.signal,
        redirect: 'manual', // a signed request is not forwarded elsewhere
      });
      if (res.status >= 200 && res.status < 300) {
        await res.body?.cancel().catch(() => undefined);
        return null;
      }
      const failure: Failure = { reason: 'status', message: `HTTP ${res.status}${await snippet(res)}` };
      if (res.status === 429 || res.status === 503) failure.retryAfterMs = retryAfter(res.headers.get('retry-after'));
      return failure;
    } catch (e) {
      if (controller.signal.aborted) {
        return controller.signal.reason === 'shutdown'
          ? { reason: 'shutdown', message: 'interrupted: the server stopped' }
          : { reason: 'timeout', message: `no answer within ${timeoutMs} ms` };
      }
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      return { reason: 'network', message: cause?.code ?? cause?.message ?? (e as Error).message };
    } finally {
      clearTimeout(timer);
      this.controllers.delete(controller);
    }
  }
}
