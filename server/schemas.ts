// The JSON schemas of the routes' requests and answers: Fastify validates and serializes with them, and
// @fastify/swagger turns them into the OpenAPI document (docs/openapi.json).

export const errorBody = {
  type: 'object',
  description: 'Every error answer: a stable code and a message in words',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' } },
      additionalProperties: true,
    },
  },
} as const;

export const authErrors = { 401: errorBody, 403: errorBody } as const;

export const ingestAnswer = {
  type: 'object',
  required: ['received', 'accepted', 'duplicates', 'late', 'rejected', 'queued'],
  properties: {
    received: { type: 'integer', description: 'items in the request' },
    accepted: { type: 'array', items: { type: 'integer' }, description: 'positions (0-based) of the events accepted' },
    duplicates: { type: 'array', items: { type: 'integer' }, description: 'positions of events whose id was already processed for their lead (ignored)' },
    late: { type: 'array', items: { type: 'integer' }, description: 'accepted events older than their lead’s clock, applied at the clock' },
    rejected: {
      type: 'array',
      items: { type: 'object', required: ['index', 'reason'], properties: { index: { type: 'integer' }, reason: { type: 'string' } } },
    },
    queued: { type: 'boolean', description: 'true with PostgreSQL: accepted events are in the inbox, applied by their partition’s owner shortly' },
  },
} as const;

const nullableString = { type: ['string', 'null'] } as const;

export const leadView = {
  type: 'object',
  required: ['id', 'plan', 'firstSeen', 'clock', 'stage', 'scores', 'attributes', 'journeys', 'timers', 'nextDue', 'handoffs', 'lateEvents', 'flagged'],
  properties: {
    id: { type: 'string' },
    plan: { type: 'string', description: 'source hash of the plan the state was built with' },
    firstSeen: { type: 'string', format: 'date-time' },
    clock: { type: 'string', format: 'date-time', description: 'the latest instant processed for the lead' },
    stage: nullableString,
    scores: { type: 'object', additionalProperties: { type: ['number', 'null'] } },
    attributes: { type: 'object', additionalProperties: true },
    journeys: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'status', 'step', 'kind', 'line', 'waiting', 'due', 'entries', 'completions', 'lastEntered', 'holdout'],
        properties: {
          name: { type: 'string' },
          status: { type: 'string', enum: ['active', 'completed', 'goal window open'] },
          step: { type: 'integer' },
          kind: nullableString,
          line: { type: ['integer', 'null'] },
          waiting: nullableString,
          due: nullableString,
          entries: { type: 'integer' },
          completions: { type: 'integer' },
          lastEntered: nullableString,
          holdout: { type: 'boolean' },
        },
      },
    },
    timers: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kind', 'journey', 'content', 'due'],
        properties: { kind: { type: 'string' }, journey: nullableString, content: nullableString, due: { type: 'string', format: 'date-time' } },
      },
    },
    nextDue: nullableString,
    handoffs: { type: 'array', items: { type: 'string' } },
    lateEvents: { type: 'integer' },
    flagged: { type: 'boolean' },
  },
} as const;

export const auditAnswer = {
  type: 'object',
  required: ['lead', 'records'],
  properties: {
    lead: { type: 'string' },
    records: {
      type: 'array',
      items: {
        type: 'object',
        description: 'an audit record: at, kind, journey, step, subject, from, to, rule, loc {file, line, column}, note',
        required: ['at', 'lead', 'kind'],
        properties: {
          at: { type: 'string', format: 'date-time' },
          lead: { type: 'string' },
          kind: { type: 'string' },
          loc: {
            anyOf: [
              { type: 'null' },
              { type: 'object', required: ['file', 'line', 'column'], properties: { file: { type: 'string' }, line: { type: 'integer' }, column: { type: 'integer' } } },
            ],
          },
        },
        additionalProperties: true,
      },
    },
  },
} as const;

export const deployAnswer = {
  type: 'object',
  required: ['from', 'to', 'changed', 'migrated', 'moves', 'note'],
  properties: {
    from: nullableString,
    to: { type: 'string' },
    changed: { type: 'boolean' },
    migrated: { type: ['integer', 'null'], description: 'leads moved by the migration (null: migrated later, as partitions are loaded)' },
    moves: {
      type: 'array',
      items: {
        type: 'object',
        required: ['lead', 'journey', 'step', 'moved', 'reason'],
        properties: { lead: { type: 'string' }, journey: nullableString, step: { type: ['integer', 'null'] }, moved: { type: 'string' }, reason: { type: 'string' } },
      },
    },
    note: { type: 'string' },
  },
} as const;

export const planErrors = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        errors: { type: 'array', items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } } },
      },
    },
  },
} as const;

export const status = { type: 'object', required: ['status'], properties: { status: { type: 'string' } } } as const;
