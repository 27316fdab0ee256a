// `nurture graph PATH…|PLAN.json [--journey NAME] [--format mermaid|dot|svg] [-o FILE]`
// Draws the journeys of the compiled workspace (or of a plan .json) with compiler/graph, the renderer
// the VS Code extension uses too. Mermaid by default (reviews on GitHub render it in Markdown); `-o`
// with a .svg/.dot/.gv/.mmd name picks that format when `--format` is not given; an extension it cannot
// write (.png) is refused with a hint rather than given Mermaid text.
// Exit status: 0 drawn, 1 the workspace or plan has errors (diagnostics on stderr, nothing on stdout),
// 2 usage or I/O problem (an unknown `--journey` too, with a did-you-mean).
import { writeFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import type { Command } from '../command.js';
import { CliError } from '../context.js';
import { ioReason } from '../files.js';
import { refuseOverwrites } from '../same-file.js';
import { closest } from '../../grammar/suggest.js';
import { GRAPH_FORMATS, type GraphFormat } from '../../compiler/graph/formats.js';

const BY_EXTENSION: Record<string, GraphFormat> = { '.svg': 'svg', '.dot': 'dot', '.gv': 'dot', '.mmd': 'mermaid', '.mermaid': 'mermaid', '.md': 'mermaid', '.txt': 'mermaid' };

export const graph: Command = {
  name: 'graph',
  summary: 'draw the journeys: a Mermaid chart, a Graphviz dot graph or an SVG file',
  usage: 'nurture graph PATH…|PLAN.json [--journey NAME] [--format mermaid|dot|svg] [-o FILE]',
  description:
    'Compiles the workspace (or loads a plan .json) and draws its journeys: a header with the entries,\n' +
    'audience, exits, goal and holdout, a node per step, an edge per transition labelled with its branch\n' +
    '(then/else, the awaited event or timeout, split percentages, repeat loops). Every journey by\n' +
    'default (a subgraph each; in SVG one below the other), or only --journey NAME. The same input\n' +
    'always gives the same bytes. The format follows the -o name (.svg, .dot/.gv, .mmd; Mermaid without an\n' +
    'extension) unless --format; another extension (.png…) is refused. No -o may name an input.',
  flags: [
    { name: 'journey', kind: 'string', placeholder: 'NAME', description: 'draw only this journey' },
    {
      name: 'format',
      kind: 'string',
      placeholder: 'FORMAT',
      choices: GRAPH_FORMATS,
      description: 'mermaid (default: renders in Markdown on GitHub), dot (Graphviz) or svg (a standalone file)',
    },
    { name: 'output', short: 'o', kind: 'string', placeholder: 'FILE', description: 'write the picture to FILE instead of stdout' },
  ],
  epilog: [
    'Exit status: 0 drawn, 1 the workspace has errors (nothing drawn), 2 usage or I/O problem',
    '(an unknown journey too).',
    '',
    'Examples:',
    '  nurture graph .                                  # Mermaid, for a ```mermaid block',
    '  nurture graph . --journey welcome --format dot | dot -Tpng -o welcome.png',
    '  nurture graph plan.json -o journeys.svg',
  ],
  async run(args, ctx) {
    const output = args.string('output');
    if (output === '') throw new CliError('`-o` needs a file name');
    const format: GraphFormat = (args.string('format') as GraphFormat | undefined) ?? (output === undefined ? 'mermaid' : formatOf(output));
    const only = args.string('journey');
    if (args.positionals.length === 0) {
      throw new CliError('`graph` needs a PLAN (.json) or at least one PATH (a .nurture file or a folder); see `nurture graph --help`');
    }

    const { planFromArgs } = await import('../workspace-plan.js');
    const loaded = await planFromArgs(args.positionals, ctx, 'graph');
    if (typeof loaded === 'number') return loaded;
    if (output !== undefined) refuseOverwrites(ctx.cwd, loaded.inputs.map((path) => ({ flag: null, path })), [{ flag: '-o', path: output }]);
    const { journeyNames, renderGraph } = await import('../../compiler/graph/index.js');
    const all = journeyNames(loaded.plan);
    if (only !== undefined && !all.includes(only)) throw new CliError(unknownJourney(only, all));
    if (all.length === 0) ctx.stderr.write('nurture: the workspace has no journey: the picture is empty\n');

    const text = renderGraph(loaded.plan, only === undefined ? all : [only], format);
    if (output === undefined) {
      ctx.stdout.write(text);
    } else {
      try {
        writeFileSync(resolve(ctx.cwd, output), text);
      } catch (err) {
        throw new CliError(`cannot write \`${output}\`: ${ioReason(err)}`);
      }
    }
    return 0;
  },
};

/** The format `-o FILE`'s extension implies (none: Mermaid); an extension graph cannot write is a usage error. */
function formatOf(output: string): GraphFormat {
  const ext = extname(output).toLowerCase();
  if (ext === '') return 'mermaid';
  const format = BY_EXTENSION[ext];
  if (format !== undefined) return format;
  const picture = /^\.(png|jpe?g|gif|webp|pdf|bmp|tiff?)$/.test(ext) ? ` (for a ${ext.slice(1).toUpperCase()}: \`nurture graph … --format dot | dot -T${ext.slice(1)} -o ${output}\`)` : '';
  throw new CliError(
    `cannot tell which picture to write to \`${output}\` from its extension: graph writes .mmd/.mermaid (Mermaid), .dot/.gv (Graphviz) and .svg${picture}; or give --format`,
  );
}

function unknownJourney(name: string, journeys: readonly string[]): string {
  if (journeys.length === 0) return `no journey \`${name}\`: the workspace has no journey`;
  const guess = closest(name, journeys);
  const hint = guess === undefined ? '' : ` (did you mean \`${guess}\`?)`;
  return `no journey \`${name}\`${hint}; the journeys are: ${journeys.join(', ')}`;
}
