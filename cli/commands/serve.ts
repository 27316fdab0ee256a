// `nurture serve PLAN|PATH… [--db FILE|postgres://…] [--port N] [--host H] [--tokens FILE] …`
// The runtime as a service (docs/serve.md): events in over HTTP, actions pulled (or pushed to a webhook),
// each lead's state and audit trail on request, plan versions deployed live, Prometheus metrics. The
// state is a SQLite file (one process) or a PostgreSQL store (any number of serve processes, partitions
// shared by leases). Logs are JSON lines (pino) on stdout. SIGTERM/SIGINT drain and stop (exit 0).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from '../command.js';
import { CliError, type Context } from '../context.js';
import { ioReason } from '../files.js';

/** A duration for --deliver-timeout: `500ms`, `10s`, `2m` (a bare number is milliseconds). */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const ms = m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n;
  return ms > 0 && ms <= 3_600_000 ? Math.round(ms) : null;
}

export const serve: Command = {
  name: 'serve',
  summary: 'run the plan as an HTTP service: events in, actions out, leads on request',
  usage:
    'nurture serve PLAN|PATH… [--db FILE|postgres://…] [--port N] [--host H] [--tokens FILE] [--log-level LEVEL] [--deliver URL --deliver-secret FILE] [--print-openapi]',
  description:
    'Compiles the workspace (or loads a plan .json) and serves it over HTTP: POST /v1/events takes events,\n' +
    'GET /v1/actions and POST /v1/actions/ack deliver actions (at-least-once, by id; or --deliver URL\n' +
    'pushes them to a signed webhook, with retries and dead letters: docs/delivery.md), GET /v1/leads/ID\n' +
    'and /v1/leads/ID/audit tell a lead’s story, POST /v1/plan deploys a new plan version, /metrics,\n' +
    '/healthz and /readyz serve operations. Every /v1 route needs a bearer token (docs/serve.md).',
  flags: [
    { name: 'db', kind: 'string', placeholder: 'FILE|URL', description: 'the state: a SQLite file (default nurture.db), or a postgres:// store shared by several serve processes' },
    { name: 'port', kind: 'integer', placeholder: 'N', description: 'the TCP port (default 8080; 0 picks a free one)' },
    { name: 'host', kind: 'string', placeholder: 'H', description: 'the address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)' },
    {
      name: 'tokens',
      kind: 'string',
      placeholder: 'FILE',
      description: 'the bearer tokens, one `SCOPES TOKEN` per line (scopes: ingest, read, admin, comma-separated); default: the NURTURE_TOKENS variable',
    },
    { name: 'log-level', kind: 'string', placeholder: 'LEVEL', choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], description: 'the JSON log’s level (default info)' },
    { name: 'max-body', kind: 'integer', min: 1024, placeholder: 'BYTES', description: 'the largest POST /v1/events body (default 16777216)' },
    { name: 'max-batch', kind: 'integer', min: 1, placeholder: 'N', description: 'the most events in one POST /v1/events (default 10000)' },
    { name: 'request-timeout', kind: 'integer', min: 100, placeholder: 'MS', description: 'a request not received in full after this is cut (default 30000)' },
    { name: 'audit', kind: 'string', choices: ['keep', 'off'], placeholder: 'keep|off', description: 'keep each lead’s audit trail in the SQLite file (default keep)' },
    { name: 'lease', kind: 'integer', min: 100, placeholder: 'MS', description: 'PostgreSQL: the partition lease (default 10000)' },
    { name: 'partitions', kind: 'integer', min: 1, placeholder: 'N', description: 'PostgreSQL: partitions of a new store (default 256)' },
    { name: 'deliver', kind: 'string', placeholder: 'URL', description: 'push actions to this webhook (signed; retried with backoff; dead letters after --deliver-attempts)' },
    { name: 'deliver-secret', kind: 'string', placeholder: 'FILE', description: 'the webhook’s HMAC-SHA256 secret (default: the NURTURE_WEBHOOK_SECRET variable)' },
    { name: 'deliver-attempts', kind: 'integer', min: 1, placeholder: 'N', description: 'attempts before an action is dead-lettered (default 10)' },
    { name: 'deliver-timeout', kind: 'string', placeholder: 'DURATION', description: 'the webhook’s timeout per attempt: 500ms, 10s, 1m (default 10s)' },
    { name: 'print-openapi', kind: 'boolean', description: 'print the OpenAPI document of the API and exit (no store, no token needed)' },
  ],
  epilog: [
    'Tokens file: one `SCOPES TOKEN` per line, e.g. `ingest,read 3f9c…` (tokens of 16 characters or more;',
    '# comments and blank lines ignored). NURTURE_TOKENS takes the same lines (or entries separated by ;).',
    '',
    'Exit status: 0 stopped by SIGTERM/SIGINT after draining, 1 the workspace has errors or the store',
    'refused the plan, 2 usage problem, no token, or the store or port unavailable.',
    '',
    'Examples:',
    '  NURTURE_TOKENS="ingest,read,admin $(openssl rand -hex 16)" nurture serve . --db state.db --port 8080',
    '  nurture serve plan.json --db postgres://nurture@db.internal/nurture --host 0.0.0.0 --tokens /etc/nurture/tokens',
    '  nurture serve --print-openapi > openapi.json',
  ],
  async run(args, ctx) {
    if (args.boolean('print-openapi')) {
      const { openapiDocument } = await import('../../server/serve.js');
      ctx.stdout.write(`${JSON.stringify(await openapiDocument(), null, 2)}\n`);
      return 0;
    }
    if (args.positionals.length === 0) {
      throw new CliError('`serve` needs a PLAN (.json) or at least one PATH (a .nurture file or a folder); see `nurture serve --help`');
    }
    const { parseTokens } = await import('../../server/auth.js');
    const tokens = readTokens(args.string('tokens'), ctx, parseTokens);
    const webhook = readWebhook(args, ctx);

    const { planFromArgs } = await import('../workspace-plan.js');
    const loaded = await planFromArgs(args.positionals, ctx, 'serve');
    if (typeof loaded === 'number') return loaded;

    const db = args.string('db') ?? 'nurture.db';
    const postgres = /^postgres(ql)?:\/\//i.test(db);
    const { startServer, DEFAULTS } = await import('../../server/serve.js');
    let fatal: ((e: unknown) => void) | null = null;
    let server;
    try {
      server = await startServer({
        plan: loaded.plan,
        db: postgres ? db : resolve(ctx.cwd, db),
        port: args.integer('port') ?? DEFAULTS.port,
        host: args.string('host') ?? DEFAULTS.host,
        tokens,
        logLevel: args.string('log-level') ?? 'info',
        bodyLimit: args.integer('max-body'),
        maxBatch: args.integer('max-batch'),
        requestTimeoutMs: args.integer('request-timeout'),
        audit: args.string('audit') !== 'off',
        webhook,
        leaseMs: args.integer('lease'),
        partitions: args.integer('partitions'),
        onFatal: (e) => fatal?.(e),
      });
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code === 'EADDRINUSE') throw new CliError(`port ${args.integer('port') ?? DEFAULTS.port} is already in use; pick another with --port`);
      if (code === 'EACCES') throw new CliError(`not allowed to listen on port ${args.integer('port') ?? DEFAULTS.port} (below 1024?); pick another with --port`);
      if (typeof code === 'string' && code.startsWith('SQLITE')) throw new CliError(`cannot use \`${db}\` as the state store: ${(e as Error).message}`);
      throw new CliError(e instanceof Error ? e.message : String(e), e instanceof Error && e.name === 'PgOpenError' ? 2 : 1);
    }
    const running = server;
    return new Promise<number>((done) => {
      const stop = (status: number) => {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
        running
          .close()
          .then(() => done(status))
          .catch((e: unknown) => {
            running.log.error({ err: e }, 'could not stop cleanly');
            done(1);
          });
      };
      const onSignal = () => stop(0);
      fatal = (e) => {
        running.log.fatal({ err: e }, 'the store cannot go on; stopping');
        stop(1);
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
    });
  },
};

