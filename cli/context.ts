// What a command may touch of the outside world. `main` builds it from the process; tests may build
// their own (in-process runs with captured output).
import { compilerVersion } from '../compiler/lower/version.js';

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

/** The version of this package (`nurture --version`), as the compiler records it in plans. */
export function packageVersion(): string {
  return compilerVersion();
}
