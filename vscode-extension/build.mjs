// Builds the extension: the TextMate grammar (scripts/grammar.mjs), the client bundle
// dist/extension.js (CommonJS, `vscode` external) and the bundled CLI dist/nurture.mjs + dist/chunks/ (the
// language server is `nurture lsp --stdio`), built from the sources of the repository (../cli, ../lsp…).
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { grammarJson } from './scripts/grammar.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const production = !process.argv.includes('--dev');

writeFileSync(join(here, 'syntaxes', 'nurture.tmLanguage.json'), grammarJson());
rmSync(join(here, 'dist'), { recursive: true, force: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  minify: production,
  sourcemap: !production,
  legalComments: 'none',
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: [join(here, 'src', 'extension.ts')],
  outfile: join(here, 'dist', 'extension.js'),
  format: 'cjs',
  external: ['vscode'],
});

// Split as the repository's own CLI bundle is: the CLI imports each command's code with `import()`, so
// the language server starts without parsing the runtime, the plan validator or prettier (first
// diagnostics ~530 → ~330 ms on examples/b2b). The chunks go in dist/chunks/ (cleared above).
await build({
  ...common,
  entryPoints: [join(here, 'src', 'nurture-cli.ts')],
  outdir: join(here, 'dist'),
  entryNames: 'nurture',
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  format: 'esm',
  // prettier (the formatter) is bundled too: the extension needs nothing installed. Every output file
  // gets the banner: a chunk with CommonJS code in it needs its own `require`.
  banner: { js: "import { createRequire as __nurtureCreateRequire } from 'node:module'; const require = __nurtureCreateRequire(import.meta.url);" },
});
console.log('built dist/extension.js, dist/nurture.mjs and dist/chunks/');
