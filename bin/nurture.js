#!/usr/bin/env node
// Launcher: the CLI is bundled into dist/nurture.mjs by `npm ci` (the prepare script): one file
// loads ~20x faster than the hundreds of modules of its dependencies.
import { main } from '../dist/nurture.mjs';

process.exitCode = await main(process.argv.slice(2));
