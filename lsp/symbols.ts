// The outline of one file (from its syntax tree, so a half-typed file still has one) and the
// workspace symbols (from the checked model, filtered by the query).
import { SymbolKind, type DocumentSymbol, type SymbolInformation } from 'vscode-languageserver';
import type { Declaration, FieldDecl, Ident, JourneyItem, SourceFile, Span } from '../grammar/ast.js';
import type { Model, Sym } from '../compiler/model.js';
import type { Documents } from './documents.js';
import { spanToRange } from './positions.js';

const KIND: Record<Sym['kind'], SymbolKind> = {
  attribute: SymbolKind.Property, event: SymbolKind.Event, field: SymbolKind.Field, enumMember: SymbolKind.EnumMember,
  channel: SymbolKind.Interface, topic: SymbolKind.Constant, content: SymbolKind.Object, stream: SymbolKind.Array,
  stage: SymbolKind.EnumMember, segment: SymbolKind.Boolean, score: SymbolKind.Number, threshold: SymbolKind.Operator,
  journey: SymbolKind.Class, test: SymbolKind.Method, builtin: SymbolKind.Key,
};

function sym(name: string, detail: string, kind: SymbolKind, span: Span, selection: Span, children?: DocumentSymbol[]): DocumentSymbol {
  // selection must lie within range
  const sel = selection.start >= span.start && selection.end <= span.end ? selection : span;
  return { name: name || '(unnamed)', detail, kind, range: spanToRange(span), selectionRange: spanToRange(sel), ...(children?.length ? { children } : {}) };
}

function field(f: FieldDecl, kind: SymbolKind): DocumentSymbol {
  return sym(f.name.text, '', kind, f.span, f.name.span);
}

function names(list: Ident[], kind: SymbolKind): DocumentSymbol[] {
  return list.filter((n) => n.text).map((n) => sym(n.text, '', kind, n.span, n.span));
}

function keywordSpan(d: Declaration, length: number): Span {
  const s = d.span;
  return { start: s.start, end: s.start + length, line: s.line, column: s.column, endLine: s.line, endColumn: s.column + length };
}

export function documentSymbols(file: SourceFile | undefined): DocumentSymbol[] {
  if (!file) return [];
  const out: DocumentSymbol[] = [];
  for (const d of file.declarations) {
    switch (d.kind) {
      case 'timezone': out.push(sym('timezone', d.value.raw, SymbolKind.Namespace, d.span, keywordSpan(d, 8))); break;
      case 'controlGroup': out.push(sym('control group', d.percent.raw, SymbolKind.Namespace, d.span, keywordSpan(d, 7))); break;
      case 'lead': out.push(sym('lead', 'profile attributes', SymbolKind.Struct, d.span, keywordSpan(d, 4), d.fields.map((f) => field(f, SymbolKind.Property)))); break;
      case 'event': out.push(sym(d.name.text, 'event', SymbolKind.Event, d.span, d.name.span, d.fields.map((f) => field(f, SymbolKind.Field)))); break;
      case 'channel': out.push(sym(d.name.text, 'channel', SymbolKind.Interface, d.span, d.name.span)); break;
      case 'topics': out.push(sym('topics', '', SymbolKind.Namespace, d.span, keywordSpan(d, 6), names(d.names, SymbolKind.Constant))); break;
      case 'content': out.push(sym(d.name.text, 'content', SymbolKind.Object, d.span, d.name.span)); break;
      case 'stream': out.push(sym(d.name.text, 'stream', SymbolKind.Array, d.span, d.name.span)); break;
      case 'stages': out.push(sym('stages', '', SymbolKind.Enum, d.span, keywordSpan(d, 6), names(d.names, SymbolKind.EnumMember))); break;
      case 'segment': out.push(sym(d.name.text, 'segment', SymbolKind.Boolean, d.span, d.name.span)); break;
      case 'score': case 'derivedScore': out.push(sym(d.name.text, 'score', SymbolKind.Number, d.span, d.name.span)); break;
      case 'threshold': out.push(sym(d.name.text, 'threshold', SymbolKind.Operator, d.span, d.name.span)); break;
      case 'on': out.push(sym(`on ${d.event.text}`, 'handler', SymbolKind.Function, d.span, d.event.span)); break;
      case 'pressure': out.push(sym('pressure', '', SymbolKind.Namespace, d.span, keywordSpan(d, 8))); break;
      case 'journey': out.push(sym(d.name.text, 'journey', SymbolKind.Class, d.span, d.name.span, journeyChildren(d.items))); break;
      case 'test': out.push(sym(d.name.value, 'test', SymbolKind.Method, d.span, d.name.span)); break;
    }
  }
  return out;
}

/** The journey's settings are its outline: entry/exit/goal (steps stay out, the outline stays short). */
function journeyChildren(items: JourneyItem[]): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const it of items) {
    if (it.kind === 'entryOn' || it.kind === 'exitOn' || it.kind === 'goalOn') {
      const word = it.kind === 'entryOn' ? 'entry on' : it.kind === 'exitOn' ? 'exit on' : 'goal on';
      out.push(sym(`${word} ${it.event.text}`, '', SymbolKind.Event, it.span, it.event.span));
    }
  }
  return out;
}

/** Fuzzy match: the query's characters appear in order in the name (case-insensitive). */
function matches(name: string, query: string): boolean {
  if (!query) return true;
  const n = name.toLowerCase();
  let i = 0;
  for (const c of query.toLowerCase()) {
    i = n.indexOf(c, i);
    if (i < 0) return false;
    i++;
  }
  return true;
}

export function workspaceSymbols(model: Model, query: string, docs: Documents, limit = 500): SymbolInformation[] {
  const out: SymbolInformation[] = [];
  const push = (s: Sym, container?: string) => {
    if (out.length >= limit || s.file === '' || !matches(s.name, query)) return;
    out.push({ name: s.name, kind: KIND[s.kind], location: { uri: docs.uriOf(s.file), range: spanToRange(s.span) }, ...(container ? { containerName: container } : {}) });
  };
  const maps: Map<string, Sym>[] = [
    model.attributes, model.events, model.channels, model.topics, model.contents, model.streams, model.stages,
    model.segments, model.scores, model.thresholds, model.journeys, model.tests,
  ];
  for (const map of maps) for (const s of map.values()) push(s);
  for (const e of model.events.values()) for (const f of e.fields.values()) push(f, e.name);
  return out;
}
