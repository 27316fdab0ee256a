// The OpenAPI document: the running server's (GET /openapi.json, generated from the route schemas) is
// the one shipped in docs/openapi.json (regenerate: `nurture serve --print-openapi > docs/openapi.json`),
// and every route answers, for each case tried, with a status the document declares and a body that
// validates against the document's schema for it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveCli, quickPlan, REPO, Served, TOKENS, type Answer } from './harness.js';

interface Operation {
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
}
const shipped = JSON.parse(readFileSync(join(REPO, 'docs/openapi.json'), 'utf8')) as { paths: Record<string, Record<string, Operation>> };

describe.skipIf(!haveCli)('the OpenAPI document', () => {
  const served = new Served(quickPlan(86_400_000), ['--audit', 'keep']);
  beforeAll(() => served.start().then(() => undefined), 60_000);
  afterAll(async () => {
    await served.stop();
    served.cleanup();
  });

  it('is the shipped docs/openapi.json', async () => {
    const live = await served.call('GET', '/openapi.json', { token: null });
    expect(live.status).toBe(200);
    expect(live.json).toEqual(shipped);
  });

  it('is OpenAPI 3.1 with every /v1 route behind the bearer scheme, answering 401 and 403', () => {
    const doc = shipped as unknown as { openapi: string; components: { securitySchemes: Record<string, { type: string; scheme: string }> } };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes['bearer']).toMatchObject({ type: 'http', scheme: 'bearer' });
    const v1 = Object.entries(shipped.paths).filter(([p]) => p.startsWith('/v1/'));
    expect(v1.length).toBeGreaterThan(6);
    for (const [path, ops] of v1) {
      for (const [method, op] of Object.entries(ops) as [string, Operation & { security?: unknown }][]) {
        expect(op.security, `${method} ${path}`).toEqual([{ bearer: [] }]);
        expect(Object.keys(op.responses), `${method} ${path}`).toEqual(expect.arrayContaining(['401', '403']));
      }
    }
  });

  it('describes what every route answers', async () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    const tried = new Set<string>();
    const check = (method: string, template: string, r: Answer) => {
      const op = shipped.paths[template]?.[method.toLowerCase()];
      expect(op, `${method} ${template} in the document`).toBeDefined();
      const response = op!.responses[String(r.status)];
      expect(response, `${method} ${template} declares ${r.status} (${r.text.slice(0, 200)})`).toBeDefined();
      const [type, media] = Object.entries(response!.content ?? {})[0] ?? [];
      if (media && type === 'application/json') {
        const validate = ajv.compile(media.schema);
        expect(validate(r.json), `${method} ${template} ${r.status}: ${JSON.stringify(validate.errors)}\n${r.text.slice(0, 300)}`).toBe(true);
      }
      tried.add(`${method.toLowerCase()} ${template}`);
    };
    const at = new Date().toISOString();
    const events = [
      { lead: 'O', type: 'profile', at, data: { email_consent: true } },
      { lead: 'O', type: 'signup', at, id: 'o1' },
      { lead: 'O', type: 'nope', at },
    ];
    const calls: [string, string, string, Parameters<Served['call']>[2]][] = [
      ['POST', '/v1/events', '/v1/events', { body: events }],
      ['POST', '/v1/events', '/v1/events', { body: events[1] }],
      ['POST', '/v1/events', '/v1/events', { raw: events.map((e) => JSON.stringify(e)).join('\n'), type: 'application/x-ndjson' }],
      ['POST', '/v1/events', '/v1/events', { raw: '{', type: 'application/json' }],
      ['POST', '/v1/events', '/v1/events', { raw: 'x', type: 'text/plain' }],
      ['POST', '/v1/events', '/v1/events', { token: null, body: [] }],
      ['POST', '/v1/events', '/v1/events', { token: TOKENS.read, body: [] }],
      ['GET', '/v1/leads/O', '/v1/leads/{id}', {}],
      ['GET', '/v1/leads/nobody', '/v1/leads/{id}', {}],
      ['GET', '/v1/leads/O/audit', '/v1/leads/{id}/audit', {}],
      ['GET', '/v1/leads/O/audit?limit=0', '/v1/leads/{id}/audit', {}],
      ['GET', '/v1/leads/O/audit', '/v1/leads/{id}/audit', { token: TOKENS.ingest }],
      ['GET', '/v1/actions?limit=5', '/v1/actions', {}],
      ['GET', '/v1/actions?limit=x', '/v1/actions', {}],
      ['POST', '/v1/actions/ack', '/v1/actions/ack', { body: { ids: ['a'] } }],
      ['POST', '/v1/actions/ack', '/v1/actions/ack', { body: { nope: 1 } }],
      ['POST', '/v1/actions/ack', '/v1/actions/ack', { token: TOKENS.read, body: { ids: ['a'] } }],
      ['GET', '/v1/actions', '/v1/actions', { token: null }],
      ['GET', '/v1/actions/dead?limit=5', '/v1/actions/dead', {}],
      ['GET', '/v1/actions/dead?after=-1', '/v1/actions/dead', {}],
      ['GET', '/v1/actions/dead', '/v1/actions/dead', { token: TOKENS.ingest }],
      ['POST', '/v1/actions/dead/retry', '/v1/actions/dead/retry', { token: TOKENS.admin, body: { all: true } }],
      ['POST', '/v1/actions/dead/retry', '/v1/actions/dead/retry', { token: TOKENS.admin, body: { ids: ['a'] } }],
      ['POST', '/v1/actions/dead/retry', '/v1/actions/dead/retry', { token: TOKENS.admin, body: {} }],
      ['POST', '/v1/actions/dead/retry', '/v1/actions/dead/retry', { token: TOKENS.read, body: { all: true } }],
      ['POST', '/v1/plan', '/v1/plan', { body: quickPlan(86_400_000) }],
      ['POST', '/v1/plan', '/v1/plan', { body: { format: 'nurture-plan' } }],
      ['POST', '/v1/plan', '/v1/plan', { token: TOKENS.ingest, body: {} }],
      ['GET', '/metrics', '/metrics', { token: null }],
      ['GET', '/healthz', '/healthz', { token: null }],
      ['GET', '/readyz', '/readyz', { token: null }],
    ];
    for (const [method, path, template, o] of calls) check(method, template, await served.call(method, path, o));
    const documented = Object.entries(shipped.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    expect([...tried].sort()).toEqual(documented.sort());
  });
});