function readTokens(file: string | undefined, ctx: Context, parse: (text: string, where: string) => import('../../server/auth.js').TokenEntry[]) {
  let tokens;
  try {
    if (file !== undefined) {
      let text: string;
      try {
        text = readFileSync(resolve(ctx.cwd, file), 'utf8');
      } catch (e) {
        throw new CliError(`cannot read the tokens file \`${file}\`: ${ioReason(e)}`);
      }
      tokens = parse(text, file);
    } else tokens = parse(ctx.env['NURTURE_TOKENS'] ?? '', 'NURTURE_TOKENS');
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(e instanceof Error ? e.message : String(e));
  }
  if (tokens.length === 0) {
    throw new CliError(
      `no token: every /v1 route needs one. Give --tokens FILE (lines \`SCOPES TOKEN\`) or set NURTURE_TOKENS, e.g. NURTURE_TOKENS="ingest,read,admin $(openssl rand -hex 16)"`,
    );
  }
  return tokens;
}

function readWebhook(args: import('../args.js').ParsedArgs, ctx: Context) {
  const url = args.string('deliver');
  const given = ['deliver-secret', 'deliver-attempts', 'deliver-timeout'].filter((f) => args.has(f));
  if (url === undefined) {
    if (given.length > 0) throw new CliError(`--${given[0]} needs --deliver URL (the webhook to push actions to)`);
    return undefined;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`--deliver \`${url}\` is not a URL (expected http://… or https://…)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new CliError(`--deliver \`${url}\`: expected an http:// or https:// URL`);
  const secretFile = args.string('deliver-secret');
  let secret: string;
  if (secretFile !== undefined) {
    try {
      secret = readFileSync(resolve(ctx.cwd, secretFile), 'utf8').trim();
    } catch (e) {
      throw new CliError(`cannot read the webhook secret \`${secretFile}\`: ${ioReason(e)}`);
    }
  } else secret = (ctx.env['NURTURE_WEBHOOK_SECRET'] ?? '').trim();
  if (secret.length < 16) throw new CliError('--deliver needs a secret of 16 characters or more: --deliver-secret FILE, or NURTURE_WEBHOOK_SECRET');
  const timeoutText = args.string('deliver-timeout');
  const timeoutMs = timeoutText === undefined ? 10_000 : parseDuration(timeoutText);
  if (timeoutMs === null) throw new CliError(`invalid value \`${timeoutText}\` for \`--deliver-timeout\` (expected a duration such as 500ms, 10s or 1m, at most 60m)`);
  return { url, secret, timeoutMs, maxAttempts: args.integer('deliver-attempts') ?? 10, minBackoffMs: 1000, maxBackoffMs: 300_000 };
}
