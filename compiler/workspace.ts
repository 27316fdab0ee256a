// The workspace: many files, one namespace. Keeps each file's parse result so that a changed file
// is re-parsed alone; the checked model is rebuilt from the cached syntax trees (and cached itself
// until a file changes).
import { parseFile, type ParseResult } from '../grammar/parse.js';
import { compareDiagnostics, type Diagnostic } from '../grammar/diagnostic.js';
import type { SourceFile } from '../grammar/ast.js';
import { checkWorkspace, type CheckOutput } from './check.js';
import { analyze } from './analysis/index.js';
import type { Model } from './model.js';

export interface CheckResult {
  diagnostics: Diagnostic[]; // parser and checker diagnostics, sorted with compareDiagnostics
  model: Model;
}

/**
 * Parses one file's text. A parser is made per file and kept for that file's later versions, so a
 * stateful one may reuse the trees of the previous version (the language server's incremental parser).
 */
export type FileParser = (text: string, path: string) => ParseResult;

/** Checks the syntax trees of a workspace, as `checkWorkspace` (a stateful one may reuse its last check). */
export type WorkspaceChecker = (files: readonly SourceFile[]) => CheckOutput;

export interface WorkspaceOptions {
  /** Makes the parser of a new file; by default a whole-file `parseFile`. */
  fileParser?: () => FileParser;
  /** By default `checkWorkspace`; the language server's re-checks what an edit touches (incremental-check.ts). */
  checker?: WorkspaceChecker;
}

export class Workspace {
  private readonly parsed = new Map<string, { text: string; result: ParseResult; parse: FileParser }>();
  private cached: CheckResult | undefined;
  private readonly newParser: () => FileParser;
  private readonly checker: WorkspaceChecker;

  constructor(options: WorkspaceOptions = {}) {
    this.newParser = options.fileParser ?? (() => parseFile);
    this.checker = options.checker ?? checkWorkspace;
  }

  /** Adds or replaces a file; re-parses only when the text changed. */
  setFile(path: string, text: string): void {
    const old = this.parsed.get(path);
    if (old && old.text === text) return;
    const parse = old?.parse ?? this.newParser();
    this.parsed.set(path, { text, result: parse(text, path), parse });
    this.cached = undefined;
  }

  removeFile(path: string): void {
    if (this.parsed.delete(path)) this.cached = undefined;
  }

  files(): string[] {
    return [...this.parsed.keys()].sort();
  }

  text(path: string): string | undefined {
    return this.parsed.get(path)?.text;
  }

  parseResult(path: string): ParseResult | undefined {
    return this.parsed.get(path)?.result;
  }

  /**
   * Diagnostics of every file and the checked model. Checked once until a file changes; each call
   * gets its own diagnostics array, the model is shared (read-only).
   */
  check(): CheckResult {
    if (!this.cached) {
      const results = this.files().map((p) => this.parsed.get(p)!.result);
      const { diagnostics, model } = this.checker(results.map((r) => r.file));
      for (const r of results) diagnostics.push(...r.diagnostics);
      // The analyses (NUR300–NUR311) run only when parser and checker found no error: no cascades.
      if (!diagnostics.some((d) => d.severity === 'error')) diagnostics.push(...analyze(model));
      this.cached = { diagnostics: diagnostics.sort(compareDiagnostics), model };
    }
    return { diagnostics: [...this.cached.diagnostics], model: this.cached.model };
  }
}

/** Convenience for one-shot callers (CLI, tests). */
export function checkSources(sources: { path: string; text: string }[]): CheckResult {
  const ws = new Workspace();
  for (const s of sources) ws.setFile(s.path, s.text);
  return ws.check();
}
