// `nurture test` end to end: the real executable on small workspaces (needs `npm run build`).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanWorkspaces, makeWorkspace, REPO, runCli } from '../cli/helpers.js';
import { FAILING_TESTS, PASSING_TESTS, WORKSPACE } from './workspace.js';

afterAll(cleanWorkspaces);

describe('nurture test', () => {
  it('passes: one line per test, then the count; exit 0', async () => {
    const dir = makeWorkspace({ 'model.nurture': WORKSPACE, 'tests.nurture': PASSING_TESTS });
    const r = await runCli(['test', '.'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      '✓ a sign-up gets hello, then tips two days later\n' + '✓ an upgrade makes a customer\n' + '2 passed, 0 failed\n',
    );
    expect(r.status).toBe(0);
  });

  it('fails: which expect, where, and the actual state (golden); exit 1', async () => {
    const dir = makeWorkspace({ 'model.nurture': WORKSPACE, 'tests.nurture': PASSING_TESTS + '\n' + FAILING_TESTS });
    // Files named one by one: the paths shown are the same whether plan locations are as typed or root-relative.
    const r = await runCli(['test', 'model.nurture', 'tests.nurture'], { cwd: dir });
    expect(r.stdout).toBe(
      [
        '✓ a sign-up gets hello, then tips two days later',
        '✓ an upgrade makes a customer',
        '✗ without consent nothing is sent',
        '  tests.nurture:23:3 expect received hello',
        '    at 2026-01-05 09:00:',
        '      hello: never received',
        '        2026-01-05 09:00 suppressed hello: journey onboarding, consent email_consent, no consent on channel email (model.nurture:8)',
        '      messages received: none',
        '      in journey onboarding since 2026-01-05 09:00, waiting at step 1 `wait 2 days` (model.nurture:31) until 2026-01-07 09:00',
        '  tests.nurture:25:3 expect engagement >= 20',
        '    at 2026-01-08 09:00:',
        '      engagement = 10',
        '        2026-01-05 09:00 score engagement 0 → 10: +10 on signed_up (model.nurture:18)',
        '  tests.nurture:26:3 expect stage is customer or in journey onboarding',
        '    at 2026-01-08 09:00:',
        '      stage is visitor',
        '      not in journey onboarding (entered 1 time, completed 1)',
        '        2026-01-05 09:00 entered onboarding: entry on signed_up (model.nurture:28)',
        '        2026-01-07 09:00 completed onboarding: end of the journey',
        '      journeys in: none',
        '      threshold convert never fired; `engagement >= 50 and stage < customer` is false now (engagement = 10, stage is visitor) (model.nurture:22)',
        '2 passed, 1 failed',
        '',
      ].join('\n'),
    );
    expect(r.status).toBe(1);
  });

  it('--filter keeps the tests whose name contains the text (any case); no match is exit 1', async () => {
    const dir = makeWorkspace({ 'model.nurture': WORKSPACE, 'tests.nurture': PASSING_TESTS + '\n' + FAILING_TESTS });
    const r = await runCli(['test', '.', '--filter', 'UPGRADE'], { cwd: dir });
    expect(r.stdout).toBe('✓ an upgrade makes a customer\n1 passed, 0 failed\n');
    expect(r.status).toBe(0);
    const none = await runCli(['test', '.', '--filter', 'zzz'], { cwd: dir });
    expect(none.stdout).toBe('no test name contains "zzz"\n0 passed, 0 failed\n');
    expect(none.status).toBe(1);
  });

  it('--format json gives every outcome with the failures', async () => {
    const dir = makeWorkspace({ 'model.nurture': WORKSPACE, 'tests.nurture': FAILING_TESTS });
    const r = await runCli(['test', '.', '--format', 'json'], { cwd: dir });
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout) as { tests: { name: string; passed: boolean; failures: { line: number; expect: string; actual: string[] }[] }[]; passed: number; failed: number };
    expect(j.passed).toBe(0);
    expect(j.failed).toBe(1);
    expect(j.tests[0]!.failures.map((f) => [f.line, f.expect])).toEqual([
      [3, 'expect received hello'],
      [5, 'expect engagement >= 20'],
      [6, 'expect stage is customer or in journey onboarding'],
    ]);
    expect(j.tests[0]!.failures[1]!.actual[0]).toBe('engagement = 10');
  });

  it('a workspace without tests: 0 passed, 0 failed, exit 0', async () => {
    const dir = makeWorkspace({ 'model.nurture': WORKSPACE });
    const r = await runCli(['test', 'model.nurture'], { cwd: dir });
    expect(r.stdout).toBe('no tests in this workspace\n0 passed, 0 failed\n');
    expect(r.status).toBe(0);
  });

  it('a workspace with errors: diagnostics on stderr, exit 1, no test run', async () => {
    const dir = makeWorkspace({ 'model.nurture': WORKSPACE + '\njourney broken {\n  send nothing_here\n}\n' });
    const r = await runCli(['test', '.'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('NUR100');
    expect(r.stderr).toContain('nothing_here');
  });

  it('usage and I/O problems exit 2 with one line', async () => {
    const missing = await runCli(['test', 'no/such/folder']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('nurture: cannot read `no/such/folder`: no such file or folder\n');
    const noPath = await runCli(['test']);
    expect(noPath.status).toBe(2);
    const badFormat = await runCli(['test', '.', '--format', 'xml']);
    expect(badFormat.status).toBe(2);
  });

  it('runs a compiled plan (.json) too', async () => {
    const dir = makeWorkspace({ 'model.nurture': WORKSPACE, 'tests.nurture': PASSING_TESTS });
    const c = await runCli(['compile', '.', '-o', 'plan.json'], { cwd: dir });
    expect(c.status).toBe(0);
    const r = await runCli(['test', 'plan.json'], { cwd: dir });
    expect(r.stdout.split('\n').slice(-2)).toEqual(['2 passed, 0 failed', '']);
    expect(r.status).toBe(0);
  });

  // `npm test` runs this: every example's tests must pass.
  const examples = readdirSync(join(REPO, 'examples')).filter((d) => statSync(join(REPO, 'examples', d)).isDirectory());
  for (const ex of examples) {
    it(`examples/${ex}: every test passes`, async () => {
      const r = await runCli(['test', `examples/${ex}`]);
      expect(r.stdout).toMatch(/\n\d+ passed, 0 failed\n$/);
      expect(r.status).toBe(0);
    });
  }

  it('the spec example (tests/fixtures/valid/spec-example.nurture) passes', async () => {
    const r = await runCli(['test', 'tests/fixtures/valid/spec-example.nurture']);
    expect(r.stdout).toBe('✓ a VP who attends a webinar and asks for a demo becomes an MQL\n1 passed, 0 failed\n');
    expect(r.status).toBe(0);
  });
});
