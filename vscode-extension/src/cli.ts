// How the extension runs `nurture`: the CLI bundled in dist/nurture.mjs (run with the Node of the
// editor), or the one named by the `nurture.server.path` setting (an executable, or a .js/.mjs file
// run with Node). Pure (no `vscode` import).
import { spawn } from 'node:child_process';
import { isAbsolute, join } from 'node:path';

export interface NurtureCommand {
  /** The program to start. */
  command: string;
  /** Arguments placed before the nurture arguments (the script, when run with Node). */
  prefix: string[];
  /** Whether `command` is Node running a script (in Electron: ELECTRON_RUN_AS_NODE). */
  node: boolean;
  /** The script run with Node, when `node`. */
  script?: string;
}

/** Resolves the `nurture.server.path` setting (relative paths from the first workspace folder). */
export function nurtureCommand(setting: string | undefined, bundledCli: string, workspaceRoot: string | undefined, nodePath = process.execPath): NurtureCommand {
  const configured = (setting ?? '').trim();
  if (configured === '') return { command: nodePath, prefix: [bundledCli], node: true, script: bundledCli };
  const path = isAbsolute(configured) || !workspaceRoot || !/[\\/]/.test(configured) ? configured : join(workspaceRoot, configured);
  if (/\.(?:m?js|cjs)$/i.test(path)) return { command: nodePath, prefix: [path], node: true, script: path };
  return { command: path, prefix: [], node: false };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `nurture ARGS…` in `cwd`; resolves when it exits (never rejects: a failure to start is code 2). */
export function runNurture(cmd: NurtureCommand, args: string[], cwd: string): Promise<RunResult> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    if (cmd.node) env['ELECTRON_RUN_AS_NODE'] = '1';
    let stdout = '';
    let stderr = '';
    let child;
    try {
      child = spawn(cmd.command, [...cmd.prefix, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      resolve({ code: 2, stdout, stderr: `cannot start ${cmd.command}: ${(err as Error).message}` });
      return;
    }
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err) => resolve({ code: 2, stdout, stderr: `${stderr}cannot start ${cmd.command}: ${err.message}` }));
    child.on('close', (code) => resolve({ code: code ?? 2, stdout, stderr }));
  });
}
