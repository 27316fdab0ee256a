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
import type { Declaration, Expr, SourceFile, Span } from '../grammar/ast.js';
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
  /** The trees checked. */
  files: Map<string, SourceFile>;
  model: Model;
  /** No clash between declarations: the next edit may be checked incrementally. */
  clean: boolean;
  /** Every file's part; made on first use after a whole check (an edit of every file never needs them). */
  parts: () => Map<string, FilePart>;
  /** After a whole check because the files edited reached every file: those files. */
  reachedAll?: readonly string[];
}

export class IncrementalChecker {
  private previous: Previous | undefined;
  /** The files the last `check` went through the checker's passes (all of them for a whole check). */
  lastChecked: readonly string[] = [];

  /** Set by `dirtyFiles` when the edited files reach every file; kept in `previous` by the whole check. */
  private reached: readonly string[] | undefined;

  check(files: readonly SourceFile[]): CheckOutput {
    const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    this.reached = undefined;
    const dirty = this.dirtyFiles(sorted);
    const out = dirty === undefined ? this.whole(sorted) : this.partial(sorted, dirty);
    this.lastChecked = dirty === undefined ? sorted.map((f) => f.path) : sorted.filter((f) => dirty.has(f.path)).map((f) => f.path);
    return out;
  }

  /** The files to check again, or undefined when the whole workspace must be (see the header). */
  private dirtyFiles(sorted: readonly SourceFile[]): Set<string> | undefined {
    const prev = this.previous;
    if (!prev || !prev.clean || prev.files.size !== sorted.length) return undefined;
    const edited: string[] = [];
    for (const file of sorted) {
      const old = prev.files.get(file.path);
      if (!old) return undefined;
      if (old !== file) edited.push(file.path);
    }
    if (edited.length === sorted.length) return undefined;
    // the same files edited again, and nothing else: they still reach every file (the others' uses are
    // the same; at worst, after a rename, a whole check more than needed)
    if (prev.reachedAll?.join('\n') === edited.join('\n')) return this.reachesAll(edited);
    for (const file of sorted) if (edited.includes(file.path) && skeleton(file) !== skeleton(prev.files.get(file.path)!)) return undefined;
    const parts = prev.parts();
    const usedBy = new Map<string, string[]>();
    for (const [path, part] of parts) {
      for (const used of part.uses) {
        const list = usedBy.get(used);
        if (list) list.push(path);
        else usedBy.set(used, [path]);
      }
    }
    const dirty = new Set(edited);
    const queue = [...edited];
    for (let i = 0; i < queue.length; i++) {
      for (const user of usedBy.get(queue[i]!) ?? []) {
        if (!dirty.has(user)) {
          dirty.add(user);
          queue.push(user);
        }
      }
    }
    return dirty.size === sorted.length ? this.reachesAll(edited) : dirty;
  }

  /** A whole check, noting which edited files made it one (see `reachedAll`). */
  private reachesAll(edited: readonly string[]): undefined {
    this.reached = edited;
    return undefined;
  }

  /** The whole workspace, exactly as `checkWorkspace` does it; every file's part is made when needed. */
  private whole(sorted: readonly SourceFile[]): CheckOutput {
    const model = emptyModel(sorted.map((f) => f.path));
    const reporter = new Reporter();
    const ctx = new Context(model, reporter);
    collectSymbols(ctx, sorted);
    const collected = { references: model.references.size, diagnostics: reporter.diagnostics.length };
    const ranges = checkFiles(ctx, sorted);
    checkCycles(ctx);
    const diagnostics = [...reporter.diagnostics]; // the caller may sort the returned array
    const clean = !diagnostics.some((d) => CLASH_CODES.has(d.code));
    this.previous = {
      files: new Map(sorted.map((f) => [f.path, f])), model, clean, reachedAll: this.reached,
      parts: once(() => {
        const declared = declaredParts(model, diagnostics.slice(0, collected.diagnostics), sorted, collected.references);
        const symbols = symbolsByFile(model);
        return new Map(sorted.map((f) => [f.path, partOf(f, declared.get(f.path)!, checkedPart(ctx, diagnostics, f.path, ranges.get(f.path)!), symbols.get(f.path))]));
      }),
    };
    return { diagnostics: reporter.diagnostics, model };
  }

