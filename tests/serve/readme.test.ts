// README's "Run it live" block works as written: run by bash from the repository root, with only the
// port and the database file changed (a free port, a temporary file) and `npm run build` left out.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { haveCli, REPO } from './harness.js';

function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

describe.skipIf(!haveCli)('README: Run it live', () => {
  it('starts the server, takes the events, shows the actions and the audit trail, stops', async () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Run it live'));
    const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
    const dir = mkdtempSync(join(tmpdir(), 'nurture-readme-'));
    try {
      const port = String(await freePort());
      const script = block
        .replace('npm run build\n', '')
        .replaceAll('8080', port)
        .replace('--db acme.db', `--db ${join(dir, 'acme.db')}`)
        .replace('> serve.log', `> ${join(dir, 'serve.log')}`)
        .replace('kill %1', 'kill %1; wait %1; echo "exit $?"');
      expect(script).not.toBe(block);
      const out = execFileSync('bash', ['-c', `set -m\n${script}`], { cwd: REPO, encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
      const answers = out.split('\n').filter((l) => l.startsWith('{'));
      expect(JSON.parse(answers[0]!)).toMatchObject({ received: 2, accepted: [0, 1], rejected: [] });
      const actions = (JSON.parse(answers[1]!).actions as { action: { lead: string; content: string } }[]).map((e) => e.action);
      expect(actions[0]).toMatchObject({ lead: 'ada', type: 'send', content: 'welcome_email' });
      expect(actions.length).toBeGreaterThan(1); // what the wall clock made due since January
      const audit = JSON.parse(answers[2]!).records as { loc: unknown }[];
      expect(audit.some((r) => r.loc !== null)).toBe(true);
      expect(out).toMatch(/exit 0\s*$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
