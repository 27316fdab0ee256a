#!/usr/bin/env node
// Launcher: the CLI is written in TypeScript and compiled to dist/ by `npm ci` (the prepare script).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
