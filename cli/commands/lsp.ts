// `nurture lsp --stdio`: the language server (LANGUAGE.md section 11), speaking LSP over stdin/stdout.
import type { Command } from '../command.js';
import { CliError } from '../context.js';

export const lsp: Command = {
  name: 'lsp',
  summary: 'run the language server (for editors)',
  usage: 'nurture lsp --stdio',
  description:
    'Runs the language server over stdin/stdout. Editors start it themselves: it loads every *.nurture\n' +
    'file of the workspace folders, checks as you type and serves completion, hover, navigation,\n' +
    'rename, symbols, semantic tokens, folding, formatting and quick fixes. See docs/editors.md.',
  flags: [
    { name: 'stdio', kind: 'boolean', description: 'talk LSP over stdin/stdout (the only transport)' },
    // VS Code's language client adds `--clientProcessId=PID` to the server's arguments; the server
    // already learns the editor's process id from `initialize` and exits when that process is gone.
    { name: 'clientProcessId', kind: 'integer', placeholder: 'PID', description: "the editor's process id (given by VS Code; accepted and ignored)" },
  ],
  epilog: ['Exit status: 0 after a shutdown request, 1 when the client exits without one.'],
  async run(args, ctx) {
    if (args.positionals.length > 0) throw new CliError(`\`lsp\` takes no PATH (got \`${args.positionals[0]}\`)`);
    // without --stdio, stdio is still the transport: editors that omit the flag keep working
    const { startServer } = await import('../../lsp/server.js');
    return startServer({ input: process.stdin, output: process.stdout, version: ctx.version });
  },
};
