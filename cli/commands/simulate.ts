// `nurture simulate PLAN|PATH… --events FILE.jsonl [--until DATETIME] [--out actions.jsonl]
//  [--audit audit.jsonl] [--report report.json|report.html] [--db FILE]`
// Runs the runtime (LANGUAGE.md section 8) over recorded events, in memory or, with `--db`, in a SQLite
// file whose state a later run continues.
// - Events: one JSON object per line (`-` reads stdin). A line that is not JSON, or an event the runtime
//   rejects (8.1), is reported on stderr as `FILE:LINE: reason` and skipped; the rest are applied in
//   `at` order (stable), every lead's timers running up to each event's instant.
// - `--until` (ISO with offset, or `YYYY-MM-DD[ HH:MM]` in the plan's time zone) ends the run; by default
//   the last event plus 365 days. Events after it are counted and not applied. With `--db` the default
//   is the last event itself: the pending timers stay in the file, so that a later run with more events
//   gives the same actions as one run over all of them (a clock run a year ahead would make every later
//   event late). Give `--until` to run them. Without `--until` the clock runs at most STEP_BUDGET timer
//   steps (a date far from the others, year 9999, would make a `repeat every 1 minute` run for hours).
// - Actions go to stdout (or `--out`) as JSON lines; `--audit` writes the audit trail as JSON lines;
//   `--report` writes the section 9 measures as JSON, or when the name ends in `.html`/`.htm` as an HTML
//   page whose charts runtime/report/ draws (ECharts, loaded only then); with --db they are the store's
//   (every run's), kept with it. stderr gets one line per `split`.
// - With --db, actions are delivered from the store's outbox and acknowledged only once written and
//   flushed to the output (docs/host-api.md, the outbox contract): a killed run loses none, the next run
//   prints the ones left unacknowledged first. `--out` is then appended to.
// - stderr ends with one summary line. Exit status: 0 the run completed (even with rejected lines),
//   1 the workspace or plan has errors, 2 usage or I/O problem.
import { accessSync, closeSync, constants } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from '../command.js';
import { CliError, type Context } from '../context.js';
import { ioReason, openInput } from '../files.js';
import { refuseOverwrites } from '../same-file.js';
import { Sink } from '../sink.js';
import { localToInstant, MAX_INSTANT, parseDate, parseInstant } from '../../runtime/engine/time.js';
import type { Plan } from '../../runtime/plan-types.js';
import type { SqliteRuntime } from '../../runtime/store/index.js';
import type { RuntimeAction } from '../../runtime/engine/core.js';

const YEAR_MS = 365 * 86_400_000;
/**
 * Lead steps (timer runs) allowed without --until: the run's span then comes from the events' dates, and
 * one mistyped date (year 9999) would make a `repeat every 1 minute` run for hours. ~1 s of work.
 */
export const STEP_BUDGET = 2_000_000;
/** Outbox entries written (then acknowledged) at a time. */
const DELIVER_BATCH = 4096;

