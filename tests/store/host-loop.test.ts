// Runs the documented host loop (docs/host-loop.example.mjs) against the built runtime in dist/.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const root = here.includes(join('dist', 'tests')) ? resolve(here, '../../..') : resolve(here, '../..');
const built = existsSync(join(root, 'dist/runtime/store/index.js')) && existsSync(join(root, 'dist/runtime/load-plan.js'));
if (!built) console.warn('host loop example skipped: dist/ is missing — run `npm run build` first');

describe.skipIf(!built)('docs/host-loop.example.mjs', () => {
  it('runs: ingest → advance → drain → deliver → acknowledge, with a redelivery after a restart', () => {
    const r = spawnSync(process.execPath, [join(root, 'docs/host-loop.example.mjs')], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^host loop: 40 events, (\d+) deliveries, (\d+) distinct actions \(\d+ sends\), 0 left in the outbox$/m);
    const [, deliveries, distinct] = /(\d+) deliveries, (\d+) distinct/.exec(r.stdout)!;
    expect(Number(deliveries)).toBe(Number(distinct) + 1); // the failed delivery came back once
    expect(Number(distinct)).toBeGreaterThan(20);
  }, 90_000);
});
