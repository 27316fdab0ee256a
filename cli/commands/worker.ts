// `nurture worker PLAN|PATH… --db postgres://… [--clock wall|watermark] [--lease MS] [--batch N]
//  [--partitions N] [--id NAME]`
// One worker process of a deployment on PostgreSQL (docs/scaling.md): it takes its fair share of the
// store's partitions through leases, applies their inbox events and due timers, and commits each unit
// of work in one fenced transaction. Runs until SIGTERM/SIGINT (then gives its partitions up for the
// others at once). Messages (partitions taken and lost, retries) go to stderr.
import type { Command } from '../command.js';
import { CliError } from '../context.js';

export const worker: Command = {
  name: 'worker',
  summary: 'run a worker process over a PostgreSQL store (partitions shared with the other workers)',
  usage: 'nurture worker PLAN|PATH… --db postgres://USER@HOST/DB [--clock wall|watermark] [--lease MS] [--batch N] [--partitions N] [--id NAME]',
  description:
    'Takes a fair share of the store’s partitions (leases in PostgreSQL), applies the events that any\n' +
    'process adds to the inbox and runs the due timers, committing state, outbox and inbox progress in\n' +
    'one transaction fenced by the lease. Start as many as you like; stop one with SIGTERM.',
  flags: [
    { name: 'db', kind: 'string', placeholder: 'URL', description: 'the PostgreSQL store (postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE)' },
    {
      name: 'clock',
      kind: 'string',
      placeholder: 'CLOCK',
      choices: ['wall', 'watermark'],
      description: 'run timers up to the machine clock (wall, default) or to the store’s watermark (set by the feeder)',
    },
    { name: 'lease', kind: 'integer', min: 100, placeholder: 'MS', description: 'lease duration: a dead worker’s partitions are taken over after about this (default 10000)' },
    { name: 'batch', kind: 'integer', min: 1, placeholder: 'N', description: 'inbox events per transaction (default 10000)' },
    { name: 'partitions', kind: 'integer', min: 1, placeholder: 'N', description: 'partitions of a new store (default 256); an existing store must match' },
    { name: 'id', kind: 'string', placeholder: 'NAME', description: 'the worker’s name in the lease table (default host-pid-random)' },
  ],
  epilog: [
    'Exit status: 0 stopped by a signal, 1 the workspace has errors or the store refused the worker,',
    '2 usage problem or the database unreachable.',
    '',
    'Examples:',
    '  nurture worker plan.json --db postgres://nurture@db.internal/nurture',
    '  nurture worker . --db postgres://nurture@127.0.0.1:5432/nurture --clock watermark --lease 5000',
  ],
  async run(args, ctx) {
    const url = args.string('db');
    if (url === undefined) throw new CliError('`worker` needs --db postgres://… (the PostgreSQL store); see `nurture worker --help`');
    if (args.positionals.length === 0) throw new CliError('`worker` needs a PLAN (.json) or at least one PATH (a .nurture file or a folder); see `nurture worker --help`');
    const { isPostgresUrl } = await import('../../runtime/store/postgres/url.js');
    if (!isPostgresUrl(url)) throw new CliError(`--db \`${url}\` is not a postgres:// URL: workers share a PostgreSQL store`);

    const { planFromArgs } = await import('../workspace-plan.js');
    const loaded = await planFromArgs(args.positionals, ctx, 'worker');
    if (typeof loaded === 'number') return loaded;

    const pgStore = await import('../../runtime/store/postgres/index.js');
    const log = (line: string) => ctx.stderr.write(`${line}\n`);
    let store;
    try {
      store = await pgStore.openPostgresStore(url, {
        partitions: args.integer('partitions'),
        // a session idle inside a transaction for a lease is a paused worker: its row locks must not delay a takeover
        idleInTransactionMs: Math.max(1000, args.integer('lease') ?? 10_000),
        retry: { onRetry: (e, n, ms) => log(`cannot reach the store yet (${(e as Error).message}); retry ${n} in ${Math.round(ms)} ms`) },
      });
    } catch (e) {
      throw new CliError(e instanceof Error ? e.message : String(e));
    }
    const leaseMs = args.integer('lease');
    const w = new pgStore.Worker(store, loaded.plan, {
      id: args.string('id'),
      clock: (args.string('clock') ?? 'wall') as 'wall' | 'watermark',
      leaseMs,
      batch: args.integer('batch'),
      pollMs: leaseMs === undefined ? undefined : Math.min(100, Math.floor(leaseMs / 10)),
      log,
    });
    const stop = () => w.stop();
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    try {
      await w.start();
      log(`worker ${w.id} on ${pgStore.shownUrl(url)} (${store.partitions} partitions)`);
      await w.run();
      await w.close();
      const s = w.stats;
      const sec = (ms: number) => (ms / 1000).toFixed(1);
      log(
        `worker ${w.id} stopped: ${s.events} events, ${s.timers} timer runs, ${s.actions} actions in ${s.commits} commits ` +
          `(${sec(s.readMs)} s reading the inbox, ${sec(s.applyMs)} s applying, ${sec(s.commitMs)} s committing)`,
      );
      return 0;
    } catch (e) {
      if (e instanceof pgStore.PgStoreError) {
        ctx.stderr.write(`error: ${e.message}\n`);
        return e.message.startsWith('the database is unreachable') ? 2 : 1;
      }
      if (pgStore.isTransient(e)) {
        ctx.stderr.write(`error: the store ${pgStore.shownUrl(url)} went away: ${pgStore.reasonOf(e)}\n`);
        return 2;
      }
      throw e;
    } finally {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      await store.close().catch(() => undefined);
    }
  },
};
