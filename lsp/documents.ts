// The server's view of the workspace: every `.nurture` file of the workspace folders (read from disk
// at start and on watched-file changes), overlaid by the documents open in the editor (their text is
// the editor's, not the disk's). Edits are applied to the checker's `Workspace` lazily (`flush`), so a
// burst of keystrokes re-parses a file once; only the changed files are re-parsed (only their changed
// declarations: lsp/incremental.ts), and the checked model is cached until a file changes.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ignoredBelow, IgnoreScope } from '../cli/ignore-files.js';
import type { CheckResult, PlanResult } from '../compiler/workspace.js';
import type { ParseResult } from '../grammar/parse.js';
import { decodeSource } from '../grammar/encoding.js';
import { incrementalWorkspace } from './incremental.js';
import { LineIndex } from './positions.js';

export const SOURCE_EXTENSION = '.nurture';

/** `file:///a/b.nurture` -> `/a/b.nurture`; other schemes (untitled:…) keep the URI as their path. */
export function uriToPath(uri: string): string {
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch {
      return uri;
    }
  }
  return uri;
}

export function pathToUri(path: string): string {
  return path.includes(':') && !path.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(path) ? path : pathToFileURL(path).href;
}

/**
 * Every `*.nurture` below `dir` (skipping `node_modules`, dot-folders and what `.gitignore` and
 * `.nurtureignore` files ignore, as `nurture check DIR` does), sorted; unreadable parts skipped.
 */
export function findSources(dir: string, out: string[] = [], scope: IgnoreScope = IgnoreScope.forFolder(dir, dir)): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const full = join(dir, e.name);
    if (e.isDirectory()) {
      if (!scope.ignores(full, true)) findSources(full, out, scope.enter(full));
    } else if (e.name.endsWith(SOURCE_EXTENSION) && (e.isFile() || e.isSymbolicLink()) && !scope.ignores(full, false)) {
      out.push(full);
    }
  }
  return out;
}

function readText(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return undefined;
    return decodeSource(readFileSync(path)); // invalid bytes reported by the lexer (NUR004), as in the CLI
  } catch {
    return undefined;
  }
}

export class Documents {
  readonly workspace = incrementalWorkspace();
  /** The workspace folders loaded at start. */
  private folders: string[] = [];
  /** Documents open in the editor: path -> version. */
  private readonly open = new Map<string, number>();
  /** The URI each file is known by (the client's spelling for open documents). */
  private readonly uris = new Map<string, string>();
  /** Texts changed since the last flush (path -> text, or null: removed). */
  private readonly pending = new Map<string, string | null>();
  private readonly indexes = new Map<string, LineIndex>();
  /** Files whose text changed since the last check (their diagnostics are published again). */
  private readonly changedSinceCheck = new Set<string>();

  uriOf(path: string): string {
    return this.uris.get(path) ?? pathToUri(path);
  }

  pathOf(uri: string): string {
    const path = uriToPath(uri);
    if (!this.uris.has(path)) this.uris.set(path, uri);
    return path;
  }

  /** Loads every source file below the folders (open documents keep their editor text). */
  loadFolders(folders: readonly string[]): number {
    this.folders = [...folders];
    let n = 0;
    for (const dir of folders) {
      for (const path of findSources(dir)) {
        if (this.open.has(path) || this.known(path)) continue;
        const text = readText(path);
        if (text !== undefined) {
          this.update(path, text);
          n++;
        }
      }
    }
    return n;
  }

  /** Whether loading the workspace folders would take `path` (inside one, not ignored); any file without folders. */
  private inFolders(path: string): boolean {
    return this.folders.length === 0 || this.folders.some((dir) => {
      const rel = relative(dir, path);
      return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) && !ignoredBelow(dir, path);
    });
  }

  private known(path: string): boolean {
    const p = this.pending.get(path);
    return p !== undefined ? p !== null : this.workspace.text(path) !== undefined;
  }

  isOpen(path: string): boolean {
    return this.open.has(path);
  }

  version(path: string): number | undefined {
    return this.open.get(path);
  }

  didOpen(uri: string, version: number, text: string): string {
    const path = this.pathOf(uri);
    this.uris.set(path, uri);
    this.open.set(path, version);
    this.update(path, text);
    return path;
  }

  didChange(uri: string, version: number, text: string): string {
    const path = this.pathOf(uri);
    this.open.set(path, version);
    this.update(path, text);
    return path;
  }

  /** Closed: the file is the disk's again (or leaves the workspace when it is not on disk). */
  didClose(uri: string): string {
    const path = this.pathOf(uri);
    this.open.delete(path);
    const disk = path.startsWith('/') || /^[A-Za-z]:/.test(path) ? readText(path) : undefined;
    if (disk === undefined) this.remove(path);
    else this.update(path, disk);
    return path;
  }

  /** A watched file was created, changed or deleted on disk (ignored while it is open). */
  diskChanged(uri: string, deleted: boolean): void {
    const path = this.pathOf(uri);
    if (this.open.has(path) || !path.endsWith(SOURCE_EXTENSION)) return;
    if (!this.known(path) && !this.inFolders(path)) return; // a new file that a walk of the folders skips
    const text = deleted ? undefined : readText(path);
    if (text === undefined) this.remove(path);
    else this.update(path, text);
  }

  update(path: string, text: string): void {
    if (this.text(path) === text) return;
    this.pending.set(path, text);
    this.changedSinceCheck.add(path);
  }

  remove(path: string): void {
    if (!this.known(path)) return;
    this.pending.set(path, null);
    this.changedSinceCheck.add(path);
  }

  /** The current text of a file (pending edits included). */
  text(path: string): string | undefined {
    const p = this.pending.get(path);
    if (p !== undefined) return p ?? undefined;
    return this.workspace.text(path);
  }

  lineIndex(path: string): LineIndex | undefined {
    const text = this.text(path);
    if (text === undefined) return undefined;
    let idx = this.indexes.get(path);
    if (!idx || idx.text !== text) {
      idx = new LineIndex(text);
      this.indexes.set(path, idx);
    }
    return idx;
  }

  get dirty(): boolean {
    return this.pending.size > 0;
  }

  /** Applies pending edits to the checker's workspace (re-parsing each changed file once). */
  flush(): void {
    for (const [path, text] of this.pending) {
      if (text === null) {
        this.workspace.removeFile(path);
        this.indexes.delete(path);
      } else this.workspace.setFile(path, text);
    }
    this.pending.clear();
  }

  /** The checked workspace, up to date with every edit. */
  check(): CheckResult {
    this.flush();
    return this.workspace.check();
  }

  /** The check and the plan phase, as `nurture compile` runs them (the check is reused). */
  plan(): PlanResult {
    this.flush();
    return this.workspace.plan();
  }

  parseResult(path: string): ParseResult | undefined {
    this.flush();
    return this.workspace.parseResult(path);
  }

  files(): string[] {
    this.flush();
    return this.workspace.files();
  }

  /** The files whose text changed since the previous call (and forgets them). */
  takeChanged(): string[] {
    const list = [...this.changedSinceCheck];
    this.changedSinceCheck.clear();
    return list;
  }
}
