// Bearer tokens with scopes. Tokens come from a file (`--tokens FILE`) or the environment
// (`NURTURE_TOKENS`), one per line: `SCOPES TOKEN`, SCOPES a comma-separated list of ingest, read, admin;
// blank lines and `#` comments are ignored (in the environment, `;` also separates entries).
// A presented token is compared with every known one in constant time (timingSafeEqual over SHA-256
// digests: equal lengths, no early exit), so the answer time says nothing about how much of it matched.
// Tokens are never logged: the logger redacts the authorization header (app.ts), and errors name the
// line of the file, never the token.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { sendError } from './errors.js';

export const SCOPES = ['ingest', 'read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** Shorter tokens are refused: a guessable token is no protection. */
export const MIN_TOKEN_LENGTH = 16;

export interface TokenEntry {
  digest: Buffer;
  scopes: ReadonlySet<Scope>;
}

/** Parses a token list; `where` names the source in errors ("tokens.txt" or "NURTURE_TOKENS"). Throws with the line. */
export function parseTokens(text: string, where: string): TokenEntry[] {
  const out: TokenEntry[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n|;/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const at = where === 'NURTURE_TOKENS' ? `${where}, entry ${i + 1}` : `${where}:${i + 1}`;
    const m = /^(\S+)\s+(\S+)$/.exec(line);
    if (!m) throw new Error(`${at}: expected \`SCOPES TOKEN\` (e.g. \`ingest,read <token>\`), two words separated by a space`);
    const scopes = new Set<Scope>();
    for (const s of m[1]!.split(',')) {
      if (!(SCOPES as readonly string[]).includes(s)) throw new Error(`${at}: unknown scope \`${s.slice(0, 40)}\` (the scopes are ${SCOPES.join(', ')})`);
      scopes.add(s as Scope);
    }
    const token = m[2]!;
    if (token.length < MIN_TOKEN_LENGTH) throw new Error(`${at}: the token is shorter than ${MIN_TOKEN_LENGTH} characters; use a long random one (e.g. \`openssl rand -hex 32\`)`);
    const digest = sha256(token);
    if (seen.has(digest.toString('hex'))) throw new Error(`${at}: this token is listed twice; give one line per token with all its scopes`);
    seen.add(digest.toString('hex'));
    out.push({ digest, scopes });
  });
  return out;
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

export class Authenticator {
  constructor(private readonly tokens: readonly TokenEntry[]) {}

  /** The scopes of a presented token, or null when it is unknown (every entry compared, in constant time). */
  scopesOf(token: string): ReadonlySet<Scope> | null {
    const d = sha256(token);
    let found: ReadonlySet<Scope> | null = null;
    for (const t of this.tokens) if (timingSafeEqual(d, t.digest)) found = t.scopes;
    return found;
  }

  /** A preHandler that lets the request through only with a known bearer token holding `scope`. */
  require(scope: Scope): preHandlerHookHandler {
    return (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
      const header = request.headers.authorization;
      const m = typeof header === 'string' ? /^Bearer ([\x21-\x7e]+)$/i.exec(header.trim()) : null;
      if (!m) {
        reply.header('www-authenticate', 'Bearer realm="nurture"');
        sendError(reply, 401, 'unauthorized', 'this route needs `Authorization: Bearer <token>`');
        return;
      }
      const scopes = this.scopesOf(m[1]!);
      if (scopes === null) {
        reply.header('www-authenticate', 'Bearer realm="nurture", error="invalid_token"');
        sendError(reply, 401, 'unauthorized', 'unknown token');
        return;
      }
      if (!scopes.has(scope)) {
        sendError(reply, 403, 'forbidden', `this route needs a token with the \`${scope}\` scope; this one has ${[...scopes].join(', ')}`);
        return;
      }
      done();
    };
  }
}
