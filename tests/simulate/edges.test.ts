// `nurture simulate` at its edges: outputs that would overwrite inputs, a date far from the others, a
// timer beyond year 275760, late events, a read-only store, and what `--db` hands out again.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, cleanWorkspaces, makeWorkspace, runCli, type RunResult } from '../cli/helpers.js';
import { WORKSPACE } from '../test-runner/workspace.js';

afterAll(cleanWorkspaces);

const EVENTS = [
  '{"lead":"a","type":"profile","at":"2026-01-05T09:00:00Z","data":{"email_consent":true}}',
  '{"lead":"a","type":"signed_up","at":"2026-01-05T09:00:00Z","data":{"source":"ad"},"id":"e1"}',
  '{"lead":"b","type":"signed_up","at":"2026-01-05T10:00:00Z","data":{"source":"ad"}}',
].join('\n');

const ws = (extra: Record<string, string> = {}) => makeWorkspace({ 'model.nurture': WORKSPACE, 'events.jsonl': EVENTS, ...extra });

describe('simulate: an output that names an input, or another output, is refused before anything is touched', () => {
  it('exit 2, one line naming both flags; the events and every other file stay as they were', async () => {
    const dir = ws({ 'plan.json': '' });
    mkdirSync(join(dir, 'sub'));
    symlinkSync(join(dir, 'events.jsonl'), join(dir, 'link.jsonl'));
    linkSync(join(dir, 'events.jsonl'), join(dir, 'sub/hard.jsonl'));
    const compiled = await runCli(['compile', '.', '-o', 'plan.json'], { cwd: dir });
    expect(compiled.status).toBe(0);
    const plan = readFileSync(join(dir, 'plan.json'), 'utf8');
    const cases: [string[], string][] = [
      [['-o', 'events.jsonl'], '`--out events.jsonl` names the same file as `--events events.jsonl`: writing it would destroy that input'],
      [['--out', './events.jsonl'], '`--out ./events.jsonl` names the same file as `--events events.jsonl`'],
      [['--audit', 'link.jsonl'], '`--audit link.jsonl` names the same file as `--events events.jsonl`'],
      [['--report', 'sub/hard.jsonl'], '`--report sub/hard.jsonl` names the same file as `--events events.jsonl`'],
      [['--db', 'sub/../events.jsonl'], '`--db sub/../events.jsonl` names the same file as `--events events.jsonl`'],
      [['-o', 'model.nurture'], '`--out model.nurture` names the same file as the input `./model.nurture`'],
      [['-o', 'new.jsonl', '--audit', 'sub/../new.jsonl'], '`--audit sub/../new.jsonl` names the same file as `--out new.jsonl`: both would write the same file; give `--audit` another file'],
      [['--report', 'r.json', '--db', 'r.json'], '`--db r.json` names the same file as `--report r.json`: both would write the same file'],
    ];
    for (const [flags, message] of cases) {
      const r = await runCli(['simulate', '.', '--events', 'events.jsonl', ...flags], { cwd: dir });
      expect(r.status, flags.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`nurture: ${message}`);
      expect(r.stderr.split('\n').length, r.stderr).toBe(2); // one line
    }
    const fromPlan = await runCli(['simulate', 'plan.json', '--events', 'events.jsonl', '--report', 'plan.json'], { cwd: dir });
    expect(fromPlan.status).toBe(2);
    expect(fromPlan.stderr).toBe('nurture: `--report plan.json` names the same file as the input `plan.json`: writing it would destroy that input; give `--report` another file\n');
    expect(readFileSync(join(dir, 'events.jsonl'), 'utf8')).toBe(EVENTS);
    expect(readFileSync(join(dir, 'plan.json'), 'utf8')).toBe(plan);
    expect(readFileSync(join(dir, 'model.nurture'), 'utf8')).toBe(WORKSPACE);
    for (const f of ['new.jsonl', 'r.json']) expect(existsSync(join(dir, f)), f).toBe(false);
    // distinct files are fine, and `-` is stdin
    const ok = await runCli(['simulate', '.', '--events', '-', '-o', 'events-out.jsonl', '--audit', 'audit.jsonl'], { cwd: dir, stdin: EVENTS });
    expect(ok.status, ok.stderr).toBe(0);
  });
});