export const simulate: Command = {
  name: 'simulate',
  summary: 'run the plan over recorded events and print the actions',
  usage:
    'nurture simulate PLAN|PATH… --events FILE.jsonl [--until DATETIME] [--out actions.jsonl] [--audit audit.jsonl] [--report report.json|report.html] [--db FILE]',
  description:
    'Compiles the workspace (or loads a plan .json), runs it over the events of FILE.jsonl (one JSON\n' +
    'object per line: {"lead", "type", "at", "data", "id"}) and prints the actions as JSON lines.\n' +
    'Malformed lines are reported on stderr as FILE:LINE: reason and skipped.',
  flags: [
    { name: 'events', kind: 'string', placeholder: 'FILE.jsonl', description: 'the input events, one JSON object per line (`-` for stdin)' },
    {
      name: 'until',
      kind: 'string',
      placeholder: 'DATETIME',
      description:
        'run the clock until then (ISO with offset, or YYYY-MM-DD[ HH:MM] in the plan time zone); default: last event + 365 days, ' +
        `then at most ${STEP_BUDGET.toLocaleString('en-US')} timer steps`,
      // (with --db: the last event; see above)
    },
    { name: 'out', short: 'o', kind: 'string', placeholder: 'FILE', description: 'write the actions there instead of stdout (with --db: appended to)' },
    { name: 'audit', kind: 'string', placeholder: 'FILE', description: 'write the audit trail there, as JSON lines' },
    { name: 'report', kind: 'string', once: true, placeholder: 'FILE', description: 'write the measures there: JSON, or for a .html name a self-contained page with charts' },
    {
      name: 'db',
      kind: 'string',
      placeholder: 'FILE',
      description: 'keep the state in this SQLite file, or a postgres:// store: a later run continues from it (default --until: the last event)',
    },
  ],
  epilog: [
    'With --db, an action is acknowledged in the store only once it is written and flushed to the output',
    '(stdout, or --out, which --db runs append to): a run killed at any moment loses none, and the next',
    'run prints the unacknowledged ones again first (at-least-once: deduplicate by "id").',
    'An output (--out, --audit, --report, --db) may not name an input or another output (exit 2).',
    '',
    'Exit status: 0 the run completed (rejected lines are reported, not fatal), 1 the workspace has errors,',
    '2 usage or I/O problem.',
    '',
    'Examples:',
    '  nurture simulate . --events events.jsonl > actions.jsonl',
    '  nurture simulate plan.json --events events.jsonl --until 2026-06-30 --report report.html',
    '  nurture simulate . --events january.jsonl --db state.db    # then, later:',
    '  nurture simulate . --events february.jsonl --db state.db',
  ],
  async run(args, ctx) {
    const eventsPath = args.string('events');
    if (eventsPath === undefined) throw new CliError('`simulate` needs --events FILE.jsonl (the recorded events); see `nurture simulate --help`');
    if (args.positionals.length === 0) {
      throw new CliError('`simulate` needs a PLAN (.json) or at least one PATH (a .nurture file or a folder); see `nurture simulate --help`');
    }
    const untilText = args.string('until');
    const outPath = args.string('out');
    const auditPath = args.string('audit');
    const reportPath = args.string('report');
    const dbPath = args.string('db');
    if (dbPath !== undefined && /^postgres(ql)?:\/\//i.test(dbPath)) return (await import('./simulate-postgres.js')).simulatePostgres(args, ctx, dbPath);

    const { planFromArgs } = await import('../workspace-plan.js');
    const loaded = await planFromArgs(args.positionals, ctx, 'simulate');
    if (typeof loaded === 'number') return loaded;
    const plan = loaded.plan;
    // before anything is opened for writing: no output may be an input or another output
    const named = (flag: string, path: string | undefined) => (path === undefined ? [] : [{ flag, path }]);
    refuseOverwrites(
      ctx.cwd,
      [...named('--events', eventsPath), ...loaded.inputs.map((path) => ({ flag: null, path }))],
      [...named('--out', outPath), ...named('--audit', auditPath), ...named('--report', reportPath), ...named('--db', dbPath)],
    );

    const { createRuntime, validateEvent, actionToJson, auditToJson } = await import('../../runtime/engine/index.js');
    const { jsonlFileEntries } = await import('../../runtime/jsonl-file.js');
    const { EventSpool } = await import('../../runtime/event-spool.js');

    let untilMs: number | null = null;
    if (untilText !== undefined) {
      const u = parseDateTime(untilText, plan.timezone);
      if (typeof u === 'string') {
        throw new CliError(`invalid value \`${untilText}\` for \`--until\` (${u})`);
      }
      untilMs = u;
    }

    // The events are read part by part (jsonl-file.ts): a file of any size, not one string.
    const cannotRead = (e: unknown) => new CliError(`cannot read \`${eventsPath}\`: ${ioReason(e)}`);
    const fd = openInput(eventsPath, ctx.cwd);

    // Open every output before the work: an unwritable path fails at once. With --db, --out is appended
    // to: it keeps what earlier runs delivered (their actions are acknowledged, never written again).
    const actionsSink = outPath === undefined ? Sink.stream(ctx.stdout) : Sink.file(ctx, outPath, dbPath !== undefined);
    const auditSink = auditPath === undefined ? null : Sink.file(ctx, auditPath);
    const reportSink = reportPath === undefined ? null : Sink.file(ctx, reportPath);

    const audit = auditSink ? 'stream' : 'off';
    const db = dbPath === undefined ? null : await openDb(ctx, plan, dbPath, audit);
    const rt = db ?? createRuntime(plan, { audit });
    const ix = rt.index;
    const shownName = eventsPath === '-' ? '<stdin>' : eventsPath;
    let problems = '';
    let rejected = 0;
    let lines = 0;
    const problem = (line: number, reason: string) => {
      rejected++;
      problems += `${shownName}:${line}: ${reason}\n`;
      if (problems.length > 1 << 16) {
        ctx.stderr.write(problems);
        problems = '';
      }
    };
    // Every valid line is kept (as bytes, off the JS heap) and applied once all are read, in time order.
    const valid = new EventSpool();
    try {
      for (const entry of jsonlFileEntries(fd)) {
        lines++;
        if (entry.error !== null) {
          problem(entry.line, entry.error);
          continue;
        }
        const v = validateEvent(ix, entry.value);
        if (v.ok) valid.add(entry.text, v.event.at, entry.line);
        else problem(entry.line, v.reason);
      }
    } catch (e) {
      // nothing was applied or written yet: close what was opened and say why
      db?.close();
      for (const sink of [actionsSink, auditSink, reportSink]) sink?.closeNow();
      throw cannotRead(e);
    } finally {
      if (fd !== 0) closeSync(fd);
    }
    const reportProblems = () => {
      if (problems) ctx.stderr.write(problems);
      problems = '';
    };
    reportProblems();
    const order = valid.order(); // stable: equal times in input order
    const count = order.length;

    const lastAt = count ? valid.at(order[count - 1]!) : null;
    const until = untilMs ?? (lastAt === null ? null : db ? lastAt : lastAt + YEAR_MS);
    const counts = { total: 0, send: 0, handoff: 0, stage: 0, set: 0 };
    // Actions reach the output, then (with --db) are acknowledged: only once the output has their bytes
    // (Sink.flush), so that a run killed at any moment loses none — the next run hands out the outbox's
    // unacknowledged actions again, first (at-least-once: the consumer deduplicates by id).
    const emit = (a: RuntimeAction, count: boolean) => {
      if (count) {
        counts.total++;
        counts[a.type]++;
      }
      actionsSink.add(JSON.stringify(actionLine(actionToJson(a))));
    };
    const deliver = async (count = true): Promise<number> => {
      let n = 0;
      if (db) {
        for (let batch; (batch = db.outbox.drain(DELIVER_BATCH)).length > 0; ) {
          for (const e of batch) emit(e.action, count);
          await actionsSink.flush();
          db.outbox.ack(batch.map((e) => e.action.id));
          n += batch.length;
        }
      } else {
        for (const a of rt.drainActions()) emit(a, count);
        await actionsSink.flush();
      }
      if (auditSink) {
        for (const r of rt.drainAudit()) auditSink.add(JSON.stringify(auditToJson(ix, r)));
        await auditSink.flush();
      }
      return n;
    };
    const resent = db ? await deliver(false) : 0;
    // One transaction per chunk of events with a file, as a host batches its input.
    const unit = (fn: () => void): void => {
      if (!db) return fn();
      try {
        db.transaction(fn);
      } catch (e) {
        // a row damaged outside nurture shows up when its lead is read: say which, not "internal error"
        if (e instanceof Error && e.name === 'DamagedStoreError') throw new CliError(`cannot continue from \`${dbPath}\`: ${e.message}`);
        throw e;
      }
    };

    // The clock moves to each event, then to the end. Without --until it moves one due instant at a time
    // (the same order of work as one advanceTo) and stops beyond STEP_BUDGET lead steps.
    let steps = 0;
    const advance = (t: number, toward: () => string): void => {
      if (untilMs !== null) return void rt.advanceTo(t);
      for (let due; (due = rt.nextDue()) <= t; ) {
        steps += rt.advanceTo(due);
        if (steps > STEP_BUDGET) {
          throw new CliError(
            `stopped at ${new Date(due).toISOString()}: without --until the clock runs at most ${STEP_BUDGET.toLocaleString('en-US')} timer steps, ` +
              `and it was still running toward ${toward()}; a date far from the others? Give --until DATETIME to choose where the run ends (no limit then)`,
          );
        }
      }
    };

    let accepted = 0;
    const inputLeads = new Set<string>(); // every lead that had input in this run, new or not
    let duplicates = 0;
    let late = 0;
    let afterUntil = 0;
    const CHUNK = 1024;
    for (let start = 0; start < count && afterUntil === 0; start += CHUNK) {
      unit(() => {
        for (let k = start; k < Math.min(start + CHUNK, count); k++) {
          const at = valid.at(order[k]!);
          if (until !== null && at > until) {
            afterUntil = count - k;
            return;
          }
          advance(at, () => `the event of ${shownName}:${valid.line(order[k]!)} at ${new Date(at).toISOString()}`);
          // parsed again and applied (it was valid when read: the same text gives the same event)
          const r = rt.ingest(JSON.parse(valid.text(order[k]!)));
          if (!r.ok) {
            // cannot happen (validation depends on the plan only); reported rather than lost if it ever does
            problem(valid.line(order[k]!), r.reason);
            continue;
          }
          inputLeads.add(r.lead);
          if (r.duplicate) duplicates++;
          else accepted++;
          if (r.late) late++;
        }
      });
      await deliver();
    }
    if (until !== null) unit(() => advance(until, () => `${new Date(until).toISOString()} (the last event${db ? '' : ' + 365 days'})`));
    await deliver();
    reportProblems();
    await actionsSink.close();
    await auditSink?.close();
    const pending = rt.nextDue();
    if (rejected > 0) unit(() => rt.countRejected(rejected));
    const measures = rt.measures(); // with --db: every run's, from the store
    db?.close();

    const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
    if (resent > 0) ctx.stderr.write(`${dbPath}: ${resent} action${resent === 1 ? '' : 's'} of an earlier run not acknowledged, handed out again first\n`);
    if (late > 0) {
      ctx.stderr.write(`${shownName}: ${plural(late, 'event')} older than their lead's clock, applied at the clock (late; see --audit)\n`);
    }
    if (rejected > 0) ctx.stderr.write(`${shownName}: ${rejected} line${rejected === 1 ? '' : 's'} skipped (malformed or rejected events)\n`);
    if (afterUntil > 0) {
      ctx.stderr.write(`${shownName}: ${afterUntil} event${afterUntil === 1 ? '' : 's'} after --until ${new Date(until!).toISOString()} not applied\n`);
    }

    if (reportPath !== undefined && reportSink !== null) {
      const { buildReport } = await import('../../runtime/report.js');
      const report = buildReport(ix, measures, {
        events: shownName,
        from: count ? new Date(valid.at(order[0]!)).toISOString() : null,
        until: until === null ? '' : new Date(until).toISOString(),
        lines,
        accepted,
        rejected,
        duplicates,
        late,
        afterUntil,
        actions: counts,
      });
      const html = /\.html?$/i.test(reportPath);
      // the charts' library is loaded only for an HTML report
      const lastEvent = lastAt === null ? undefined : new Date(Math.min(lastAt, until ?? lastAt)).toISOString();
      const body = html ? (await import('../../runtime/report/html.js')).renderReportHtml(report, { lastEvent }) : JSON.stringify(report, null, 2) + '\n';
      reportSink.add(body, false);
      await reportSink.close();
    }

    ctx.stderr.write(
      `simulated ${plural(inputLeads.size, 'lead')}: ${accepted} events accepted, ${rejected} rejected, ${duplicates} duplicate${duplicates === 1 ? '' : 's'}; ` +
        `${plural(counts.total, 'action')} (${plural(counts.send, 'send')})${until === null ? '' : ` until ${new Date(until).toISOString()}`}\n`,
    );
    if (measures.splits.length > 0) {
      const { splitLines } = await import('../../runtime/report.js');
      for (const line of splitLines(ix, measures)) ctx.stderr.write(`${line}\n`);
    }
    if (dbPath !== undefined && pending <= MAX_INSTANT) {
      ctx.stderr.write(`state kept in ${dbPath}; next timer due ${new Date(pending).toISOString()} (a later run continues, or give --until)\n`);
    }
    return 0;
  },
};

/** The durable runtime of `--db FILE`, with the plan-version migration reported on stderr. */
async function openDb(ctx: Context, plan: Plan, path: string, audit: 'stream' | 'off'): Promise<SqliteRuntime> {
  const { openSqliteRuntime } = await import('../../runtime/store/index.js');
  let rt: SqliteRuntime;
  try {
    rt = openSqliteRuntime(plan, resolve(ctx.cwd, path), { audit, queueActions: false });
  } catch (e) {
    throw new CliError(`cannot use \`${path}\` as the state store: ${storeReason(e, resolve(ctx.cwd, path))}`);
  }
  if (rt.recovered > 0) ctx.stderr.write(`${path}: the last run stopped without closing it; ${rt.recovered} input${rt.recovered === 1 ? '' : 's'} replayed from its input log\n`);
  // A store built with another plan version: say which leads moved (docs/host-api.md, plan versions).
  for (const m of rt.migration) ctx.stderr.write(`${path}: lead ${m.lead}: ${m.reason}\n`);
  return rt;
}

function storeReason(e: unknown, file: string): string {
  const code = (e as { code?: unknown }).code;
  // SQLite says "disk I/O error" or "attempt to write a readonly database": say which file cannot be written
  if (typeof code === 'string' && /^SQLITE_(READONLY|IOERR|CANTOPEN|PERM)/.test(code)) {
    const unwritable = notWritable(file);
    if (unwritable !== null) return unwritable;
  }
  if (code === 'SQLITE_NOTADB') return 'not a SQLite database';
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return 'another process is using it';
  if (typeof code === 'string' && !code.startsWith('SQLITE')) return ioReason(e);
  return e instanceof Error ? e.message : String(e);
}

/** Why SQLite cannot write the store `file` (read-only, or in a folder where its WAL cannot be created), or null. */
function notWritable(file: string): string | null {
  const writable = (p: string) => {
    try {
      accessSync(p, constants.W_OK);
      return true;
    } catch (e) {
      return (e as { code?: unknown }).code === 'ENOENT';
    }
  };
  if (!writable(file)) return `the file is read-only (not writable): ${file}`;
  const dir = dirname(file);
  if (!writable(dir)) return `its folder is read-only (SQLite writes its journal files beside the store there): ${dir}`;
  return null;
}

/** `--until`: an ISO date-time with offset, or `YYYY-MM-DD[( |T)HH:MM[:SS]]` in the zone. Epoch ms, or a reason. */
export function parseDateTime(s: string, zone: string): number | string {
  const local = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(s.trim());
  if (local) {
    const [, date, hh, mm, ss] = local;
    const day = parseDate(date!);
    const h = hh === undefined ? 0 : Number(hh);
    const m = mm === undefined ? 0 : Number(mm);
    const sec = ss === undefined ? 0 : Number(ss);
    if (day === null || h > 23 || m > 59 || sec > 59) return 'not a valid date or time';
    return localToInstant(zone, day, h * 60 + m) + sec * 1000;
  }
  const r = parseInstant(s.trim());
  return typeof r === 'string' ? 'expected an ISO 8601 date-time with offset such as 2026-01-05T09:00:00+01:00, or YYYY-MM-DD[ HH:MM] in the plan time zone' : r;
}

/** An action with the keys in the order of LANGUAGE.md 8.4: id, at, lead, type, what, journey. */
export function actionLine(a: Record<string, unknown>): Record<string, unknown> {
  const { id, at, lead, type, journey, ...rest } = a;
  return { id, at, lead, type, ...rest, journey };
}
