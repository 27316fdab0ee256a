#!/usr/bin/env node
// Launcher: the CLI is bundled into dist/nurture.mjs by `npm ci` (the prepare script): a few files
// load ~20x faster than the hundreds of modules of its dependencies. What only some commands need
// (the compiler, the runtime, the plan validator, the store…) is in dist/chunks/, loaded on first use.
import { main } from '../dist/nurture.mjs';

process.exitCode = await main(process.argv.slice(2));
