// `npm run demo`: the main job of nurture on one bundled example, with the embedded SQLite store.
// It runs the real commands a user would type — check, test, simulate — prints each one, and ends with
// a short summary read from the simulation's report. Outputs go to demo-output/ (ignored by git).
//
//   node examples/demo.mjs [EXAMPLE]      (default: b2b; any folder of examples/ with an events.jsonl)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = dirname(dirname(fileURLToPath(import.meta.url)));
const bin = join(repo, 'bin', 'nurture.js');
const example = process.argv[2] ?? 'b2b';
const workspace = join('examples', example);
const events = join(workspace, 'events.jsonl');
const out = 'demo-output';
/** The recorded quarter ends early April; the clock runs on to the end of June for the last waits. */
const until = '2026-06-30';

if (!existsSync(join(repo, 'dist', 'nurture.mjs'))) fail('the CLI is not built: run `npm ci` (or `npm run build`) first');
if (!existsSync(join(repo, events))) fail(`no example \`${example}\` with recorded events (${events})`);

const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[22m` : s);
const dim = (s) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[22m` : s);

console.log(bold(`nurture demo: the ${example} example (${workspace})`));
console.log(dim('Check the journeys, run their tests, then run the recorded events through the runtime.\n'));

// A fresh store each time: a second run over the same store would continue from the first one.
rmSync(join(repo, out), { recursive: true, force: true });
mkdirSync(join(repo, out), { recursive: true });
const db = join(out, `${example}.db`);
const reportJson = join(out, 'report.json');
const reportHtml = join(out, 'report.html');
const actions = join(out, 'actions.jsonl');

run(['check', workspace, '--max-warnings', '0']);
run(['test', workspace]);
run(['simulate', workspace, '--events', events, '--until', until, '--db', db, '--out', actions, '--report', reportJson]);

const report = JSON.parse(readFileSync(join(repo, reportJson), 'utf8'));
const { renderReportHtml } = await import('../dist/runtime/report/html.js');
writeFileSync(join(repo, reportHtml), renderReportHtml(report));
summary(report);

/** Runs `nurture ARGS…` from the repository root, echoing the command and its output; stops on failure. */
function run(args) {
  console.log(bold(`$ nurture ${args.join(' ')}`));
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: repo, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const shown = (r.stdout + r.stderr).trimEnd();
  if (shown) console.log(indent(shown));
  console.log();
  if (r.status !== 0) fail(`\`nurture ${args[0]}\` exited with status ${r.status}`);
}

function summary(report) {
  const m = report.measures;
  const sum = (rows) => rows.reduce((n, r) => n + r.count, 0);
  const n = (x) => x.toLocaleString('en-US');
  const pts = (x) => `${x >= 0 ? '+' : ''}${x.toFixed(1)}`;
  const liftText = (name, lift, groups) =>
    lift.tooFew
      ? `${name}: too few leads to tell (${groups}; ${lift.minimum} in each group needed)`
      : `${name}: ${pts(lift.points)} points of conversion (95% CI ${pts(lift.low)} to ${pts(lift.high)}; ${groups})`;
  // The program against its control group first (section 4.16), then each journey against its holdout.
  const program =
    m.program === null
      ? ['program: no `control group` declared, so no lift for the program as a whole']
      : m.program.lift === null
        ? []
        : [liftText('program (MQLs)', m.program.lift, `${n(m.program.nurtured.leads)} nurtured vs ${n(m.program.control.leads)} in the control group`)];
  const lifts = [
    ...program,
    ...Object.entries(m.journeys)
      .filter(([, j]) => j.lift !== null)
      .map(([name, j]) => liftText(name, j.lift, `${n(j.nurtured.entered)} nurtured vs ${n(j.holdout.entered)} held out`)),
  ];
  // Each split's branches side by side: a winner only when the difference is significant.
  const splits = (m.splits ?? []).map((x) => {
    const branches = x.branches.map((b) => `${b.name} ${b.rate === null ? '—' : `${(b.rate * 100).toFixed(1)}%`}`).join(' vs ');
    const p = x.test.p === null ? '' : ` (p = ${x.test.p < 0.001 ? '< 0.001' : x.test.p.toFixed(3)})`;
    return `${x.journey}: ${branches} — ${x.winner === null ? 'no significant difference' : `${x.winner} converts better`}${p}`;
  });
  const rows = [
    ['period', `${report.run.from?.slice(0, 10) ?? '-'} → ${until}`],
    ['leads', `${n(m.leads)} (${n(report.run.accepted)} events)`],
    [
      'messages',
      `${n(m.sends)} sent · ${n(sum(m.delayed))} delayed by pressure rules · ${n(sum(m.skipped))} skipped · ` +
        `${n(sum(m.suppressed))} suppressed (no consent) · ${n(m.heldOut)} held out`,
    ],
    ['MQLs', `${n(m.mqls)}${m.recycled > 0 ? ` (${n(m.recycled)} recycled by sales, ${n(m.reopened)} re-opened)` : ''}`],
    ...lifts.map((l, i) => [i === 0 ? 'lift' : '', l]),
    ...splits.map((l, i) => [i === 0 ? 'split test' : '', l]),
    ['report', `${reportHtml}  (JSON: ${reportJson})`],
    ['actions', actions],
    ['state', `${db} (SQLite: a later \`nurture simulate ${workspace} --db ${db} --events …\` continues from it)`],
  ];
  console.log(bold('Summary'));
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
  console.log(dim(`\nOpen ${relative(process.cwd(), join(repo, reportHtml)) || reportHtml} in a browser for every measure.`));
}

function indent(text) {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

function fail(message) {
  console.error(`demo: ${message}`);
  process.exit(1);
}
