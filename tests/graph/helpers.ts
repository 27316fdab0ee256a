// Helpers for the graph tests: plans compiled in-process from the fixtures, the golden files, and the
// journey graph's renderers.
import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compilePlan } from '../../compiler/lower/index.js';
import { checkSources } from '../../compiler/workspace.js';
import type { Plan } from '../../runtime/plan-types.js';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = join(REPO, 'tests/graph/fixtures');
export const GOLDEN = join(REPO, 'tests/graph/golden');
/** Every step kind, every journey setting, and texts and names to escape. */
export const STEPS = join(FIXTURES, 'steps.nurture');
export const ACME = join(REPO, 'examples/acme/acme.nurture');

/** Checks and compiles source texts; throws when the check reports an error. */
export function planOf(sources: { path: string; text: string }[]): Plan {
  const { diagnostics, model } = checkSources(sources);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`the workspace has errors:\n${errors.map((d) => `${d.file}:${d.span.line}: ${d.message}`).join('\n')}`);
  return compilePlan(model, sources, { compilerVersion: '0.1.0' });
}

/** One file's plan; the file is known by its base name, as `nurture graph FILE` records it. */
export function planOfFile(path: string): Plan {
  return planOf([{ path: basename(path), text: readFileSync(path, 'utf8') }]);
}
