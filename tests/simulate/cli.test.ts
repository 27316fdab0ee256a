// `nurture simulate` end to end: the real executable (needs `npm run build`).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanWorkspaces, makeWorkspace, runCli } from '../cli/helpers.js';
import { WORKSPACE } from '../test-runner/workspace.js';

afterAll(cleanWorkspaces);

const EVENTS = [
  '{"lead":"a","type":"profile","at":"2026-01-05T09:00:00Z","data":{"email_consent":true}}',
  '{"lead":"a","type":"signed_up","at":"2026-01-05T09:00:00Z","data":{"source":"ad"},"id":"e1"}',
  '{"lead":"b","type":"signed_up","at":"2026-01-05T10:00:00Z","data":{"source":"ad"}}',
  '{"lead":"a","type":"signed_up","at":"2026-01-05T09:00:00Z","data":{"source":"ad"},"id":"e1"}',
  '',
  '{"lead":"a","type":"upgraded","at":"2026-01-06T09:00:00+01:00"}',
  '{oops',
  '{"lead":"c","type":"bought","at":"2026-01-06T09:00:00Z"}',
  '{"lead":"c","type":"signed_up","at":"2026-01-06T09:00:00"}',
  '{"type":"signed_up","at":"2026-01-06T09:00:00Z"}',
  '{"lead":"c","type":"signed_up","at":"2026-01-06T09:00:00Z","data":{"source":3}}',
  '{"lead":"d","type":"profile","at":"2026-01-07T09:00:00Z","data":{"email_consent":true}}',
  '{"lead":"d","type":"signed_up","at":"2026-01-07T09:00:00Z","data":{"source":"ad"}}',
].join('\n');

const ACTIONS = [
  '{"id":"d23f709897aa0996","at":"2026-01-05T09:00:00.000Z","lead":"a","type":"send","content":"hello","channel":"email","journey":"onboarding"}',
  '{"id":"e9f83989388ff58a","at":"2026-01-06T08:00:00.000Z","lead":"a","type":"stage","from":"visitor","to":"customer","journey":null}',
  '{"id":"4d85b757716d0734","at":"2026-01-06T08:00:00.000Z","lead":"a","type":"handoff","to":"sales","journey":null}',
];

function ws(extra: Record<string, string> = {}): string {
  return makeWorkspace({ 'model.nurture': WORKSPACE, 'events.jsonl': EVENTS, ...extra });
}

