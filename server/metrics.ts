// The Prometheus metrics of `GET /metrics` (prom-client, on a Registry of the server's own: two servers
// in one process do not mix their counts).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Host } from './host.js';

export interface ServeMetrics {
  registry: Registry;
  events: Counter<'outcome'>;
  actions: Counter<'type'>;
  requests: Histogram<'method' | 'route' | 'status'>;
  timerSteps: Counter;
}

export function createMetrics(host: () => Host | null): ServeMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'nurture_' });
  const events = new Counter({
    name: 'nurture_events_total',
    help: 'Events received by POST /v1/events, by outcome (accepted, duplicate, rejected)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  for (const o of ['accepted', 'duplicate', 'rejected']) events.inc({ outcome: o }, 0);
  const actions = new Counter({
    name: 'nurture_actions_total',
    help: 'Actions produced (written to the outbox) by this process, by type (PostgreSQL: "any")',
    labelNames: ['type'],
    registers: [registry],
  });
  const requests = new Histogram({
    name: 'nurture_http_request_duration_seconds',
    help: 'HTTP request latency, by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const timerSteps = new Counter({ name: 'nurture_timer_steps_total', help: 'Lead steps run by the clock (due timers), SQLite store', registers: [registry] });
  new Gauge({
    name: 'nurture_timer_lag_seconds',
    help: 'How far the earliest pending timer is behind the wall clock (0 when none is overdue; SQLite store)',
    registers: [registry],
    async collect() {
      const s = await host()?.stats();
      const due = s?.nextDue;
      this.set(due === null || due === undefined || !Number.isFinite(due) ? 0 : Math.max(0, (Date.now() - due) / 1000));
    },
  });
  // the outbox's size is the delivery's gauge (nurture_outbox_size, server/delivery/metrics.ts)
  new Gauge({
    name: 'nurture_inbox_events',
    help: 'Events waiting in the PostgreSQL inbox for their partition owner (the lag of the workers)',
    registers: [registry],
    async collect() {
      const s = await host()?.stats();
      this.set(s?.inbox ?? 0);
    },
  });
  return { registry, events, actions, requests, timerSteps };
}
