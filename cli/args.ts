// Our own small argument parser: long flags with values (`--format json`, `--format=json`), short
// aliases (`-o plan.json`), booleans, positionals and `--`. Every mistake is a CliError (exit 2) with a
// one-line reason naming the flag, and a "did you mean" when the flag looks like a typo.
import { CliError } from './context.js';
import { closest } from './suggest.js';

export type FlagKind = 'boolean' | 'string' | 'integer';

export interface FlagSpec {
  /** Long name without dashes: `format` for `--format`. */
  name: string;
  /** One-letter alias without the dash: `o` for `-o`. */
  short?: string;
  kind: FlagKind;
  /** Shown in help: `--format FORMAT`. */
  placeholder?: string;
  /** Allowed values of a string flag. */
  choices?: readonly string[];
  /** Smallest allowed value of an integer flag (default 0). */
  min?: number;
  /** Flags that cannot be given together with this one. */
  conflicts?: readonly string[];
  /** Given at most once (a usage error otherwise); other flags let the last occurrence win. */
  once?: boolean;
  /** May be given several times, every value kept (`args.list`), e.g. `--fail-if A --fail-if B`. */
  many?: boolean;
  description: string;
}

export interface ArgSpec {
  /** The command, for messages: "unknown flag `--x` for `check`". */
  command: string;
  flags: readonly FlagSpec[];
}

export class ParsedArgs {
  constructor(
    /** Values by long name; booleans are `true` when given. Absent flags are absent. */
    readonly values: ReadonlyMap<string, string | number | boolean | readonly string[]>,
    readonly positionals: readonly string[],
    /** `--help` or `-h` was given (the rest was then not validated). */
    readonly help: boolean,
  ) {}

  has(name: string): boolean {
    return this.values.has(name);
  }
  string(name: string): string | undefined {
    const v = this.values.get(name);
    return typeof v === 'string' ? v : undefined;
  }
  integer(name: string): number | undefined {
    const v = this.values.get(name);
    return typeof v === 'number' ? v : undefined;
  }
  boolean(name: string): boolean {
    return this.values.get(name) === true;
  }
  /** Every value of a `many` flag, in the order given (empty when absent). */
  list(name: string): readonly string[] {
    const v = this.values.get(name);
    return Array.isArray(v) ? (v as readonly string[]) : typeof v === 'string' ? [v] : [];
  }
}

const HELP_FLAGS = new Set(['--help', '-h']);

function display(spec: FlagSpec): string {
  return '--' + spec.name;
}

function allowedText(spec: FlagSpec): string {
  if (spec.choices) return spec.choices.join(', ');
  if (spec.kind === 'integer') {
    const min = spec.min ?? 0;
    return min === 0 ? 'a whole number, 0 or more' : `a whole number, ${min} or more`;
  }
  return spec.placeholder ?? 'a value';
}

function convert(spec: FlagSpec, raw: string, shown: string): string | number {
  if (spec.choices && !spec.choices.includes(raw)) {
    throw new CliError(`invalid value \`${raw}\` for \`${shown}\` (allowed: ${allowedText(spec)})`);
  }
  if (spec.kind === 'integer') {
    const trimmed = raw.trim();
    const min = spec.min ?? 0;
    if (!/^[+-]?\d+$/.test(trimmed) || !Number.isSafeInteger(Number(trimmed)) || Number(trimmed) < min) {
      throw new CliError(`invalid value \`${raw}\` for \`${shown}\` (allowed: ${allowedText(spec)})`);
    }
    return Number(trimmed);
  }
  return raw;
}

/** Parses the arguments that follow the command name. Throws CliError on any misuse. */
export function parseArgs(argv: readonly string[], spec: ArgSpec): ParsedArgs {
  const dashdash = argv.indexOf('--');
  const flagPart = dashdash < 0 ? argv : argv.slice(0, dashdash);
  if (flagPart.some((a) => HELP_FLAGS.has(a))) return new ParsedArgs(new Map(), [], true);

  const byName = new Map(spec.flags.map((f) => [f.name, f]));
  const byShort = new Map(spec.flags.filter((f) => f.short).map((f) => [f.short!, f]));
  const values = new Map<string, string | number | boolean | string[]>();
  const positionals: string[] = [];

  const unknown = (written: string): never => {
    const bare = written.replace(/^-+/, '').split('=')[0]!;
    const guess = closest(bare, [...byName.keys(), 'help']);
    const hint = guess
      ? ` (did you mean \`--${guess}\`?)`
      : ` (run \`nurture ${spec.command} --help\` to see its flags)`;
    throw new CliError(`unknown flag \`${written.split('=')[0]}\` for \`${spec.command}\`${hint}`);
  };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let flag: FlagSpec | undefined;
    let inline: string | undefined;
    let shown: string;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq < 0 ? undefined : arg.slice(eq + 1);
      flag = byName.get(name);
      if (!flag) unknown(arg);
      shown = '--' + name;
    } else if (arg.startsWith('-') && arg.length > 1) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(1) : arg.slice(1, eq);
      inline = eq < 0 ? undefined : arg.slice(eq + 1);
      flag = byShort.get(name);
      if (!flag) unknown(arg);
      shown = '-' + name;
    } else {
      positionals.push(arg);
      continue;
    }
    const f = flag!;
    if (f.kind === 'boolean') {
      if (inline !== undefined) throw new CliError(`flag \`${shown}\` does not take a value`);
      values.set(f.name, true);
      continue;
    }
    let raw = inline;
    if (raw === undefined) {
      const next = argv[i + 1];
      // A following `--flag` is not a value: `--format --max-warnings 3` forgot the format.
      // (A single dash is allowed, so that `--max-warnings -3` reports a bad value, not a missing one.)
      if (next === undefined || next === '--' || next.startsWith('--') || HELP_FLAGS.has(next)) {
        throw new CliError(`flag \`${shown}\` needs a value (allowed: ${allowedText(f)})`);
      }
      raw = next;
      i++;
    }
    if (raw === '' ) throw new CliError(`flag \`${shown}\` needs a value (allowed: ${allowedText(f)})`);
    // A flag that must not silently keep only the last of several values (`--report a.json --report b.html`).
    if (f.once && values.has(f.name)) {
      throw new CliError(`flag \`${display(f)}\` is given more than once (\`${String(values.get(f.name))}\`, then \`${raw}\`): give it once`);
    }
    const value = convert(f, raw, shown);
    if (f.many) values.set(f.name, [...((values.get(f.name) as string[] | undefined) ?? []), String(value)]);
    else values.set(f.name, value);
  }

  for (const f of spec.flags) {
    if (!values.has(f.name) || !f.conflicts) continue;
    for (const other of f.conflicts) {
      if (values.has(other)) {
        throw new CliError(`flags \`${display(f)}\` and \`--${other}\` cannot be used together`);
      }
    }
  }
  return new ParsedArgs(values, positionals, false);
}

/** The options part of a command's help: one line per flag, aligned. */
export function formatFlagHelp(flags: readonly FlagSpec[]): string[] {
  const rows: [string, string][] = flags.map((f) => {
    const names = (f.short ? `-${f.short}, ` : '    ') + display(f) + (f.kind === 'boolean' ? '' : ' ' + (f.placeholder ?? 'VALUE'));
    return [names, f.description];
  });
  rows.push(['-h, --help', 'show this help']);
  const width = Math.max(...rows.map(([n]) => n.length));
  return rows.map(([n, d]) => `  ${n.padEnd(width)}  ${d}`);
}
