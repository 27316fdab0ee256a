// What a command may touch of the outside world. `main` builds it from the process; tests may build
// their own (in-process runs with captured output).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Output {
  write(text: string): void;
  readonly isTTY?: boolean;
}

export interface Context {
  stdout: Output;
  stderr: Output;
  env: Readonly<Record<string, string | undefined>>;
  /** Relative PATH arguments are resolved against this folder (paths in output stay as typed). */
  cwd: string;
  /** The package version ("0.1.0"). */
  version: string;
}

/** A problem with how nurture was called or with reading its input: one line, exit status 2 by default. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Whether to colour output written to `out`: FORCE_COLOR forces it, NO_COLOR or a non-TTY disable it. */
export function useColor(out: Output, env: Context['env']): boolean {
  const force = env['FORCE_COLOR'];
  if (force !== undefined) {
    const f = force.trim().toLowerCase();
    if (f === '0' || f === 'false' || f === 'no') return false;
    return true;
  }
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['TERM'] === 'dumb') return false;
  return out.isTTY === true;
}

let cachedVersion: string | undefined;

/** This package on the registry, and the VS Code extension that bundles the CLI. */
const PACKAGE_NAMES: readonly string[] = ['@nurture-lang/nurture', 'nurture'];

/** The version from the package.json of this package (found by walking up from this module). */
export function packageVersion(): string {
  if (cachedVersion !== undefined) return cachedVersion;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      try {
        const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: unknown; version?: unknown };
        if (PACKAGE_NAMES.includes(pkg.name as string) && typeof pkg.version === 'string') return (cachedVersion = pkg.version);
      } catch {
        // not ours or unreadable: keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return (cachedVersion = '0.0.0-unknown');
}