describe('simulate: time at its edges', () => {
  const REPEAT = WORKSPACE.replace('  send hello\n  wait 2 days\n  send tips\n', '  repeat every 1 minute {\n    send tips\n  }\n');

  it('one event dated year 9999 without --until: the run stops with a message once the step budget is spent', async () => {
    const dir = makeWorkspace({
      'model.nurture': REPEAT,
      'events.jsonl': [EVENTS, '{"lead":"z","type":"signed_up","at":"9999-01-05T09:00:00Z","data":{"source":"ad"}}'].join('\n'),
    });
    const started = Date.now();
    const r = await runCli(['simulate', '.', '--events', 'events.jsonl', '-o', 'out.jsonl'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^nurture: stopped at 20\d\d-\S+Z: without --until the clock runs at most 2,000,000 timer steps, and it was still running toward the event of events\.jsonl:4 at 9999-01-05T09:00:00\.000Z; a date far from the others\? Give --until DATETIME to choose where the run ends \(no limit then\)\n$/,
    );
    expect(Date.now() - started).toBeLessThan(25_000);
    // with --until the user chooses: the far event is after it, and the run is quick
    const until = await runCli(['simulate', '.', '--events', 'events.jsonl', '--until', '2026-01-06'], { cwd: dir });
    expect(until.status).toBe(0);
    expect(until.stderr).toContain('events.jsonl: 1 event after --until 2026-01-06T00:00:00.000Z not applied\n');
  }, 60_000);

  it('a wait that ends beyond year 275760: --db runs end normally, the timer is never due', async () => {
    // The checker refuses such a wait (NUR204, over 100 years): the plan is edited by hand, as a host's
    // plan written by another tool could be; the validator takes any duration up to 2^53 ms.
    const dir = ws({ 'plan.json': '' });
    expect((await runCli(['compile', 'model.nurture', '-o', 'plan.json'], { cwd: dir })).status).toBe(0);
    const plan = readFileSync(join(dir, 'plan.json'), 'utf8');
    const far = plan.replace('"durationMs": 172800000', `"durationMs": ${1e8 * 86_400_000}`);
    expect(far).not.toBe(plan);
    writeFileSync(join(dir, 'far.json'), far);
    for (const extra of [[], ['--until', '2027-01-01']]) {
      const r = await runCli(['simulate', 'far.json', '--events', 'events.jsonl', '--db', 'state.db', ...extra], { cwd: dir });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).not.toContain('internal error');
      expect(r.stderr).not.toContain('next timer due');
    }
  });

  it('late events are counted on stderr (and in --audit)', async () => {
    const dir = ws({
      'late.jsonl': [
        '{"lead":"a","type":"signed_up","at":"2026-01-05T09:00:00Z","data":{"source":"ad"},"id":"e1"}',
        '{"lead":"a","type":"upgraded","at":"2026-01-06T09:00:00Z","id":"e2"}',
      ].join('\n'),
      'early.jsonl': '{"lead":"a","type":"upgraded","at":"2026-01-05T12:00:00Z","id":"e3"}\n',
    });
    const first = await runCli(['simulate', '.', '--events', 'late.jsonl', '--db', 'state.db'], { cwd: dir });
    expect(first.status).toBe(0);
    expect(first.stderr).not.toContain('older than');
    const r = await runCli(['simulate', '.', '--events', 'early.jsonl', '--db', 'state.db', '--audit', 'audit.jsonl'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("early.jsonl: 1 event older than their lead's clock, applied at the clock (late; see --audit)\n");
    const audit = readFileSync(join(dir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string });
    expect(audit.filter((a) => a.kind === 'late').length).toBe(1);
  });
});

describe('simulate --db: what an earlier run did not acknowledge', () => {
  it('is printed first, said on stderr; --out is appended to, after cutting an incomplete last line', async () => {
    const dir = ws();
    const a = await runCli(['simulate', '.', '--events', 'events.jsonl', '--db', 'state.db', '-o', 'out.jsonl'], { cwd: dir });
    expect(a.status).toBe(0);
    const delivered = readFileSync(join(dir, 'out.jsonl'), 'utf8');
    expect(delivered.split('\n').length).toBeGreaterThan(1);
    // as if a run was killed after writing the first action (not acknowledged) and half of a second line
    const first = JSON.parse(delivered.split('\n')[0]!) as { id: string; lead: string; at: string };
    const db = new Database(join(dir, 'state.db'));
    const action = { ...first, at: Date.parse(first.at), journey: 'onboarding', content: 'hello', channel: 'email' };
    db.prepare('INSERT INTO outbox (id, lead, at, action) VALUES (?, ?, ?, ?)').run(first.id, first.lead, action.at, JSON.stringify(action));
    db.close();
    writeFileSync(join(dir, 'out.jsonl'), delivered + '{"id":"cut-by-a-kil');
    const b = await runCli(['simulate', '.', '--events', 'events.jsonl', '--db', 'state.db', '-o', 'out.jsonl'], { cwd: dir });
    expect(b.status).toBe(0);
    expect(b.stderr).toContain('state.db: 1 action of an earlier run not acknowledged, handed out again first\n');
    expect(readFileSync(join(dir, 'out.jsonl'), 'utf8')).toBe(delivered + delivered.split('\n')[0] + '\n');
    const c = await runCli(['simulate', '.', '--events', 'events.jsonl', '--db', 'state.db'], { cwd: dir });
    expect(c.stderr).not.toContain('handed out again');
    expect(c.stdout).toBe(''); // acknowledged: never again
  });
});

/** `simulate` as a user who is not root (root writes read-only files): as uid 65534 when run as root. */
function runAsUser(args: string[], cwd: string): Promise<RunResult> {
  const root = process.getuid?.() === 0;
  return new Promise((res, rej) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], ...(root ? { uid: 65534, gid: 65534 } : {}) });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    p.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    p.on('error', rej);
    p.on('close', (status) => res({ status, stdout, stderr }));
  });
}

