// The number limits (NUR204, issue 20): everything at the limits passes check and then works in every
// command (before, `check` accepted numbers that the plan validator, the runtime's clock or `check`
// itself then failed on); one step beyond is a located NUR204.
import { afterAll, describe, expect, it } from 'vitest';
import { cleanWorkspaces, makeWorkspace, runCli } from './helpers.js';

afterAll(cleanWorkspaces);

const AT_THE_LIMITS = `lead { budget: number, email_consent: bool, renewal: date }
event signed_up
channel email { consent: email_consent }
content hello { channel: email, cost: 0 }
content tips { channel: email }

score engagement {
  +1 on signed_up max 1000 per 36500 days
}

segment rich = budget > -1000000000000000 and renewal > 1900-01-01

journey welcome {
  entry on signed_up
  audience rich
  goal on signed_up within 100 years
  send hello
  wait 100 years
  repeat every 1 day max 1000000000 times {
    send tips
  }
}

test "at the limits" {
  lead { budget: 1000000000000000, email_consent: true, renewal: 9999-12-31 }
  at 9899-01-01 09:00
  signed_up
  expect received hello
  after 100 years
  expect received tips
}
`;

describe('number limits', () => {
  it('a workspace at every limit checks clean, compiles, tests and simulates', async () => {
    const ws = makeWorkspace({ 'limits.nurture': AT_THE_LIMITS, 'events.jsonl': '{"lead":"l","type":"signed_up","at":"2026-01-05T09:00:00Z"}\n' });
    const check = await runCli(['check', 'limits.nurture'], { cwd: ws });
    expect(check.stdout + check.stderr).not.toContain('error');
    expect((await runCli(['compile', 'limits.nurture', '-o', 'plan.json'], { cwd: ws })).status).toBe(0);
    const test = await runCli(['test', 'limits.nurture'], { cwd: ws });
    expect(test.stdout).toContain('1 passed, 0 failed');
    const sim = await runCli(['simulate', 'limits.nurture', '--events', 'events.jsonl', '--db', 'store.db', '-o', 'actions.jsonl'], { cwd: ws });
    expect(sim.status, sim.stderr).toBe(0);
  });

  it('`after` past the year 9999 then `at` is a located NUR204, not "Invalid time value"', async () => {
    const ws = makeWorkspace({ 't.nurture': 'test "t" {\n  after 99999999999999999999999 hours\n  at 2026-01-05 09:00\n}\n' });
    const r = await runCli(['check', '--format', 'json', 't.nurture'], { cwd: ws });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).diagnostics.map((d: { code: string; line: number }) => `${d.code}:${d.line}`)).toEqual(['NUR204:2', 'NUR204:2']);
  });
});
