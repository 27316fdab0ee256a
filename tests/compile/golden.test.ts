// Golden plans: the spec's example and small focused programs, compared byte for byte.
// Regenerate with UPDATE_GOLDEN=1 npx vitest run tests/compile/golden.test.ts (then review the diff).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlan } from '../../runtime/load-plan.js';
import { compileSources, GOLDEN, REPO, sourceOf } from './helpers.js';

const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

const CASES: { name: string; file: string }[] = [
  { name: 'spec-example', file: join(REPO, 'tests/fixtures/valid/spec-example.nurture') },
  ...readdirSync(GOLDEN)
    .filter((f) => f.endsWith('.nurture'))
    .sort()
    .map((f) => ({ name: f.slice(0, -'.nurture'.length), file: join(GOLDEN, f) })),
];

describe('golden plans', () => {
  it('has the spec example and the focused programs', () => {
    expect(CASES.map((c) => c.name)).toEqual(['spec-example', 'branches', 'drip', 'pressure', 'scores', 'test-block', 'wait-for']);
  });

  for (const c of CASES) {
    it(c.name, () => {
      const { text } = compileSources([sourceOf(c.file)]);
      const goldenPath = join(GOLDEN, `${c.name}.plan.json`);
      if (UPDATE) writeFileSync(goldenPath, text);
      expect(existsSync(goldenPath), `missing ${goldenPath}: run with UPDATE_GOLDEN=1`).toBe(true);
      expect(text).toBe(readFileSync(goldenPath, 'utf8'));
      const loaded = loadPlan(text);
      expect(loaded.ok ? [] : loaded.errors).toEqual([]);
    });
  }
});
