// `nurture fmt PATH… [--check|--write]`: the canonical layout (the prettier plugin in formatter/).
// Without a flag, prints the formatted text; --check lists files that would change (exit 1 if any);
// --write rewrites them in place (atomically, through symbolic links, keeping permissions; a read-only
// file is refused, exit 2). A file with syntax errors, or that the formatter fails on
// (an internal error, reported as such), is never touched (exit 1).
import { accessSync, chmodSync, constants, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Command } from '../command.js';
import { CliError } from '../context.js';
import { discoverFiles, ioReason, readSources, refusePlans } from '../files.js';

export const fmt: Command = {
  name: 'fmt',
  summary: 'format files in the one canonical style',
  usage: 'nurture fmt PATH… [--check|--write]',
  description:
    'Formats .nurture files in the canonical style (two-space indentation, aligned score points, …;\n' +
    'see formatter/STYLE.md). Without --check or --write, prints the formatted text to stdout.',
  flags: [
    { name: 'check', kind: 'boolean', description: 'list the files that are not formatted; exit 1 if any' },
    { name: 'write', kind: 'boolean', description: 'rewrite the files that are not formatted, in place' },
  ],
  epilog: [
    'Exit status: 0 formatted (or nothing to do), 1 a file would change (--check), has syntax errors or',
    'could not be formatted, 2 usage or I/O problem (a read-only file is not rewritten). A file that is not',
    'formatted is left exactly as it is. --write writes through a symbolic link to its target and keeps the',
    'file\'s permissions.',
    '',
    'Examples:',
    '  nurture fmt --check .',
    '  nurture fmt --write journeys/',
  ],
  async run(args, ctx) {
    const check = args.boolean('check');
    const write = args.boolean('write');
    if (check && write) throw new CliError('`--check` and `--write` cannot be used together');
    if (args.positionals.length === 0) {
      throw new CliError('`fmt` needs at least one PATH (a .nurture file or a folder); see `nurture fmt --help`');
    }
    refusePlans(args.positionals, 'fmt');
    const files = discoverFiles(args.positionals, ctx.cwd);
    const sources = readSources(files);
    const { tryFormatSource } = await import('../../formatter/format.js');

    let failed = 0;
    let internal = 0;
    let changed = 0;
    for (const [i, source] of sources.entries()) {
      const result = await tryFormatSource(source.text, source.path);
      if (!result.ok) {
        failed++;
        // An internal error is the formatter's fault, not the file's: its message already says the file is unchanged.
        if (result.error.kind === 'internal') {
          internal++;
          ctx.stderr.write(`${result.error.message}\n`);
        } else ctx.stderr.write(`${result.error.message}\n${source.path}: not formatted (fix the errors above first)\n`);
        continue;
      }
      if (!check && !write) {
        ctx.stdout.write(result.formatted);
        continue;
      }
      if (!result.changed) continue;
      changed++;
      if (check) {
        ctx.stdout.write(`would reformat ${source.path}\n`);
      } else {
        writeInPlace(files[i]!.absolute, source.path, result.formatted);
        ctx.stdout.write(`formatted ${source.path}\n`);
      }
    }
    if (check || write) {
      const verb = check ? (changed === 1 ? 'file would be reformatted' : 'files would be reformatted') : changed === 1 ? 'file reformatted' : 'files reformatted';
      const syntax = failed - internal;
      const errors = (syntax > 0 ? `, ${syntax} with syntax errors` : '') + (internal > 0 ? `, ${internal} not formatted (internal formatter error)` : '');
      ctx.stdout.write(`${changed} ${verb}, ${sources.length - changed - failed} already formatted${errors}\n`);
    }
    return failed > 0 || (check && changed > 0) ? 1 : 0;
  },
};

/**
 * Rewrites a source in place, keeping what the user set on it: through a symbolic link to its target (the
 * link stays a link), with the target's permissions, and never over a read-only file (the user made it
 * so, by its permissions or by having no write bit). The text goes to a temporary file beside the target, then is renamed over it: a crash never leaves
 * a half-written source. A file that cannot be written is a one-line CliError (exit 2).
 */
function writeInPlace(absolute: string, display: string, text: string): void {
  let target: string;
  let mode: number;
  try {
    target = realpathSync(absolute);
    mode = statSync(target).mode & 0o7777;
    accessSync(target, constants.W_OK);
    // no write bit at all: read-only for every user, the super-user included (who passes `access`)
    if ((mode & 0o222) === 0) throw Object.assign(new Error('read-only'), { code: 'EACCES' });
  } catch (err) {
    const readOnly = (err as NodeJS.ErrnoException).code === 'EACCES' || (err as NodeJS.ErrnoException).code === 'EPERM';
    throw new CliError(readOnly
      ? `cannot write \`${display}\`: the file is read-only, so it is left as it is (make it writable, or run \`nurture fmt ${display}\` to see the formatted text)`
      : `cannot write \`${display}\`: ${ioReason(err)}`);
  }
  const temp = join(dirname(target), `.${basename(target)}.nurture-fmt-${process.pid}.tmp`);
  try {
    writeFileSync(temp, text, { mode, flag: 'wx' });
    chmodSync(temp, mode); // the umask narrowed the mode given above
    renameSync(temp, target);
  } catch (err) {
    rmSync(temp, { force: true });
    throw new CliError(`cannot write \`${display}\`: ${ioReason(err)}`);
  }
}
