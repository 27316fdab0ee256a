// `nurture compile PATH… [-o FILE]`
// Checks the workspace (as `check` does), then lowers it into the plan (docs/plan.md) and writes it to
// stdout, or atomically to FILE. Exit status: 0 written, 1 the workspace has errors (nothing written),
// 2 usage or I/O problem, or an internal error (a plan the loader refuses is never written).
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from '../command.js';
import { CliError, useColor } from '../context.js';
import { discoverPaths, ioReason } from '../files.js';
import { refuseOverwrites } from '../same-file.js';
import { countDiagnostics, renderDiagnosticsText, renderSummary } from '../render-text.js';

export const compile: Command = {
  name: 'compile',
  summary: 'compile a workspace into a plan (JSON) for the runtime',
  usage: 'nurture compile PATH… [-o FILE]',
  description:
    'Checks the workspace made of the given files and folders, then writes its plan: every name\n' +
    'resolved, durations in milliseconds, journeys as numbered steps, a source location on every node.\n' +
    'Nothing is written when the workspace has errors; warnings are shown and do not stop compilation.\n' +
    'Paths in the plan are relative to the workspace root: the deepest folder holding every PATH.',
  flags: [
    {
      name: 'output',
      short: 'o',
      kind: 'string',
      placeholder: 'FILE',
      description: 'write the plan to FILE (atomically) instead of stdout; not one of the sources',
    },
  ],
  epilog: [
    'Exit status: 0 plan written, 1 errors (nothing written), 2 usage or I/O problem.',
    '',
    'Examples:',
    '  nurture compile . -o plan.json',
    '  nurture compile journeys/ scoring.nurture > plan.json',
  ],
  async run(args, ctx) {
    const output = args.string('output');
    if (output === '') throw new CliError('`-o` needs a file name');
    const found = discoverPaths(args.positionals, ctx.cwd, 'compile');
    if (output !== undefined) refuseOverwrites(ctx.cwd, found.map((f) => ({ flag: null, path: f.display })), [{ flag: '-o', path: output }]);
    const { planWorkspace, verifyPlan } = await import('../workspace-plan.js');
    const { sources, diagnostics, plan } = await planWorkspace(args.positionals, found, ctx);
    const { errors, warnings } = countDiagnostics(diagnostics);

    const color = useColor(ctx.stderr, ctx.env);
    if (errors > 0 || warnings > 0) {
      const texts = new Map(sources.map((s) => [s.path, s.text]));
      let report = renderDiagnosticsText(diagnostics, (f) => texts.get(f), { color });
      report += renderSummary({ errors, warnings, files: sources.length }, { color });
      ctx.stderr.write(report);
    }
    if (plan === undefined) {
      ctx.stderr.write('nurture: nothing written: the workspace has errors\n');
      return 1;
    }

    const { serializePlan } = await import('../../compiler/lower/index.js');
    const text = serializePlan(plan);
    // Self-check: the runtime must accept what we write. A refusal is a bug in the compiler (exit 2).
    await verifyPlan(text);

    if (output === undefined) {
      ctx.stdout.write(text);
    } else {
      writeAtomically(resolve(ctx.cwd, output), output, text);
    }
    return 0;
  },
};

/** Writes beside the target, then renames over it: readers never see a half-written plan. */
function writeAtomically(absolute: string, shown: string, text: string): void {
  const temp = `${absolute}.nurture-compile-${process.pid}.tmp`;
  try {
    writeFileSync(temp, text);
    renameSync(temp, absolute);
  } catch (err) {
    rmSync(temp, { force: true });
    throw new CliError(`cannot write \`${shown}\`: ${ioReason(err)}`);
  }
}
