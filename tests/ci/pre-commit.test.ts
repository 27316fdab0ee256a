// The pre-commit hooks (.pre-commit-hooks.yaml) run by the real `pre-commit` tool as a user runs them:
// a `.pre-commit-config.yaml` names the hooks' repository (a git repository holding this checkout's
// .pre-commit-hooks.yaml as it is in the working tree) at a commit, and `pre-commit run` runs them in a
// fresh git repository that installs nurture (node_modules/.bin/nurture, here a launcher of this
// checkout's bin). PRE_COMMIT_HOME is a temporary folder: nothing left in ~/.cache.
// Without `pre-commit` (Debian: apt-get install pre-commit; .ci/run installs it) the tests are skipped,
// and their title says why.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkNurture, REPO } from '../cli/helpers.js';

const preCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
const HAVE_PRE_COMMIT = preCommit.status === 0;

let home: string;
let repo: string;
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', stdio: 'pipe' });

function preCommitRun(...hookAndFlags: string[]): { status: number | null; out: string } {
  const r = spawnSync('pre-commit', ['run', ...hookAndFlags], {
    cwd: repo, encoding: 'utf8', timeout: 120_000,
    env: { ...process.env, PRE_COMMIT_HOME: home, PRE_COMMIT_COLOR: 'never', SKIP: '' },
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe.skipIf(!HAVE_PRE_COMMIT)('the pre-commit hooks, run by pre-commit [needs `pre-commit`: apt-get install pre-commit]', { timeout: 180_000 }, () => {
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'nurture-pre-commit-home-'));
    const hooks = mkdtempSync(join(tmpdir(), 'nurture-hooks-'));
    repo = mkdtempSync(join(tmpdir(), 'nurture-pre-commit-'));
    made.push(home, hooks, repo);
    cpSync(join(REPO, '.pre-commit-hooks.yaml'), join(hooks, '.pre-commit-hooks.yaml'));
    const inHooks = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd: hooks, encoding: 'utf8', stdio: 'pipe' });
    inHooks('init', '-q');
    inHooks('add', '.pre-commit-hooks.yaml');
    inHooks('commit', '-qm', 'hooks');
    const rev = inHooks('rev-parse', 'HEAD').trim();
    git('init', '-q');
    git('config', 'user.email', 'test@example.com');
    git('config', 'user.name', 'test');
    git('config', 'commit.gpgsign', 'false');
    cpSync(join(REPO, 'examples/b2b'), join(repo, 'journeys'), { recursive: true });
    mkdirSync(join(repo, 'fixtures'));
    writeFileSync(join(repo, 'fixtures/unformatted.nurture'), 'topics   a\n'); // test data, ignored below
    writeFileSync(join(repo, '.nurtureignore'), '/fixtures/\n');
    writeFileSync(join(repo, '.gitignore'), 'node_modules/\n');
    const ids = ['nurture-check', 'nurture-fmt', 'nurture-test'];
    writeFileSync(join(repo, '.pre-commit-config.yaml'), `repos:\n  - repo: ${hooks}\n    rev: ${rev}\n    hooks:\n${ids.map((id) => `      - id: ${id}\n`).join('')}`);
    linkNurture(repo);
    git('add', '-A');
    git('commit', '-qm', 'journeys');
  });

  it('pass on a clean workspace (check, fmt, test), and leave the ignored test data alone', () => {
    const r = preCommitRun('--all-files');
    expect(r.out).toMatch(/nurture check\.+Passed/);
    expect(r.out).toMatch(/nurture fmt\.+Passed/);
    expect(r.out).toMatch(/nurture test\.+Passed/);
    expect(r.status).toBe(0);
    expect(readFileSync(join(repo, 'fixtures/unformatted.nurture'), 'utf8')).toBe('topics   a\n');
  });

  it('nurture-fmt formats a staged file and stops the commit; nurture-check shows the mistake', () => {
    const file = join(repo, 'journeys/model.nurture');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('segment decision_makers =', 'segment   decision_makers =') + '\nsegment oops = job_level is directr\n');
    git('add', 'journeys/model.nurture');
    const fmt = preCommitRun('nurture-fmt');
    expect(fmt.out).toMatch(/nurture fmt\.+Failed/);
    expect(fmt.out).toContain('files were modified by this hook');
    expect(readFileSync(file, 'utf8')).toContain('\nsegment decision_makers ='); // formatted in place
    const check = preCommitRun('nurture-check');
    expect(check.out).toMatch(/nurture check\.+Failed/);
    expect(check.out).toContain('error[NUR104]: `directr` is not a member of `job_level`');
    expect(check.out).toContain('= help: did you mean `director`?');
    expect(check.status).toBe(1);
  });

  it('are skipped when no .nurture file is committed', () => {
    git('reset', '-q', '--hard'); // back to the clean commit
    writeFileSync(join(repo, 'notes.txt'), 'hello\n');
    git('add', 'notes.txt');
    const r = preCommitRun('nurture-test');
    expect(r.out).toMatch(/nurture test\.+\(no files to check\)Skipped/);
    expect(r.status).toBe(0);
  });
});
