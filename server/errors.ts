// The API's error answers: always `{ "error": { "code", "message" } }` with the HTTP status that says
// what kind of problem it is — never a stack trace, never HTML. Fastify's own errors (bad JSON, a body
// too large, an unsupported content type, a schema mismatch) are mapped to the same shape.
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';

export interface ApiErrorBody {
  error: { code: string; message: string; [more: string]: unknown };
}

/** An error the routes throw on purpose: status, code and message go to the client as they are. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function sendError(reply: FastifyReply, status: number, code: string, message: string, extra: Record<string, unknown> = {}): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send({ error: { code, message, ...extra } } satisfies ApiErrorBody);
}

/** Fastify's error codes → ours (the status comes with the error). */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_content_length',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'empty_body',
  FST_ERR_CTP_INVALID_JSON_BODY: 'bad_json',
  FST_ERR_VALIDATION: 'bad_request',
};

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | ApiError, request, reply) => {
    if (err instanceof ApiError) return sendError(reply, err.status, err.code, err.message, err.extra);
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err }, 'request failed');
      return sendError(reply, status, 'internal', 'the server could not answer this request; see its log');
    }
    // JSON.parse's message names the position ("Unexpected token } in JSON at position 12"): useful, kept.
    const code = (err.code && FASTIFY_CODES[err.code]) ?? (err instanceof SyntaxError ? 'bad_json' : 'bad_request');
    const message = err.validation ? `invalid request: ${err.message}` : err.message;
    return sendError(reply, status, code, message);
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, 404, 'not_found', `no route ${request.method} ${safePath(request.url)}`));
}

/** A path for a message: at most 200 characters, control characters escaped. */
export function safePath(url: string): string {
  const cut = url.length > 200 ? `${url.slice(0, 200)}…` : url;
  return cut.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
