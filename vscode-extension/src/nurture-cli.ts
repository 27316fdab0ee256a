// The `nurture` command line bundled into the extension (dist/nurture.mjs): the language server
// (`lsp --stdio`) and the compile and test commands run it with Node, so nothing else needs installing.
import { main } from '../../cli/main.js';

process.exitCode = await main(process.argv.slice(2));
