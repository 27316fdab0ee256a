// `nurture serve` on the command line: what it refuses before opening anything (tokens, webhook flags),
// `--print-openapi`, and the help text.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, haveCli, quickPlan, REPO } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'nurture-serve-cli-'));
const plan = join(dir, 'plan.json');
writeFileSync(plan, JSON.stringify(quickPlan()));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const serve = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [CLI, 'serve', ...args], { encoding: 'utf8', timeout: 60_000, env: { PATH: process.env['PATH'] ?? '', ...env } });

describe.skipIf(!haveCli)('nurture serve: the command line', () => {
  it('refuses to start without a token, with a clear message', () => {
    const r = serve([plan, '--db', join(dir, 'a.db')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no token: every \/v1 route needs one\. Give --tokens FILE/);
  });

  it('names the line of a bad tokens file, never the token', () => {
    const file = join(dir, 'tokens');
    writeFileSync(file, `# ok\ningest,read ${'a'.repeat(20)}\nsuperuser ${'s3cret'.repeat(4)}\n`);
    const r = serve([plan, '--tokens', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${file}:3: unknown scope \`superuser\``);
    expect(r.stderr).not.toContain('s3cret');
    writeFileSync(file, 'read short\n');
    expect(serve([plan, '--tokens', file]).stderr).toMatch(/:1: the token is shorter than 16 characters/);
    expect(serve([plan], { NURTURE_TOKENS: `read ${'b'.repeat(20)}; read ${'b'.repeat(20)}` }).stderr).toMatch(/NURTURE_TOKENS, entry 2: this token is listed twice/);
  });

  it('checks the webhook flags', () => {
    const env = { NURTURE_TOKENS: `read ${'c'.repeat(20)}` };
    expect(serve([plan, '--deliver-attempts', '3'], env).stderr).toMatch(/--deliver-attempts needs --deliver URL/);
    expect(serve([plan, '--deliver', 'ftp://x'], env).stderr).toMatch(/expected an http:\/\/ or https:\/\/ URL/);
    expect(serve([plan, '--deliver', 'http://127.0.0.1:9/hook'], env).stderr).toMatch(/needs a secret of 16 characters or more/);
    const r = serve([plan, '--deliver', 'http://127.0.0.1:9/hook', '--deliver-timeout', '10 years'], { ...env, NURTURE_WEBHOOK_SECRET: 'x'.repeat(32) });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/invalid value `10 years` for `--deliver-timeout`/);
  });

  it('prints the shipped OpenAPI document without a store or a token', () => {
    const r = serve(['--print-openapi']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(REPO, 'docs/openapi.json'), 'utf8'));
  });

  it('has help in the CLI’s style', () => {
    const r = spawnSync(process.execPath, [CLI, 'serve', '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    for (const flag of ['--db', '--port', '--host', '--tokens', '--log-level', '--deliver', '--deliver-secret', '--deliver-attempts', '--deliver-timeout', '--print-openapi']) {
      expect(r.stdout).toContain(flag);
    }
    expect(r.stdout).toMatch(/^Usage: nurture serve PLAN\|PATH…/m);
  });
});
