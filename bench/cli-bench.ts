// How long does a command take from the shell, start-up included? Runs `nurture` as a user does
// (`node bin/nurture.js …`, a new process each time) on a bundled example, after warm-ups (the file
// cache), and reports the best and the median wall time, next to Node's own start (`node -e 0`).
//
//   npm run build && node dist/bench/cli-bench.js [--runs R --warmups W]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, parseOptions, time } from './timing.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLE = 'examples/b2b';
const OUT = mkdtempSync(join(tmpdir(), 'nurture-cli-bench-'));

const COMMANDS: [string, string[]][] = [
  ['node -e 0 (Node itself)', ['-e', '0']],
  ['nurture --version', ['bin/nurture.js', '--version']],
  [`nurture check ${EXAMPLE}`, ['bin/nurture.js', 'check', EXAMPLE]],
  [`nurture compile ${EXAMPLE}`, ['bin/nurture.js', 'compile', EXAMPLE]],
  [`nurture test ${EXAMPLE}`, ['bin/nurture.js', 'test', EXAMPLE]],
  [`nurture graph ${EXAMPLE}`, ['bin/nurture.js', 'graph', EXAMPLE]],
  // the HTML report draws its charts with ECharts, loaded only then: the difference is its price
  ...(['json', 'html'] as const).map((ext): [string, string[]] => [
    `nurture simulate ${EXAMPLE} --report .${ext}`,
    ['bin/nurture.js', 'simulate', EXAMPLE, '--events', `${EXAMPLE}/events.jsonl`, '--until', '2026-06-30', '--out', join(OUT, 'actions.jsonl'), '--report', join(OUT, `report.${ext}`)],
  ]),
];

function run(args: string[]): void {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${r.status}: ${r.stderr.toString().trim()}`);
}

const { runs, warmups } = parseOptions(process.argv.slice(2));
process.stdout.write(`nurture command start-up (node ${process.version}, ${runs} runs after ${warmups} warm-ups, wall time)\n`);
for (const [name, args] of COMMANDS) {
  const t = time(() => run(args), warmups, runs);
  process.stdout.write(`  ${name.padEnd(46)} best ${fmt(t.best)}   median ${fmt(t.median)}\n`);
}
rmSync(OUT, { recursive: true, force: true });
