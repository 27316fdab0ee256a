// Incremental checking, for the language server: after an edit, the output of `checkWorkspace` (the
// same diagnostics and the same model, built in the same order) from re-checking only the edited files
// and the files that depend on them.
//
// Each file's share of a check is kept apart (a `FilePart`): its symbol table, and its references,
// expression types, handlers, definition dependencies and diagnostics. The dependency index: file A
// uses file B when A's part points into B (a reference to one of B's symbols, a diagnostic's related
// place or fix in B). After an edit the dirty files are the edited ones and, transitively, the files
// that use them (their parts point at symbols that are rebuilt). Only they go through the checker's
// passes again (`collectSymbols`, then `checkDeclaration` and `checkLimits`); the model is assembled
// from their new parts and the other files' kept ones in (file, position) order, as `checkWorkspace`
// builds it, and the cycle check (NUR303) runs on the whole assembled graph. Nothing of the previous
// model is changed: it may still be read.
//
// This is exact when what a file's checking reads of the other files is unchanged but for the rebuilt
// symbols. So an edit takes this path only when every edited file keeps its skeleton (the names and
// kinds it declares, attribute and field types, stages, topics, score rules' kinds and ranges, time
// zone, control group, pressure: what the other files' checking reads of it) and the previous check
// reported no clash between declarations (NUR101, NUR103, NUR107: decisions that depend on the order
// of files). Otherwise — or when files come or go — the whole workspace is checked, as by
// `checkWorkspace` (tests/lsp/incremental-check.test.ts holds the two to the same output).
import type { Expr, SourceFile, Span } from '../grammar/ast.js';
import type { Diagnostic } from '../grammar/diagnostic.js';
import type { CheckOutput } from './check.js';
import { checkDeclaration } from './check-decls.js';
import { checkLimits } from './check-limits.js';
import { Context, emptyModel } from './context.js';
import { checkCycles } from './dependencies.js';
import type { HandlerInfo, Model, Sym } from './model.js';
import { NodeTable, ReferenceChunk, ReferenceIndex } from './references.js';
import { Reporter } from './reporter.js';
import { collectSymbols } from './symbols.js';
import type { Type } from './types.js';

const TABLES = [
  'attributes', 'events', 'channels', 'topics', 'contents', 'streams', 'stages', 'segments', 'scores', 'thresholds', 'journeys', 'tests',
] as const;
type Table = (typeof TABLES)[number];

/** Clashes between declarations, decided by file order: after one, the next check is a whole one. */
const CLASH_CODES: ReadonlySet<string> = new Set(['NUR101', 'NUR103', 'NUR107']);

/** One file's share of a check. */
interface FilePart {
  file: SourceFile;
  skeleton: string;
  /** Its symbols, per table, in declaration order. */
  symbols: Record<Table, Sym[]>;
  /** From collecting its declarations. */
  declared: { references: ReferenceChunk; diagnostics: Diagnostic[] };
  /** From checking them. */
  checked: {
    references: ReferenceChunk;
    diagnostics: Diagnostic[];
    types: { keys: Expr[]; values: Type[] };
    handlers: HandlerInfo[];
    dependencies: [Sym, Set<Sym>][];
  };
  /** The other files its part points into. */
  uses: Set<string>;
}

interface Previous {
  parts: Map<string, FilePart>;
  model: Model;
  /** No clash between declarations: the next edit may be checked incrementally. */
  clean: boolean;
}

export class IncrementalChecker {
  private previous: Previous | undefined;
  /** The files the last `check` went through the checker's passes (all of them for a whole check). */
  lastChecked: readonly string[] = [];

  check(files: readonly SourceFile[]): CheckOutput {
    const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const dirty = this.dirtyFiles(sorted);
    const out = dirty === undefined ? this.whole(sorted) : this.partial(sorted, dirty);
    this.lastChecked = dirty === undefined ? sorted.map((f) => f.path) : sorted.filter((f) => dirty.has(f.path)).map((f) => f.path);
    return out;
  }

  /** The files to check again, or undefined when the whole workspace must be (see the header). */
  private dirtyFiles(sorted: readonly SourceFile[]): Set<string> | undefined {
    const prev = this.previous;
    if (!prev || !prev.clean || prev.parts.size !== sorted.length) return undefined;
    const edited: string[] = [];
    for (const file of sorted) {
      const part = prev.parts.get(file.path);
      if (!part) return undefined;
      if (part.file === file) continue;
      if (skeleton(file) !== part.skeleton) return undefined;
      edited.push(file.path);
    }
    const usedBy = new Map<string, string[]>();
    for (const [path, part] of prev.parts) {
      for (const used of part.uses) {
        const list = usedBy.get(used);
        if (list) list.push(path);
        else usedBy.set(used, [path]);
      }
    }
    const dirty = new Set(edited);
    for (let i = 0; i < edited.length; i++) {
      for (const user of usedBy.get(edited[i]!) ?? []) {
        if (!dirty.has(user)) {
          dirty.add(user);
          edited.push(user);
        }
      }
    }
    return dirty;
  }

