// vitest globalSetup: many suites run the built CLI (`dist/nurture.mjs`) or modules under dist/; a dist/
// older than the source would test yesterday's code and pass or fail for the wrong reason. `npm test`
// builds first, so this only stops a bare `vitest run` after an edit without a rebuild.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** The folders the bundle is built from (cli/main.ts and what it imports). */
export const SOURCE_DIRS = ['grammar', 'compiler', 'formatter', 'runtime', 'server', 'lsp', 'cli'];
const BUNDLE = 'dist/nurture.mjs';

/** The most recently modified .ts file under the source folders. */
export function newestSource(repo: string): { path: string; mtimeMs: number } {
  let newest = { path: '', mtimeMs: 0 };
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) {
        const { mtimeMs } = statSync(path);
        if (mtimeMs > newest.mtimeMs) newest = { path, mtimeMs };
      }
    }
  };
  for (const dir of SOURCE_DIRS) walk(join(repo, dir));
  return newest;
}

/** Why dist/ cannot be trusted, or undefined when it is at least as new as every source file. */
export function staleDist(repo: string): string | undefined {
  let built: number;
  try {
    built = statSync(join(repo, BUNDLE)).mtimeMs;
  } catch {
    return `${BUNDLE} is missing: run \`npm run build\` (npm test does)`;
  }
  const source = newestSource(repo);
  if (source.mtimeMs > built) return `dist/ is older than ${relative(repo, source.path)}: run \`npm run build\` (npm test does)`;
  return undefined;
}

export default function setup(): void {
  const reason = staleDist(REPO);
  if (reason !== undefined) throw new Error(reason);
}
