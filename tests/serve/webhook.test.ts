// `nurture serve --deliver URL` end to end (issue 24): the real CLI pushes its actions to a receiver on
// loopback that checks every signature and fails attempts on purpose. (a) Every action arrives signed,
// retried under the same id after 500s and timeouts; (b) SIGKILLs under load and restarts lose nothing:
// the receiver ends with every action id of one in-process run over the same events, at least once
// each, and nothing else; (c) SIGTERM lets a delivery in flight finish (acknowledged) and exits 0.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { receiver, SECRET, until, type Answer, type Receiver } from '../delivery/harness.js';
import { batchesOf, feed, haveCli, killer, quickPlan, Served, simulate } from './harness.js';

const secretDir = mkdtempSync(join(tmpdir(), 'nurture-webhook-'));
const secretFile = join(secretDir, 'secret');
writeFileSync(secretFile, SECRET);

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(() => rmSync(secretDir, { recursive: true, force: true }));

/** A server pushing to a receiver that answers with `answer`; both cleaned up after the test. */
async function pushing(answer: Parameters<typeof receiver>[0], timeout = '5s'): Promise<{ served: Served; hook: Receiver }> {
  const hook = await receiver(answer);
  const served = new Served(quickPlan(86_400_000), ['--deliver', `${hook.url}/hook`, '--deliver-secret', secretFile, '--deliver-timeout', timeout]);
  cleanups.push(
    () => hook.close(),
    () => served.cleanup(),
  );
  await served.start();
  return { served, hook };
}

/** Every request the receiver got was signed with the secret, to the configured path, and carried only `want` ids. */
function checkRequests(hook: Receiver, want: readonly string[]): void {
  expect(hook.requests.length).toBeGreaterThan(0);
  expect(hook.requests.filter((r) => !r.valid)).toEqual([]);
  expect(new Set(hook.requests.map((r) => r.path))).toEqual(new Set(['/hook']));
  const known = new Set(want);
  expect(hook.requests.flatMap((r) => r.ids).filter((id) => !known.has(id))).toEqual([]);
}

describe.skipIf(!haveCli)('nurture serve --deliver (webhook push)', () => {
  it('delivers every action signed; a 500 and a timeout are retried under the same id', async () => {
    // first attempt: 500; second: no answer (the 400 ms timeout); third: 200
    const { served, hook } = await pushing(({ attempt }): Answer => (attempt === 1 ? 500 : attempt === 2 ? 'hang' : 200), '400ms');
    const batches = batchesOf(1, 200, 20); // 17 actions in one commit: every action shares the same history of attempts
    await feed(served, batches);
    const want = simulate(batches);
    expect(want.length).toBeGreaterThan(0);
    await until('every action delivered', () => want.every((id) => hook.delivered.includes(id)), 20_000);
    checkRequests(hook, want);
    for (const id of want) {
      const carrying = hook.requests.filter((r) => r.ids.includes(id)).map((r) => r.answer);
      expect(carrying.slice(0, 3), id).toEqual([500, 'hang', 200]);
    }
    const metrics = await served.call('GET', '/metrics', { token: null });
    expect(metrics.text).toMatch(/^nurture_delivery_failed_attempts_total\{reason="status"\} [1-9]/m);
    expect(metrics.text).toMatch(/^nurture_delivery_failed_attempts_total\{reason="timeout"\} [1-9]/m);
    expect(metrics.text).toMatch(/^nurture_outbox_size 0$/m);
    expect(await served.stop()).toBe(0);
  }, 40_000);

  it('loses nothing when killed under load (SIGKILL ×3) and restarted: every action id of one in-process run, nothing else', async () => {
    // some first attempts fail: their retries are pending (claimed or backing off) when a kill comes
    const { served, hook } = await pushing(({ ids, attempt }): Answer => (attempt === 1 && ids[0]!.charCodeAt(0) % 4 === 0 ? 500 : 200));
    const batches = batchesOf(40, 250, 1500);
    const chaos = killer(served, batches.length, 3); // after random batches, the next POST meets a dead server
    const retried = await feed(served, batches, chaos.onBatch);
    const kills = await chaos.done();
    expect(kills).toBe(3);
    const want = simulate(batches);
    await until('every action delivered', () => new Set(hook.delivered).size >= want.length, 20_000);
    expect(new Set(hook.delivered)).toEqual(new Set(want)); // at least once each, nothing else
    checkRequests(hook, want);
    console.log(`webhook SIGKILL test: ${kills} kills, ${want.length} actions, ${hook.delivered.length - want.length} delivered twice, ${hook.requests.length} requests, ${retried} posts retried`);
    expect(await served.stop()).toBe(0);
  }, 60_000);

  it('drains on SIGTERM: a delivery in flight finishes and is acknowledged, exit 0', async () => {
    let first = true;
    const { served, hook } = await pushing((): Answer => {
      if (!first) return 200;
      first = false;
      return { slowMs: 1500 }; // the first request is answered late: in flight when SIGTERM comes
    });
    const batches = batchesOf(1, 300, 60); // 25 actions
    await feed(served, batches);
    await until('a request in flight', () => hook.requests.length > 0);
    const inFlight = hook.requests[0]!.ids;
    expect(hook.delivered.filter((id) => inFlight.includes(id))).toEqual([]);
    expect(await served.stop('SIGTERM')).toBe(0);
    expect(hook.delivered).toEqual(expect.arrayContaining(inFlight)); // answered before the exit
    // its actions were acknowledged: a restart without the webhook lists only what was not delivered
    const again = new Served(quickPlan(86_400_000), [], served.db);
    cleanups.push(() => again.cleanup());
    await again.start();
    const left = (await again.pullAll(false)).map((a) => a['id'] as string);
    expect(left.filter((id) => inFlight.includes(id))).toEqual([]);
    expect(new Set([...hook.delivered, ...left])).toEqual(new Set(simulate(batches)));
    expect(await again.stop()).toBe(0);
  }, 40_000);
});
