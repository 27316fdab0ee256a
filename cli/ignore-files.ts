// Which files a folder walk skips: the patterns of `.gitignore` and `.nurtureignore` files, in git's
// syntax and with git's scoping (a file's patterns apply below the folder that holds it; a later
// pattern, or a deeper file, wins; `!` re-includes). The files are read from the repository root (the
// nearest folder holding `.git`; without one, the current folder when the walked folder is inside it)
// down to the walked folder, then in each folder the walk enters. A folder or file named on the command
// line is always taken: these rules only decide what a walk below it finds.
// Our own matcher rather than `git ls-files`: the same result with or without git (a fresh download, a
// CI cache, the language server), and no process to start.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export const IGNORE_FILES = ['.gitignore', '.nurtureignore'] as const;

interface Rule {
  /** Absolute folder the pattern is relative to. */
  base: string;
  regex: RegExp;
  negated: boolean;
  dirOnly: boolean;
}

/** The ignore rules in force in one folder of a walk; `enter` gives a sub-folder's. Immutable. */
export class IgnoreScope {
  private constructor(private readonly rules: readonly Rule[]) {}

  /** The rules in force in `dirAbs`: every ignore file from the repository root down to it. */
  static forFolder(dirAbs: string, cwd: string = process.cwd()): IgnoreScope {
    const dir = resolve(dirAbs);
    const chain: string[] = [];
    for (let d = dir; ; d = dirname(d)) {
      chain.push(d);
      if (existsSync(join(d, '.git')) || dirname(d) === d) break;
    }
    const root = chain[chain.length - 1]!;
    // Outside a repository, go no higher than the current folder (as prettier reads .prettierignore there).
    const top = existsSync(join(root, '.git')) ? chain.length : Math.max(1, chain.indexOf(resolve(cwd)) + 1);
    let scope = new IgnoreScope([]);
    for (const d of chain.slice(0, top).reverse()) scope = scope.enter(d);
    return scope;
  }

  /** The rules in force in `dirAbs`, a folder inside this one: these and its own ignore files'. */
  enter(dirAbs: string): IgnoreScope {
    const added: Rule[] = [];
    for (const name of IGNORE_FILES) {
      let text: string;
      try {
        text = readFileSync(join(dirAbs, name), 'utf8');
      } catch {
        continue; // absent or unreadable: no rules
      }
      for (const line of text.split(/\r?\n/)) {
        const rule = parseRule(line, dirAbs);
        if (rule) added.push(rule);
      }
    }
    return added.length === 0 ? this : new IgnoreScope([...this.rules, ...added]);
  }

  /** Whether the walk skips `absPath` (a folder when `isDir`). The last matching rule decides. */
  ignores(absPath: string, isDir: boolean): boolean {
    let ignored = false;
    for (const rule of this.rules) {
      if (rule.dirOnly && !isDir) continue;
      const rel = relative(rule.base, absPath);
      if (rel === '' || rel.startsWith('..')) continue;
      if (rule.regex.test(sep === '/' ? rel : rel.split(sep).join('/'))) ignored = !rule.negated;
    }
    return ignored;
  }
}

/** One line of an ignore file -> a rule (undefined for blank lines and comments). */
export function parseRule(line: string, base: string): Rule | undefined {
  let p = line.replace(/(?<!\\)\s+$/, ''); // trailing spaces, unless escaped
  if (p === '' || p.startsWith('#')) return undefined;
  let negated = false;
  if (p.startsWith('!')) {
    negated = true;
    p = p.slice(1);
  } else if (p.startsWith('\\#') || p.startsWith('\\!')) {
    p = p.slice(1);
  }
  let dirOnly = false;
  if (p.endsWith('/')) {
    dirOnly = true;
    p = p.slice(0, -1);
  }
  if (p === '') return undefined;
  // A slash at the start or in the middle anchors the pattern to `base`; otherwise it matches a name at any depth.
  const anchored = p.includes('/');
  if (p.startsWith('/')) p = p.slice(1);
  const body = globToRegex(p);
  return { base, regex: new RegExp(`^${anchored ? '' : '(?:.*/)?'}${body}$`), negated, dirOnly };
}

function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*' && (i === 0 || glob[i - 1] === '/') && (i + 2 === glob.length || glob[i + 2] === '/')) {
      // `**` as a whole segment: any number of folders (`a/**` everything inside a, `**/b` b at any depth)
      if (i + 2 === glob.length) out += '.*';
      else out += '(?:.*/)?';
      i += 2; // also skips the following slash
    } else if (c === '*') {
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) {
        out += '\\[';
      } else {
        let cls = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
        if (cls.startsWith('!')) cls = '^' + cls.slice(1);
        out += `[${cls}]`;
        i = end;
      }
    } else if (c === '\\' && i + 1 < glob.length) {
      out += escapeRegex(glob[++i]!);
    } else {
      out += escapeRegex(c);
    }
  }
  return out;
}

function escapeRegex(c: string): string {
  return /[.+^${}()|[\]\\/*?]/.test(c) ? '\\' + c : c;
}

/** Whether a walk of `folderAbs` skips `pathAbs` (a file below it): it, or a folder on the way, is ignored. */
export function ignoredBelow(folderAbs: string, pathAbs: string, cwd: string = folderAbs): boolean {
  const parts = relative(folderAbs, pathAbs).split(sep);
  let scope = IgnoreScope.forFolder(folderAbs, cwd);
  let dir = resolve(folderAbs);
  for (let i = 0; i < parts.length; i++) {
    const at = join(dir, parts[i]!);
    const last = i === parts.length - 1;
    if (scope.ignores(at, !last)) return true;
    if (!last) scope = scope.enter(at);
    dir = at;
  }
  return false;
}
