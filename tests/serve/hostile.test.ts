// 1,000 hostile requests over raw sockets: bad JSON, huge and deeply nested bodies, wrong content types,
// slow partial bodies (cut by the request timeout), odd lead ids and paths, bad tokens and methods. Every
// answer is a well-formed status (never a 5xx), error bodies are JSON, and afterwards the server is up
// and answers correctly.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveCli, quickPlan, Served, TOKENS } from './harness.js';

/** Sends raw bytes; the status code of the answer (0: the server closed without answering) and its body. */
function raw(url: string, bytes: (string | Buffer)[], o: { gapMs?: number; timeoutMs?: number } = {}): Promise<{ status: number; body: string; ms: number }> {
  const { hostname, port } = new URL(url);
  const t0 = Date.now();
  return new Promise((done) => {
    const sock = connect(Number(port), hostname);
    let got = '';
    const finish = () => {
      sock.destroy();
      const status = /^HTTP\/1\.1 (\d{3})/.exec(got)?.[1];
      done({ status: status ? Number(status) : 0, body: got.slice(got.indexOf('\r\n\r\n') + 4), ms: Date.now() - t0 });
    };
    const timer = setTimeout(finish, o.timeoutMs ?? 10_000);
    sock.on('data', (d) => (got += d.toString('latin1')));
    sock.on('close', () => {
      clearTimeout(timer);
      finish();
    });
    sock.on('error', () => undefined);
    sock.on('connect', async () => {
      for (const b of bytes) {
        if (sock.destroyed) break;
        sock.write(b);
        if (o.gapMs) await new Promise((r) => setTimeout(r, o.gapMs));
      }
    });
  });
}

const auth = `Authorization: Bearer ${TOKENS.all}\r\n`;
const req = (method: string, path: string, headers: string, body = '') =>
  `${method} ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${headers}${body === '' ? '' : `Content-Length: ${Buffer.byteLength(body)}\r\n`}\r\n${body}`;

/** The hostile requests, by kind: each gives the bytes to send and the statuses it may get. */
const KINDS: ((i: number) => { bytes: (string | Buffer)[]; ok: number[]; gapMs?: number })[] = [
  (i) => ({ bytes: [req('POST', '/v1/events', `${auth}Content-Type: application/json\r\n`, ['{', '[1,', '{"lead":', 'nul', '{"a":1}}', '\u0000\u0001'][i % 6]!)], ok: [200, 400] }),
  (i) => ({ bytes: [req('POST', '/v1/events', `${auth}Content-Type: application/json\r\n`, JSON.stringify([{ lead: 'x'.repeat(70_000 + i) }]))], ok: [413, 0] }),
  () => ({ bytes: [`POST /v1/events HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: 999999999\r\n\r\n[`], ok: [413, 0] }),
  (i) => ({ bytes: [req('POST', '/v1/events', `${auth}Content-Type: ${['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/json-patch+json', '', 'a/b/c'][i % 6]}\r\n`, '{"lead":"A"}')], ok: [415, 400] }),
  (i) => ({ bytes: [req('POST', '/v1/events', `${auth}Content-Type: application/json\r\n`, '['.repeat(5000 + i) + ']'.repeat(5000 + i))], ok: [200, 400] }),
  (i) => ({ bytes: [req('POST', '/v1/events', `${auth}Content-Type: application/x-ndjson\r\n`, `{"lead":"A"}\n\u00ff\u00fe\n${'{'.repeat(i % 50)}\n`)], ok: [200] }),
  (i) => ({
    bytes: [req('GET', `/v1/leads/${['..%2F..%2Fetc%2Fpasswd', '%00', '%2e%2e', 'a%ZZ', '%F0%9F%98%80', 'x'.repeat(10_240), '..', '%C0%AF', "'; DROP TABLE leads;--", '%25'][i % 10]}`, auth)],
    ok: [404, 400],
  }),
  (i) => ({ bytes: [req('GET', `/v1/leads/${encodeURIComponent('../' + i)}/audit?limit=${['-1', 'abc', '99999999', '1e3', ''][i % 5]}`, auth)], ok: [400, 404] }),
  (i) => ({ bytes: [req(['GET', 'DELETE', 'PATCH', 'PUT', 'OPTIONS', 'TRACE'][i % 6]!, ['/v1/events', '/v1/../../etc/passwd', '//v1//events', '/v1/actions/ack/../ack', '/' + 'a/'.repeat(3000), '/v2/events'][(i >> 1) % 6]!, auth)], ok: [404, 400, 405] }),
  (i) => ({ bytes: [req('GET', '/v1/actions', `Authorization: ${['Bearer', 'Basic dXNlcjpwYXNz', `Bearer ${'z'.repeat(5000)}`, 'Bearer \u00e9\u00e9', `bearer  ${TOKENS.all} x`][i % 5]}\r\n`)], ok: [401, 400] }),
  () => ({ bytes: [`GET /v1/actions HTTP/1.1\r\nHost: x\r\nX-Big: ${'h'.repeat(20_000)}\r\n\r\n`], ok: [431, 400, 0] }),
  () => ({ bytes: ['GARBAGE\r\n\r\n', '\u0000'.repeat(100)], ok: [400, 0] }),
  (i) => ({ bytes: [req('POST', '/v1/actions/ack', `${auth}Content-Type: application/json\r\n`, ['{"ids":[1,2]}', '{"ids":"x"}', `{"ids":[${'"a",'.repeat(10_001)}"a"]}`, '{}', '[]'][i % 5]!)], ok: [200, 400] }),
  (i) => ({ bytes: [req('POST', '/v1/plan', `${auth}Content-Type: application/json\r\n`, ['{}', '{"format":"nurture-plan"}', '[]', '{"__proto__":{}}'][i % 4]!)], ok: [400] }),
  // slow partial bodies: the headers, then a few bytes, then nothing — cut by the timeout (the connection closed)
  () => ({
    bytes: [`POST /v1/events HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n`, '[{"lead":', '"A"'],
    gapMs: 200,
    ok: [408, 400, 0],
  }),
];

