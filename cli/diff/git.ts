// A workspace as it is in a git revision, read with the `git` command (`git rev-parse`, `git ls-tree`,
// `git cat-file --batch`): nothing is checked out, the user's working tree and index are not touched.
import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { CliError } from '../context.js';

export interface GitFile {
  /** Relative to the working folder, as the same file in the working tree would be shown. */
  display: string;
  bytes: Buffer;
}

/** Runs git in `cwd`; stdout, or a CliError with git's first line of complaint. */
function git(cwd: string, args: string[], input?: string): Buffer {
  const r = spawnSync('git', args, { cwd, input, maxBuffer: 1 << 30 });
  if (r.error !== undefined) {
    const code = (r.error as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? 'cannot read a git revision: the `git` command is not installed (not on PATH)' : `cannot run git: ${r.error.message}`);
  }
  if (r.status !== 0) throw Object.assign(new Error(firstLine(r.stderr.toString('utf8'))), { gitFailed: true });
  return r.stdout;
}

const firstLine = (s: string): string => s.trim().split('\n')[0]?.replace(/^fatal: /, '') ?? '';

/** The commit a revision names (full hash), or a CliError naming the revision. */
export function resolveRevision(cwd: string, rev: string): string {
  try {
    git(cwd, ['rev-parse', '--show-toplevel']);
  } catch {
    throw new CliError(`cannot read git revision \`${rev}\`: \`${cwd}\` is not inside a git repository`);
  }
  if (rev === '' || rev.startsWith('-')) throw new CliError(`invalid git revision \`${rev}\``);
  try {
    return git(cwd, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]).toString('utf8').trim();
  } catch {
    throw new CliError(`unknown git revision \`${rev}\` (not a branch, tag or commit of this repository; see \`git log --oneline\`)`);
  }
}

/**
 * The files under `path` (relative to `cwd`, a file or a folder) in `commit` whose names `keep` accepts,
 * skipping `node_modules` and dot-folders as the working-tree walk does. A CliError when the path is not
 * in that commit.
 */
export function filesAt(cwd: string, commit: string, rev: string, path: string, keep: (name: string) => boolean): GitFile[] {
  const top = git(cwd, ['rev-parse', '--show-toplevel']).toString('utf8').trim();
  let listing: string;
  try {
    listing = git(cwd, ['ls-tree', '-r', '-z', '--full-name', commit, '--', path === '' ? '.' : path]).toString('utf8');
  } catch (e) {
    throw new CliError(`cannot list \`${path}\` in git revision \`${rev}\`: ${(e as Error).message}`);
  }
  const blobs: { sha: string; full: string }[] = [];
  let any = false;
  for (const entry of listing.split('\0')) {
    const m = /^\d+ (\w+) ([0-9a-f]+)\t(.*)$/s.exec(entry);
    if (m === null) continue;
    any = true;
    const full = m[3]!;
    if (m[1] !== 'blob' || !keep(full)) continue;
    if (full.split('/').slice(0, -1).some((d) => d === 'node_modules' || d.startsWith('.'))) continue;
    blobs.push({ sha: m[2]!, full });
  }
  if (!any) throw new CliError(`\`${path}\` does not exist in git revision \`${rev}\``);
  const contents = catBlobs(cwd, blobs.map((b) => b.sha));
  return blobs
    .map((b, i) => ({ display: displayOf(cwd, path, join(top, b.full)), bytes: contents[i]! }))
    .sort((a, b) => (a.display < b.display ? -1 : a.display > b.display ? 1 : 0));
}

/** As the working-tree walk shows the file found under `given` (cli/files.ts): `given/sub/file.nurture`. */
function displayOf(cwd: string, given: string, file: string): string {
  const base = resolve(realpathSync(cwd), given); // git names the top folder by its real path
  if (file === base) return given;
  const b = given.replace(/\\/g, '/').replace(/(.)\/+$/, '$1');
  return `${b === '/' ? '' : b}/${relative(base, file).replace(/\\/g, '/')}`;
}

/** The blobs' bytes, in order, with one `git cat-file --batch`. */
function catBlobs(cwd: string, shas: string[]): Buffer[] {
  if (shas.length === 0) return [];
  const out = git(cwd, ['cat-file', '--batch'], shas.join('\n') + '\n');
  const blobs: Buffer[] = [];
  let at = 0;
  for (let i = 0; i < shas.length; i++) {
    const eol = out.indexOf(0x0a, at);
    const header = out.subarray(at, eol).toString('utf8').split(' ');
    const size = Number(header[2]);
    blobs.push(out.subarray(eol + 1, eol + 1 + size));
    at = eol + 1 + size + 1; // the content is followed by a newline
  }
  return blobs;
}
