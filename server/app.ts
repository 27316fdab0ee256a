// The HTTP API of `nurture serve` (docs/serve.md): a Fastify instance with every route, its JSON schemas
// (validation, serialization, and the OpenAPI document), bearer-token auth, metrics and error answers.
// `buildApp` needs no store to build — `serve --print-openapi` writes the document from it alone.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import type { Logger } from 'pino';
import { loadPlan } from '../runtime/load-plan.js';
import { Authenticator } from './auth.js';
import { ApiError, installErrorHandlers, sendError } from './errors.js';
import type { Host } from './host.js';
import { createMetrics, type ServeMetrics } from './metrics.js';
import { registerDelivery, type Delivery, type DeliveryOptions } from './delivery/index.js';
import { auditAnswer, authErrors, deployAnswer, errorBody, ingestAnswer, leadView, planErrors, status } from './schemas.js';

export interface AppOptions {
  /** The open store (null only to print the OpenAPI document: routes then answer 503). */
  host: Host | null;
  /** The outbox delivery reads: the host's (or a throwaway one to print the document). */
  outbox: DeliveryOptions['outbox'];
  auth: Authenticator;
  log: Logger;
  /** Largest body of `POST /v1/events` (bytes). */
  bodyLimit: number;
  /** Most events in one `POST /v1/events`. */
  maxBatch: number;
  /** Largest plan of `POST /v1/plan` (bytes). */
  planLimit: number;
  /** A request whose body has not arrived in full after this is cut (ms; slow clients). */
  requestTimeoutMs: number;
  webhook?: DeliveryOptions['webhook'];
  /** A commit may have produced actions, or timers are due earlier: wake delivery and the clock loop. */
  onIngest?: () => void;
}

export interface App {
  app: FastifyInstance;
  metrics: ServeMetrics;
  delivery: Delivery;
  /** Draining: /readyz answers 503, new requests too. */
  setDraining(): void;
}

/** The OpenAPI document's `info`: the API's version, not the package's. */
const INFO = {
  title: 'nurture serve',
  version: '1',
  description: 'The nurture runtime as a service: events in, actions out, each lead’s story on request. See docs/serve.md.',
};

/** Content types of `POST /v1/events` that carry one JSON event per line. */
export const NDJSON_TYPES = ['application/x-ndjson', 'application/ndjson', 'application/jsonl'];

/** Lead ids longer than this are refused at ingestion (and never found). */
export const MAX_LEAD_ID = 1024;