describe('nurture simulate', () => {
  it('prints actions as JSON lines; malformed lines reported as FILE:LINE and skipped; a summary', async () => {
    const dir = ws();
    const r = await runCli(['simulate', 'model.nurture', '--events', 'events.jsonl'], { cwd: dir });
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.slice(0, 3)).toEqual(ACTIONS);
    // lead d: hello at once, tips two days later (within the default end: last event + 365 days)
    expect(lines.slice(3).map((l) => JSON.parse(l) as { lead: string; content: string; at: string }).map((a) => `${a.lead} ${a.content} ${a.at}`)).toEqual([
      'd hello 2026-01-07T09:00:00.000Z',
      'd tips 2026-01-09T09:00:00.000Z',
    ]);
    expect(r.stderr).toBe(
      [
        "events.jsonl:7: invalid JSON: column 2: Expected property name or '}'",
        'events.jsonl:8: event type "bought" is not declared in the plan',
        'events.jsonl:9: timestamp "2026-01-06T09:00:00" has no UTC offset (add "Z" or e.g. "+01:00")',
        'events.jsonl:10: missing "lead" (the lead id)',
        'events.jsonl:11: event signed_up: field "source" must be text, not number 3',
        'events.jsonl: 5 lines skipped (malformed or rejected events)',
        'simulated 3 leads: 6 events accepted, 5 rejected, 1 duplicate; 5 actions (3 sends) until 2027-01-07T09:00:00.000Z',
        '',
      ].join('\n'),
    );
  });

  it('--until ends the clock (local date-times in the plan time zone); later events are counted, not applied', async () => {
    const dir = ws();
    const r = await runCli(['simulate', '.', '--events', 'events.jsonl', '--until', '2026-01-06 12:00'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(ACTIONS);
    expect(r.stderr).toContain('events.jsonl: 2 events after --until 2026-01-06T12:00:00.000Z not applied\n');
    const bad = await runCli(['simulate', '.', '--events', 'events.jsonl', '--until', 'tomorrow'], { cwd: dir });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^nurture: invalid value `tomorrow` for `--until` \(expected an ISO 8601 date-time/);
  });

  it('--out, --audit and --report (JSON with every measure, lift with its 95% interval)', async () => {
    const dir = ws();
    const r = await runCli(['simulate', 'model.nurture', '--events', 'events.jsonl', '--out', 'actions.jsonl', '--audit', 'audit.jsonl', '--report', 'report.json'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(join(dir, 'actions.jsonl'), 'utf8').split('\n').slice(0, 3)).toEqual(ACTIONS);
    const audit = readFileSync(join(dir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; loc: unknown });
    expect(audit.some((a) => a.kind === 'suppressed')).toBe(true);
    expect(audit.find((a) => a.kind === 'entered')!.loc).toEqual({ file: 'model.nurture', line: 28, column: 3 });
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Record<string, any>;
    expect(report.format).toBe('nurture-report');
    expect(report.run).toMatchObject({ lines: 12, accepted: 6, rejected: 5, duplicates: 1, actions: { total: 5, send: 3, handoff: 1, stage: 1, set: 0 } });
    const m = report.measures;
    expect(m.leads).toBe(3);
    expect(m.journeys.onboarding.nurtured.entered).toBe(3);
    expect(m.journeys.onboarding).toHaveProperty('lift');
    expect(m.funnel.stages.map((s: { stage: string; reached: number }) => [s.stage, s.reached])).toEqual([
      ['visitor', 3],
      ['user', 0], // the one stage move is visitor → customer: the lead never was a user (LANGUAGE.md 9)
      ['customer', 1],
    ]);
    expect(m.funnel.moves).toEqual([{ from: 'visitor', to: 'customer', count: 1 }]);
    expect(m.sendsPerContent).toEqual({ hello: 2, tips: 1 });
    expect(m.suppressed[0]).toMatchObject({ rule: 'consent email_consent', count: 2 });
    for (const k of ['mqls', 'mqlsPerWeek', 'recycled', 'reopened', 'messagesPerLeadPer7Days', 'delayed', 'skipped', 'cost', 'costPerMql', 'newLeadScores', 'rejectedEvents']) {
      expect(m).toHaveProperty(k);
    }
  });

  it('--report FILE.html writes a self-contained page', async () => {
    const dir = ws();
    const r = await runCli(['simulate', '.', '--events', 'events.jsonl', '--report', 'report.html'], { cwd: dir });
    expect(r.status).toBe(0);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<h2>Journeys</h2>');
    expect(html).toContain('onboarding');
    // no script, no address but the SVG namespaces' names (never fetched)
    expect(html.replace(/xmlns(:\w+)?="http:\/\/www\.w3\.org\/[\w/]+"/g, '')).not.toMatch(/<script|https?:\/\//);
    expect(html).toContain('<figure data-chart="sends">');
  });

  it('a compiled plan gives the same actions as its workspace; the input order of leads does not matter', async () => {
    const dir = ws();
    expect((await runCli(['compile', '.', '-o', 'plan.json'], { cwd: dir })).status).toBe(0);
    const a = await runCli(['simulate', '.', '--events', 'events.jsonl', '--report', 'a.json'], { cwd: dir });
    const b = await runCli(['simulate', 'plan.json', '--events', 'events.jsonl'], { cwd: dir });
    expect(b.stdout).toBe(a.stdout);
    // the very same plan: a store built by one can be continued by the other without a migration
    const hashOf = (f: string, pick: (j: never) => string) => pick(JSON.parse(readFileSync(join(dir, f), 'utf8')) as never);
    expect(hashOf('a.json', (r: { plan: { hash: string } }) => r.plan.hash)).toBe(hashOf('plan.json', (p: { source: { hash: string } }) => p.source.hash));
    // the same events grouped by lead (last lead first), each lead's own events in their order
    const leadOf = (l: string) => /"lead":"(\w)"/.exec(l)?.[1] ?? '';
    const grouped = EVENTS.split('\n')
      .map((l, i) => ({ l, i }))
      .sort((x, y) => (leadOf(x.l) === leadOf(y.l) ? x.i - y.i : leadOf(x.l) < leadOf(y.l) ? 1 : -1))
      .map((x) => x.l);
    const reversed = makeWorkspace({ 'events.jsonl': grouped.join('\n') });
    const c = await runCli(['simulate', join(dir, 'plan.json'), '--events', 'events.jsonl'], { cwd: reversed });
    // same actions (ids included); only the order among simultaneous leads may differ
    expect(c.stdout.trim().split('\n').sort()).toEqual(a.stdout.trim().split('\n').sort());
  });

  it('reads the events from stdin with `--events -`, as from the file', async () => {
    const dir = ws();
    const file = await runCli(['simulate', 'model.nurture', '--events', 'events.jsonl'], { cwd: dir });
    const piped = await runCli(['simulate', 'model.nurture', '--events', '-'], { cwd: dir, stdin: EVENTS });
    expect(piped.status).toBe(0);
    expect(piped.stdout).toBe(file.stdout);
    expect(piped.stderr).toBe(file.stderr.replaceAll('events.jsonl', '<stdin>'));
  });

  it('usage and I/O problems exit 2 with one line', async () => {
    const dir = ws({ 'sub/x.txt': '', 'notes.txt': 'not a database, not empty either\n'.repeat(100) });
    const cases: [string[], RegExp][] = [
      [['simulate', '.'], /^nurture: `simulate` needs --events FILE\.jsonl/],
      [['simulate', '--events', 'events.jsonl'], /^nurture: `simulate` needs a PLAN/],
      [['simulate', '.', '--events', 'missing.jsonl'], /^nurture: cannot read `missing\.jsonl`: no such file or folder\n$/],
      [['simulate', '.', '--events', 'sub'], /^nurture: cannot read `sub`: it is a folder\n$/],
      [['simulate', '.', '--events', 'events.jsonl', '--db', 'notes.txt'], /^nurture: cannot use `notes\.txt` as the state store: not a SQLite database\n$/],
      [['simulate', 'nope.json', '--events', 'events.jsonl'], /^nurture: cannot read `nope\.json`/],
      [['simulate', '.', '--events', 'events.jsonl', '--report', 'r.json', '--report', 'r.html'], /^nurture: flag `--report` is given more than once \(`r\.json`, then `r\.html`\): give it once\n$/],
    ];
    for (const [args, re] of cases) {
      const r = await runCli(args, { cwd: dir });
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(re);
    }
    expect(existsSync(join(dir, 'r.json')) || existsSync(join(dir, 'r.html'))).toBe(false);
  });

  it('an invalid plan .json or a workspace with errors: exit 1, nothing simulated', async () => {
    const dir = ws({ 'bad.json': '{"format":"nurture-plan","version":1}' });
    const r = await runCli(['simulate', 'bad.json', '--events', 'events.jsonl'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^bad\.json: invalid plan: /);
    const broken = makeWorkspace({ 'model.nurture': 'event x\njourney j {\n  entry on y\n}\n', 'events.jsonl': '' });
    const b = await runCli(['simulate', '.', '--events', 'events.jsonl'], { cwd: broken });
    expect(b.status).toBe(1);
    expect(b.stderr).toContain('NUR100');
  });

  it('--db FILE: a run stops, a later run with more events continues; the actions are those of one run', async () => {
    const lines = EVENTS.split('\n');
    const first = lines.slice(0, 6).join('\n');
    const rest = lines.slice(6).join('\n');
    const dirFiles = makeWorkspace({ 'model.nurture': WORKSPACE, 'first.jsonl': first, 'rest.jsonl': rest, 'all.jsonl': EVENTS });
    const until = ['--until', '2026-02-01'];
    const one = await runCli(['simulate', '.', '--events', 'all.jsonl', ...until], { cwd: dirFiles });
    const a = await runCli(['simulate', '.', '--events', 'first.jsonl', '--db', 'state.db'], { cwd: dirFiles });
    expect(a.status).toBe(0);
    expect(a.stderr).toMatch(/state kept in state\.db; next timer due /);
    const b = await runCli(['simulate', '.', '--events', 'rest.jsonl', '--db', 'state.db', ...until], { cwd: dirFiles });
    expect(b.status).toBe(0);
    expect(a.stdout + b.stdout).toBe(one.stdout);
    expect(one.stdout.trim().split('\n').length).toBeGreaterThan(3);
    // the same events again: the two with the id already processed (e1) are ignored; the leads that had
    // input (a and b, both already in the store) are counted
    const again = await runCli(['simulate', '.', '--events', 'first.jsonl', '--db', 'state.db', ...until], { cwd: dirFiles });
    expect(again.status).toBe(0);
    expect(again.stderr).toMatch(/^simulated 2 leads: 3 events accepted, 0 rejected, 2 duplicates;/m);
  });

  it('--db FILE damaged outside nurture: exit 2, names the lead, no internal error', async () => {
    const dir = ws();
    const a = await runCli(['simulate', '.', '--events', 'events.jsonl', '--db', 'state.db'], { cwd: dir });
    expect(a.status).toBe(0);
    const db = new Database(join(dir, 'state.db'));
    const [seq, records] = db.prepare('SELECT seq, records FROM journal ORDER BY seq DESC LIMIT 1').raw().get() as [number, Uint8Array];
    const bad = Uint8Array.from(records);
    bad.fill(0xff, 6, 20); // inside the first record's state: a varint that never ends
    db.prepare('UPDATE journal SET records = ? WHERE seq = ?').run(bad, seq);
    db.close();
    const b = await runCli(['simulate', '.', '--events', 'events.jsonl', '--db', 'state.db'], { cwd: dir });
    expect(b.status).toBe(2);
    // (after the fixture's own bad lines)
    expect(b.stderr).toMatch(/\nnurture: cannot continue from `state\.db`: lead \S+: damaged state \(varint too long\) \(in .*state\.db\)\n$/);
    expect(b.stderr).not.toContain('internal error');
  });
});
