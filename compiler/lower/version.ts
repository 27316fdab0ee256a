// The compiler version recorded in plans and printed by `nurture --version`: this package's
// package.json version.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** This package on the registry, and the VS Code extension that bundles the compiler and the CLI. */
const PACKAGE_NAMES: readonly unknown[] = ['@nurture-lang/nurture', 'nurture'];

/** The `version` of this package's package.json, found walking up from this module. */
export function compilerVersion(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      try {
        const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: unknown; version?: unknown };
        if (PACKAGE_NAMES.includes(pkg.name) && typeof pkg.version === 'string') return (cached = pkg.version);
      } catch {
        // unreadable or not ours: keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return (cached = '0.0.0-unknown');
}
