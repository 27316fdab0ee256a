// PATH arguments -> the workspace's source files. A PATH is a file (taken as is, whatever its extension,
// except `.json`: a plan, refused with the commands that take one) or a folder (every `*.nurture` below
// it, recursively, skipping `node_modules`, dot-folders and what `.gitignore` and `.nurtureignore` files
// ignore: ./ignore-files.ts).
// Paths in the output are as the user typed them, joined with the discovered sub-path, with forward
// slashes. Every I/O problem is a one-line CliError (exit 2).
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { resolve } from 'node:path';
import { CliError } from './context.js';
import { IgnoreScope } from './ignore-files.js';
import { decodeSource } from '../grammar/encoding.js';

export const SOURCE_EXTENSION = '.nurture';

export interface SourcePath {
  /** As shown in output: "journeys/welcome.nurture". */
  display: string;
  /** Absolute path used to read it. */
  absolute: string;
}

export interface SourceText {
  path: string; // the display path
  text: string;
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'name too long',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
};

/** One-line reason for an I/O error: "no such file or folder", "permission denied", … */
export function ioReason(err: unknown): string {
  const e = err as NodeJS.ErrnoException | undefined;
  if (e && typeof e.code === 'string') {
    const known = REASONS[e.code];
    if (known !== undefined) return known;
    // a system error code (EROFS, ENOSPC…); Node's own codes (ERR_…) come with a sentence
    if (/^E[A-Z0-9]+$/.test(e.code)) return e.code.toLowerCase().replace(/^e/, 'error ');
  }
  return e instanceof Error ? e.message : String(err);
}

/** Opens an input file for reading part by part (`-`: stdin, fd 0); a folder or an unreadable path is a CliError. */
export function openInput(path: string, cwd: string): number {
  try {
    const fd = path === '-' ? 0 : openSync(resolve(cwd, path), 'r');
    if (fstatSync(fd).isDirectory()) {
      if (fd !== 0) closeSync(fd);
      throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
    }
    return fd;
  } catch (e) {
    throw cannotRead(path, e);
  }
}

function cannotRead(shown: string, err: unknown): CliError {
  return new CliError(`cannot read \`${shown}\`: ${ioReason(err)}`);
}

function toSlashes(p: string): string {
  return p.replace(/\\/g, '/');
}