describe.skipIf(process.platform === 'win32')('simulate --db on a store that cannot be written', () => {
  it('says the file (or its folder) is read-only, with its path — not "disk I/O error"', async () => {
    const dir = ws();
    chmodSync(dir, 0o755);
    const made = await runCli(['simulate', '.', '--events', 'events.jsonl', '--db', 'state.db'], { cwd: dir });
    expect(made.status).toBe(0);
    mkdirSync(join(dir, 'ro'));
    writeFileSync(join(dir, 'ro/state.db'), readFileSync(join(dir, 'state.db')));
    chmodSync(join(dir, 'ro/state.db'), 0o444);
    chmodSync(join(dir, 'ro'), 0o777);
    const file = await runAsUser(['simulate', '.', '--events', 'events.jsonl', '--db', 'ro/state.db'], dir);
    expect(file.status).toBe(2);
    expect(file.stderr).toBe(`nurture: cannot use \`ro/state.db\` as the state store: the file is read-only (not writable): ${join(dir, 'ro/state.db')}\n`);
    chmodSync(join(dir, 'ro/state.db'), 0o666);
    chmodSync(join(dir, 'ro'), 0o555);
    const folder = await runAsUser(['simulate', '.', '--events', 'events.jsonl', '--db', 'ro/state.db'], dir);
    expect(folder.status).toBe(2);
    expect(folder.stderr).toBe(
      `nurture: cannot use \`ro/state.db\` as the state store: its folder is read-only (SQLite writes its journal files beside the store there): ${join(dir, 'ro')}\n`,
    );
    chmodSync(join(dir, 'ro'), 0o755);
  });
});
