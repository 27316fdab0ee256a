// The `nurture` command line. `bin/nurture.js` calls `main(process.argv.slice(2))` and exits with the
// returned status: 0 success, 1 the input has errors or a check failed, 2 usage or I/O problem.
// Nothing escapes as a stack trace: usage and I/O problems are one line on stderr, and an unexpected
// failure is reported as an internal error (its stack only with NURTURE_DEBUG=1).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatFlagHelp, parseArgs } from './args.js';
import type { Command } from './command.js';
import { COMMANDS, findCommand } from './commands/index.js';
import { CliError, packageVersion, type Context } from './context.js';
import { closest } from './suggest.js';

function processContext(): Context {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    version: packageVersion(),
  };
}

let pipeGuardInstalled = false;
/** `nurture check . | head` must end quietly when the reader goes away (EPIPE), not with a stack. */
function guardPipes(): void {
  if (pipeGuardInstalled) return;
  pipeGuardInstalled = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
      process.exit(2);
    });
  }
}

export function topHelp(version: string): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length), 4);
  const lines = [
    `nurture ${version} — lead-nurturing journeys, scoring, pressure caps and thresholds as code`,
    '',
    'Usage: nurture <command> [options] PATH…',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    `  ${'help'.padEnd(width)}  show help for a command (nurture help <command>)`,
    '',
    'Options:',
    '  -h, --help     show this help',
    '      --version  print the version',
    '',
    'PATHs are .nurture files or folders (every *.nurture file below them, as one workspace).',
    'Exit status: 0 success, 1 the input has errors or a check failed, 2 usage or I/O problem.',
    'Run `nurture <command> --help` for the options of a command.',
  ];
  return lines.join('\n') + '\n';
}

export function commandHelp(cmd: Command): string {
  const lines = [`Usage: ${cmd.usage}`, '', cmd.description, '', 'Options:', ...formatFlagHelp(cmd.flags)];
  if (cmd.epilog && cmd.epilog.length > 0) lines.push('', ...cmd.epilog);
  return lines.join('\n') + '\n';
}

function unknownCommand(name: string, cwd: string): CliError {
  const guess = closest(name, [...COMMANDS.map((c) => c.name), 'help']);
  let hint = guess ? ` (did you mean \`${guess}\`?)` : '';
  // `nurture journeys/` : a PATH where the command should be.
  if (!guess && (name.endsWith('.nurture') || existsSync(resolve(cwd, name)))) {
    hint = ` (to check it: \`nurture check ${name}\`)`;
  }
  return new CliError(`unknown command \`${name}\`${hint}; run \`nurture --help\` to see the commands`);
}

async function dispatch(argv: readonly string[], ctx: Context): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    ctx.stderr.write(topHelp(ctx.version));
    return 2;
  }
  if (first === '--help' || first === '-h') {
    ctx.stdout.write(topHelp(ctx.version));
    return 0;
  }
  if (first === '--version') {
    ctx.stdout.write(`nurture ${ctx.version}\n`);
    return 0;
  }
  if (first === 'help') {
    const topic = rest[0];
    if (topic === undefined || topic === 'help') {
      ctx.stdout.write(topHelp(ctx.version));
      return 0;
    }
    const cmd = findCommand(topic);
    if (!cmd) throw unknownCommand(topic, ctx.cwd);
    ctx.stdout.write(commandHelp(cmd));
    return 0;
  }
  if (first.startsWith('-')) {
    const bare = first.replace(/^-+/, '').split('=')[0]!;
    const guess = closest(bare, ['help', 'version']);
    const hint = guess
      ? ` (did you mean \`--${guess}\`?)`
      : '; flags go after the command (`nurture check --format json PATH`); run `nurture --help`';
    throw new CliError(`unknown flag \`${first.split('=')[0]}\`${hint}`);
  }
  const cmd = findCommand(first);
  if (!cmd) throw unknownCommand(first, ctx.cwd);
  const args = parseArgs(rest, { command: cmd.name, flags: cmd.flags });
  if (args.help) {
    ctx.stdout.write(commandHelp(cmd));
    return 0;
  }
  return await cmd.run(args, ctx);
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  try {
    return String(err);
  } catch {
    return 'unknown error';
  }
}

/**
 * Runs the command line and returns the exit status. Never throws. `overrides` lets tests run it in
 * process with their own output streams, environment and working folder.
 */
export async function main(argv: string[], overrides: Partial<Context> = {}): Promise<number> {
  let ctx: Context;
  try {
    const usesProcess = overrides.stdout === undefined || overrides.stderr === undefined;
    if (usesProcess) guardPipes();
    ctx = { ...processContext(), ...overrides };
  } catch (err) {
    process.stderr.write(`nurture: internal error: ${describe(err)}\n`);
    return 2;
  }
  try {
    return await dispatch(argv, ctx);
  } catch (err) {
    if (err instanceof CliError) {
      ctx.stderr.write(`nurture: ${err.message}\n`);
      return err.exitCode;
    }
    const debug = ctx.env['NURTURE_DEBUG'] === '1';
    ctx.stderr.write(
      `nurture: internal error: ${describe(err)} (this is a bug in nurture; please report it with the ` +
        `command you ran${debug ? '' : ', and the details shown with NURTURE_DEBUG=1'})\n`,
    );
    if (debug && err instanceof Error && err.stack) ctx.stderr.write(err.stack + '\n');
    return 2;
  }
}