export async function buildApp(options: AppOptions): Promise<App> {
  const host = options.host;
  let draining = false;
  const app = Fastify({
    loggerInstance: options.log as FastifyBaseLogger, // pino's Logger is a FastifyBaseLogger with more
    bodyLimit: options.bodyLimit,
    requestTimeout: options.requestTimeoutMs,
    connectionTimeout: options.requestTimeoutMs,
    keepAliveTimeout: 5000,
    routerOptions: { maxParamLength: 16 * 1024 },
    return503OnClosing: true,
    clientErrorHandler: answerClientError,
    forceCloseConnections: 'idle',
    ajv: { customOptions: { coerceTypes: true, removeAdditional: false } }, // no wrapping of a scalar into an array
  });
  const metrics = createMetrics(() => host);
  installErrorHandlers(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: INFO,
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'a token of the --tokens file (or NURTURE_TOKENS) with the route’s scope' } } },
      tags: [
        { name: 'events', description: 'ingestion (scope ingest)' },
        { name: 'actions', description: 'delivery: pull and dead letters (read to list, ingest to acknowledge, admin to retry; docs/delivery.md)' },
        { name: 'leads', description: 'a lead’s state and audit trail (scope read)' },
        { name: 'plan', description: 'plan deployment (scope admin)' },
        { name: 'operations', description: 'metrics and probes (no token)' },
      ],
    },
  });

  app.addContentTypeParser(NDJSON_TYPES, { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.addHook('onRequest', (request, reply, done) => {
    if (draining && request.url !== '/healthz') {
      reply.header('connection', 'close');
      sendError(reply, 503, 'draining', 'the server is shutting down; retry on another instance');
      return;
    }
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    metrics.requests.observe({ method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });

  const auth = (scope: 'ingest' | 'read' | 'admin') => options.auth.require(scope);
  const open = (): Host => {
    if (host === null) throw new ApiError(503, 'not_ready', 'no store is open');
    return host;
  };

  app.post(
    '/v1/events',
    {
      preHandler: auth('ingest'),
      schema: {
        summary: 'Send events',
        description:
          'One event (a JSON object), a JSON array of events, or NDJSON (one event per line, content type application/x-ndjson). ' +
          'Each is validated per LANGUAGE.md §8.1; the answer lists the positions accepted, duplicate (id already processed) and rejected (with the reason). ' +
          'Idempotent by event id.',
        tags: ['events'],
        security: [{ bearer: [] }],
        body: {
          content: {
            'application/json': {
              schema: {
                anyOf: [
                  { type: 'object', description: 'one event: {"lead", "type", "at" (ISO with offset), "data", "id"}' },
                  { type: 'array', description: 'events' },
                ],
              },
            },
            ...Object.fromEntries(NDJSON_TYPES.map((t) => [t, { schema: { type: 'string', description: 'one JSON event per line' } }])),
          },
        },
        response: { 200: ingestAnswer, 400: errorBody, ...authErrors, 413: errorBody, 415: errorBody, 503: errorBody },
      },
    },
    async (request) => {
      const h = open();
      const ndjson = NDJSON_TYPES.includes((request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase());
      const { items, preRejected } = eventItems(request.body, ndjson, options.maxBatch);
      items.forEach((item, i) => {
        const lead = (item as { lead?: unknown } | null)?.lead;
        if (typeof lead === 'string' && lead.length > MAX_LEAD_ID && !preRejected.has(i)) {
          preRejected.set(i, `the lead id is ${lead.length} characters long; at most ${MAX_LEAD_ID}`);
        }
      });
      const answer = await h.ingest(items, preRejected);
      metrics.events.inc({ outcome: 'accepted' }, answer.accepted.length);
      metrics.events.inc({ outcome: 'duplicate' }, answer.duplicates.length);
      metrics.events.inc({ outcome: 'rejected' }, answer.rejected.length);
      if (answer.accepted.length > 0) options.onIngest?.();
      return { received: items.length, ...answer };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/leads/:id',
    {
      preHandler: auth('read'),
      schema: {
        summary: 'A lead’s state',
        description: 'Stage, scores (now), attributes, journeys with the step each is at, pending timers.',
        tags: ['leads'],
        security: [{ bearer: [] }],
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
        response: { 200: leadView, ...authErrors, 404: errorBody, 503: errorBody },
      },
    },
    async (request) => {
      const id = request.params.id;
      const view = id.length > MAX_LEAD_ID ? undefined : await open().lead(id);
      if (view === undefined) throw new ApiError(404, 'unknown_lead', `no lead \`${shortId(id)}\` in the store`);
      return view;
    },
  );

  app.get<{ Params: { id: string }; Querystring: { limit?: number } }>(
    '/v1/leads/:id/audit',
    {
      preHandler: auth('read'),
      schema: {
        summary: 'A lead’s audit trail',
        description: 'Why the lead got each message and what else happened (entries, exits, score changes, delays, suppressions…), each with its source location; the latest `limit` records, oldest first.',
        tags: ['leads'],
        security: [{ bearer: [] }],
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
        querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 10_000, default: 1000 } }, additionalProperties: false },
        response: { 200: auditAnswer, 400: errorBody, ...authErrors, 404: errorBody, 501: errorBody, 503: errorBody },
      },
    },
    async (request) => {
      const id = request.params.id;
      const records = id.length > MAX_LEAD_ID ? undefined : await open().audit(id, request.query.limit ?? 1000);
      if (records === null) throw new ApiError(501, 'no_audit', 'this store keeps no audit trail (PostgreSQL workers, or `--audit off`)');
      if (records === undefined) throw new ApiError(404, 'unknown_lead', `no lead \`${shortId(id)}\` in the store`);
      return { lead: id, records };
    },
  );

  app.post(
    '/v1/plan',
    {
      preHandler: auth('admin'),
      bodyLimit: options.planLimit,
      schema: {
        summary: 'Deploy a plan version',
        description:
          'Loads a plan (the JSON of `nurture compile`) over the live store: leads in flight are migrated by name and step place (LANGUAGE.md §8.6); the answer summarises the migration. An invalid plan is refused with the loader’s errors (JSON paths) and the running plan stays.',
        tags: ['plan'],
        security: [{ bearer: [] }],
        body: { type: 'object', description: 'a plan (format "nurture-plan")' },
        response: { 200: deployAnswer, 400: planErrors, ...authErrors, 409: errorBody, 413: errorBody, 415: errorBody, 503: errorBody },
      },
    },
    async (request) => {
      const h = open();
      const loaded = loadPlan(request.body);
      if (!loaded.ok) {
        throw new ApiError(400, 'invalid_plan', `the plan is invalid (${loaded.errors.length} problem${loaded.errors.length === 1 ? '' : 's'}); the running plan stays`, {
          errors: loaded.errors,
        });
      }
      try {
        const summary = await h.deploy(loaded.plan);
        request.log.info({ from: summary.from, to: summary.to, migrated: summary.migrated }, 'plan deployed');
        options.onIngest?.();
        return summary;
      } catch (e) {
        throw new ApiError(409, 'deploy_failed', `the plan could not be loaded over the store; the running plan stays: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
  );

  app.get(
    '/metrics',
    { schema: { summary: 'Prometheus metrics', tags: ['operations'], produces: ['text/plain'], response: { 200: { type: 'string' } } } },
    async (_request, reply) => {
      reply.type(metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  );
  app.get('/healthz', { schema: { summary: 'Liveness', tags: ['operations'], response: { 200: status } } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { summary: 'Readiness: the store is open and the server not draining', tags: ['operations'], response: { 200: status, 503: errorBody } } }, async () => {
    if (draining) throw new ApiError(503, 'draining', 'the server is shutting down');
    if (host === null) throw new ApiError(503, 'not_ready', 'no store is open');
    return { status: 'ready' };
  });

  // the document of these routes, as shipped in docs/openapi.json (tests/serve/openapi.test.ts compares them)
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const delivery = registerDelivery(app, { outbox: options.outbox, registry: metrics.registry, log: options.log, auth, webhook: options.webhook });

  return {
    app,
    metrics,
    delivery,
    setDraining() {
      draining = true;
    },
  };
}

/** The body of `POST /v1/events` as a list of items, with the NDJSON lines that are not JSON already rejected. */
function eventItems(body: unknown, ndjson: boolean, maxBatch: number): { items: unknown[]; preRejected: Map<number, string> } {
  const preRejected = new Map<number, string>();
  let items: unknown[];
  if (ndjson && typeof body === 'string') {
    items = [];
    const lines = body.split('\n');
    for (let n = 0; n < lines.length; n++) {
      const line = lines[n]!.trim();
      if (line === '') continue;
      if (items.length >= maxBatch) throw batchTooLarge(maxBatch);
      try {
        items.push(JSON.parse(line));
      } catch (e) {
        preRejected.set(items.length, `line ${n + 1}: not JSON (${e instanceof Error ? e.message : String(e)})`);
        items.push(null);
      }
    }
  } else if (Array.isArray(body)) items = body;
  else if (typeof body === 'object' && body !== null) items = [body];
  else throw new ApiError(400, 'bad_request', 'the body must be one event (a JSON object), an array of events, or NDJSON (content type application/x-ndjson)');
  if (items.length > maxBatch) throw batchTooLarge(maxBatch);
  return { items, preRejected };
}

/** A request Node's HTTP parser refused (malformed, headers too large, timed out): our JSON error, then close. */
function answerClientError(err: Error & { code?: string }, socket: import('node:net').Socket): void {
  if (!socket.writable) return void socket.destroy(err);
  const [status, code, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers_too_large', 'the request headers are too large']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout', 'the request was not received in full in time']
        : [400, 'bad_request', 'malformed HTTP request'];
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'}\r\n` +
      `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function batchTooLarge(max: number): ApiError {
  return new ApiError(413, 'batch_too_large', `at most ${max} events per request; split the batch`);
}

function shortId(id: string): string {
  const s = id.length > 64 ? `${id.slice(0, 64)}…` : id;
  return JSON.stringify(s).slice(1, -1);
}