/** "a/" + "b/c.nurture" -> "a/b/c.nurture"; keeps what the user typed ("./a", "../x", "/abs"). */
function joinDisplay(base: string, sub: string): string {
  let b = toSlashes(base);
  while (b.length > 1 && b.endsWith('/')) b = b.slice(0, -1);
  return b === '/' ? '/' + sub : `${b}/${sub}`;
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Finds the source files named by PATH arguments, sorted by display path, without duplicates. */
export function discoverFiles(paths: readonly string[], cwd: string): SourcePath[] {
  const found: SourcePath[] = [];
  const seen = new Set<string>();
  const add = (display: string, absolute: string): void => {
    let key = absolute;
    try {
      key = realpathSync(absolute);
    } catch {
      // keep the absolute path as the key
    }
    if (seen.has(key)) return;
    seen.add(key);
    found.push({ display, absolute });
  };

  for (const given of paths) {
    if (given === '') throw new CliError('cannot read ``: an empty path');
    const absolute = resolve(cwd, given);
    let stats;
    try {
      stats = statSync(absolute);
    } catch (err) {
      throw cannotRead(given, err);
    }
    if (stats.isDirectory()) {
      const before = found.length;
      const ignored = { count: 0 };
      const scope = IgnoreScope.forFolder(absolute, cwd);
      walk(absolute, '', given, add, new Set(), scope, ignored);
      if (found.length === before && !hasAny(absolute, scope)) {
        const why = ignored.count > 0 ? ' that is not ignored (by `.gitignore` or `.nurtureignore`)' : '';
        throw new CliError(`no ${SOURCE_EXTENSION} files in folder \`${given}\`${why}`);
      }
    } else if (stats.isFile()) {
      add(toSlashes(given), absolute);
    } else {
      throw new CliError(`cannot read \`${given}\`: not a regular file or folder`);
    }
  }
  return found.sort((a, b) => byCodeUnits(a.display, b.display));
}

// When a folder's files were all already found through an earlier PATH, it is not "empty".
function hasAny(absolute: string, scope: IgnoreScope): boolean {
  const probe: string[] = [];
  walk(absolute, '', '.', (d) => probe.push(d), new Set(), scope, { count: 0 });
  return probe.length > 0;
}

function walk(
  dirAbs: string,
  sub: string,
  given: string,
  add: (display: string, absolute: string) => void,
  visiting: Set<string>,
  scope: IgnoreScope,
  ignored: { count: number },
): void {
  let real = dirAbs;
  try {
    real = realpathSync(dirAbs);
  } catch {
    // unreadable: readdir below reports it
  }
  if (visiting.has(real)) return; // a symbolic link loop
  visiting.add(real);
  let entries: Dirent[];
  try {
    entries = readdirSync(dirAbs, { withFileTypes: true });
  } catch (err) {
    throw cannotRead(sub === '' ? given : joinDisplay(given, sub), err);
  }
  entries.sort((a, b) => byCodeUnits(a.name, b.name));
  const rules = sub === '' ? scope : scope.enter(dirAbs);
  for (const entry of entries) {
    const childSub = sub === '' ? entry.name : `${sub}/${entry.name}`;
    const childAbs = resolve(dirAbs, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const s = statSync(childAbs);
        isDir = s.isDirectory();
        isFile = s.isFile();
      } catch {
        continue; // a dangling link inside a folder is not the user's PATH: skip it
      }
    }
    if (isDir) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      if (rules.ignores(childAbs, true)) ignored.count++;
      else walk(childAbs, childSub, given, add, visiting, rules, ignored);
    } else if (isFile && entry.name.endsWith(SOURCE_EXTENSION)) {
      if (rules.ignores(childAbs, false)) ignored.count++;
      else add(joinDisplay(given, childSub), childAbs);
    }
  }
  visiting.delete(real);
}


/** Reads every file (in the given order), stripping a UTF-8 byte order mark. */
export function readSources(files: readonly SourcePath[]): SourceText[] {
  return files.map((f) => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(f.absolute);
    } catch (err) {
      throw cannotRead(f.display, err);
    }
    let text = decodeSource(bytes); // invalid bytes are kept apart from U+FFFD: the lexer reports them (NUR004)
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { path: f.display, text };
  });
}

/** discoverFiles + readSources: what most commands need. Throws CliError when no PATH is given. */
export function loadWorkspace(paths: readonly string[], cwd: string, command: string): SourceText[] {
  return readSources(discoverPaths(paths, cwd, command));
}

/** discoverFiles, with a CliError naming the command when no PATH is given or a PATH is a plan. */
export function discoverPaths(paths: readonly string[], cwd: string, command: string): SourcePath[] {
  if (paths.length === 0) {
    throw new CliError(`\`${command}\` needs at least one PATH (a .nurture file or a folder); see \`nurture ${command} --help\``);
  }
  refusePlans(paths, command);
  return discoverFiles(paths, cwd);
}

/** The commands that run a plan `.json` written by `compile` (given alone, in place of sources). */
const PLAN_COMMANDS = ['test', 'simulate', 'graph'];

/** A `.json` PATH is a plan, not a source: say which commands take one instead of parsing it. */
export function refusePlans(paths: readonly string[], command: string): void {
  const plan = paths.find((p) => p.toLowerCase().endsWith('.json'));
  if (plan === undefined) return;
  throw new CliError(
    PLAN_COMMANDS.includes(command)
      ? `\`${plan}\` is a plan (JSON): give it alone (\`nurture ${command} ${plan}\`), not with source files`
      : `\`${plan}\` is a plan (JSON), not a .nurture source: plans are run by \`nurture test ${plan}\` and \`nurture simulate ${plan}\``,
  );
}
