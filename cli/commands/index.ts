// The one table of subcommands. A command not listed here does not exist (yet): `nurture x` reports
// "unknown command". To add one, write `cli/commands/<name>.ts` exporting a Command and list it here.
import type { Command } from '../command.js';
import { check } from './check.js';
import { diff } from './diff.js';
import { compile } from './compile.js';
import { fmt } from './fmt.js';
import { graph } from './graph.js';
import { lsp } from './lsp.js';
import { serve } from './serve.js';
import { simulate } from './simulate.js';
import { test } from './test.js';
import { worker } from './worker.js';

export const COMMANDS: readonly Command[] = [check, compile, fmt, test, simulate, graph, diff, lsp, worker, serve];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
