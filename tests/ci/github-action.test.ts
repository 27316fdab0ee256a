// The GitHub Action (action.yml) run the way a runner runs a composite action: each step's `run` script
// with `bash --noprofile --norc -eo pipefail`, in the checkout ($GITHUB_WORKSPACE), with the GITHUB_*
// variables and files a runner sets (GITHUB_ENV carried to later steps, GITHUB_OUTPUT read back as the
// step's outputs, GITHUB_STEP_SUMMARY), `${{ inputs.* }}`, `${{ steps.*.outputs.* }}` and `${{ github.* }}`
// substituted. Annotations are the workflow commands the steps print.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { linkNurture, REPO } from '../cli/helpers.js';
import { yamlToJson } from './yaml.js';

interface Step { id?: string; name?: string; shell: string; run: string; env?: Record<string, string>; if?: string }
interface Action {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = yamlToJson(join(REPO, 'action.yml')) as Action | undefined;
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface StepRun { id?: string; status: number | null; stdout: string; stderr: string; outputs: Record<string, string> }

/** `name=value` lines and `name<<DELIM` blocks, as the runner reads GITHUB_OUTPUT and GITHUB_ENV. */
function readCommandFile(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = readFileSync(path, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const body: string[] = [];
      while (++i < lines.length && lines[i] !== heredoc[2]) body.push(lines[i]!);
      out[heredoc[1]!] = body.join('\n');
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return out;
}

/** Runs the action's steps in `workspace`; returns each step's result and the action's outputs. */
function runAction(workspace: string, inputs: Record<string, string>, event = 'push', extraEnv: Record<string, string> = {}): { steps: StepRun[]; outputs: Record<string, string>; summary: string } {
  const runner = mkdtempSync(join(tmpdir(), 'nurture-runner-'));
  made.push(runner);
  const summary = join(runner, 'step_summary.md');
  const envFile = join(runner, 'env');
  writeFileSync(summary, '');
  writeFileSync(envFile, '');
  writeFileSync(join(runner, 'event.json'), JSON.stringify(event === 'pull_request' ? { pull_request: { number: 7 } } : {}));
  const steps: StepRun[] = [];
  const github: Record<string, string> = { token: 'ghs_test_token', action_path: REPO, event_name: event, workspace };
  const expr = (text: string): string =>
    text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, e: string) => {
      let m = /^inputs\.([\w-]+)$/.exec(e);
      if (m) {
        const input = action!.inputs[m[1]!];
        if (!input) throw new Error(`action.yml uses an undeclared input: ${m[1]}`);
        return inputs[m[1]!] ?? expr(input.default ?? '');
      }
      m = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(e);
      if (m) return steps.find((s) => s.id === m![1])?.outputs[m[2]!] ?? '';
      m = /^github\.(\w+)$/.exec(e);
      if (m && github[m[1]!] !== undefined) return github[m[1]!]!;
      throw new Error(`expression the test does not know: ${e}`);
    });
  for (const [n, step] of action!.runs.steps.entries()) {
    expect(step.shell).toBe('bash');
    expect(step.if).toBeUndefined(); // every step runs: the last one decides
    const output = join(runner, `output_${n}`);
    writeFileSync(output, '');
    const script = join(runner, `step_${n}.sh`);
    writeFileSync(script, expr(step.run));
    const env: Record<string, string> = {
      PATH: process.env['PATH']!, HOME: process.env['HOME'] ?? runner, CI: 'true', GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: workspace, GITHUB_ACTION_PATH: REPO, GITHUB_EVENT_NAME: event, GITHUB_REPOSITORY: 'acme/journeys',
      GITHUB_SHA: '0'.repeat(40), GITHUB_REF: 'refs/heads/main', GITHUB_ENV: envFile, GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary, GITHUB_PATH: join(runner, 'path'), GITHUB_EVENT_PATH: join(runner, 'event.json'),
      RUNNER_TEMP: runner, RUNNER_OS: 'Linux',
      ...(event === 'pull_request' ? { GITHUB_BASE_REF: 'main', GITHUB_HEAD_REF: 'change' } : {}),
      ...extraEnv,
      ...readCommandFile(envFile),
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expr(String(v))])),
    };
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd: workspace, env, encoding: 'utf8', timeout: 120_000 });
    steps.push({ id: step.id, status: r.status, stdout: r.stdout, stderr: r.stderr, outputs: readCommandFile(output) });
    if (r.status !== 0 && n < action!.runs.steps.length - 1) break; // a runner stops at a failed step
  }
  const outputs = Object.fromEntries(Object.entries(action!.outputs).map(([k, v]) => [k, expr(v.value)]));
  return { steps, outputs, summary: readFileSync(summary, 'utf8') };
}

/** A checkout holding examples/b2b as `journeys/`, with `node_modules/.bin/nurture` when `installed`. */
function checkout(installed: boolean): string {
  const ws = mkdtempSync(join(tmpdir(), 'nurture-gha-'));
  made.push(ws);
  execFileSync('git', ['init', '-q'], { cwd: ws, stdio: 'pipe' });
  cpSync(join(REPO, 'examples/b2b'), join(ws, 'journeys'), { recursive: true });
  mkdirSync(join(ws, 'fixtures'));
  writeFileSync(join(ws, 'fixtures/broken.nurture'), 'journey {\n'); // ignored below
  writeFileSync(join(ws, '.nurtureignore'), '/fixtures/\n');
  if (installed) linkNurture(ws);
  return ws;
}

const byId = (steps: StepRun[], id: string): StepRun => steps.find((s) => s.id === id)!;

