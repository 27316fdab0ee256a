// What every fuzzed run must satisfy, whatever its input: an exit status of 0, 1 or 2, no stack trace and
// no "internal error" on stderr, and an end within its time budget. Runs of the CLI go in process
// (`main` with captured output: ~100x cheaper than a process) or as a real process (`node bin/nurture.js`,
// which also catches crashes and hangs of the process itself).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BIN } from '../cli/helpers.js';

export interface Run {
  args: string[];
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** A Node stack frame (`    at fn (file.js:1:2)`). */
export const STACK_FRAME = /\n\s+at .+:\d+:\d+/;

/** Why the run is not sane, or undefined. */
export function insanity(run: Run, budgetMs: number): string | undefined {
  const what = `\`nurture ${run.args.join(' ')}\``;
  if (run.status === null) return `${what} did not end within ${budgetMs} ms (killed)`;
  if (![0, 1, 2].includes(run.status)) return `${what} exited with status ${run.status}`;
  if (STACK_FRAME.test(run.stderr)) return `${what} printed a stack trace: ${run.stderr.slice(0, 2000)}`;
  if (/internal error/i.test(run.stderr)) return `${what} reported an internal error: ${run.stderr.slice(0, 2000)}`;
  if (run.ms > budgetMs) return `${what} took ${Math.round(run.ms)} ms (budget ${budgetMs} ms)`;
  return undefined;
}

/** Runs the CLI in process, in `cwd`. */
export async function runInProcess(args: string[], cwd: string): Promise<Run> {
  const { main } = await import('../../cli/main.js');
  let stdout = '';
  let stderr = '';
  const t0 = performance.now();
  const status = await main(args, {
    stdout: { write: (s: string) => void (stdout += s), isTTY: false },
    stderr: { write: (s: string) => void (stderr += s), isTTY: false },
    env: {},
    cwd,
  });
  return { args, status, stdout, stderr, ms: performance.now() - t0 };
}

/** Runs `node bin/nurture.js …args` in `cwd`; killed (status null) after `budgetMs`. */
export function runProcess(args: string[], cwd: string, budgetMs: number): Promise<Run> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const k of ['FORCE_COLOR', 'NO_COLOR', 'NURTURE_DEBUG']) delete env[k];
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, budgetMs);
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ args, status: killed ? null : (code ?? (signal ? 128 : null)), stdout, stderr, ms: performance.now() - t0 });
    });
  });
}

/** A temporary folder holding `files`; removed by the returned function. */
export function tempWorkspace(files: Record<string, string>): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'nurture-fuzz-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
