// Helpers for the compiler tests: check + compile in-process, workspaces on disk.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compilePlan, serializePlan, type CompileSource } from '../../compiler/lower/index.js';
import { checkSources } from '../../compiler/workspace.js';
import type { Plan } from '../../runtime/plan-types.js';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const GOLDEN = join(REPO, 'tests/compile/golden');

/** Checks and compiles; fails (throws) when the check reports an error. */
export function compileSources(sources: CompileSource[], compilerVersion = '0.1.0'): { plan: Plan; text: string } {
  const { diagnostics, model } = checkSources(sources);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    throw new Error(`the workspace has errors:\n${errors.map((d) => `${d.file}:${d.span.line}:${d.span.column}: ${d.code} ${d.message}`).join('\n')}`);
  }
  const plan = compilePlan(model, sources, { compilerVersion });
  return { plan, text: serializePlan(plan) };
}

/** One source, named by its base name (plans then do not depend on where the repo lives). */
export function sourceOf(path: string): CompileSource {
  return { path: basename(path), text: readFileSync(path, 'utf8') };
}

/** Every `.nurture` file below `dir`, as sources named relative to `dir`. */
export function workspaceSources(dir: string): CompileSource[] {
  const out: CompileSource[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.nurture')) out.push({ path: relative(dir, p).replace(/\\/g, '/'), text: readFileSync(p, 'utf8') });
    }
  };
  walk(dir);
  return out;
}
