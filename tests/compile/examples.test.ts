// Every workspace under examples/ and tests/fixtures/valid/ compiles to a plan the loader accepts.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlan } from '../../runtime/load-plan.js';
import { compileSources, REPO, sourceOf, workspaceSources } from './helpers.js';

/** Each folder of examples/ is one workspace; each file of tests/fixtures/valid/ is one. */
const WORKSPACES: { name: string; sources: () => ReturnType<typeof workspaceSources> }[] = [
  ...readdirSync(join(REPO, 'examples'))
    .sort()
    .filter((d) => statSync(join(REPO, 'examples', d)).isDirectory())
    .map((d) => ({ name: `examples/${d}`, sources: () => workspaceSources(join(REPO, 'examples', d)) })),
  ...readdirSync(join(REPO, 'tests/fixtures/valid'))
    .sort()
    .filter((f) => f.endsWith('.nurture'))
    .map((f) => ({ name: `tests/fixtures/valid/${f}`, sources: () => [sourceOf(join(REPO, 'tests/fixtures/valid', f))] })),
];

describe('every example compiles to a valid plan', () => {
  it('finds the workspaces', () => {
    expect(WORKSPACES.length).toBeGreaterThanOrEqual(2);
  });

  for (const w of WORKSPACES) {
    it(w.name, () => {
      const sources = w.sources();
      expect(sources.length).toBeGreaterThan(0);
      const { plan, text } = compileSources(sources);
      const loaded = loadPlan(text);
      expect(loaded.ok ? [] : loaded.errors).toEqual([]);
      // The loader gives back the same document.
      if (loaded.ok) expect(loaded.plan).toEqual(JSON.parse(text));
      expect(plan.source.files.map((f) => f.path)).toEqual(sources.map((s) => s.path).sort());
    });
  }
});
