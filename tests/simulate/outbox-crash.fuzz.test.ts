// The outbox contract of `nurture simulate --db` under SIGKILL (docs/host-api.md): an action is
// acknowledged only once the output has its bytes, and the next run hands out every unacknowledged one
// again. Runs writing to a slow pipe and to a file (`-o`) are killed at random moments and restarted
// until one finishes (an episode, from a fresh store); what the consumer received over an episode must
// hold every action of one uninterrupted run, each with the same content, and nothing else (duplicates
// are allowed: at-least-once). The kill count is `fuzzRuns(20)`, half on each output.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, cleanWorkspaces, makeWorkspace } from '../cli/helpers.js';
import { fuzzRuns } from '../fuzz/budget.js';
import { storeEvents, storePlan, T0 } from '../store/fixture.js';

afterAll(cleanWorkspaces);

const EVENTS = 16_000; // one run: ~3,100 actions, ~1 s
const UNTIL = new Date(T0 + 16_000 * 6_000 + 30 * 86_400_000).toISOString();
/** The slow reader: at most this many bytes every READ_EVERY ms (~250 KB/s). */
const SLICE = 2_048;
const READ_EVERY = 8;

interface Run {
  /** Exit code, or 'killed'. */
  end: number | 'killed';
  /** What the reader got from stdout (pipe mode). */
  stdout: string;
  stderr: string;
  ms: number;
}

function simulate(dir: string, args: string[], killAfterMs: number | null, slowReader: boolean): Promise<Run> {
  return new Promise((res, rej) => {
    const started = Date.now();
    const p = spawn(process.execPath, [BIN, 'simulate', 'plan.json', '--events', 'events.jsonl', '--until', UNTIL, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    p.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    let reader: NodeJS.Timeout | null = null;
    if (slowReader) {
      p.stdout.pause();
      reader = setInterval(() => {
        const n = Math.min(SLICE, p.stdout.readableLength);
        if (n > 0) out.push(p.stdout.read(n) as Buffer);
      }, READ_EVERY);
    } else p.stdout.on('data', (b: Buffer) => out.push(b));
    const killer = killAfterMs === null ? null : setTimeout(() => p.kill('SIGKILL'), killAfterMs);
    p.on('error', rej);
    let end: Run['end'] = -1;
    p.on('exit', (code, signal) => {
      if (killer) clearTimeout(killer);
      if (reader) clearInterval(reader);
      end = signal === 'SIGKILL' ? 'killed' : (code ?? -1);
      // what is still in the pipe was written by the run: the consumer has it too
      p.stdout.on('data', (b: Buffer) => out.push(b));
      p.stdout.resume();
    });
    p.on('close', () => res({ end, stdout: Buffer.concat(out).toString('utf8'), stderr: err, ms: Date.now() - started }));
  });
}

/** Complete lines only: a line cut by the kill was never acknowledged (it comes again). */
function completeLines(text: string): string[] {
  const end = text.lastIndexOf('\n');
  return end < 0 ? [] : text.slice(0, end).split('\n');
}

describe('simulate --db under SIGKILL: every action reaches the consumer (slow pipe, file)', () => {
  const dir = makeWorkspace({
    'plan.json': JSON.stringify(storePlan()),
    'events.jsonl': storeEvents(0, EVENTS, EVENTS / 10).map((e) => JSON.stringify(e)).join('\n') + '\n',
  });

  it(`${fuzzRuns(20)} kills at random moments, restarts: the union received equals one uninterrupted run`, async () => {
    const reference = await simulate(dir, [], null, false);
    expect(reference.end, reference.stderr).toBe(0);
    const expected = new Map(completeLines(reference.stdout).map((l) => [(JSON.parse(l) as { id: string }).id, l]));
    expect(expected.size).toBeGreaterThan(2000);
    // an uninterrupted --db run takes about this long: kills land anywhere in it
    const full = await simulate(dir, ['--db', 'full.db', '-o', 'full.jsonl'], null, false);
    expect(full.end, full.stderr).toBe(0);
    expect(new Set(completeLines(readFileSync(join(dir, 'full.jsonl'), 'utf8')))).toEqual(new Set(expected.values()));
    const span = Math.max(600, full.ms * 1.3);

    const seed = Number(process.env['NURTURE_FUZZ_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
    let state = seed;
    const rnd = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const stats = { pipe: { kills: 0, episodes: 0, lines: 0 }, file: { kills: 0, episodes: 0, lines: 0 } };
    const target = fuzzRuns(20);
    for (const mode of ['pipe', 'file'] as const) {
      const kills = mode === 'pipe' ? Math.ceil(target / 2) : Math.floor(target / 2);
      const s = stats[mode];
      while (s.kills < kills) {
        s.episodes++;
        const db = `${mode}-${s.episodes}.db`;
        const file = `${mode}-${s.episodes}.jsonl`;
        const args = mode === 'pipe' ? ['--db', db] : ['--db', db, '-o', file];
        const received: string[] = [];
        for (let runs = 1; ; runs++) {
          expect(runs, `seed ${seed}: an episode that never ends`).toBeLessThan(60);
          const kill = s.kills < kills ? Math.floor(50 + rnd() * span) : null;
          const r = await simulate(dir, args, kill, mode === 'pipe');
          received.push(...completeLines(r.stdout));
          if (r.end === 'killed') {
            s.kills++;
            continue;
          }
          expect(r.end, `seed ${seed}: ${r.stderr}`).toBe(0);
          break;
        }
        if (mode === 'file') received.push(...completeLines(readFileSync(join(dir, file), 'utf8')));
        s.lines += received.length;
        const got = new Map<string, string>();
        for (const line of received) {
          const id = (JSON.parse(line) as { id: string }).id;
          expect(line, `seed ${seed}: ${mode} episode ${s.episodes}: action ${id} differs from the uninterrupted run's`).toBe(expected.get(id));
          got.set(id, line);
        }
        const missing = [...expected.keys()].filter((id) => !got.has(id));
        expect(missing.length, `seed ${seed}: ${mode} episode ${s.episodes}: ${missing.length} of ${expected.size} actions never reached the consumer`).toBe(0);
        for (const f of [db, `${db}-wal`, `${db}-shm`, file]) rmSync(join(dir, f), { force: true });
      }
    }
    console.log(`outbox crash test (seed ${seed}): ${expected.size} actions per run; ${JSON.stringify(stats)}`);
  }, 180_000);
});
