// `nurture check PATH… [--format text|json|sarif|github|gitlab] [--max-warnings N]`
// Exit status: 0 no errors (and at most N warnings with --max-warnings), 1 errors or too many warnings,
// 2 usage or I/O problem.
import type { Command } from '../command.js';
import { useColor } from '../context.js';
import { discoverPaths } from '../files.js';
import { renderGithub } from '../render-github.js';
import { renderGitlab } from '../render-gitlab.js';
import { renderJson } from '../render-json.js';
import { renderSarif } from '../render-sarif.js';
import { countDiagnostics, renderDiagnosticsText, renderSummary } from '../render-text.js';

export const FORMATS = ['text', 'json', 'sarif', 'github', 'gitlab'] as const;
export type CheckFormat = (typeof FORMATS)[number];

export const check: Command = {
  name: 'check',
  summary: 'report errors and warnings in a workspace',
  usage: 'nurture check PATH… [--format text|json|sarif|github|gitlab] [--max-warnings N]',
  description:
    'Checks the workspace made of the given files and folders (every *.nurture file below a folder,\n' +
    'skipping node_modules, dot-folders and what .gitignore and .nurtureignore files ignore; a file or\n' +
    'folder named here is always taken) and reports its diagnostics.',
  flags: [
    {
      name: 'format',
      kind: 'string',
      placeholder: 'FORMAT',
      choices: FORMATS,
      description: 'text (default, with source lines), json, sarif (SARIF 2.1.0), github (Actions annotations) or gitlab (Code Quality report)',
    },
    {
      name: 'max-warnings',
      kind: 'integer',
      placeholder: 'N',
      min: 0,
      description: 'also fail (exit 1) when there are more than N warnings',
    },
  ],
  epilog: [
    'Exit status: 0 no errors, 1 errors (or more than N warnings), 2 usage or I/O problem.',
    '',
    'Examples:',
    '  nurture check .',
    '  nurture check journeys/ scoring.nurture --max-warnings 0',
    '  nurture check . --format sarif > nurture.sarif',
    '  nurture check . --format gitlab > gl-code-quality-report.json',
  ],
  async run(args, ctx) {
    const format = (args.string('format') ?? 'text') as CheckFormat;
    const maxWarnings = args.integer('max-warnings');
    // Loaded here, not at start-up: `nurture --help` and usage errors stay instant.
    // The same phases as `compile` (up to the plan): what `check` accepts, `compile` compiles.
    const { planWorkspace } = await import('../workspace-plan.js');
    const { sources, diagnostics } = await planWorkspace(args.positionals, discoverPaths(args.positionals, ctx.cwd, 'check'), ctx);

    const { errors, warnings } = countDiagnostics(diagnostics);
    const tooManyWarnings = maxWarnings !== undefined && warnings > maxWarnings;

    switch (format) {
      case 'json':
        ctx.stdout.write(renderJson(diagnostics));
        break;
      case 'sarif':
        ctx.stdout.write(renderSarif(diagnostics, ctx.version));
        break;
      case 'github':
        ctx.stdout.write(renderGithub(diagnostics, ctx.cwd));
        break;
      case 'gitlab':
        ctx.stdout.write(renderGitlab(diagnostics, ctx.cwd));
        break;
      case 'text': {
        const color = useColor(ctx.stdout, ctx.env);
        const texts = new Map(sources.map((s) => [s.path, s.text]));
        let out = renderDiagnosticsText(diagnostics, (f) => texts.get(f), { color });
        out += renderSummary({ errors, warnings, files: sources.length }, { color });
        ctx.stdout.write(out);
        break;
      }
    }
    if (tooManyWarnings) {
      const line = `too many warnings: ${warnings} (--max-warnings ${maxWarnings})\n`;
      // In text form the note belongs with the report; machine formats keep stdout clean.
      if (format === 'text') ctx.stdout.write(line);
      else ctx.stderr.write('nurture: ' + line);
    }
    return errors > 0 || tooManyWarnings ? 1 : 0;
  },
};
