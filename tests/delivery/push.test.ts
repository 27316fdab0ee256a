// Webhook delivery from a real SQLite outbox to a receiver on loopback that fails the first attempts:
// retries with backoff, the same id on every attempt, signatures the receiver verifies, everything
// acknowledged in the end; dead letters after the last attempt, listed and retried; drain on SIGTERM.
import { afterEach, describe, expect, it } from 'vitest';
import type { SqliteRuntime } from '../../runtime/store/index.js';
import { backoffMs } from '../../server/delivery/push.js';
import { verifySignature } from '../../server/delivery/index.js';
import { deliveryApp, feed, metric, receiver, SECRET, sleep, sqliteWithActions, TOKENS, until, type App, type Receiver } from './harness.js';

const webhook = (url: string, more: Record<string, number> = {}) => ({
  url,
  secret: SECRET,
  timeoutMs: 300,
  maxAttempts: 6,
  minBackoffMs: 40,
  maxBackoffMs: 400,
  ...more,
});

let cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});
/** An app pushing `store`'s outbox to `rec`, closed after the test with them. */
async function pushing(store: { rt: SqliteRuntime; cleanup: () => void }, rec: Receiver, more: Record<string, number> = {}): Promise<App> {
  const app = await deliveryApp({ outbox: store.rt.outbox, webhook: webhook(rec.url, more) });
  cleanups.push(
    store.cleanup,
    () => rec.close(),
    () => app.close(),
  );
  return app;
}

