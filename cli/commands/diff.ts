// `nurture diff OLD NEW [--base REV] [--events FILE.jsonl] [--until DATETIME] [--db FILE]
//  [--format text|json|markdown] [--fail-if "METRIC OP CHANGE"]… [--leads N]`
// What a change to a workspace does (LANGUAGE.md §10): the changed declarations and steps in source terms;
// with --events, both versions run over the same events and their outcomes compared; with --db, the leads
// in flight that the change keeps, moves or takes out of a journey (§8.6), the store left untouched. The
// work is in cli/diff/ (sides, changes, outcomes, in-flight, fail-if, render); docs/diff.md describes the
// output. Exit status: 0 it ran, 1 a --fail-if tripped or a side has errors, 2 usage or I/O problem.
import type { Command } from '../command.js';
import { CliError } from '../context.js';

export const diff: Command = {
  name: 'diff',
  summary: 'what a change does: changed declarations, outcomes on recorded events, leads in flight',
  usage: 'nurture diff OLD NEW | --base REV [PATH…]  [--events FILE.jsonl] [--db FILE|postgres://…] [--format text|json|markdown] [--fail-if "METRIC OP CHANGE"]…',
  description:
    'Compares two versions of a workspace. OLD and NEW are folders or .nurture files, plans (.json), or\n' +
    'either as it is in a git revision: REV:PATH (e.g. main:examples/b2b), or --base REV for the PATHs\n' +
    '(default .) against the working tree. Prints the changed declarations and journey steps with\n' +
    'file:line on both sides; with --events, both versions run over the same events and the outcomes are\n' +
    'compared (sends, MQLs, entries, conversions, lift, pressure, leads whose actions differ and why);\n' +
    'with --db, how many leads in flight stay, move or leave, per step (the store is not changed).',
  flags: [
    { name: 'base', kind: 'string', placeholder: 'REV', description: 'compare the PATHs (default .) as they are in git revision REV with the working tree' },
    { name: 'events', kind: 'string', placeholder: 'FILE.jsonl', description: 'run both versions over these events (one JSON object per line, `-` for stdin) and compare' },
    { name: 'until', kind: 'string', placeholder: 'DATETIME', description: 'with --events: run the clock until then (default: the last event + 365 days)' },
    { name: 'db', kind: 'string', placeholder: 'FILE|URL', description: 'a store (SQLite file or postgres:// URL): what NEW does to its leads in flight (read only)' },
    { name: 'format', kind: 'string', choices: ['text', 'json', 'markdown'], placeholder: 'FORMAT', description: 'text (default), json (docs/diff.md) or markdown (a pull-request comment)' },
    { name: 'fail-if', kind: 'string', many: true, placeholder: '"METRIC OP CHANGE"', description: 'exit 1 when a change crosses a threshold, e.g. "mqls < -5%", "sends.welcome > +10" (repeatable)' },
    { name: 'leads', kind: 'integer', placeholder: 'N', description: 'with --events: leads whose actions differ to explain (default 5)' },
  ],
  epilog: [
    'Metrics for --fail-if: changes (declarations changed); with --events: leads, mqls, sends, sends.CONTENT,',
    'entries.JOURNEY, conversions.JOURNEY, lift.JOURNEY (points), lift.program, delayed, skipped, suppressed,',
    'held-out, cost, leads-differing; with --db: inflight.stay, inflight.move, inflight.leave.',
    'CHANGE is NEW − OLD as a signed number (+10, -3) or relative to OLD with % (-5%).',
    '',
    'Exit status: 0 it ran, 1 a --fail-if tripped (or OLD/NEW has errors), 2 usage or I/O problem.',
    '',
    'Examples:',
    '  nurture diff --base main examples/b2b --events examples/b2b/events.jsonl',
    '  nurture diff old-plan.json examples/b2b --db state.db --format markdown',
    '  nurture diff --base origin/main . --events events.jsonl --fail-if "mqls < -5%" --fail-if "inflight.leave > 0"',
  ],
  async run(args, ctx) {
    const { parseThreshold, checkMetric, evaluate } = await import('../diff/fail-if.js');
    const thresholds = args.list('fail-if').map(parseThreshold);
    const { parseSide, loadSide } = await import('../diff/sides.js');
    const base = args.string('base');
    let specs;
    if (base !== undefined) {
      const paths = args.positionals.length === 0 ? ['.'] : [...args.positionals];
      specs = [{ paths, rev: base }, { paths, rev: null }];
    } else if (args.positionals.length === 2) specs = args.positionals.map((p) => parseSide(p, ctx.cwd));
    else {
      throw new CliError(
        `\`diff\` needs OLD and NEW (${args.positionals.length === 0 ? 'none given' : `${args.positionals.length} given`}), or --base REV [PATH…]; see \`nurture diff --help\``,
      );
    }
    const eventsPath = args.string('events');
    const untilText = args.string('until');
    if (untilText !== undefined && eventsPath === undefined) throw new CliError('`--until` needs --events FILE.jsonl');

    const oldSide = await loadSide(specs[0]!, ctx, 'OLD');
    const newSide = await loadSide(specs[1]!, ctx, 'NEW');
    const { planChanges, SideText } = await import('../diff/changes.js');
    const old = new SideText(oldSide.loaded);
    const neu = new SideText(newSide.loaded);
    const changes = planChanges(oldSide.loaded, newSide.loaded);

    let outcomes = null;
    if (eventsPath !== undefined) {
      const { readEvents, compareOutcomes } = await import('../diff/outcomes.js');
      let until: number | null = null;
      if (untilText !== undefined) {
        const { parseDateTime } = await import('./simulate.js');
        const u = parseDateTime(untilText, neu.plan.timezone);
        if (typeof u === 'string') throw new CliError(`invalid value \`${untilText}\` for \`--until\` (${u})`);
        until = u;
      }
      const shown = eventsPath === '-' ? '<stdin>' : eventsPath;
      outcomes = compareOutcomes(old, neu, readEvents(eventsPath, ctx), shown, until, args.integer('leads') ?? 5, ctx);
    }
    const dbPath = args.string('db');
    const { inFlight } = await import('../diff/in-flight.js');
    const flight = dbPath === undefined ? null : await inFlight(dbPath, old, neu, ctx);

    const metrics = [
      { name: 'changes', old: 0, new: changes.length },
      ...(outcomes?.metrics ?? []),
      ...(flight === null ? [] : (['stay', 'move', 'leave'] as const).map((k) => ({ name: `inflight.${k}`, old: 0, new: flight[k] }))),
    ];
    const { outcomeMetricNames } = await import('../diff/outcomes.js');
    const outcomeNames = outcomeMetricNames(old.plan, neu.plan);
    const names = ['changes', ...outcomeNames, 'inflight.stay', 'inflight.move', 'inflight.leave'];
    const needs = (metric: string): string | null =>
      outcomeNames.includes(metric) && outcomes === null ? 'needs --events FILE.jsonl' : metric.startsWith('inflight.') && flight === null ? 'needs --db FILE' : null;
    for (const t of thresholds) checkMetric(t, names, needs);
    const results = thresholds.map((t) => {
      const m = metrics.find((x) => x.name === t.metric)!;
      return evaluate(t, m.old, m.new);
    });

    const { renderText, renderMarkdown, renderJson, thresholdLine, DIFF_FORMAT, DIFF_VERSION } = await import('../diff/render.js');
    const info = (s: typeof oldSide) => ({ label: s.label, commit: s.commit, plan: s.loaded.plan.source.hash });
    const report = { format: DIFF_FORMAT, version: DIFF_VERSION, old: info(oldSide), new: info(newSide), changes, outcomes, inFlight: flight, thresholds: results } as const;
    const format = args.string('format') ?? 'text';
    ctx.stdout.write(format === 'json' ? renderJson(report) : format === 'markdown' ? renderMarkdown(report) : renderText(report));
    const tripped = results.filter((r) => r.tripped);
    for (const t of tripped) ctx.stderr.write(`nurture diff: threshold tripped: ${thresholdLine(t)}\n`);
    return tripped.length > 0 ? 1 : 0;
  },
};
