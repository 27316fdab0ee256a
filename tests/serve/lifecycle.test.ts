// `nurture serve` over time: due timers fire on the wall clock with no incoming events; SIGTERM drains
// (exit 0, every committed action still there); SIGKILL under load and a restart lose nothing — a pull
// client ends with every action id of one in-process run over the same events, at least once each,
// and nothing else.
import { afterEach, describe, expect, it } from 'vitest';
import { batchesOf, feed, haveCli, killer, quickPlan, Served, simulate, sleep, TOKENS } from './harness.js';

const cleanups: Served[] = [];
afterEach(() => {
  for (const s of cleanups.splice(0)) s.cleanup();
});

/** Pulls and acknowledges until stopped; survives the server going away (its URL may change). */
function puller(served: Served) {
  const ids: string[] = [];
  let stop = false;
  const done = (async () => {
    let after = 0;
    let url = served.url;
    while (!stop) {
      try {
        if (served.url !== url) [url, after] = [served.url, 0];
        const r = await served.call('GET', `/v1/actions?limit=500&after=${after}`, { token: TOKENS.read });
        if (r.status !== 200) throw new Error(String(r.status));
        const page = (r.json.actions as { action: { id: string } }[]).map((e) => e.action.id);
        after = r.json.next;
        if (page.length === 0) {
          await sleep(20);
          continue;
        }
        ids.push(...page);
        await served.call('POST', '/v1/actions/ack', { token: TOKENS.ingest, body: { ids: page } });
      } catch {
        await sleep(50);
      }
    }
  })();
  return {
    ids,
    async finish(): Promise<string[]> {
      // until the outbox is empty
      for (let quiet = 0; quiet < 3; ) {
        const before = ids.length;
        await sleep(200);
        quiet = ids.length === before ? quiet + 1 : 0;
      }
      stop = true;
      await done;
      return ids;
    },
  };
}

describe.skipIf(!haveCli)('nurture serve over time', () => {
  it('runs due timers on the wall clock with no incoming event', async () => {
    const served = new Served(quickPlan(2000), []);
    cleanups.push(served);
    await served.start();
    const t0 = Date.now();
    const at = new Date(t0).toISOString();
    const r = await served.call('POST', '/v1/events', { body: [{ lead: 'T', type: 'profile', at, data: { email_consent: true } }, { lead: 'T', type: 'signup', at }] });
    expect(r.json.accepted).toEqual([0, 1]);
    const first = await served.pullAll();
    expect(first.map((a) => a['content'])).toEqual(['welcome']);
    let tip: Record<string, unknown> | undefined;
    while (tip === undefined && Date.now() - t0 < 10_000) {
      await sleep(100);
      tip = (await served.pullAll()).find((a) => a['content'] === 'tip1');
    }
    expect(tip).toBeDefined();
    expect(Date.parse(tip!['at'] as string)).toBe(t0 + 2000); // decided at its due instant
    expect(Date.now() - (t0 + 2000)).toBeLessThan(2500); // and delivered on time (≤ ~1 s of clock sleep + pull)
    const metrics = await served.call('GET', '/metrics', { token: null });
    expect(metrics.text).toMatch(/^nurture_timer_steps_total [1-9]/m);
    expect(await served.stop()).toBe(0);
  }, 60_000);

  it('drains on SIGTERM: requests in flight finish, exit 0, and every committed action is there after a restart', async () => {
    const served = new Served(quickPlan(86_400_000), []);
    cleanups.push(served);
    await served.start();
    const batches = batchesOf(40, 250, 1500);
    let restarted: Promise<void> | null = null;
    const retried = await feed(served, batches, (i) => {
      if (i !== 15) return;
      // SIGTERM while the next batch is being posted; started again once it has exited
      restarted = (async () => {
        await sleep(3);
        expect(await served.stop('SIGTERM')).toBe(0);
        expect(served.log).toMatch(/"msg":"stopped: store closed"/);
        await served.start();
      })();
    });
    await restarted;
    const got = await served.pullAll();
    const want = simulate(batches);
    expect(new Set(got.map((a) => a['id'] as string))).toEqual(new Set(want));
    expect(got).toHaveLength(want.length); // nothing acknowledged yet: each exactly once
    console.log(`SIGTERM test: ${want.length} actions, ${retried} posts retried`);
    expect(await served.stop()).toBe(0);
  }, 120_000);

  it('loses nothing when killed under load (SIGKILL) and restarted: the pull client gets every action at least once, nothing else', async () => {
    const served = new Served(quickPlan(86_400_000), []);
    cleanups.push(served);
    await served.start();
    const batches = batchesOf(80, 250, 2000);
    const pull = puller(served);
    // kills at random moments while the feeder posts and the puller pulls and acknowledges
    const chaos = killer(served, batches.length, 3);
    const retried = await feed(served, batches, chaos.onBatch);
    const kills = await chaos.done();
    expect(kills).toBe(3);
    const ids = await pull.finish();
    const want = simulate(batches);
    expect(new Set(ids)).toEqual(new Set(want)); // every action at least once, nothing else
    expect(ids.length).toBeGreaterThanOrEqual(want.length);
    console.log(`SIGKILL test: ${kills} kills, ${want.length} actions, ${ids.length - want.length} delivered twice, ${retried} posts retried`);
    expect(await served.stop()).toBe(0);
  }, 180_000);
});
