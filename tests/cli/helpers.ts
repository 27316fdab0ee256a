// Helpers for the CLI tests: temporary workspaces and runs of the real executable (bin/nurture.js,
// which needs dist/ built by `tsc -p .` first).
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = join(REPO, 'bin', 'nurture.js');

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/nurture.js ...args` in `cwd`, with colour variables removed unless given in `env`. */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string>; stdin?: string } = {}): Promise<RunResult> {
  const env: Record<string, string | undefined> = { ...process.env };
  delete env['FORCE_COLOR'];
  delete env['NO_COLOR'];
  delete env['NURTURE_DEBUG'];
  Object.assign(env, options.env ?? {});
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? REPO, env, stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    if (options.stdin !== undefined) child.stdin!.end(options.stdin);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (status) => resolvePromise({ status, stdout, stderr }));
  });
}

/** A project's `node_modules/.bin/nurture`, as installing the package links it, launching this checkout's bin. */
export function linkNurture(project: string): string {
  const bin = join(project, 'node_modules', '.bin', 'nurture');
  mkdirSync(dirname(bin), { recursive: true });
  writeFileSync(bin, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(bin, 0o755);
  return bin;
}

const made: string[] = [];

/** Writes files (relative path -> text) into a fresh temporary folder and returns its path. */
export function makeWorkspace(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'nurture-cli-'));
  made.push(root);
  for (const [rel, text] of Object.entries(files)) {
    const target = join(root, rel);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  return root;
}

export function cleanWorkspaces(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A small workspace with no problem at all: everything declared is used. */
export const CLEAN = `lead {
  email_consent: bool
}

event signed_up

channel email { consent: email_consent }

topics news

content hello { channel: email, topic: news }

journey greet {
  entry on signed_up
  send hello
}
`;
