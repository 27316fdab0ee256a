// `npm run demo` (the README's first command): check, test and simulate one example with the SQLite
// store, then a summary read from the report. Needs `npm run build`.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fencedBlocks, isDemoBlock, matchesShown } from '../docs/markdown.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('npm run demo', () => {
  it('checks, tests and simulates the B2B example and prints a summary', () => {
    const r = spawnSync(process.execPath, [join(REPO, 'examples', 'demo.mjs')], { cwd: REPO, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('$ nurture check examples/b2b --max-warnings 0\n  checked 6 files: no problems');
    expect(r.stdout).toMatch(/\n {2}8 passed, 0 failed\n/);
    const summary = r.stdout.slice(r.stdout.indexOf('Summary'));
    const report = JSON.parse(readFileSync(join(REPO, 'demo-output', 'report.json'), 'utf8')) as {
      measures: { leads: number; sends: number; mqls: number; journeys: Record<string, { lift: { points: number } | null }> };
    };
    const m = report.measures;
    expect(m.leads).toBe(400);
    expect(summary).toMatch(new RegExp(`leads +${m.leads} \\(8,641 events\\)`));
    expect(summary).toContain(`${m.sends.toLocaleString('en-US')} sent`);
    expect(summary).toMatch(new RegExp(`MQLs +${m.mqls} `));
    expect(summary).toContain(`welcome: +${m.journeys.welcome!.lift!.points.toFixed(1)} points`);
    // the program's lift comes first (b2b declares no control group, and says so)
    expect(summary).toMatch(/\n {2}lift +program: no `control group` declared, so no lift for the program as a whole\n {2} +long_term: /);
    for (const f of ['report.html', 'actions.jsonl', 'b2b.db']) expect(existsSync(join(REPO, 'demo-output', f)), f).toBe(true);
    expect(readFileSync(join(REPO, 'demo-output', 'report.html'), 'utf8')).toMatch(/^<!doctype html>/i);
    // the README's quick start shows an excerpt of this output, `…` where it leaves lines out
    const shown = fencedBlocks(readFileSync(join(REPO, 'README.md'), 'utf8')).find(isDemoBlock);
    expect(shown, "README.md's quick-start transcript of the demo").toBeDefined();
    const printed = r.stdout.replace(/\n+$/, '').split('\n');
    expect(matchesShown(['…', ...shown!.lines, '…'], printed), `--- README.md shows\n${shown!.lines.join('\n')}\n--- the demo printed\n${r.stdout}`).toBe(true);
  }, 60_000);

  it('says what is wrong for an unknown example', () => {
    const r = spawnSync(process.execPath, [join(REPO, 'examples', 'demo.mjs'), 'nope'], { cwd: REPO, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('demo: no example `nope` with recorded events (examples/nope/events.jsonl)\n');
  });
});
