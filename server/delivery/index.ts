// Delivery of actions: pull (`GET /v1/actions`, `POST /v1/actions/ack`). This version implements pull
// only; webhook push with retries and dead letters is built separately and replaces this file (same
// exports). Pull is at-least-once: an action stays in the outbox until a client acknowledges its id.
//
// The cursor is the client's: `GET /v1/actions?after=SEQ` lists un-acknowledged actions after that
// position (none given: from the oldest), and the answer's `next` is the cursor for the next page. A
// client that restarts starts again without a cursor and sees every action it had not acknowledged.
import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { Counter } from 'prom-client';
import { actionToJson } from '../../runtime/engine/runtime.js';
import type { Outbox } from '../../runtime/store/outbox.js';
import type { PgOutbox } from '../../runtime/store/postgres/outbox.js';

export interface DeliveryOptions {
  outbox: Outbox | PgOutbox;
  registry: Registry;
  log: Logger;
  auth: (scope: 'ingest' | 'read' | 'admin') => preHandlerHookHandler;
  webhook?: { url: string; secret: string; timeoutMs: number; maxAttempts: number; minBackoffMs: number; maxBackoffMs: number };
}

export interface Delivery {
  /** Actions may have been added to the outbox. */
  wake(): void;
  /** Finishes what is in flight (SIGTERM). */
  drain(): Promise<void>;
}

/** Actions per page of `GET /v1/actions` (default and most), ids per `POST /v1/actions/ack`. */
export const PAGE_DEFAULT = 100;
export const PAGE_MAX = 10_000;
export const ACK_MAX = 10_000;

const errorBody = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } }, additionalProperties: true } },
} as const;

const actionSchema = {
  type: 'object',
  description: 'An action (LANGUAGE.md §8.4): id, at, lead, type, journey and the fields of its type',
  required: ['id', 'at', 'lead', 'type'],
  properties: {
    seq: { type: 'integer', description: 'its position in the outbox (the cursor)' },
    id: { type: 'string' },
    at: { type: 'string', format: 'date-time' },
    lead: { type: 'string' },
    type: { type: 'string', enum: ['send', 'handoff', 'stage', 'set'] },
    journey: { type: ['string', 'null'] },
  },
  additionalProperties: true,
} as const;

export function registerDelivery(app: FastifyInstance, options: DeliveryOptions): Delivery {
  if (options.webhook !== undefined) {
    throw new Error('webhook delivery (--deliver) is not available in this build: only pull delivery (GET /v1/actions) is');
  }
  const { outbox } = options;
  const acked = new Counter({ name: 'nurture_actions_acked_total', help: 'Actions acknowledged by pull clients', registers: [options.registry] });
  const pulled = new Counter({ name: 'nurture_actions_pulled_total', help: 'Actions handed out by GET /v1/actions (with repeats)', registers: [options.registry] });

  app.get<{ Querystring: { limit?: number; after?: number } }>(
    '/v1/actions',
    {
      preHandler: options.auth('read'),
      schema: {
        summary: 'Pull un-acknowledged actions',
        description: 'Un-acknowledged actions after the cursor `after` (default: from the oldest), in decision order. They stay until acknowledged.',
        tags: ['actions'],
        security: [{ bearer: [] }],
        querystring: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: PAGE_MAX, default: PAGE_DEFAULT },
            after: { type: 'integer', minimum: 0, default: 0, description: 'the `next` of the previous page' },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            required: ['actions', 'next'],
            properties: { actions: { type: 'array', items: actionSchema }, next: { type: 'integer', description: 'the cursor for the next page' } },
          },
          400: errorBody,
          401: errorBody,
          403: errorBody,
        },
      },
    },
    async (request) => {
      const after = request.query.after ?? 0;
      const entries = await outbox.page(after, request.query.limit ?? PAGE_DEFAULT);
      pulled.inc(entries.length);
      return {
        actions: entries.map((e) => ({ seq: e.seq, ...actionToJson(e.action) })),
        next: entries.length > 0 ? entries[entries.length - 1]!.seq : after,
      };
    },
  );

  app.post<{ Body: { ids: string[] } }>(
    '/v1/actions/ack',
    {
      preHandler: options.auth('read'),
      schema: {
        summary: 'Acknowledge delivered actions',
        description: 'Removes the actions with these ids from the outbox. Unknown or already acknowledged ids are ignored.',
        tags: ['actions'],
        security: [{ bearer: [] }],
        body: {
          type: 'object',
          required: ['ids'],
          properties: { ids: { type: 'array', maxItems: ACK_MAX, items: { type: 'string', maxLength: 256 } } },
          additionalProperties: false,
        },
        response: {
          200: { type: 'object', required: ['acked'], properties: { acked: { type: 'integer', description: 'outbox rows removed' } } },
          400: errorBody,
          401: errorBody,
          403: errorBody,
        },
      },
    },
    async (request) => {
      const n = await outbox.ack(request.body.ids);
      acked.inc(n);
      return { acked: n };
    },
  );

  return {
    wake() {
      // pull: clients come when they like; nothing to start
    },
    async drain() {
      // pull: nothing in flight beyond the requests, which the server finishes before this is called
    },
  };
}
