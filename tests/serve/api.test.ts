// `nurture serve` over real HTTP: ingestion in each form with good and bad items and limits, auth
// (401/403, scopes, tokens never logged), a lead's state and audit trail, plan deployment good and bad,
// metrics, probes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quickPlan, Served, TOKENS, haveCli, liveEvents } from './harness.js';
import { version } from '../store/fixture.js';
import { buildPlan, S } from '../runtime/helpers.js';
import { storeSpec } from '../store/fixture.js';

describe.skipIf(!haveCli)('nurture serve: the API', () => {
  const served = new Served(quickPlan(86_400_000), ['--max-batch', '50', '--max-body', '65536']);
  const now = Date.now();
  beforeAll(() => served.start().then(() => undefined), 60_000);
  afterAll(async () => {
    await served.stop();
    served.cleanup();
  });

  it('takes one event, an array or NDJSON; lists accepted, duplicate and rejected items with index and reason', async () => {
    const at = new Date(now).toISOString();
    const consent = ['A', 'B', 'C'].map((lead) => ({ lead, type: 'profile', at: new Date(now - 1000).toISOString(), data: { email_consent: true } }));
    expect((await served.call('POST', '/v1/events', { body: consent })).json.accepted).toEqual([0, 1, 2]);
    const one = await served.call('POST', '/v1/events', { body: { lead: 'A', type: 'signup', at, id: 'a1' } });
    expect(one.status).toBe(200);
    expect(one.json).toEqual({ received: 1, accepted: [0], duplicates: [], late: [], rejected: [], queued: false });

    const batch = await served.call('POST', '/v1/events', {
      body: [
        { lead: 'A', type: 'signup', at, id: 'a1' }, // already processed
        { lead: 'B', type: 'signup', at, id: 'b1' },
        { lead: 'B', type: 'teleport', at },
        { lead: 'B', type: 'visit', at: '2026-01-05T09:00:00' }, // no offset
        42,
        { lead: 'B', type: 'visit', at, data: { page: 7 } },
        { lead: 'B', type: 'click', at, id: 'b2' },
        { lead: 'B', type: 'click', at, id: 'b2' }, // the same id twice in one request
      ],
    });
    expect(batch.status).toBe(200);
    expect(batch.json.accepted).toEqual([1, 6]);
    expect(batch.json.duplicates).toEqual([0, 7]);
    expect(batch.json.rejected.map((r: { index: number }) => r.index)).toEqual([2, 3, 4, 5]);
    expect(batch.json.rejected[0].reason).toMatch(/teleport/);
    expect(batch.json.rejected[1].reason).toMatch(/offset/);
    for (const r of batch.json.rejected) expect(typeof r.reason).toBe('string');

    const nd = [JSON.stringify({ lead: 'C', type: 'signup', at, id: 'c1' }), '{not json', '', JSON.stringify({ lead: 'C', type: 'click', at })].join('\n');
    const ndjson = await served.call('POST', '/v1/events', { raw: nd, type: 'application/x-ndjson' });
    expect(ndjson.status).toBe(200);
    expect(ndjson.json.accepted).toEqual([0, 2]);
    expect(ndjson.json.rejected).toEqual([{ index: 1, reason: expect.stringMatching(/^line 2: not JSON/) }]);
  });

  it('answers 400, 413 and 415 with a JSON error body', async () => {
    const bad = await served.call('POST', '/v1/events', { raw: '{"lead": "A", ', type: 'application/json' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('bad_json');
    const scalar = await served.call('POST', '/v1/events', { raw: '"just a string"' });
    expect(scalar.status).toBe(400);
    expect(scalar.json.error).toEqual({ code: expect.any(String), message: expect.any(String) });
    const big = await served.call('POST', '/v1/events', { raw: JSON.stringify([{ lead: 'x'.repeat(70_000) }]) });
    expect(big.status).toBe(413);
    expect(big.json.error.code).toBe('body_too_large');
    const many = await served.call('POST', '/v1/events', { body: liveEvents(51, 5, now) });
    expect(many.status).toBe(413);
    expect(many.json.error.code).toBe('batch_too_large');
    const manyLines = await served.call('POST', '/v1/events', { raw: liveEvents(51, 5, now).map((e) => JSON.stringify(e)).join('\n'), type: 'application/x-ndjson' });
    expect(manyLines.status).toBe(413);
    const xml = await served.call('POST', '/v1/events', { raw: '<event/>', type: 'application/xml' });
    expect(xml.status).toBe(415);
    expect(xml.json.error.code).toBe('unsupported_media_type');
    const proto = await served.call('POST', '/v1/events', { raw: '{"__proto__": {"x": 1}, "lead": "A"}' });
    expect(proto.status).toBe(400);
    const longId = await served.call('POST', '/v1/events', { body: { lead: 'L'.repeat(2000), type: 'signup', at: new Date(now).toISOString() } });
    expect(longId.json.rejected[0].reason).toMatch(/at most 1024/);
  });

  it('needs a bearer token with the route’s scope: 401 without or unknown, 403 with the wrong scope', async () => {
    const none = await served.call('GET', '/v1/actions', { token: null });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(none.json.error.code).toBe('unauthorized');
    expect((await served.call('GET', '/v1/actions', { token: 'not-a-known-token-at-all' })).status).toBe(401);
    expect((await served.call('GET', '/v1/actions', { token: TOKENS.all.slice(0, -1) })).status).toBe(401);
    const wrong = await served.call('POST', '/v1/events', { token: TOKENS.read, body: [] });
    expect(wrong.status).toBe(403);
    expect(wrong.json.error).toEqual({ code: 'forbidden', message: expect.stringMatching(/ingest/) });
    expect((await served.call('POST', '/v1/events', { token: TOKENS.ingest, body: [] })).status).toBe(200);
    expect((await served.call('GET', '/v1/leads/A', { token: TOKENS.ingest })).status).toBe(403);
    expect((await served.call('GET', '/v1/leads/A', { token: TOKENS.read })).status).toBe(200);
    expect((await served.call('POST', '/v1/plan', { token: TOKENS.read, body: {} })).status).toBe(403);
    expect((await served.call('GET', '/v1/actions', { token: TOKENS.admin })).status).toBe(403);
    // probes and metrics need none
    expect((await served.call('GET', '/healthz', { token: null })).status).toBe(200);
    expect((await served.call('GET', '/readyz', { token: null })).json).toEqual({ status: 'ready' });
    // no token ever reaches the log
    await served.call('GET', '/v1/leads/A', { token: TOKENS.read });
    for (const t of Object.values(TOKENS)) expect(served.log).not.toContain(t);
    expect(served.log).toContain('"level":30');
  });

  it('tells a lead’s story: state with journeys and timers, audit trail with source locations; 404 for unknown leads', async () => {
    const lead = await served.call('GET', '/v1/leads/B', { token: TOKENS.read });
    expect(lead.status).toBe(200);
    expect(lead.json).toMatchObject({ id: 'B', stage: 'subscriber', scores: { engagement: 10 }, handoffs: [] });
    expect(lead.json.journeys).toEqual([expect.objectContaining({ name: 'onboarding', status: 'active', kind: 'wait', waiting: 'wait' })]);
    expect(lead.json.timers).toEqual([{ kind: 'journey step', journey: 'onboarding', content: null, due: lead.json.journeys[0].due }]);
    expect(Date.parse(lead.json.nextDue) - now).toBeGreaterThan(86_000_000);
    const audit = await served.call('GET', '/v1/leads/B/audit', { token: TOKENS.read });
    expect(audit.status).toBe(200);
    const kinds = audit.json.records.map((r: { kind: string }) => r.kind);
    expect(kinds).toContain('entered');
    const sent = audit.json.records.find((r: { kind: string }) => r.kind === 'sent');
    expect(sent).toMatchObject({ lead: 'B', subject: 'welcome', loc: { file: expect.any(String), line: expect.any(Number), column: expect.any(Number) } });
    const unknown = await served.call('GET', '/v1/leads/nobody', { token: TOKENS.read });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe('unknown_lead');
    expect((await served.call('GET', '/v1/leads/nobody/audit', { token: TOKENS.read })).status).toBe(404);
  });

  it('delivers actions by pull with a cursor; acknowledged ones are gone', async () => {
    const first = await served.call('GET', '/v1/actions?limit=2', { token: TOKENS.read });
    expect(first.status).toBe(200);
    expect(first.json.actions).toHaveLength(2);
    const next = await served.call('GET', `/v1/actions?limit=100&after=${first.json.next}`, { token: TOKENS.read });
    const all = [...first.json.actions, ...next.json.actions].map((e: { action: { id: string; lead: string; type: string; content: string } }) => e.action);
    expect(all.map((a) => a.lead).sort()).toEqual(['A', 'B', 'C']); // one welcome each
    expect(all.every((a) => a.type === 'send' && a.content === 'welcome')).toBe(true);
    // the end of the outbox: the cursor stays put, nothing listed after it
    const end = await served.call('GET', `/v1/actions?after=${next.json.next}`, { token: TOKENS.read });
    expect(end.json).toEqual({ actions: [], next: next.json.next });
    // acknowledging changes the outbox: scope ingest, not read
    expect((await served.call('POST', '/v1/actions/ack', { token: TOKENS.read, body: { ids: [all[0]!.id] } })).status).toBe(403);
    const ack = await served.call('POST', '/v1/actions/ack', { token: TOKENS.ingest, body: { ids: [all[0]!.id, 'no-such-id'] } });
    expect(ack.json).toEqual({ acked: 1 });
    const again = await served.call('GET', '/v1/actions', { token: TOKENS.read });
    expect(again.json.actions.map((e: { action: { id: string } }) => e.action.id)).toEqual(all.slice(1).map((a) => a.id));
    expect((await served.call('GET', '/v1/actions?limit=0', { token: TOKENS.read })).status).toBe(400);
    expect((await served.call('POST', '/v1/actions/ack', { token: TOKENS.ingest, body: { ids: 'x' } })).status).toBe(400);
  });

  it('deploys a new plan version over the live store; an invalid plan is refused with located errors and the running plan stays', async () => {
    const bad = await served.call('POST', '/v1/plan', { token: TOKENS.admin, body: { format: 'nurture-plan', version: 99 } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('invalid_plan');
    expect(bad.json.error.errors[0]).toEqual({ path: expect.any(String), message: expect.any(String) });
    const broken = quickPlan(86_400_000) as unknown as { journeys: Record<string, { steps: { kind: string; content?: string }[] }> };
    broken.journeys['onboarding']!.steps[0]!.content = 'no_such_content';
    const refused = await served.call('POST', '/v1/plan', { token: TOKENS.admin, body: broken });
    expect(refused.status).toBe(400);
    expect(refused.json.error.errors.some((e: { path: string }) => e.path.includes('/journeys/onboarding/steps/0'))).toBe(true);
    expect((await served.call('GET', '/v1/leads/B', { token: TOKENS.read })).json.plan).toBe(quickPlan(86_400_000).source.hash);

    // the wait shortened (same place) and a step removed after it: B stays at the wait, now due earlier
    const spec = storeSpec([S.send('welcome'), S.wait(3_600_000)]);
    delete spec.pressure;
    spec.journeys!['onboarding']!.holdout = 0;
    const next = version(buildPlan(spec), 'c');
    const ok = await served.call('POST', '/v1/plan', { token: TOKENS.admin, body: next });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ from: quickPlan(86_400_000).source.hash, to: next.source.hash, changed: true });
    expect(ok.json.migrated).toBeGreaterThan(0);
    const b = await served.call('GET', '/v1/leads/B', { token: TOKENS.read });
    expect(b.json.plan).toBe(next.source.hash);
    expect(b.json.journeys[0]).toMatchObject({ kind: 'wait', waiting: 'wait' });
    expect(Date.parse(b.json.nextDue) - now).toBeLessThan(3_700_000);
    const same = await served.call('POST', '/v1/plan', { token: TOKENS.admin, body: next });
    expect(same.json.changed).toBe(false);
    // events are validated against the new plan
    const r = await served.call('POST', '/v1/events', { body: { lead: 'D', type: 'signup', at: new Date(now).toISOString() } });
    expect(r.json.accepted).toEqual([0]);
  });

  it('exposes Prometheus metrics', async () => {
    const m = await served.call('GET', '/metrics', { token: null });
    expect(m.status).toBe(200);
    expect(m.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(m.text).toMatch(/^nurture_events_total\{outcome="accepted"\} [1-9]/m);
    expect(m.text).toMatch(/^nurture_events_total\{outcome="rejected"\} [1-9]/m);
    expect(m.text).toMatch(/^nurture_events_total\{outcome="duplicate"\} [1-9]/m);
    expect(m.text).toMatch(/^nurture_actions_total\{type="send"\} [1-9]/m);
    expect(m.text).toMatch(/^nurture_http_request_duration_seconds_bucket\{le="0\.1",method="POST",route="\/v1\/events",status="200"\} [1-9]/m);
    expect(m.text).toMatch(/^nurture_timer_lag_seconds 0$/m);
    expect(m.text).toMatch(/^nurture_outbox_size [0-9]+$/m);
    expect(m.text).not.toMatch(/^nurture_outbox_actions/m); // one gauge of the outbox, the delivery's
    expect(m.text).toMatch(/^nurture_dead_letters 0$/m);
    expect(m.text).toMatch(/^nurture_actions_delivered_total\{mode="pull"\} [1-9]/m);
    expect(m.text).toMatch(/^nurture_timer_steps_total [0-9]+$/m);
  });
});
