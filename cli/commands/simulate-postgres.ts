// `nurture simulate … --db postgres://…`: the simulation on a PostgreSQL store (docs/scaling.md). This
// process is the feeder and one worker: the valid events go into the store's inbox (in `at` order,
// stable), the watermark is set to `--until` (default: the last event, as with a SQLite file), and a
// worker applies them — with any other workers of the deployment — until the inbox is empty and no timer
// is due up to the watermark. The actions not yet acknowledged are then printed and acknowledged
// (written out = delivered). Malformed lines are reported as with a file. `--report` gives the store's
// measures: every run's and every worker's committed work (runtime/store/postgres/measures.ts).
import { closeSync, fstatSync, openSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ParsedArgs } from '../args.js';
import { CliError, type Context } from '../context.js';
import { ioReason } from '../files.js';
import { actionLine, parseDateTime } from './simulate.js';

/** Inbox rows added per transaction. */
const CHUNK = 10_000;

export async function simulatePostgres(args: ParsedArgs, ctx: Context, url: string): Promise<number> {
  if (args.string('audit') !== undefined) throw new CliError('--audit is not available with a postgres:// store (workers keep no audit trail); use a SQLite file or no --db');
  const eventsPath = args.string('events')!;
  const { planFromArgs } = await import('../workspace-plan.js');
  const loaded = await planFromArgs(args.positionals, ctx, 'simulate');
  if (typeof loaded === 'number') return loaded;
  const plan = loaded.plan;
  const { validateEvent, actionToJson, compilePlanIndex } = await import('../../runtime/engine/index.js');
  const { jsonlFileEntries } = await import('../../runtime/jsonl-file.js');
  const pg = await import('../../runtime/store/postgres/index.js');
  const ix = compilePlanIndex(plan);

  const untilText = args.string('until');
  let until: number | null = null;
  if (untilText !== undefined) {
    const u = parseDateTime(untilText, plan.timezone);
    if (typeof u === 'string') throw new CliError(`invalid value \`${untilText}\` for \`--until\` (${u})`);
    until = u;
  }

  // Read and validate every line first: nothing reaches the store from a file that cannot be read.
  const shown = eventsPath === '-' ? '<stdin>' : eventsPath;
  const valid: { at: number; event: unknown }[] = [];
  let problems = '';
  let rejected = 0;
  let fd: number;
  try {
    fd = eventsPath === '-' ? 0 : openSync(resolve(ctx.cwd, eventsPath), 'r');
    if (fstatSync(fd).isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
    for (const entry of jsonlFileEntries(fd)) {
      const v = entry.error === null ? validateEvent(ix, entry.value) : { ok: false as const, reason: entry.error };
      if (v.ok) valid.push({ at: v.event.at, event: entry.value });
      else {
        rejected++;
        problems += `${shown}:${entry.line}: ${v.reason}\n`;
      }
    }
    if (fd !== 0) closeSync(fd);
  } catch (e) {
    throw new CliError(`cannot read \`${eventsPath}\`: ${ioReason(e)}`);
  }
  ctx.stderr.write(problems);
  valid.sort((a, b) => a.at - b.at);
  const last = valid.length > 0 ? valid[valid.length - 1]!.at : null;
  const watermark = until ?? last;
  const applied = until === null ? valid : valid.filter((v) => v.at <= until);
  const afterUntil = valid.length - applied.length;

  let store;
  try {
    store = await pg.openPostgresStore(url);
  } catch (e) {
    throw new CliError(`cannot use \`${pg.shownUrl(url)}\` as the state store: ${e instanceof Error ? e.message : String(e)}`);
  }
  const outPath = args.string('out');
  let printed = 0;
  try {
    for (let i = 0; i < applied.length; i += CHUNK) await store.addEvents(applied.slice(i, i + CHUNK).map((v) => v.event));
    if (watermark !== null) await store.setWatermark(watermark);
    const w = new pg.Worker(store, plan, { clock: 'watermark', pollMs: 50 });
    await w.start();
    const mark = await store.watermark();
    for (;;) {
      const r = await w.step();
      if (r.events > 0 || r.timers > 0 || r.full) continue;
      const left = await store.pool.query('SELECT (SELECT count(*) FROM nurture_inbox) + (SELECT count(*) FROM nurture_leads WHERE due <= $1) AS n', [mark]);
      if (Number(left.rows[0].n) === 0) break; // everything applied (by this worker or others)
      await new Promise((res) => setTimeout(res, 50));
    }
    await w.close();
    if (rejected > 0) {
      // the lines that never reached the inbox count in the store's measures too
      const { emptyMeasuresData } = await import('../../runtime/engine/measure-data.js');
      const d = emptyMeasuresData();
      d.counts.set('rejected', rejected);
      await store.addMeasures('simulate', d);
    }
    const measures = await w.measures(); // every worker's, from the store
    // The outbox: every action not acknowledged yet, printed, then acknowledged.
    const lines: string[] = [];
    const ids: string[] = [];
    const counts = { total: 0, send: 0, handoff: 0, stage: 0, set: 0 };
    for (const { action } of await store.outbox.all()) {
      lines.push(JSON.stringify(actionLine(actionToJson(action))));
      ids.push(action.id);
      counts.total++;
      counts[action.type]++;
    }
    const text = lines.length > 0 ? lines.join('\n') + '\n' : '';
    try {
      if (outPath === undefined) ctx.stdout.write(text);
      else writeFileSync(resolve(ctx.cwd, outPath), text);
    } catch (e) {
      throw new CliError(`cannot write \`${outPath}\`: ${ioReason(e)}`);
    }
    await store.outbox.ack(ids);
    printed = ids.length;
    const reportPath = args.string('report');
    if (reportPath !== undefined) {
      const { buildReport } = await import('../../runtime/report.js');
      const report = buildReport(ix, measures, {
        events: shown,
        from: valid.length ? new Date(valid[0]!.at).toISOString() : null,
        until: watermark === null ? '' : new Date(watermark).toISOString(),
        lines: valid.length + rejected,
        accepted: applied.length,
        rejected,
        duplicates: measures.duplicateEvents,
        late: measures.lateEvents,
        afterUntil,
        actions: counts,
      });
      const lastEvent = applied.length ? new Date(applied[applied.length - 1]!.at).toISOString() : undefined;
      const html = /\.html?$/i.test(reportPath) ? (await import('../../runtime/report/html.js')).renderReportHtml(report, { lastEvent }) : null;
      writeFileSync(resolve(ctx.cwd, reportPath), html ?? JSON.stringify(report, null, 2) + '\n');
    }
  } finally {
    await store.close();
  }
  if (rejected > 0) ctx.stderr.write(`${shown}: ${rejected} line${rejected === 1 ? '' : 's'} skipped (malformed or rejected events)\n`);
  if (afterUntil > 0) ctx.stderr.write(`${shown}: ${afterUntil} event${afterUntil === 1 ? '' : 's'} after --until ${new Date(until!).toISOString()} not applied\n`);
  ctx.stderr.write(
    `simulated on ${pg.shownUrl(url)}: ${applied.length} events added to the inbox; ${printed} action${printed === 1 ? '' : 's'}${watermark === null ? '' : ` until ${new Date(watermark).toISOString()}`}\n`,
  );
  return 0;
}
