// The paths a plan records for its source files: relative to the workspace root (the deepest folder
// holding every PATH given), so that a plan — and its `source.hash` — does not depend on the folder the
// command ran from. `compile`, `test` and `simulate` all use it: the same sources give the same plan.
import { statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { SourcePath } from './files.js';

/** Maps a source's display path to its path in the plan. */
export function planPathsFor(paths: readonly string[], cwd: string, found: readonly SourcePath[]): (display: string) => string {
  const root = workspaceRoot(paths, cwd);
  const byDisplay = new Map(found.map((f) => [f.display, planPath(root, f)]));
  return (display) => byDisplay.get(display) ?? display;
}

/** The deepest folder that holds every PATH (a file's own folder for a file). */
export function workspaceRoot(paths: readonly string[], cwd: string): string {
  let root: string | undefined;
  for (const given of paths) {
    const absolute = resolve(cwd, given);
    let dir = absolute;
    try {
      if (!statSync(absolute).isDirectory()) dir = dirname(absolute);
    } catch {
      dir = dirname(absolute);
    }
    root = root === undefined ? dir : commonAncestor(root, dir);
  }
  return root ?? cwd;
}

function commonAncestor(a: string, b: string): string {
  let x = a;
  while (!(b === x || b.startsWith(x.endsWith('/') || x.endsWith('\\') ? x : x + '/') || b.startsWith(x + '\\'))) {
    const parent = dirname(x);
    if (parent === x) return x;
    x = parent;
  }
  return x;
}

function planPath(root: string, f: SourcePath): string {
  const rel = relative(root, f.absolute).replace(/\\/g, '/');
  return rel === '' || rel.startsWith('../') ? f.display : rel;
}
