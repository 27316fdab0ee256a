// `check` and `fmt` of one large file (issue 20: `fmt` of a 5 MB file took 24 s and 2.3 GB). Generates a
// valid workspace of about `--mb` megabytes as ONE file, then runs the real CLI on it under
// `/usr/bin/time -v` (each command in a fresh process, as a user would) and prints the wall-clock time,
// the CPU time and the peak memory. Targets: `fmt` under 5 s and 1 GB, `check` under 3 s. Wall-clock
// time depends on the machine's load: on a busy machine compare the CPU time (user + system).
//
//   npm run build && node dist/bench/big-file-bench.js [--mb 5] [--keep DIR]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateWorkspace } from './generate-workspace.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Lines of the generated workspace per megabyte (measured: 120,000 lines ≈ 5.0 MB). */
const LINES_PER_MB = 24_000;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

function measure(args: string[], cwd: string): { wall: string; cpu: number; rssMb: number; status: number } {
  const r = spawnSync('/usr/bin/time', ['-v', process.execPath, join(REPO, 'bin/nurture.js'), ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  const stderr = r.stderr.toString();
  const status = r.status ?? -1;
  const field = (name: string) => new RegExp(`${name}: (.*)`).exec(stderr)?.[1]?.trim() ?? '?';
  return {
    wall: field('Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\)'),
    cpu: Number(field('User time \\(seconds\\)')) + Number(field('System time \\(seconds\\)')),
    rssMb: Math.round(Number(field('Maximum resident set size \\(kbytes\\)')) / 1024),
    status,
  };
}

function main(): void {
  const mb = Number(option('mb') ?? 5);
  const ws = generateWorkspace({ lines: Math.round(mb * LINES_PER_MB), campaignsPerFile: Number.MAX_SAFE_INTEGER });
  const text = ws.files.map((f) => f.text).join('\n');
  const dir = option('keep') ?? mkdtempSync(join(tmpdir(), 'nurture-big-'));
  writeFileSync(join(dir, 'big.nurture'), text);
  const out = (s: string) => process.stdout.write(s + '\n');
  out(`one file: ${(Buffer.byteLength(text) / 1e6).toFixed(2)} MB, ${ws.lines} lines (node ${process.version})`);
  try {
    for (const args of [['check', 'big.nurture'], ['fmt', 'big.nurture'], ['fmt', '--check', 'big.nurture']]) {
      const m = measure(args, dir);
      out(`nurture ${args.join(' ').padEnd(24)} wall ${m.wall.padStart(8)}  cpu ${m.cpu.toFixed(2).padStart(6)} s  peak ${String(m.rssMb).padStart(5)} MB  exit ${m.status}`);
    }
  } finally {
    if (option('keep') === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

main();
