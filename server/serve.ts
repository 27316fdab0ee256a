// Starting and stopping a server: open the store (SQLite file or PostgreSQL), build the app, run the
// clock loop, listen; `close()` drains — stop accepting (new requests get 503, the listener closes),
// finish the requests in flight, drain delivery, then close the store (SQLite: checkpoint).
import pino, { type DestinationStream, type Logger } from 'pino';
import type { Plan } from '../runtime/plan-types.js';
import { Outbox, SqliteStore } from '../runtime/store/index.js';
import type { App } from './app.js';
import { buildApp } from './app.js';
import { Authenticator, type TokenEntry } from './auth.js';
import { ClockLoop } from './clock.js';
import type { DeliveryOptions } from './delivery/index.js';
import type { Host } from './host.js';

export interface ServeConfig {
  plan: Plan;
  /** A SQLite file, or a postgres:// URL. */
  db: string;
  port: number;
  host: string;
  tokens: readonly TokenEntry[];
  logLevel?: string;
  /** Where the JSON log lines go (default stdout). */
  logDestination?: DestinationStream;
  bodyLimit?: number;
  maxBatch?: number;
  planLimit?: number;
  requestTimeoutMs?: number;
  /** Keep the audit trail (SQLite; default true). */
  audit?: boolean;
  webhook?: DeliveryOptions['webhook'];
  /** PostgreSQL: lease duration (ms) and partitions of a new store. */
  leaseMs?: number;
  partitions?: number;
  /** Longest sleep of the clock loop (ms, default 1000). */
  tickMs?: number;
  /** The store cannot go on (PostgreSQL worker stopped for good): the caller should exit. */
  onFatal?: (e: unknown) => void;
}

export const DEFAULTS = {
  port: 8080,
  host: '127.0.0.1',
  bodyLimit: 16 * 1024 * 1024,
  maxBatch: 10_000,
  planLimit: 32 * 1024 * 1024,
  requestTimeoutMs: 30_000,
};

export interface RunningServer {
  /** http://HOST:PORT */
  url: string;
  app: App;
  host: Host;
  log: Logger;
  /** Drains and stops (idempotent). */
  close(): Promise<void>;
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      // tokens never reach the log, whatever logs a request's headers
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'authorization'], censor: '[redacted]' },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

async function openHost(config: ServeConfig, log: Logger): Promise<Host> {
  if (/^postgres(ql)?:\/\//i.test(config.db)) {
    const { openPostgresStore } = await import('../runtime/store/postgres/index.js');
    const { openPgHost } = await import('./pg-host.js');
    const leaseMs = config.leaseMs ?? 10_000;
    const store = await openPostgresStore(config.db, {
      partitions: config.partitions,
      // requests add events and read leads and actions while the worker reads and commits: with the
      // store's default of 4, concurrent requests queued for a connection behind the worker's commits
      connections: 16,
      idleInTransactionMs: Math.max(1000, leaseMs),
      retry: { onRetry: (e, n, ms) => log.warn(`cannot reach the store yet (${(e as Error).message}); retry ${n} in ${Math.round(ms)} ms`) },
    });
    try {
      return await openPgHost(store, config.plan, {
        worker: { leaseMs, pollMs: Math.min(50, Math.floor(leaseMs / 10)) },
        log: { info: (m) => log.info(m), error: (m) => log.error(m) },
        onFatal: (e) => config.onFatal?.(e),
      });
    } catch (e) {
      await store.close().catch(() => undefined);
      throw e;
    }
  }
  const { openSqliteHost } = await import('./sqlite-host.js');
  const host = openSqliteHost(config.plan, config.db, { audit: config.audit ?? true });
  if (host.runtime.recovered > 0) log.warn({ recovered: host.runtime.recovered }, 'the last run stopped without closing the store; inputs replayed from its log');
  for (const m of host.runtime.migration.slice(0, 100)) log.info({ lead: m.lead, moved: m.moved }, `plan version: ${m.reason}`);
  return host;
}

export async function startServer(config: ServeConfig): Promise<RunningServer> {
  const log = createLogger(config.logLevel ?? 'info', config.logDestination);
  const host = await openHost(config, log);
  let clock: ClockLoop | null = null;
  let app: App;
  try {
    app = await buildApp({
      host,
      outbox: host.outbox,
      auth: new Authenticator(config.tokens),
      log,
      bodyLimit: config.bodyLimit ?? DEFAULTS.bodyLimit,
      maxBatch: config.maxBatch ?? DEFAULTS.maxBatch,
      planLimit: config.planLimit ?? DEFAULTS.planLimit,
      requestTimeoutMs: config.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
      webhook: config.webhook,
      onIngest: () => clock?.poke(),
    });
    const a = app;
    host.onCommit((byType) => {
      for (const [type, n] of byType) a.metrics.actions.inc({ type }, n);
      a.delivery.wake();
    });
    clock = new ClockLoop(
      () => host,
      (steps) => a.metrics.timerSteps.inc(steps),
      (e) => log.error({ err: e }, 'the clock could not advance; retrying'),
      config.tickMs ?? 1000,
    );
    clock.start();
    await app.app.listen({ port: config.port, host: config.host });
  } catch (e) {
    clock?.stop();
    await host.close().catch(() => undefined);
    throw e;
  }
  const address = app.app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  log.info({ url, store: host.kind, plan: host.index().plan.source.hash }, `nurture serve listening on ${url}`);

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      log.info('draining: no new requests; finishing the ones in flight');
      app.setDraining();
      await app.app.close(); // waits for requests in flight
      clock?.stop();
      await app.delivery.drain();
      await host.close();
      log.info('stopped: store closed');
      log.flush?.();
    })());
  return { url, app, host, log, close };
}

/** The OpenAPI document of the routes (no store opened, no token needed). */
export async function openapiDocument(): Promise<unknown> {
  const scratch = new SqliteStore(':memory:');
  try {
    const app = await buildApp({
      host: null,
      outbox: new Outbox(scratch.db),
      auth: new Authenticator([]),
      log: pino({ level: 'silent' }),
      bodyLimit: DEFAULTS.bodyLimit,
      maxBatch: DEFAULTS.maxBatch,
      planLimit: DEFAULTS.planLimit,
      requestTimeoutMs: DEFAULTS.requestTimeoutMs,
    });
    await app.app.ready();
    const doc = app.app.swagger();
    await app.app.close();
    return doc;
  } finally {
    scratch.close();
  }
}