  /** The whole workspace, exactly as `checkWorkspace` does it; keeps every file's part. */
  private whole(sorted: readonly SourceFile[]): CheckOutput {
    const model = emptyModel(sorted.map((f) => f.path));
    const reporter = new Reporter();
    const ctx = new Context(model, reporter);
    collectSymbols(ctx, sorted);
    const declared = declaredParts(model, reporter.diagnostics, sorted);
    const checked = checkFiles(ctx, sorted);
    checkCycles(ctx);
    const clean = !reporter.diagnostics.some((d) => CLASH_CODES.has(d.code));
    this.keep(sorted, model, declared, checked, symbolsByFile(model), clean);
    return { diagnostics: reporter.diagnostics, model };
  }

  /** The dirty files checked again, the others' parts kept (see the header). */
  private partial(sorted: readonly SourceFile[], dirty: ReadonlySet<string>): CheckOutput {
    const prev = this.previous!;
    const again = sorted.filter((f) => dirty.has(f.path));
    // collect the dirty files' symbols on their own (no clash is possible: same names as before)
    const scratch = emptyModel(sorted.map((f) => f.path));
    const collecting = new Reporter();
    const collector = new Context(scratch, collecting);
    collectSymbols(collector, again);
    const declared = declaredParts(scratch, collecting.diagnostics, again);
    const fresh = symbolsByFile(scratch);

    // the model's symbol tables and singletons, in (file, position) order
    const model = emptyModel(scratch.files);
    for (const file of sorted) {
      const symbols = dirty.has(file.path) ? fresh.get(file.path) : prev.parts.get(file.path)!.symbols;
      if (!symbols) continue;
      for (const table of TABLES) {
        const map = model[table] as Map<string, Sym>;
        for (const sym of symbols[table]) map.set(sym.name, sym);
      }
    }
    const from = (path: string | undefined) => (path !== undefined && dirty.has(path) ? scratch : prev.model);
    model.timezone = from(prev.model.timezone.file ?? scratch.timezone.file).timezone;
    const control = from(prev.model.controlGroup?.file ?? scratch.controlGroup?.file).controlGroup;
    if (control) model.controlGroup = control;
    const pressure = from(prev.model.pressure?.file ?? scratch.pressure?.file).pressure;
    if (pressure) model.pressure = pressure;

    const checking = new Context(model, new Reporter());
    const checked = checkFiles(checking, again);

    // the per-file parts, old and new, assembled in file order
    const parts = sorted.map((f) => (dirty.has(f.path) ? { declared: declared.get(f.path)!, checked: checked.get(f.path)! } : prev.parts.get(f.path)!));
    const final: Model = { ...model, handlers: parts.flatMap((p) => p.checked.handlers), references: new ReferenceIndex(), exprTypes: new NodeTable() };
    for (const p of parts) final.references.adopt(p.declared.references);
    for (const p of parts) final.references.adopt(p.checked.references);
    for (const p of parts) final.exprTypes.adopt(p.checked.types);
    const reporter = new Reporter();
    reporter.diagnostics.push(...parts.flatMap((p) => p.declared.diagnostics), ...parts.flatMap((p) => p.checked.diagnostics));
    const cycles = new Context(final, reporter);
    for (const p of parts) for (const [owner, deps] of p.checked.dependencies) cycles.dependencies.set(owner, deps);
    checkCycles(cycles);

    const symbols = new Map(sorted.map((f) => [f.path, dirty.has(f.path) ? fresh.get(f.path) ?? noSymbols() : prev.parts.get(f.path)!.symbols]));
    this.keep(sorted, final, declared, checked, symbols, true, prev.parts);
    return { diagnostics: reporter.diagnostics, model: final };
  }

  private keep(
    sorted: readonly SourceFile[],
    model: Model,
    declared: Map<string, FilePart['declared']>,
    checked: Map<string, FilePart['checked']>,
    symbols: Map<string, Record<Table, Sym[]>>,
    clean: boolean,
    kept?: Map<string, FilePart>,
  ): void {
    const parts = new Map<string, FilePart>();
    for (const file of sorted) {
      const c = checked.get(file.path);
      const old = kept?.get(file.path);
      if (!c && old) {
        parts.set(file.path, old);
        continue;
      }
      const d = declared.get(file.path) ?? { references: new ReferenceChunk(), diagnostics: [] };
      const part: FilePart = {
        file, skeleton: skeleton(file), symbols: symbols.get(file.path) ?? noSymbols(), declared: d,
        checked: c ?? { references: new ReferenceChunk(), diagnostics: [], types: { keys: [], values: [] }, handlers: [], dependencies: [] },
        uses: new Set(),
      };
      part.uses = usesOf(part);
      parts.set(file.path, part);
    }
    this.previous = { parts, model, clean };
  }
}

