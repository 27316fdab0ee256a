// The CLI is bundled by esbuild as one ES module; the language server's dependencies are CommonJS and
// `require` Node's built-ins, which esbuild's ESM output can only do through a global `require`.
// Imported first by server.ts, so it runs before those dependencies are initialised.
import { createRequire } from 'node:module';

const g = globalThis as { require?: NodeJS.Require };
g.require ??= createRequire(import.meta.url);