describe.skipIf(!haveCli)('nurture serve under 1,000 hostile requests', () => {
  const served = new Served(quickPlan(86_400_000), ['--max-body', '65536', '--request-timeout', '1500']);
  beforeAll(() => served.start().then(() => undefined), 60_000);
  afterAll(async () => {
    await served.stop();
    served.cleanup();
  });

  it('answers each correctly, never with a 5xx, and stays up', async () => {
    const counts = new Map<number, number>();
    const bad: string[] = [];
    const zero = new Set<number>();
    const todo = Array.from({ length: 1000 }, (_, i) => i);
    const worker = async () => {
      for (let i; (i = todo.shift()) !== undefined; ) {
        const k = KINDS[i % KINDS.length]!(i);
        const r = await raw(served.url, k.bytes, { gapMs: k.gapMs });
        counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
        if (r.status === 0) zero.add(i % KINDS.length);
        if (r.ms > 5000) bad.push(`kind ${i % KINDS.length} (#${i}): no answer and not cut after ${r.ms} ms`);
        if (!k.ok.includes(r.status)) bad.push(`kind ${i % KINDS.length} (#${i}): ${r.status} ${r.body.slice(0, 200)}`);
        if (r.status >= 400 && r.status !== 431 && r.body.startsWith('{')) {
          const body = JSON.parse(r.body) as { error?: { code?: unknown; message?: unknown } };
          if (typeof body.error?.code !== 'string' || typeof body.error.message !== 'string') bad.push(`kind ${i % KINDS.length}: error body ${r.body.slice(0, 200)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(bad).toEqual([]);
    expect([...counts.keys()].filter((s) => s >= 500)).toEqual([]);
    // still up, and still right
    expect(served.proc!.exitCode).toBeNull();
    expect((await served.call('GET', '/healthz', { token: null })).status).toBe(200);
    const at = new Date().toISOString();
    const ok = await served.call('POST', '/v1/events', { body: [{ lead: 'after', type: 'profile', at, data: { email_consent: true } }, { lead: 'after', type: 'signup', at, id: 'after-1' }] });
    expect(ok.json.accepted).toEqual([0, 1]);
    expect((await served.call('GET', '/v1/leads/after')).json.journeys[0].name).toBe('onboarding');
    expect((await served.pullAll()).some((a) => a['lead'] === 'after' && a['content'] === 'welcome')).toBe(true);
    expect(served.log).not.toMatch(/"level":50/); // no request failed inside the server
    console.log(`closed without an answer: kinds ${[...zero].join(", ")}`);
    console.log(`hostile: ${[...counts].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(' ')}`);
  }, 120_000);
});
