// Delivery of the outbox's actions for `nurture serve` (docs/delivery.md): pull (GET /v1/actions, POST
// /v1/actions/ack), dead letters (GET /v1/actions/dead, POST /v1/actions/dead/retry), and — with a
// webhook — the push loop (push.ts). The server registers it once and calls `wake()` after each commit
// that may have added actions, `drain()` on SIGTERM.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { actionToJson } from '../../runtime/engine/runtime.js';
import { authErrors, errorBody } from '../schemas.js';
import { deliveryMetrics } from './metrics.js';
import { Pusher, type WebhookOptions } from './push.js';
import type { DeliveryQueue } from './queue.js';

export type { WebhookOptions } from './push.js';
export { SIGNATURE_HEADER, signatureHeader, verifySignature } from './signature.js';

export interface DeliveryOptions {
  /** The store's outbox (runtime/store/outbox.ts, runtime/store/postgres/outbox.ts, or a wrapper of one). */
  outbox: DeliveryQueue;
  /** Where the delivery's metrics are registered. */
  registry: Registry;
  log: Logger;
  /** The server's bearer-token check for a scope, put on every route. */
  auth: (scope: 'ingest' | 'read' | 'admin') => preHandlerHookHandler;
  /** Push to this webhook (the loop starts at once); without it, delivery is pull only. */
  webhook?: WebhookOptions;
}

export interface Delivery {
  /** New actions may be in the outbox (after a commit). */
  wake(): void;
  /** SIGTERM: takes no new action, finishes the attempts in flight (bounded), stops. */
  drain(): Promise<void>;
}

/** Most items a page of GET /v1/actions or /v1/actions/dead holds, and most ids per POST. */
const MAX_PAGE = 1000;
const MAX_IDS = 10_000;

const actionSchema = {
  type: 'object',
  description: 'An action (docs/host-api.md, "Action shapes"); `at` is ISO 8601 UTC',
  required: ['id', 'at', 'lead', 'journey', 'type'],
  properties: {
    id: { type: 'string' },
    at: { type: 'string' },
    lead: { type: 'string' },
    journey: { type: ['string', 'null'] },
    type: { type: 'string' },
  },
  additionalProperties: true,
} as const;
const entryProperties = {
  seq: { type: 'integer', description: 'position in the outbox; pass the last one as `after` for the next page' },
  attempts: { type: 'integer', description: 'webhook attempts made' },
  error: { type: ['string', 'null'], description: 'why the last attempt failed' },
  action: actionSchema,
} as const;
const pageQuery = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 100 },
    after: { type: 'integer', minimum: 0, default: 0, description: 'only entries with a greater `seq`' },
  },
} as const;
/**
 * A page's `next`: always a position to resume from, so a client that reaches the end keeps its place
 * and asks again from there for what arrives later (a page shorter than `limit` is the end for now).
 */
const nextDescription = '`after` for the next page: the last `seq` of this page, or `after` when it is empty';
const cursor = (rows: readonly { seq: number }[], after: number): number => (rows.length > 0 ? rows[rows.length - 1]!.seq : after);
const idsSchema = { type: 'array', items: { type: 'string', minLength: 1, maxLength: 1000 }, maxItems: MAX_IDS } as const;
const badRequest = (message: string) => Object.assign(new Error(message), { statusCode: 400 });

/** Any Fastify instance: the server's has a pino logger type of its own, which the routes here do not use. */
type AnyFastify = FastifyInstance<any, any, any, any, any>;

