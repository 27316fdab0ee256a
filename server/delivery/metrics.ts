// The delivery's metrics, registered in the server's prom-client registry (GET /metrics).
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { DeliveryQueue } from './queue.js';

export type FailureReason = 'status' | 'timeout' | 'network';
export type Mode = 'push' | 'pull';

export interface DeliveryMetrics {
  /** Actions acknowledged (`push`: a 2xx from the webhook; `pull`: POST /v1/actions/ack), with their ages since commit. */
  delivered(mode: Mode, removed: number, agesMs: readonly number[]): void;
  /** One failed attempt of `actions` actions. */
  failed(reason: FailureReason, actions: number): void;
  dead(actions: number): void;
}

export function deliveryMetrics(registry: Registry, queue: DeliveryQueue): DeliveryMetrics {
  const registers = [registry];
  const delivered = new Counter({
    name: 'nurture_actions_delivered_total',
    help: 'Actions delivered and acknowledged (mode push: a 2xx from the webhook; pull: acknowledged through the API)',
    labelNames: ['mode'],
    registers,
  });
  const failed = new Counter({
    name: 'nurture_delivery_failed_attempts_total',
    help: 'Failed webhook attempts, counted per action (reason: status = a non-2xx answer, timeout, network)',
    labelNames: ['reason'],
    registers,
  });
  const dead = new Counter({ name: 'nurture_actions_dead_total', help: 'Actions moved to the dead letters after their last attempt', registers });
  const latency = new Histogram({
    name: 'nurture_delivery_latency_seconds',
    help: 'From the commit of an action to its acknowledgement (push: the 2xx)',
    labelNames: ['mode'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600],
    registers,
  });
  const gauge = (name: string, help: string, read: () => number | Promise<number>) =>
    new Gauge({
      name,
      help,
      registers,
      async collect() {
        this.set(await read());
      },
    });
  gauge('nurture_outbox_size', 'Actions in the outbox, not acknowledged yet (dead letters not included)', () => queue.size());
  gauge('nurture_dead_letters', 'Actions in the dead letters (GET /v1/actions/dead)', () => queue.deadCount());
  // every series present from the start, at 0
  for (const mode of ['push', 'pull']) delivered.labels(mode).inc(0);
  for (const reason of ['status', 'timeout', 'network']) failed.labels(reason).inc(0);
  return {
    delivered(mode, removed, agesMs) {
      delivered.labels(mode).inc(removed);
      const h = latency.labels(mode);
      for (const ms of agesMs) h.observe(ms / 1000);
    },
    failed: (reason, actions) => failed.labels(reason).inc(actions),
    dead: (actions) => dead.inc(actions),
  };
}
