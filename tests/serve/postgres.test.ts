// Two `nurture serve` processes on one PostgreSQL store: events posted to both (each validates and adds
// them to the shared inbox), partitions shared by leases, actions pulled from both. After the pulls and
// acknowledgements, the union of the pulls holds every action of one in-process run over the same
// events, and nothing else. Delivery is at-least-once: two clients pulling from two processes at once
// may both receive an action before either acknowledges it; here each action is counted once per id.
import { afterAll, describe, expect, it } from 'vitest';
import { createRuntime } from '../../runtime/engine/index.js';
import { freshDatabase, pgServer, stopPgServer } from '../pg/server.js';
import { buildPlan, S } from '../runtime/helpers.js';
import { storeSpec, version } from '../store/fixture.js';
import { haveCli, liveEvents, quickPlan, Served, sleep, TOKENS } from './harness.js';

const server = pgServer();
afterAll(() => stopPgServer());

describe.skipIf(server === null || !haveCli)('nurture serve on PostgreSQL', () => {
  it('two processes share the work: every action of one in-process run, pulled from either', async () => {
    const url = await freshDatabase(server!, 'serve');
    const plan = quickPlan(86_400_000);
    const a = new Served(plan, ['--lease', '2000'], url);
    const b = new Served(plan, ['--lease', '2000'], url);
    try {
      await a.start();
      await b.start();
      // each lead's events go to one process, in time order (a feeder's duty: docs/scaling.md, Order)
      const events = liveEvents(4000, 400, Date.now() + 86_400_000, 10);
      const toA = events.filter((e) => Number((e['lead'] as string).slice(1)) % 2 === 0);
      const toB = events.filter((e) => Number((e['lead'] as string).slice(1)) % 2 === 1);
      const post = async (s: Served, list: Record<string, unknown>[]) => {
        for (let i = 0; i < list.length; i += 500) {
          const r = await s.call('POST', '/v1/events', { token: TOKENS.ingest, body: list.slice(i, i + 500) });
          expect(r.status).toBe(200);
          expect(r.json.queued).toBe(true);
          expect(r.json.accepted).toHaveLength(Math.min(500, list.length - i));
        }
      };
      await Promise.all([post(a, toA), post(b, toB)]);
      const bad = await a.call('POST', '/v1/events', { body: [{ lead: 'X', type: 'nope', at: new Date().toISOString() }] });
      expect(bad.json.rejected).toEqual([{ index: 0, reason: expect.stringMatching(/nope/) }]);

      const mem = createRuntime(plan);
      mem.ingestBatch(events);
      const want = new Set(mem.drainActions().map((x) => x.id));
      const got = new Set<string>();
      const t0 = Date.now();
      while (got.size < want.size && Date.now() - t0 < 60_000) {
        for (const s of [a, b]) for (const x of await s.pullAll(true)) got.add(x['id'] as string);
        await sleep(100);
      }
      expect(got).toEqual(want);
      // a lead's state is readable from either process, whichever owns its partition
      const signedUp = events.find((e) => e['type'] === 'signup')!['lead'] as string;
      const lead = await b.call('GET', `/v1/leads/${signedUp}`);
      expect(lead.status).toBe(200);
      expect(lead.json.journeys[0].name).toBe('onboarding');
      expect((await a.call('GET', `/v1/leads/${signedUp}/audit`)).status).toBe(501);
      // the inbox gauge is sampled by the server: wait for a sample taken after the inbox emptied
      let metrics = await a.call('GET', '/metrics', { token: null });
      for (const t0 = Date.now(); !/^nurture_inbox_events 0$/m.test(metrics.text) && Date.now() - t0 < 5000; ) {
        await new Promise((r) => setTimeout(r, 100));
        metrics = await a.call('GET', '/metrics', { token: null });
      }
      expect(metrics.text).toMatch(/^nurture_inbox_events 0$/m);

      // a plan deployed through one process: the other follows within a second or so
      const spec = storeSpec([S.send('welcome'), S.wait(86_400_000), S.send('tip1')]);
      delete spec.pressure;
      spec.journeys!['onboarding']!.holdout = 0;
      spec.events!['webinar'] = {};
      const next = version(buildPlan(spec), 'd');
      const webinar = [{ lead: 'W', type: 'webinar', at: new Date().toISOString() }];
      expect((await b.call('POST', '/v1/events', { body: webinar })).json.rejected).toHaveLength(1);
      const deployed = await a.call('POST', '/v1/plan', { token: TOKENS.admin, body: next });
      expect(deployed.status).toBe(200);
      expect(deployed.json).toMatchObject({ from: plan.source.hash, to: next.source.hash, changed: true, migrated: null });
      let followed = false;
      for (const t1 = Date.now(); !followed && Date.now() - t1 < 10_000; await sleep(100)) {
        followed = (await b.call('POST', '/v1/events', { body: webinar })).json.accepted.length === 1;
      }
      expect(followed).toBe(true);
      for (let t1 = Date.now(); Date.now() - t1 < 10_000; await sleep(100)) {
        if ((await a.call('GET', `/v1/leads/${signedUp}`)).json.plan === next.source.hash) break;
      }
      expect((await a.call('GET', `/v1/leads/${signedUp}`)).json.plan).toBe(next.source.hash); // migrated by its owner
      expect(await a.stop()).toBe(0);
      expect(await b.stop()).toBe(0);
    } finally {
      a.cleanup();
      b.cleanup();
    }
  }, 180_000);
});