export function registerDelivery(server: AnyFastify, options: DeliveryOptions): Delivery {
  const app = server as FastifyInstance;
  const queue = options.outbox;
  const { auth, log } = options;
  const metrics = deliveryMetrics(options.registry, queue);
  const pusher =
    options.webhook && new Pusher(queue, checkWebhook(options.webhook), metrics, log, `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`);
  const wake = () => pusher?.wake();

  app.get(
    '/v1/actions',
    {
      preHandler: auth('read'),
      schema: {
        tags: ['actions'],
        security: [{ bearer: [] }],
        summary: 'Actions not acknowledged yet (pull delivery), in decision order',
        description:
          'Un-acknowledged actions after `after`, at most `limit`. Reading does not take them: acknowledge each one once handled (POST /v1/actions/ack); until then it is listed again. With a webhook configured, the push loop delivers the same actions.',
        querystring: pageQuery,
        response: {
          200: {
            description: 'A page of un-acknowledged actions',
            type: 'object',
            required: ['actions', 'next'],
            properties: {
              actions: { type: 'array', items: { type: 'object', required: ['seq', 'attempts', 'error', 'action'], properties: entryProperties } },
              next: { type: 'integer', description: nextDescription },
            },
          },
          400: errorBody,
          ...authErrors,
        },
      },
    },
    async (req) => {
      const { limit, after } = req.query as { limit: number; after: number };
      const rows = await queue.list(after, limit);
      return {
        actions: rows.map((e) => ({ seq: e.seq, attempts: e.attempts, error: e.error, action: actionToJson(e.action) })),
        next: cursor(rows, after),
      };
    },
  );

  app.post(
    '/v1/actions/ack',
    {
      preHandler: auth('ingest'),
      schema: {
        tags: ['actions'],
        security: [{ bearer: [] }],
        summary: 'Acknowledge handled actions: they leave the outbox',
        description: 'Ids not in the outbox (already acknowledged) are ignored. Scope ingest: acknowledging changes the outbox.',
        body: { type: 'object', required: ['ids'], properties: { ids: idsSchema }, additionalProperties: false },
        response: {
          200: {
            description: 'Acknowledged',
            type: 'object',
            required: ['acked'],
            properties: { acked: { type: 'integer', description: 'outbox rows removed' } },
          },
          400: errorBody,
          ...authErrors,
        },
      },
    },
    async (req) => {
      const acked = await queue.ackAged((req.body as { ids: string[] }).ids);
      metrics.delivered('pull', acked.removed, acked.agesMs);
      return { acked: acked.removed };
    },
  );

  app.get(
    '/v1/actions/dead',
    {
      preHandler: auth('read'),
      schema: {
        tags: ['actions'],
        security: [{ bearer: [] }],
        summary: 'Dead letters: actions whose webhook attempts all failed',
        querystring: pageQuery,
        response: {
          200: {
            description: 'A page of dead letters',
            type: 'object',
            required: ['dead', 'next'],
            properties: {
              dead: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['seq', 'attempts', 'error', 'died', 'action'],
                  properties: { ...entryProperties, died: { type: 'string', description: 'when the last attempt failed (ISO 8601 UTC)' } },
                },
              },
              next: { type: 'integer', description: nextDescription },
            },
          },
          400: errorBody,
          ...authErrors,
        },
      },
    },
    async (req) => {
      const { limit, after } = req.query as { limit: number; after: number };
      const rows = await queue.dead(after, limit);
      return {
        dead: rows.map((e) => ({
          seq: e.seq,
          attempts: e.attempts,
          error: e.error,
          died: new Date(e.died).toISOString(),
          action: actionToJson(e.action),
        })),
        next: cursor(rows, after),
      };
    },
  );

  app.post(
    '/v1/actions/dead/retry',
    {
      preHandler: auth('admin'),
      schema: {
        tags: ['actions'],
        security: [{ bearer: [] }],
        summary: 'Put dead letters back into the outbox, with a fresh count of attempts',
        description: 'Give `ids` (the dead letters with these action ids) or `all: true`. Retried actions go to the end of the outbox.',
        body: {
          type: 'object',
          properties: { ids: idsSchema, all: { type: 'boolean', enum: [true] } },
          additionalProperties: false,
        },
        response: {
          200: {
            description: 'Back in the outbox',
            type: 'object',
            required: ['retried'],
            properties: { retried: { type: 'integer', description: 'dead letters moved back' } },
          },
          400: errorBody,
          ...authErrors,
        },
      },
    },
    async (req) => {
      const { ids, all } = req.body as { ids?: string[]; all?: true };
      if ((ids === undefined) === (all === undefined)) throw badRequest('give either `ids` (a list of action ids) or `all: true`');
      const retried = await queue.revive(all ? 'all' : ids!);
      if (retried > 0) wake();
      return { retried };
    },
  );

  // SQLite: one process per file, so claims found at start are a killed process's (PostgreSQL's expire)
  const released = queue.releaseClaims?.() ?? 0;
  if (released > 0) log.info({ actions: released }, 'delivery: actions claimed by a previous process released');
  pusher?.wake();
  return { wake, drain: async () => pusher?.drain() };
}

/** The webhook options, or an error that names the bad one. */
function checkWebhook(w: WebhookOptions): WebhookOptions {
  let url: URL;
  try {
    url = new URL(w.url);
  } catch {
    throw new Error(`the webhook URL ${JSON.stringify(w.url)} is not a URL (e.g. https://example.com/nurture)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`the webhook URL must be http: or https:, not ${url.protocol}`);
  if (w.secret.length === 0) throw new Error('the webhook needs a secret to sign its requests');
  const positive = { timeoutMs: w.timeoutMs, maxAttempts: w.maxAttempts, minBackoffMs: w.minBackoffMs, maxBackoffMs: w.maxBackoffMs };
  for (const [name, v] of Object.entries(positive))
    if (!(Number.isInteger(v) && v > 0)) throw new Error(`webhook ${name} must be a positive integer, not ${v}`);
  if (w.maxBackoffMs < w.minBackoffMs) throw new Error(`webhook maxBackoffMs (${w.maxBackoffMs}) is below minBackoffMs (${w.minBackoffMs})`);
  return w;
}