describe('webhook delivery (SQLite)', () => {
  it('retries after a 500, a timeout and a reset with backoff, the same id each time, signed; all acknowledged', async () => {
    const store = sqliteWithActions(100, 20);
    const expected = store.rt.outbox.all().map((e) => e.action.id);
    expect(expected.length).toBeGreaterThanOrEqual(20);
    // one action per request: attempt 1 → 500, 2 → no answer (timeout), 3 → connection reset, 4 → 200
    const rec = await receiver(({ attempt }) => ([500, 'hang', 'reset', 200] as const)[attempt - 1] ?? 200);
    const app = await pushing(store, rec, { batchSize: 1, concurrency: 10, timeoutMs: 1500 });

    await until('every action acknowledged', () => store.rt.outbox.size() === 0, 20_000);
    expect(rec.requests.every((r) => r.valid)).toBe(true);
    expect([...rec.delivered].sort()).toEqual([...expected].sort()); // each once: the 2xx ended it
    const byId = new Map<string, number[]>();
    for (const r of rec.requests) for (const id of r.ids) byId.set(id, [...(byId.get(id) ?? []), r.t]);
    expect([...byId.keys()].sort()).toEqual([...expected].sort());
    for (const [, times] of byId) {
      expect(times).toHaveLength(4); // the same id on each of its 4 attempts
      for (let k = 1; k < times.length; k++) expect(times[k]! - times[k - 1]!).toBeGreaterThanOrEqual(40 - 5); // waited at least minBackoffMs
    }
    // the body is the actions as JSON with ISO times
    const first = JSON.parse(rec.requests[0]!.body) as {
      actions: Record<string, unknown>[];
    };
    expect(first.actions[0]).toMatchObject({
      id: expect.any(String),
      lead: expect.any(String),
      type: expect.any(String),
    });
    expect(first.actions[0]!['at']).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);

    const n = expected.length;
    expect(await metric(app.registry, 'nurture_actions_delivered_total{mode="push"}')).toBe(n);
    // (on a loaded machine a 500 may come after the timeout: counted as a timeout)
    const failed = async (reason: string) => (await metric(app.registry, `nurture_delivery_failed_attempts_total{reason="${reason}"}`))!;
    expect((await failed('status')) + (await failed('timeout')) + (await failed('network'))).toBe(3 * n);
    expect(await failed('timeout')).toBeGreaterThanOrEqual(n);
    expect(await failed('status')).toBeGreaterThan(0);
    expect(await failed('network')).toBeGreaterThan(0);
    expect(await metric(app.registry, 'nurture_delivery_latency_seconds_count{mode="push"}')).toBe(n);
    expect(await metric(app.registry, 'nurture_outbox_size')).toBe(0);
    expect(app.logs.join('\n')).not.toContain(SECRET);
  }, 30_000);

  it('a receiver refuses a tampered body and an old timestamp', async () => {
    const store = sqliteWithActions(60, 12);
    const rec = await receiver(() => 200);
    await pushing(store, rec);
    await until('delivered', () => store.rt.outbox.size() === 0);
    const { body, signature } = rec.requests[0]!;
    const t = Number(/t=(\d+)/.exec(signature!)![1]);
    expect(verifySignature(SECRET, body, signature).ok).toBe(true);
    expect(verifySignature(SECRET, body.replace('"lead":"', '"lead":"x'), signature)).toEqual({ ok: false, reason: 'signature mismatch' });
    expect(verifySignature('another secret', body, signature).ok).toBe(false);
    expect(verifySignature(SECRET, body, signature, { nowS: t + 301 })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('tolerance 300 s'),
    });
    expect(verifySignature(SECRET, body, signature, { nowS: t + 299 }).ok).toBe(true);
    expect(verifySignature(SECRET, body, `t=${t + 1000},${signature!.split(',')[1]}`).ok).toBe(false); // a newer timestamp does not fit the old signature
    expect(verifySignature(SECRET, body, undefined).ok).toBe(false);
    expect(verifySignature(SECRET, body, 'v1=abc').ok).toBe(false);
    // over HTTP: the receiver answers 401 to a replay with a changed body
    const res = await fetch(rec.url, {
      method: 'POST',
      body: body.replace('"lead":"', '"lead":"x'),
      headers: { 'nurture-signature': signature! },
    });
    expect(res.status).toBe(401);
  });

  it('after maxAttempts an action is a dead letter; the API lists them and retries them', async () => {
    const store = sqliteWithActions(60, 12);
    const expected = store.rt.outbox.all().map((e) => e.action.id);
    let up = false;
    const rec = await receiver(() => (up ? 200 : 500));
    const app = await pushing(store, rec, { maxAttempts: 3, minBackoffMs: 10, maxBackoffMs: 40 });
    await until('all dead', () => store.rt.outbox.size() === 0 && store.rt.outbox.deadCount() === expected.length);
    expect(rec.delivered).toEqual([]);
    expect(await metric(app.registry, 'nurture_actions_dead_total')).toBe(expected.length);
    expect(await metric(app.registry, 'nurture_dead_letters')).toBe(expected.length);
    const perId = new Map<string, number>();
    for (const r of rec.requests) for (const id of r.ids) perId.set(id, (perId.get(id) ?? 0) + 1);
    expect([...perId.values()].every((k) => k === 3)).toBe(true);

    // listed, in pages
    const page1 = await app.call('GET', '/v1/actions/dead?limit=5', TOKENS.read);
    expect(page1.status).toBe(200);
    expect(page1.json.dead).toHaveLength(5);
    expect(page1.json.dead[0]).toMatchObject({
      attempts: 3,
      error: 'HTTP 500: boom: the receiver failed',
      action: { id: expected[0] },
    });
    expect(Date.parse(page1.json.dead[0].died)).toBeGreaterThan(Date.now() - 60_000);
    const rest = await app.call('GET', `/v1/actions/dead?limit=1000&after=${page1.json.next}`, TOKENS.read);
    expect([...page1.json.dead, ...rest.json.dead].map((d: { action: { id: string } }) => d.action.id)).toEqual(expected);
    expect(rest.json.next).toBe(rest.json.dead[rest.json.dead.length - 1].seq);

    // retry: admin only, ids or all
    expect(
      (
        await app.call('POST', '/v1/actions/dead/retry', TOKENS.ingest, {
          all: true,
        })
      ).status,
    ).toBe(403);
    expect((await app.call('POST', '/v1/actions/dead/retry', null, { all: true })).status).toBe(401);
    const neither = await app.call('POST', '/v1/actions/dead/retry', TOKENS.admin, {});
    expect(neither.status).toBe(400);
    expect(neither.json.error.message).toContain('give either `ids`');
    expect(
      (
        await app.call('POST', '/v1/actions/dead/retry', TOKENS.admin, {
          all: false,
        })
      ).status,
    ).toBe(400);
    up = true;
    const two = await app.call('POST', '/v1/actions/dead/retry', TOKENS.admin, {
      ids: expected.slice(0, 2),
    });
    expect(two.json).toEqual({ retried: 2 });
    await until('two delivered', () => rec.delivered.length === 2);
    expect([...rec.delivered].sort()).toEqual(expected.slice(0, 2).sort());
    const all = await app.call('POST', '/v1/actions/dead/retry', TOKENS.admin, {
      all: true,
    });
    expect(all.json).toEqual({ retried: expected.length - 2 });
    await until('all delivered', () => rec.delivered.length === expected.length);
    expect([...rec.delivered].sort()).toEqual([...expected].sort());
    expect(store.rt.outbox.deadCount()).toBe(0);
    await until('acknowledged', () => store.rt.outbox.size() === 0);
  }, 30_000);

  it('batches: several actions per request; a 503 with Retry-After waits at least that long', async () => {
    const store = sqliteWithActions(400, 80);
    const n = store.rt.outbox.size();
    let calls = 0;
    const rec = await receiver(() => (++calls === 1 ? 503 : 200));
    const app = await pushing(store, rec, { batchSize: 25, concurrency: 2, maxBackoffMs: 2000 });
    await until('delivered', () => store.rt.outbox.size() === 0);
    expect(rec.requests[0]!.ids).toHaveLength(25);
    expect(rec.requests.every((r) => r.ids.length <= 25)).toBe(true);
    expect(new Set(rec.delivered).size).toBe(n);
    const failed = new Set(rec.requests[0]!.ids);
    const retried = rec.requests.slice(1).filter((r) => r.ids.some((id) => failed.has(id)));
    expect(Math.min(...retried.map((r) => r.t)) - rec.requests[0]!.t).toBeGreaterThanOrEqual(1000 - 5); // Retry-After: 1
  });

  it('wake() delivers actions committed after the start at once', async () => {
    const store = sqliteWithActions(0, 1);
    const rec = await receiver(() => 200);
    const app = await pushing(store, rec, { pollMs: 60_000 });
    await sleep(50);
    feed(store.rt, 60, 12);
    expect(store.rt.outbox.size()).toBeGreaterThan(0);
    const t0 = Date.now();
    app.delivery.wake();
    await until('delivered', () => store.rt.outbox.size() === 0, 5000);
    expect(Date.now() - t0).toBeLessThan(1000); // not the 60 s poll
  });

  it('with SQLite, actions claimed by a killed process are delivered at the next start, not after the claim', async () => {
    const store = sqliteWithActions(60, 12);
    const n = store.rt.outbox.size();
    expect(store.rt.outbox.claim(1000, 3_600_000, 'killed-process')).toHaveLength(n); // claimed for an hour
    const rec = await receiver(() => 200);
    await pushing(store, rec);
    await until('delivered', () => store.rt.outbox.size() === 0, 5000);
    expect(rec.delivered).toHaveLength(n);
  });

  it('drain() waits for a slow attempt in flight, acknowledges it, and takes nothing new', async () => {
    const store = sqliteWithActions(60, 12);
    const n = store.rt.outbox.size();
    const rec = await receiver(() => ({ slowMs: 800 }));
    const app = await pushing(store, rec, { timeoutMs: 5000, batchSize: 1000 });
    await until('the request is at the receiver', () => rec.requests.length === 1);
    const t0 = Date.now();
    await app.delivery.drain();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(600); // it waited for the answer
    expect(rec.delivered).toHaveLength(n);
    expect(store.rt.outbox.size()).toBe(0);
    feed(store.rt, 100, 20);
    app.delivery.wake();
    await sleep(300);
    expect(rec.requests).toHaveLength(1);
    expect(store.rt.outbox.size()).toBeGreaterThan(0); // stays for the next start
  });

  it('backoff: full jitter between the minimum and min · 2^attempts, capped by the maximum', () => {
    expect(backoffMs(1, 100, 10_000, () => 0)).toBe(100);
    expect(backoffMs(1, 100, 10_000, () => 1)).toBe(200);
    expect(backoffMs(3, 100, 10_000, () => 1)).toBe(800);
    expect(backoffMs(30, 100, 10_000, () => 1)).toBe(10_000);
    expect(backoffMs(5000, 100, 10_000, () => 0.5)).toBe(5050);
  });
});
