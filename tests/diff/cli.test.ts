// `nurture diff` end to end beyond the goldens: --db (counts per step, agreeing with a real migration, and
// the store's bytes untouched), git revisions (--base, REV:PATH), --fail-if, and bad input (one line each).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanWorkspaces, makeWorkspace, runCli } from '../cli/helpers.js';
import { editedExample } from './helpers.js';
import { openSqliteRuntime } from '../../runtime/store/index.js';
import type { Plan } from '../../runtime/plan-types.js';

afterAll(cleanWorkspaces);

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const REMOVED_WAIT = { 'journeys/welcome.nurture': [['  wait 2 days', '  wait 4 days'], ['  send welcome_3\n  wait 7 days\n', '  send welcome_3\n']] as [string, string][] };

describe('nurture diff --db', () => {
  it('counts the leads in flight that stay, move or leave, per step, as loading NEW would; the store is unchanged', async () => {
    const dir = editedExample('b2b', REMOVED_WAIT);
    writeFileSync(join(dir, 'half.jsonl'), readFileSync(join(dir, 'old/events.jsonl'), 'utf8').split('\n').slice(0, 4000).join('\n'));
    const sim = await runCli(['simulate', 'old', '--events', 'half.jsonl', '--db', 'state.db'], { cwd: dir });
    expect(sim.status).toBe(0);
    const store = join(dir, 'state.db');
    const before = sha(store);
    const hadWal = existsSync(store + '-wal');

    const r = await runCli(['diff', 'old', 'new', '--db', 'state.db', '--format', 'json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(sha(store)).toBe(before);
    expect(existsSync(store + '-wal')).toBe(hadWal);
    const f = (JSON.parse(r.stdout) as { inFlight: { planIsOld: boolean; leads: number; inJourneys: number; stay: number; move: number; leave: number; steps: { journey: string; step: string; new: unknown; stay: number; move: number; leave: number }[] } }).inFlight;
    expect(f.planIsOld).toBe(true);
    expect(f.leads).toBe(305);
    expect(f.stay + f.move + f.leave).toBe(f.steps.reduce((n, s) => n + s.stay + s.move + s.leave, 0));
    const wait2 = f.steps.find((s) => s.journey === 'welcome' && s.step === 'wait 2 days')!;
    expect([wait2.stay, wait2.leave, wait2.move > 0]).toEqual([0, 0, true]);
    const wait7 = f.steps.find((s) => s.journey === 'welcome' && s.step === 'wait 1 week')!;
    expect([wait7.stay, wait7.move, wait7.leave > 0, wait7.new]).toEqual([0, 0, true, null]);

    // the same numbers as a real deployment of NEW over a copy of the store
    const copy = join(dir, 'copy.db');
    copyFileSync(store, copy);
    const plan = JSON.parse((await runCli(['compile', 'new'], { cwd: dir })).stdout) as Plan;
    const rt = openSqliteRuntime(plan, copy);
    const moved = rt.migration;
    rt.close();
    expect(moved.filter((m) => m.moved === 'exited').length).toBe(f.leave);
    expect(moved.filter((m) => m.moved === 'kept').length).toBe(f.move);

    const text = await runCli(['diff', 'old', 'new', '--db', 'state.db'], { cwd: dir });
    expect(text.stdout).toContain(`Leads in flight in state.db: 305 leads, ${f.inJourneys} in a journey: ${f.stay} stay, ${f.move} move, ${f.leave} leave`);
    expect(text.stdout).toContain('step 5 (wait 1 week) of journey welcome no longer exists: the lead left the journey');
    expect(sha(store)).toBe(before);
  });

  it('a damaged store: one line naming the lead, exit 2', async () => {
    const dir = editedExample('b2b', {});
    writeFileSync(join(dir, 'few.jsonl'), readFileSync(join(dir, 'old/events.jsonl'), 'utf8').split('\n').slice(0, 50).join('\n'));
    expect((await runCli(['simulate', 'old', '--events', 'few.jsonl', '--db', 'state.db'], { cwd: dir })).status).toBe(0);
    const db = new Database(join(dir, 'state.db'));
    db.prepare("UPDATE journal SET records = x'0102'").run();
    db.close();
    const r = await runCli(['diff', 'old', 'new', '--db', 'state.db'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^nurture: cannot read `state\.db` as a store: lead \S+: .* \(in .*store\.db\)\n$/);
  });

  it('a file that is not a store, or missing: one line, exit 2', async () => {
    const dir = editedExample('b2b', {});
    writeFileSync(join(dir, 'junk.db'), 'not sqlite at all, just text that is long enough to be a header.........');
    for (const [db, message] of [
      ['junk.db', 'nurture: cannot read `junk.db` as a store: not a SQLite database\n'],
      ['none.db', 'nurture: cannot read `none.db`: no such file\n'],
    ]) {
      const r = await runCli(['diff', 'old', 'new', '--db', db!], { cwd: dir });
      expect([r.status, r.stderr]).toEqual([2, message]);
    }
  });
});

describe('nurture diff with git revisions', () => {
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
  const repo = () => {
    const dir = editedExample('b2b', {});
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', 'old');
    git(dir, 'commit', '-qm', 'the workspace');
    const file = join(dir, 'old/journeys/welcome.nurture');
    writeFileSync(file, readFileSync(file, 'utf8').replace('  wait 2 days', '  wait 4 days'));
    return dir;
  };
  const WAIT = ['changed journey welcome  old/journeys/welcome.nurture:3', '  changed step', '    - old/journeys/welcome.nurture:11  wait 2 days', '    + old/journeys/welcome.nurture:11  wait 4 days'];

  it('--base REV compares the PATH in git with the working tree (nothing checked out)', async () => {
    const dir = repo();
    const status = git(dir, 'status', '--porcelain');
    for (const base of ['HEAD', 'main']) {
      const r = await runCli(['diff', '--base', base, 'old'], { cwd: dir });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout.split('\n').slice(0, 2)).toEqual([`OLD ${base}:old (${git(dir, 'rev-parse', 'HEAD').slice(0, 10)})`, 'NEW old']);
      expect(r.stdout).toContain(WAIT.join('\n'));
    }
    // from inside the workspace, PATH defaults to .
    const inside = await runCli(['diff', '--base', 'HEAD'], { cwd: join(dir, 'old') });
    expect(inside.stdout).toContain('    - ./journeys/welcome.nurture:11  wait 2 days\n    + ./journeys/welcome.nurture:11  wait 4 days');
    expect(git(dir, 'status', '--porcelain')).toBe(status);
  });

  it('REV:PATH on either side, with events', async () => {
    const dir = repo();
    const r = await runCli(['diff', 'main:old', 'old', '--events', 'new/events.jsonl', '--format', 'json'], { cwd: dir });
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { old: { label: string }; changes: unknown[]; outcomes: { leadsDiffering: number } };
    expect(out.old.label).toBe('main:old');
    expect(out.changes).toHaveLength(1);
    expect(out.outcomes.leadsDiffering).toBeGreaterThan(0);
  });

  it('a plan .json as it is in a revision', async () => {
    const dir = repo();
    git(dir, 'stash', '-q');
    expect((await runCli(['compile', 'old', '-o', 'plan.json'], { cwd: dir })).status).toBe(0);
    git(dir, 'add', 'plan.json');
    git(dir, 'commit', '-qm', 'the plan');
    git(dir, 'stash', 'pop', '-q');
    const r = await runCli(['diff', 'HEAD:plan.json', 'old'], { cwd: dir });
    expect(r.status).toBe(0);
    // no source text on the plan's side: its places are in words, with the plan's paths
    expect(r.stdout).toContain('    - journeys/welcome.nurture:11  wait 2 days\n    + old/journeys/welcome.nurture:11  wait 4 days\n');
  });

  it('an unknown revision, a path not in it, no repository: one line, exit 2', async () => {
    const dir = repo();
    const cases: [string[], string, string][] = [
      [['--base', 'nope', 'old'], dir, 'nurture: unknown git revision `nope` (not a branch, tag or commit of this repository; see `git log --oneline`)\n'],
      [['main:nothere', 'old'], dir, 'nurture: `nothere` does not exist in git revision `main`\n'],
      [['--base', 'main'], makeWorkspace({ 'a.nurture': '' }), ''],
    ];
    for (const [args, cwd, message] of cases) {
      const r = await runCli(['diff', ...args], { cwd });
      expect(r.status).toBe(2);
      if (message !== '') expect(r.stderr).toBe(message);
      else expect(r.stderr).toMatch(/^nurture: cannot read git revision `main`: `.*` is not inside a git repository\n$/);
    }
  });
});

describe('nurture diff --fail-if', () => {
  const dir = () => editedExample('b2b', { 'scoring.nurture': [['engagement >= 50 and stage < mql', 'engagement >= 60 and stage < mql']] });

  it('exit 1 with a line naming each threshold that tripped; 0 when none does', async () => {
    const d = dir();
    const r = await runCli(['diff', 'old', 'new', '--events', 'old/events.jsonl', '--fail-if', 'mqls < -5%', '--fail-if', 'sends > +10%', '--fail-if', 'changes >= 1'], { cwd: d });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'nurture diff: threshold tripped: --fail-if "mqls < -5%" (44 → 25, change -43.2%)\nnurture diff: threshold tripped: --fail-if "changes >= 1" (0 → 1, change +1)\n',
    );
    expect(r.stdout).toContain('Thresholds:\n  TRIPPED  --fail-if "mqls < -5%" (44 → 25, change -43.2%)\n  ok  --fail-if "sends > +10%" (2174 → 2201, change +1.2%)\n');
    const ok = await runCli(['diff', 'old', 'new', '--events', 'old/events.jsonl', '--fail-if', 'mqls < -50%', '--fail-if', 'leads-differing > 100'], { cwd: d });
    expect([ok.status, ok.stderr]).toEqual([0, '']);
  });

  it('a bad threshold is a usage error (exit 2) with its column, or the close metric name and the list', async () => {
    const d = dir();
    const cases: [string, string][] = [
      ['mqsl < -5%', 'nurture: invalid --fail-if "mqsl < -5%" at column 1: unknown metric `mqsl` (did you mean `mqls`?); metrics: changes, leads, mqls, sends, sends.{'],
      ['mqls = -5%', 'nurture: invalid --fail-if "mqls = -5%" at column 6: `=` is not a comparison of a change: use <, <=, > or >='],
      ['mqls < lots', 'nurture: invalid --fail-if "mqls < lots" at column 8: `lots` is not a change: write a signed number, e.g. -5% or +10'],
      ['mqls <', 'nurture: invalid --fail-if "mqls <" at column 7: expected a change after `<`, such as -5% or +10'],
      ['< 5', 'nurture: invalid --fail-if "< 5" at column 1: expected a metric name first'],
      ['mqls < -5%', 'nurture: --fail-if "mqls < -5%": `mqls` needs --events FILE.jsonl'],
      ['inflight.leave > 0', 'nurture: --fail-if "inflight.leave > 0": `inflight.leave` needs --db FILE'],
    ];
    for (const [t, message] of cases) {
      const r = await runCli(['diff', 'old', 'new', '--fail-if', t], { cwd: d });
      expect(r.status).toBe(2);
      expect(r.stderr.startsWith(message)).toBe(true);
      expect(r.stderr.split('\n')).toHaveLength(2);
    }
  });
});

describe('nurture diff --events', () => {
  it('reads stdin; an event one side does not declare is counted and said, not fatal', async () => {
    const dir = editedExample('b2b', { 'model.nurture': [['event demo_requested', 'event trial_extended\nevent demo_requested']] });
    const events = readFileSync(join(dir, 'old/events.jsonl'), 'utf8') + '{"lead":"x1","type":"trial_extended","at":"2026-03-01T10:00:00Z"}\n';
    const r = await runCli(['diff', 'old', 'new', '--events', '-', '--leads', '0'], { cwd: dir, stdin: events });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('<stdin>: 1 event rejected by OLD (first: event type "trial_extended" is not declared in the plan)\n');
    expect(r.stdout).toContain('Outcomes over <stdin> (8642 lines, 2026-01-05 to 2027-04-04; events rejected: OLD 1, NEW 0):');
    expect(r.stdout).toMatch(/leads \[leads\] +400 +401 +\+1 \(\+0\.3%\)/);
  });
});

describe('nurture diff: bad input gets one line, never a stack trace', () => {
  it.each([
    [['diff', 'old'], 2, 'nurture: `diff` needs OLD and NEW (1 given), or --base REV [PATH…]; see `nurture diff --help`\n'],
    [['diff', 'old', 'missing'], 2, 'nurture: cannot read `missing`: no such file or folder\n'],
    [['diff', 'old', 'empty'], 2, 'nurture: no .nurture files in folder `empty`\n'],
    [['diff', 'old', 'broken'], 1, 'nurture: NEW `broken` has 1 error, the first at broken/a.nurture:1:18: unknown content `nope` (see `nurture check broken`)\n'],
    [['diff', 'old', 'new', '--events', 'bad.jsonl'], 2, 'nurture: bad.jsonl:2: invalid JSON: column 2: Expected property name or \'}\' (and 1 more bad line; `nurture simulate` lists them)\n'],
    [['diff', 'old', 'new', '--events', 'none.jsonl'], 2, 'nurture: cannot read `none.jsonl`: no such file or folder\n'],
    [['diff', 'old', 'new', '--until', '2026-01-01'], 2, 'nurture: `--until` needs --events FILE.jsonl\n'],
    [['diff', 'old', 'plan.json'], 1, 'nurture: NEW `plan.json` is not a valid plan: /format: not a nurture plan: `format` is the string "x", expected "nurture-plan"\n'],
  ])('%j', async (args, status, message) => {
    const d = editedExample('b2b', {});
    const fs = await import('node:fs');
    fs.mkdirSync(join(d, 'empty'));
    fs.mkdirSync(join(d, 'broken'));
    writeFileSync(join(d, 'broken/a.nurture'), 'journey j { send nope }\n');
    writeFileSync(join(d, 'bad.jsonl'), '{"lead":"a","type":"profile","at":"2026-01-05T09:00:00Z","data":{}}\n{oops\n[1\n');
    writeFileSync(join(d, 'plan.json'), '{"format":"x"}');
    const r = await runCli(args, { cwd: d });
    expect(r.stderr).toBe(message);
    expect(r.status).toBe(status);
  });
});