describe.skipIf(action === undefined)('the GitHub Action (action.yml, composite) [needs python3 with PyYAML to read the YAML]', { timeout: 120_000 }, () => {
  it('is a composite action of bash steps whose inputs are all declared', () => {
    expect(action!.runs.using).toBe('composite');
    expect(Object.keys(action!.inputs)).toEqual(['path', 'max-warnings', 'format-check', 'test', 'comment', 'github-token']);
    expect(action!.runs.steps.map((s) => s.id ?? s.name)).toEqual(['install', 'check', 'format', 'test', 'diff', 'Result']);
  });

  it('on a clean workspace: the action\'s own nurture, check, fmt --check and test pass, a summary, exit 0', () => {
    const ws = checkout(false);
    const { steps, outputs, summary } = runAction(ws, {});
    expect(steps.map((s) => s.status)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(steps[0]!.stdout).toBe(`nurture: nurture ${JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version} (${join(REPO, 'bin/nurture.js')})\n`);
    expect(byId(steps, 'check').stdout).toBe(''); // no annotation
    expect(byId(steps, 'format').stdout).toBe('0 files would be reformatted, 6 already formatted\n'); // fixtures/ ignored
    expect(outputs).toEqual({ check: 'passed', format: 'passed', test: 'passed' });
    expect(summary).toMatch(/^### nurture test\n```\n[\s\S]*\n8 passed, 0 failed\n```\n$/);
    expect(byId(steps, 'diff').stdout).toBe('nurture diff: not a pull request, no comment\n');
  });

  it('on a broken pull request: annotations on the lines, every step run, the job fails', () => {
    const ws = checkout(true);
    const model = join(ws, 'journeys/model.nurture');
    writeFileSync(model, readFileSync(model, 'utf8').replace('segment decision_makers =', 'segment   decision_makers =') + '\nsegment oops = job_level is directr\n');
    const lineOfOops = readFileSync(model, 'utf8').split('\n').indexOf('segment oops = job_level is directr') + 1;
    const { steps, outputs } = runAction(ws, { path: 'journeys', 'max-warnings': '0' }, 'pull_request');
    expect(steps[0]!.stdout).toContain(`(${join(ws, 'node_modules/.bin/nurture')})`); // the repository's own
    const annotations = byId(steps, 'check').stdout.trimEnd().split('\n');
    expect(annotations).toContain(
      `::error file=journeys/model.nurture,line=${lineOfOops},col=29,endLine=${lineOfOops},endColumn=36,title=NUR104::\`directr\` is not a member of \`job_level\`: intern, employee, manager, director, vp, c_level%0Ahelp: did you mean \`director\`?`,
    );
    expect(byId(steps, 'format').stdout).toContain('::error title=nurture fmt::files are not formatted');
    expect(outputs).toEqual({ check: 'failed', format: 'failed', test: 'failed' });
    expect(byId(steps, 'diff').stdout).toBe('nurture diff: cannot fetch the base branch `main`, no comment\n'); // no origin here: never fails the job
    const last = steps.at(-1)!;
    expect(last.stdout).toBe('nurture: check failed, fmt --check failed, test failed\n');
    expect(last.status).toBe(1);
  });

  it('on a pull request: comments what the change does (nurture diff against the base branch, in markdown)', () => {
    const ws = checkout(true);
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: ws, stdio: 'pipe', encoding: 'utf8' });
    writeFileSync(join(ws, '.gitignore'), 'node_modules\n');
    git('add', '-A');
    git('commit', '-qm', 'base');
    git('branch', '-M', 'main');
    const origin = mkdtempSync(join(tmpdir(), 'nurture-origin-'));
    made.push(origin);
    execFileSync('git', ['clone', '-q', '--bare', ws, origin], { stdio: 'pipe' });
    git('remote', 'add', 'origin', origin);
    const file = join(ws, 'journeys/journeys/welcome.nurture');
    const before = readFileSync(file, 'utf8');
    const edited = before.replace(/wait (\d+) days/, (_, d: string) => `wait ${Number(d) + 3} days`);
    expect(edited).not.toBe(before);
    writeFileSync(file, edited);
    // GitHub's CLI, which a runner has: here a stand-in that keeps what it was asked to post
    const bin = mkdtempSync(join(tmpdir(), 'nurture-gh-'));
    made.push(bin);
    writeFileSync(join(bin, 'gh'), `#!/bin/sh\necho "$@" > "${bin}/args"\nwhile [ $# -gt 0 ]; do [ "$1" = --body-file ] && cp "$2" "${bin}/body"; shift; done\n`, { mode: 0o755 });
    const { steps } = runAction(ws, { path: 'journeys' }, 'pull_request', { PATH: `${bin}:${process.env['PATH']!}` });
    expect(byId(steps, 'diff').stdout).toBe('nurture diff: commented on pull request #7\n');
    expect(readFileSync(join(bin, 'args'), 'utf8')).toMatch(/^pr comment 7 --edit-last --body-file /);
    const body = readFileSync(join(bin, 'body'), 'utf8');
    expect(body).toMatch(/wait \d+ days/); // the changed step, in source terms
    expect(body).toContain('welcome.nurture');
  });

  it('skips what its inputs turn off', () => {
    const ws = checkout(true);
    const { steps, outputs } = runAction(ws, { 'format-check': 'false', test: 'false', comment: 'false' }, 'pull_request');
    expect(outputs).toEqual({ check: 'passed', format: 'skipped', test: 'skipped' });
    expect(steps.at(-1)!.status).toBe(0);
  });
});
