// The reference index: every name occurrence that resolved to a symbol, queryable by file position
// (go-to-definition, hover), by symbol (find-references, rename) and by syntax node (the compiler).
// Recording is a plain array push (the checker records ~1.5 references per line); the lookup tables
// are built on first query, so a command-line `check` never pays for them.
import type { Ident, Span } from '../grammar/ast.js';
import type { Reference, Sym } from './model.js';

/**
 * Occurrences recorded together, as struct of arrays (recording allocates no object per reference).
 * An index may take in chunks made by another (`adopt`: the incremental checker shares a file's
 * chunk between models); a chunk taken in is never written again.
 */
export class ReferenceChunk {
  readonly files: string[] = [];
  readonly nodes: (Ident | Span)[] = [];
  readonly symbols: Sym[] = [];
  readonly declarations: boolean[] = [];

  push(file: string, node: Ident | Span, symbol: Sym, declaration: boolean): void {
    this.files.push(file);
    this.nodes.push(node);
    this.symbols.push(symbol);
    this.declarations.push(declaration);
  }
}

export class ReferenceIndex {
  private readonly chunks: ReferenceChunk[] = [];
  /** The chunk `record` appends to: the index's own, never one adopted. */
  private tail: ReferenceChunk | undefined;
  private count = 0;
  private all: Reference[] | undefined;
  private perFile: Map<string, Reference[]> | undefined;
  private perSymbol: Map<Sym, Reference[]> | undefined;
  private perIdent: Map<Ident, Sym> | undefined;

  /** Records that `ident` (in `file`) names `symbol`. */
  add(file: string, ident: Ident, symbol: Sym, declaration = false): void {
    this.record(file, ident, symbol, declaration);
  }

  /** Records an occurrence that has no Ident node of its own (a test's name…). */
  addSpan(file: string, span: Span, symbol: Sym, declaration = false): void {
    this.record(file, span, symbol, declaration);
  }

  /** The occurrences from `start` to `end`, in recording order, copied into a chunk (for `adopt`). */
  slice(start: number, end: number): ReferenceChunk {
    const out = new ReferenceChunk();
    this.each(start, end, (c, i) => out.push(c.files[i]!, c.nodes[i]!, c.symbols[i]!, c.declarations[i]!));
    return out;
  }

  /** Appends the occurrences of a chunk, shared rather than copied (see ReferenceChunk). */
  adopt(chunk: ReferenceChunk): void {
    this.chunks.push(chunk);
    this.tail = undefined;
    this.count += chunk.files.length;
    this.changed();
  }

  private each(start: number, end: number, fn: (chunk: ReferenceChunk, i: number) => void): void {
    let base = 0;
    for (const c of this.chunks) {
      const n = c.files.length;
      for (let i = Math.max(0, start - base); i < n && base + i < end; i++) fn(c, i);
      base += n;
      if (base >= end) return;
    }
  }

  /** Every reference, in recording order. */
  references(): readonly Reference[] {
    if (!this.all) {
      const all: Reference[] = [];
      this.each(0, this.count, (c, i) => {
        const node = c.nodes[i]!;
        all.push({ file: c.files[i]!, span: 'text' in node ? node.span : node, symbol: c.symbols[i]!, declaration: c.declarations[i]! });
      });
      this.all = all;
    }
    return this.all;
  }

  /** The symbol an identifier node resolved to. */
  symbolOf(ident: Ident): Sym | undefined {
    if (!this.perIdent) {
      const perIdent = new Map<Ident, Sym>();
      this.each(0, this.count, (c, i) => {
        const node = c.nodes[i]!;
        if ('text' in node) perIdent.set(node, c.symbols[i]!);
      });
      this.perIdent = perIdent;
    }
    return this.perIdent.get(ident);
  }

  /** Every occurrence of a symbol, its declaration included. */
  referencesTo(symbol: Sym): readonly Reference[] {
    if (!this.perSymbol) {
      this.perSymbol = new Map();
      for (const r of this.references()) {
        const list = this.perSymbol.get(r.symbol);
        if (list) list.push(r);
        else this.perSymbol.set(r.symbol, [r]);
      }
    }
    return this.perSymbol.get(symbol) ?? [];
  }

  /** The references in one file, sorted by position. */
  inFile(file: string): readonly Reference[] {
    if (!this.perFile) {
      this.perFile = new Map();
      for (const r of this.references()) {
        const list = this.perFile.get(r.file);
        if (list) list.push(r);
        else this.perFile.set(r.file, [r]);
      }
      for (const list of this.perFile.values()) list.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
    }
    return this.perFile.get(file) ?? [];
  }

  /** The reference whose span contains `offset` (end inclusive, so a cursor just after a name counts). */
  at(file: string, offset: number): Reference | undefined {
    const list = this.inFile(file);
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const { start, end } = list[mid].span;
      if (offset < start) hi = mid - 1;
      else if (offset > end) lo = mid + 1;
      else return list[mid];
    }
    return undefined;
  }

  /** How many references were recorded. */
  get size(): number {
    return this.count;
  }

  private record(file: string, node: Ident | Span, symbol: Sym, declaration: boolean): void {
    let tail = this.tail;
    if (!tail) this.chunks.push((tail = this.tail = new ReferenceChunk()));
    tail.push(file, node, symbol, declaration);
    this.count++;
    if (this.all || this.perIdent) this.changed();
  }

  private changed(): void {
    this.all = this.perFile = this.perSymbol = this.perIdent = undefined;
  }
}

/** Values attached to syntax nodes (the type of each expression), with the same lazy lookup and chunks. */
export class NodeTable<K extends object, V> {
  private readonly chunks: { keys: K[]; values: V[] }[] = [];
  private tail: { keys: K[]; values: V[] } | undefined;
  private count = 0;
  private map: Map<K, V> | undefined;

  set(key: K, value: V): void {
    let tail = this.tail;
    if (!tail) this.chunks.push((tail = this.tail = { keys: [], values: [] }));
    tail.keys.push(key);
    tail.values.push(value);
    this.count++;
    this.map = undefined;
  }

  get(key: K): V | undefined {
    if (!this.map) {
      this.map = new Map();
      for (const c of this.chunks) for (let i = 0; i < c.keys.length; i++) this.map.set(c.keys[i]!, c.values[i]!);
    }
    return this.map.get(key);
  }

  get size(): number {
    return this.count;
  }

  /** The entries from `start` to `end`, copied into a chunk of their own (for `adopt`). */
  slice(start: number, end: number): { keys: K[]; values: V[] } {
    const out: { keys: K[]; values: V[] } = { keys: [], values: [] };
    let base = 0;
    for (const c of this.chunks) {
      for (let i = Math.max(0, start - base); i < c.keys.length && base + i < end; i++) {
        out.keys.push(c.keys[i]!);
        out.values.push(c.values[i]!);
      }
      base += c.keys.length;
    }
    return out;
  }

  /** Appends a chunk's entries, shared rather than copied (never written again). */
  adopt(chunk: { keys: K[]; values: V[] }): void {
    this.chunks.push(chunk);
    this.tail = undefined;
    this.count += chunk.keys.length;
    this.map = undefined;
  }
}
