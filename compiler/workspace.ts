// The workspace: many files, one namespace. Keeps each file's parse result so that a changed file
// is re-parsed alone; the checked model is rebuilt from the cached syntax trees (and cached itself
// until a file changes). Its phases, each on the last: parse, `check()` (checker and analyses),
// `plan()` (lowering). Every command and the language server go through them: the checker is the one
// gate, and what it accepts lowers (a lowering failure is a compiler bug, reported as NUR900).
import { parseFile, type ParseResult } from '../grammar/parse.js';
import { compareDiagnostics, type Diagnostic } from '../grammar/diagnostic.js';
import type { SourceFile } from '../grammar/ast.js';
import type { Plan } from '../runtime/plan-types.js';
import { checkWorkspace, type CheckOutput } from './check.js';
import { analyze, soundness } from './analysis/index.js';
import { compilePlan, LowerError, type CompileOptions } from './lower/index.js';
import type { Model } from './model.js';

export interface CheckResult {
  diagnostics: Diagnostic[]; // parser and checker diagnostics, sorted with compareDiagnostics
  model: Model;
}

export interface PlanResult extends CheckResult {
  /** The plan, when nothing (parser, checker, analyses, lowering) reported an error. */
  plan: Plan | undefined;
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
  private planned: { options: CompileOptions; result: PlanResult } | undefined;
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
    this.changed();
  }

  removeFile(path: string): void {
    if (this.parsed.delete(path)) this.changed();
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
      // The analyses (NUR300–NUR311) judge only what holds no error: no cascades, and one error does
      // not hide the findings elsewhere (compiler/analysis/soundness.ts).
      diagnostics.push(...analyze(model, { sound: soundness(diagnostics) }));
      this.cached = { diagnostics: diagnostics.sort(compareDiagnostics), model };
    }
    return { diagnostics: [...this.cached.diagnostics], model: this.cached.model };
  }

  /**
   * The check, then the plan when it found no error. Lowering never fails on what the checker accepts
   * (tests/compile/check-implies-plan.fuzz.test.ts); if it does, that is a bug, reported where it
   * happened as NUR900 rather than thrown. Cached until a file changes, for the same `options` object.
   */
  plan(options: CompileOptions = DEFAULT_OPTIONS): PlanResult {
    if (this.planned?.options !== options) {
      const { diagnostics, model } = this.check();
      let plan: Plan | undefined;
      if (!diagnostics.some((d) => d.severity === 'error')) {
        try {
          plan = compilePlan(model, this.files().map((path) => ({ path, text: this.text(path)! })), options);
        } catch (err) {
          if (!(err instanceof LowerError)) throw err;
          diagnostics.push(internalError(err));
          diagnostics.sort(compareDiagnostics);
        }
      }
      this.planned = { options, result: { diagnostics, model, plan } };
    }
    const { result } = this.planned;
    return { ...result, diagnostics: [...result.diagnostics] };
  }

  private changed(): void {
    this.cached = undefined;
    this.planned = undefined;
  }
}

/** The options of `plan()` without arguments (one object: its result is cached). */
const DEFAULT_OPTIONS: CompileOptions = {};

const FILE_START = { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };

/** NUR900: lowering refused what the checker accepted. */
function internalError(err: LowerError): Diagnostic {
  return {
    code: 'NUR900',
    severity: 'error',
    file: err.file,
    span: err.span ?? FILE_START,
    message: `internal compiler error: the checker accepted this, but it cannot be compiled: ${err.message}`,
    help: 'this is a bug in nurture: please report it with this file; until then, rewriting the construct may avoid it',
  };
}

/** Convenience for one-shot callers (CLI, tests). */
export function checkSources(sources: { path: string; text: string }[]): CheckResult {
  const ws = new Workspace();
  for (const s of sources) ws.setFile(s.path, s.text);
  return ws.check();
}
