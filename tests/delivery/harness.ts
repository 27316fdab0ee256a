// The delivery tests' pieces: a Fastify app with only the delivery plugin (tokens per scope standing in
// for the server's auth, with its error answers), a real SQLite store fed with events, and a webhook receiver on loopback whose
// answers a test scripts per request (2xx, 500, a hang until the client times out, a connection reset, a
// slow answer). The receiver verifies every request's signature as a real one would.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyBaseLogger, type preHandlerHookHandler } from 'fastify';
import pino from 'pino';
import { Registry } from 'prom-client';
import { openSqliteRuntime, type SqliteRuntime } from '../../runtime/store/index.js';
import { registerDelivery, verifySignature, type Delivery, type DeliveryOptions } from '../../server/delivery/index.js';
import { installErrorHandlers, sendError } from '../../server/errors.js';
import { storeEvents, storePlan, T0 } from '../store/fixture.js';

export const SECRET = 'whsec_test_0123456789';
/** One token per scope; admin may do everything, ingest what read may not. */
export const TOKENS = {
  read: 'tok-read',
  ingest: 'tok-ingest',
  admin: 'tok-admin',
} as const;
type Scope = keyof typeof TOKENS;
const GRANTS: Record<Scope, Scope[]> = {
  read: ['read'],
  ingest: ['ingest', 'read'],
  admin: ['admin', 'ingest', 'read'],
};

const auth =
  (scope: Scope): preHandlerHookHandler =>
  (req, reply, done) => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const has = (Object.keys(TOKENS) as Scope[]).find((s) => TOKENS[s] === token);
    if (has === undefined) void sendError(reply, 401, 'unauthorized', 'a bearer token is needed');
    else if (!GRANTS[has].includes(scope)) void sendError(reply, 403, 'forbidden', `needs scope ${scope}`);
    else done();
  };

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > ms) throw new Error(`not within ${ms} ms: ${what}`);
    await sleep(10);
  }
}

/** Events of the store fixture and their timers (10 days on): `feed(rt, 60, 12)` makes 12 actions, (100, 20) 20, (400, 80) 67. */
export function feed(rt: SqliteRuntime, events: number, leads: number): void {
  rt.ingestBatch(storeEvents(0, events, leads));
  rt.advanceTo(T0 + events * 6000 + 10 * 86_400_000);
}

/** A SQLite runtime in a fresh directory, `feed` with events: its outbox holds their actions. */
export function sqliteWithActions(events: number, leads: number): { rt: SqliteRuntime; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'nurture-delivery-'));
  const rt = openSqliteRuntime(storePlan(), join(dir, 'state.db'), {
    queueActions: false,
  });
  feed(rt, events, leads);
  return {
    rt,
    cleanup: () => {
      rt.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface App {
  base: string;
  delivery: Delivery;
  registry: Registry;
  logs: string[];
  /** GET/POST on the app with a scope's token. */
  call(method: 'GET' | 'POST', path: string, token: string | null, body?: unknown): Promise<{ status: number; json: any }>;
  close(): Promise<void>;
}

/** A Fastify app with the delivery plugin alone, listening on loopback. */
export async function deliveryApp(options: Omit<DeliveryOptions, 'registry' | 'log' | 'auth'>): Promise<App> {
  const logs: string[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void logs.push(line) });
  const registry = new Registry();
  const app = Fastify({ loggerInstance: log as FastifyBaseLogger });
  installErrorHandlers(app); // the server's error answers, which the routes' schemas declare
  const delivery = registerDelivery(app, { ...options, registry, log, auth });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    base,
    delivery,
    registry,
    logs,
    async call(method, path, token, body) {
      const headers: Record<string, string> = {};
      if (token !== null) headers['authorization'] = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, json: await res.json() };
    },
    async close() {
      await delivery.drain();
      await app.close();
    },
  };
}

/** A metric's value in the registry's text (a counter or gauge line, labels as written), or undefined. */
export async function metric(registry: Registry, line: string): Promise<number | undefined> {
  const text = await registry.metrics();
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

export type Answer = 200 | 500 | 503 | 'hang' | 'reset' | { slowMs: number };

export interface Received {
  /** When it arrived (epoch ms). */
  t: number;
  path: string;
  ids: string[];
  body: string;
  signature: string | undefined;
  valid: boolean;
  answer: Answer;
}

export interface Receiver {
  url: string;
  requests: Received[];
  /** Ids answered with a 2xx, each as often as it was. */
  delivered: string[];
  close(): Promise<void>;
}

/**
 * A webhook receiver: `answer(request, attemptOfItsFirstId)` decides each answer. A request whose
 * signature does not verify is refused (401) and recorded as not `valid`.
 */
export async function receiver(answer: (r: { path: string; ids: string[]; attempt: number }) => Answer): Promise<Receiver> {
  const requests: Received[] = [];
  const delivered: string[] = [];
  const attempts = new Map<string, number>();
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
  const server: Server = createServer(async (req, res) => {
    const body = await read(req);
    const signature = req.headers['nurture-signature'] as string | undefined;
    const valid = verifySignature(SECRET, body, signature).ok;
    const ids = valid ? (JSON.parse(body) as { actions: { id: string }[] }).actions.map((a) => a.id) : [];
    const attempt = ids.length > 0 ? (attempts.get(ids[0]!) ?? 0) + 1 : 0;
    for (const id of ids) attempts.set(id, (attempts.get(id) ?? 0) + 1);
    const a: Answer = valid ? answer({ path: req.url ?? '/', ids, attempt }) : 200;
    requests.push({
      t: Date.now(),
      path: req.url ?? '/',
      ids,
      body,
      signature,
      valid,
      answer: a,
    });
    if (!valid) return void res.writeHead(401).end('bad signature');
    if (a === 'hang') return; // the client's timeout ends it
    if (a === 'reset') return void req.socket.resetAndDestroy();
    if (typeof a === 'object') await sleep(a.slowMs);
    if (a === 200 || typeof a === 'object') delivered.push(...ids);
    res
      .writeHead(a === 200 || typeof a === 'object' ? 200 : a, a === 503 ? { 'retry-after': '1' } : {})
      .end(a === 500 ? 'boom: the receiver failed' : 'ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    delivered,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
