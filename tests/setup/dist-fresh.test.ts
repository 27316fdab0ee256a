// The dist/ freshness check (the globalSetup in vitest.config.ts) on a scratch tree with set mtimes.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SOURCE_DIRS, staleDist } from './dist-fresh.js';

let repo = '';
afterEach(() => rmSync(repo, { recursive: true, force: true }));

/** A scratch repository: one .ts per source folder at time `source`, the bundle at `bundle` (seconds). */
function scratch(source: number, bundle?: number): string {
  repo = mkdtempSync(join(tmpdir(), 'nurture-dist-fresh-'));
  for (const dir of SOURCE_DIRS) {
    mkdirSync(join(repo, dir, 'sub'), { recursive: true });
    writeFileSync(join(repo, dir, 'sub', 'a.ts'), '');
    utimesSync(join(repo, dir, 'sub', 'a.ts'), source, source);
  }
  if (bundle !== undefined) {
    mkdirSync(join(repo, 'dist'));
    writeFileSync(join(repo, 'dist', 'nurture.mjs'), '');
    utimesSync(join(repo, 'dist', 'nurture.mjs'), bundle, bundle);
  }
  return repo;
}

describe('dist freshness', () => {
  it('accepts a bundle built after every source file', () => {
    expect(staleDist(scratch(1000, 2000))).toBeUndefined();
  });

  it('names the source file newer than the bundle', () => {
    const root = scratch(1000, 2000);
    utimesSync(join(root, 'runtime', 'sub', 'a.ts'), 3000, 3000);
    expect(staleDist(root)).toBe('dist/ is older than runtime/sub/a.ts: run `npm run build` (npm test does)');
  });

  it('says so when there is no bundle', () => {
    expect(staleDist(scratch(1000))).toBe('dist/nurture.mjs is missing: run `npm run build` (npm test does)');
  });
});
