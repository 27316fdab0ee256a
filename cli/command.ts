// The shape of a subcommand. Each lives in `cli/commands/<name>.ts` and is registered in
// `cli/commands/index.ts`; `main` dispatches, parses flags, and turns errors into exit statuses.
import type { FlagSpec, ParsedArgs } from './args.js';
import type { Context } from './context.js';

export interface Command {
  name: string;
  /** One line for `nurture --help`. */
  summary: string;
  /** The usage line after "Usage: ": "nurture check PATH… [--format text|json|sarif|github]". */
  usage: string;
  /** A short paragraph for `nurture CMD --help` (may span lines). */
  description: string;
  flags: readonly FlagSpec[];
  /** Extra help lines after the options (exit status, examples). */
  epilog?: readonly string[];
  /**
   * Returns the exit status. Throws CliError for usage and I/O problems. Import heavy modules (the
   * parser, the checker) inside `run` so that help and usage errors do not pay for them.
   */
  run(args: ParsedArgs, ctx: Context): Promise<number> | number;
}