function noSymbols(): Record<Table, Sym[]> {
  return Object.fromEntries(TABLES.map((t) => [t, []])) as unknown as Record<Table, Sym[]>;
}

/** Each file's symbols, per table, in the tables' order. */
function symbolsByFile(model: Model): Map<string, Record<Table, Sym[]>> {
  const out = new Map<string, Record<Table, Sym[]>>();
  for (const table of TABLES) {
    for (const sym of (model[table] as Map<string, Sym>).values()) {
      let own = out.get(sym.file);
      if (!own) out.set(sym.file, (own = noSymbols()));
      own[table].push(sym);
    }
  }
  return out;
}

/** The collecting pass's references and diagnostics, per file. */
function declaredParts(model: Model, diagnostics: readonly Diagnostic[], files: readonly SourceFile[]): Map<string, FilePart['declared']> {
  const references = model.references.sliceByFile(0, model.references.size);
  const out = new Map<string, FilePart['declared']>(files.map((f) => [f.path, { references: references.get(f.path) ?? new ReferenceChunk(), diagnostics: [] }]));
  for (const d of diagnostics) out.get(d.file)?.diagnostics.push(d);
  return out;
}

/** The checking pass over `files`, each file's output kept apart. */
function checkFiles(ctx: Context, files: readonly SourceFile[]): Map<string, FilePart['checked']> {
  const model = ctx.model;
  const out = new Map<string, FilePart['checked']>();
  for (const file of files) {
    const refs = model.references.size;
    const types = model.exprTypes.size;
    const diagnostics = ctx.report.diagnostics.length;
    const handlers = model.handlers.length;
    const owners = new Set(ctx.dependencies.keys());
    ctx.file = file.path;
    for (const decl of file.declarations) checkDeclaration(ctx, decl);
    checkLimits(ctx, file);
    out.set(file.path, {
      references: model.references.sliceByFile(refs, model.references.size).get(file.path) ?? new ReferenceChunk(),
      diagnostics: ctx.report.diagnostics.slice(diagnostics),
      types: model.exprTypes.slice(types, model.exprTypes.size),
      handlers: model.handlers.slice(handlers),
      dependencies: [...ctx.dependencies].filter(([owner]) => !owners.has(owner)),
    });
  }
  return out;
}

/** The files a part points into: its references' symbols, its diagnostics' related places and fixes. */
function usesOf(part: FilePart): Set<string> {
  const uses = new Set<string>();
  const own = part.file.path;
  const add = (file: string) => void (file !== own && file !== '' && uses.add(file));
  for (const s of part.declared.references.symbols) add(s.file);
  for (const s of part.checked.references.symbols) add(s.file);
  for (const d of [...part.declared.diagnostics, ...part.checked.diagnostics]) {
    for (const r of d.related ?? []) add(r.file);
    for (const f of d.fixes ?? []) for (const e of f.edits) add(e.file);
  }
  return uses;
}

/**
 * What the checking of other files reads of a file's declarations (see the header): declared names and
 * kinds, and the declarations read whole — lead, event, stages, topics, time zone, control group —
 * without their places; score rules' kinds and range.
 */
function skeleton(file: SourceFile): string {
  const parts: unknown[] = [];
  for (const d of file.declarations) {
    switch (d.kind) {
      case 'lead': case 'event': case 'stages': case 'topics': case 'timezone': case 'controlGroup':
        parts.push(d);
        break;
      case 'score':
        parts.push([d.kind, d.name.text, d.rules.map((r) => (r.kind === 'range' ? r : r.kind))]);
        break;
      case 'derivedScore': case 'channel': case 'content': case 'stream': case 'segment': case 'threshold': case 'journey':
        parts.push([d.kind, d.name.text]);
        break;
      case 'test':
        parts.push([d.kind, d.name.value]);
        break;
      case 'pressure': case 'on':
        parts.push(d.kind);
        break;
    }
  }
  return JSON.stringify(parts, (_key, value: unknown) => (isSpan(value) ? undefined : value));
}

function isSpan(v: unknown): v is Span {
  const s = v as Span;
  return typeof s === 'object' && s !== null && typeof s.start === 'number' && typeof s.endColumn === 'number';
}
