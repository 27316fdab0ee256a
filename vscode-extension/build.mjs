// Builds the extension: the TextMate grammar (scripts/grammar.mjs), the client bundle
// dist/extension.js (CommonJS, `vscode` external) and the bundled CLI dist/nurture.mjs (the language
// server is `nurture lsp --stdio`), built from the sources of the repository (../cli, ../lsp…).
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

await build({
  ...common,
  entryPoints: [join(here, 'src', 'nurture-cli.ts')],
  outfile: join(here, 'dist', 'nurture.mjs'),
  format: 'esm',
  // prettier (the formatter) is bundled too: the extension needs nothing installed
  banner: { js: "import { createRequire as __nurtureCreateRequire } from 'node:module'; const require = __nurtureCreateRequire(import.meta.url);" },
});
console.log('built dist/extension.js and dist/nurture.mjs');