  /** The dirty files checked again, the others' parts kept (see the header). */
  private partial(sorted: readonly SourceFile[], dirty: ReadonlySet<string>): CheckOutput {
    const prev = this.previous!;
    const kept = prev.parts();
    const again = sorted.filter((f) => dirty.has(f.path));
    // collect the dirty files' symbols on their own (no clash is possible: same names as before)
    const scratch = emptyModel(sorted.map((f) => f.path));
    const collecting = new Reporter();
    const collector = new Context(scratch, collecting);
    collectSymbols(collector, again);
    const declared = declaredParts(scratch, collecting.diagnostics, again, scratch.references.size);
    const fresh = symbolsByFile(scratch);

    // the model's symbol tables and singletons, in (file, position) order
    const model = emptyModel(scratch.files);
    for (const file of sorted) {
      const symbols = dirty.has(file.path) ? fresh.get(file.path) : kept.get(file.path)!.symbols;
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
    const ranges = checkFiles(checking, again);

    // the per-file parts, old and new, assembled in file order
    const parts = new Map(sorted.map((f) => [f.path, dirty.has(f.path)
      ? partOf(f, declared.get(f.path)!, checkedPart(checking, checking.report.diagnostics, f.path, ranges.get(f.path)!), fresh.get(f.path))
      : kept.get(f.path)!]));
    const all = [...parts.values()];
    const final: Model = { ...model, handlers: all.flatMap((p) => p.checked.handlers), references: new ReferenceIndex(), exprTypes: new NodeTable() };
    for (const p of all) final.references.adopt(p.declared.references);
    for (const p of all) final.references.adopt(p.checked.references);
    for (const p of all) final.exprTypes.adopt(p.checked.types);
    const reporter = new Reporter();
    reporter.diagnostics.push(...all.flatMap((p) => p.declared.diagnostics), ...all.flatMap((p) => p.checked.diagnostics));
    const cycles = new Context(final, reporter);
    for (const p of all) for (const [owner, deps] of p.checked.dependencies) cycles.dependencies.set(owner, deps);
    checkCycles(cycles);

    this.previous = { files: new Map(sorted.map((f) => [f.path, f])), model: final, clean: true, parts: () => parts };
    return { diagnostics: reporter.diagnostics, model: final };
  }
}

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

function partOf(file: SourceFile, declared: FilePart['declared'], checked: FilePart['checked'], symbols: Record<Table, Sym[]> | undefined): FilePart {
  const part: FilePart = { file, symbols: symbols ?? noSymbols(), declared, checked, uses: new Set() };
  part.uses = usesOf(part);
  return part;
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

/** The collecting pass's references (the first `references` of the index) and diagnostics, per file. */
function declaredParts(model: Model, diagnostics: readonly Diagnostic[], files: readonly SourceFile[], references: number): Map<string, FilePart['declared']> {
  const byFile = new Map<string, ReferenceChunk>();
  const all = model.references.slice(0, references);
  for (let i = 0; i < all.files.length; i++) {
    const file = all.files[i]!;
    let own = byFile.get(file);
    if (!own) byFile.set(file, (own = new ReferenceChunk()));
    own.push(file, all.nodes[i]!, all.symbols[i]!, all.declarations[i]!);
  }
  const out = new Map<string, FilePart['declared']>(files.map((f) => [f.path, { references: byFile.get(f.path) ?? new ReferenceChunk(), diagnostics: [] }]));
  for (const d of diagnostics) out.get(d.file)?.diagnostics.push(d);
  return out;
}

/** Where one file's output of the checking pass lies in the model's tables and the diagnostics. */
interface CheckedRange {
  references: [number, number];
  types: [number, number];
  diagnostics: [number, number];
  handlers: [number, number];
}

/** The checking pass over `files`, noting where each file's output lies. */
function checkFiles(ctx: Context, files: readonly SourceFile[]): Map<string, CheckedRange> {
  const model = ctx.model;
  const out = new Map<string, CheckedRange>();
  for (const file of files) {
    const start = { references: model.references.size, types: model.exprTypes.size, diagnostics: ctx.report.diagnostics.length, handlers: model.handlers.length };
    ctx.file = file.path;
    for (const decl of file.declarations) checkDeclaration(ctx, decl);
    checkLimits(ctx, file);
    out.set(file.path, {
      references: [start.references, model.references.size],
      types: [start.types, model.exprTypes.size],
      diagnostics: [start.diagnostics, ctx.report.diagnostics.length],
      handlers: [start.handlers, model.handlers.length],
    });
  }
  return out;
}

/**
 * One file's output of the checking pass, copied out of the model's tables. Its definitions'
 * dependencies are those of the segments and scores it declares (with no clash, a definition is
 * checked in its own file only).
 */
function checkedPart(ctx: Context, diagnostics: readonly Diagnostic[], path: string, r: CheckedRange): FilePart['checked'] {
  const model = ctx.model;
  return {
    references: model.references.slice(...r.references),
    diagnostics: diagnostics.slice(...r.diagnostics),
    types: model.exprTypes.slice(...r.types),
    handlers: model.handlers.slice(...r.handlers),
    dependencies: [...ctx.dependencies].filter(([owner]) => owner.file === path),
  };
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
  return file.declarations.map(declarationSkeleton).join('\n');
}

/** Per declaration node: unchanged declarations keep their nodes across edits (lsp/incremental.ts). */
const skeletons = new WeakMap<Declaration, string>();

function declarationSkeleton(d: Declaration): string {
  let out = skeletons.get(d);
  if (out === undefined) {
    out = JSON.stringify(skeletonOf(d), (_key, value: unknown) => (isSpan(value) ? undefined : value)) ?? '';
    skeletons.set(d, out);
  }
  return out;
}

function skeletonOf(d: Declaration): unknown {
  switch (d.kind) {
    case 'lead': case 'event': case 'stages': case 'topics': case 'timezone': case 'controlGroup':
      return d;
    case 'score':
      return [d.kind, d.name.text, d.rules.map((r) => (r.kind === 'range' ? r : r.kind))];
    case 'derivedScore': case 'channel': case 'content': case 'stream': case 'segment': case 'threshold': case 'journey':
      return [d.kind, d.name.text];
    case 'test':
      return [d.kind, d.name.value];
    case 'pressure': case 'on':
      return d.kind;
  }
}

function isSpan(v: unknown): v is Span {
  const s = v as Span;
  return typeof s === 'object' && s !== null && typeof s.start === 'number' && typeof s.endColumn === 'number';
}
