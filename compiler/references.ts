// The reference index: every name occurrence that resolved to a symbol, queryable by file position
// (go-to-definition, hover), by symbol (find-references, rename) and by syntax node (the compiler).
// Recording is a plain array push (the checker records ~1.5 references per line); the lookup tables
// are built on first query, so a command-line `check` never pays for them.
import type { Ident, Span } from '../grammar/ast.js';
import type { Reference, Sym } from './model.js';

export class ReferenceIndex {
  // Struct of arrays: recording allocates no object per reference; `Reference` objects are made
  // on first query.
  private readonly files: string[] = [];
  private readonly nodes: (Ident | Span)[] = [];
  private readonly symbols: Sym[] = [];
  private readonly declarations: boolean[] = [];
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

  /** Every reference, in recording order. */
  references(): readonly Reference[] {
    if (!this.all) {
      const all: Reference[] = new Array(this.files.length);
      for (let i = 0; i < all.length; i++) {
        const node = this.nodes[i];
        all[i] = {
          file: this.files[i],
          span: 'text' in node ? node.span : node,
          symbol: this.symbols[i],
          declaration: this.declarations[i],
        };
      }
      this.all = all;
    }
    return this.all;
  }

  /** The symbol an identifier node resolved to. */
  symbolOf(ident: Ident): Sym | undefined {
    if (!this.perIdent) {
      this.perIdent = new Map();
      for (let i = 0; i < this.nodes.length; i++) {
        const node = this.nodes[i];
        if ('text' in node) this.perIdent.set(node, this.symbols[i]);
      }
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
    return this.files.length;
  }

  private record(file: string, node: Ident | Span, symbol: Sym, declaration: boolean): void {
    this.files.push(file);
    this.nodes.push(node);
    this.symbols.push(symbol);
    this.declarations.push(declaration);
    if (this.all || this.perIdent) this.all = this.perFile = this.perSymbol = this.perIdent = undefined;
  }
}

/** Values attached to syntax nodes (the type of each expression), with the same lazy lookup. */
export class NodeTable<K extends object, V> {
  private readonly keys: K[] = [];
  private readonly values: V[] = [];
  private map: Map<K, V> | undefined;

  set(key: K, value: V): void {
    this.keys.push(key);
    this.values.push(value);
    this.map = undefined;
  }

  get(key: K): V | undefined {
    if (!this.map) {
      this.map = new Map();
      for (let i = 0; i < this.keys.length; i++) this.map.set(this.keys[i], this.values[i]);
    }
    return this.map.get(key);
  }

  get size(): number {
    return this.keys.length;
  }
}
