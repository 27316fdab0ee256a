// What the workspace benchmarks share: their options, a timer (best and median after warm-ups), and
// the way they print milliseconds.

export interface Timing {
  best: number;
  median: number;
  runs: number[];
}

/** Runs `fn` `warmups` times untimed, then `runs` times timed (ms). */
export function time(fn: () => void, warmups: number, runs: number): Timing {
  for (let i = 0; i < warmups; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { best: sorted[0]!, median, runs: samples };
}

export function fmt(ms: number): string {
  return ms.toFixed(1).padStart(8) + ' ms';
}

/** `--lines N --runs R --warmups W` (defaults: the 50,000-line workspace, 5 runs after 2 warm-ups). */
export function parseOptions(argv: string[]): { lines: number; runs: number; warmups: number } {
  const opts = { lines: 50_000, runs: 5, warmups: 2 };
  for (let i = 0; i < argv.length; i++) {
    const v = Number(argv[i + 1]);
    if (argv[i] === '--lines' && Number.isFinite(v)) (opts.lines = v), i++;
    else if (argv[i] === '--runs' && Number.isFinite(v)) (opts.runs = Math.max(1, v)), i++;
    else if (argv[i] === '--warmups' && Number.isFinite(v)) (opts.warmups = Math.max(0, v)), i++;
  }
  return opts;
}
