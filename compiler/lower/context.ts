// Shared state of one lowering: the model, the file indexes of `source.files`, the workspace time
// zone, and the helpers every part uses (locations, resolved names, instants).
import type { DateLit, DateTimeLit, Ident, Span } from '../../grammar/ast.js';
import type { Loc } from '../../runtime/plan-types.js';
import { localToInstant } from '../../runtime/engine/time.js';
import type { Model, Sym, SymbolKind } from '../model.js';

/**
 * The plan cannot be produced: the model is not what a successful check gives (an unresolved name,
 * a broken expression), or the source uses something plan version 1 cannot express. `file`/`span`
 * point at the construct.
 */
export class LowerError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly span: Span | undefined,
  ) {
    super(message);
    this.name = 'LowerError';
  }
}

const DAY_MS = 86_400_000;

export class Lowering {
  /** The file being lowered (for locations and errors). */
  file = '';

  constructor(
    readonly model: Model,
    /** Model file path → index in `source.files`. */
    private readonly fileIndex: ReadonlyMap<string, number>,
    /** Source texts by model path (metadata written as source text). */
    readonly texts: ReadonlyMap<string, string>,
    /** The workspace time zone (test date-times). */
    readonly zone: string,
  ) {}

  /** Runs `f` with `file` as the current file. */
  in<T>(file: string, f: () => T): T {
    const saved = this.file;
    this.file = file;
    try {
      return f();
    } finally {
      this.file = saved;
    }
  }

  loc(span: Span, file: string = this.file): Loc {
    const index = this.fileIndex.get(file);
    if (index === undefined) throw new LowerError(`internal: no source text for \`${file}\``, file, span);
    return [index, span.line, span.column];
  }

  fail(message: string, span: Span | undefined): never {
    throw new LowerError(message, this.file, span);
  }

  /** What `ident` resolved to, per the checker's reference index (never re-guessed). */
  symbol(ident: Ident): Sym {
    const sym = this.model.references.symbolOf(ident);
    if (!sym) this.fail(`\`${ident.text}\` was not resolved (compile only a workspace without errors)`, ident.span);
    return sym;
  }

  /** The declared name of kind `kind` that `ident` refers to. */
  name(ident: Ident, kind: SymbolKind): string {
    const sym = this.symbol(ident);
    if (sym.kind !== kind) this.fail(`\`${ident.text}\` resolved to ${sym.kind}, expected ${kind}`, ident.span);
    return sym.name;
  }

  /** Epoch day of a date literal. */
  epochDay(d: DateLit): number {
    return epochDay(d.year, d.month, d.day);
  }

  /** Epoch ms of a date-time literal, read in the workspace time zone. */
  instant(dt: DateTimeLit): number {
    return localToInstant(this.zone, epochDay(dt.date.year, dt.date.month, dt.date.day), dt.time.hour * 60 + dt.time.minute);
  }

  /** The source text of a span of the current file. */
  sourceText(span: Span): string {
    return this.texts.get(this.file)?.slice(span.start, span.end) ?? '';
  }
}

/** Days since 1970-01-01 of a proleptic Gregorian date (years 0–99 included). */
export function epochDay(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(0, 0, 0, 0);
  return Math.round(d.getTime() / DAY_MS);
}
