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
  epilog: [
    'Exit status: 0 after a shutdown request (then `exit`, or the end of the input); 1 when the client',
    'sends `exit` without `shutdown` first, closes the input without them or closes the output (a line',
    'on stderr says which), or when the editor\'s process is gone; 2 usage problem.',
    'Malformed input (bad framing, a body that is not JSON-RPC) is reported on stderr and skipped: the',
    'server answers the next well-formed message.',
  ],
  async run(args, ctx) {
    if (args.positionals.length > 0) throw new CliError(`\`lsp\` takes no PATH (got \`${args.positionals[0]}\`)`);
    // Without a transport it would wait silently on a terminal: say what it expects instead.
    if (!args.boolean('stdio')) {
      throw new CliError('`lsp` needs its transport: `nurture lsp --stdio` (editors start it so; see docs/editors.md)');
    }
    // The client closing the server's output ends the process (main's EPIPE guard, with process.exitCode):
    // that is not a clean shutdown either.
    process.exitCode = 1;
    process.stdout.prependListener('error', () => process.stderr.write('nurture lsp: the client closed the output (exit status 1)\n'));
    const { startServer } = await import('../../lsp/server.js');
    const status = await startServer({ input: process.stdin, output: process.stdout, errors: process.stderr, version: ctx.version });
    // The LSP library keeps timers (its editor-process watchdog) that would hold the process open.
    await new Promise<void>((done) => {
      process.stdout.write('', () => done());
      setTimeout(done, 1000).unref(); // a client that closed its end never gets the flush
    });
    process.exit(status);
  },
};
