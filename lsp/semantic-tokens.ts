// Semantic tokens: every token of the file, classified by what it is — a resolved name by the kind of
// its symbol (so `topic` the name and `topic` the keyword differ), keywords, numbers and literals,
// texts, comments, operators. Declarations carry the `declaration` modifier.
import type { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver';
import type { Model, Sym } from '../compiler/model.js';
import { lex } from '../grammar/lexer.js';
import { tokenClass } from '../grammar/tokens.js';

export const TOKEN_TYPES = [
  'keyword', 'property', 'parameter', 'enumMember', 'event', 'interface', 'enum', 'struct', 'namespace',
  'function', 'variable', 'decorator', 'class', 'string', 'number', 'comment', 'operator', 'type',
] as const;
export const TOKEN_MODIFIERS = ['declaration', 'defaultLibrary'] as const;

export const LEGEND: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

const T = Object.fromEntries(TOKEN_TYPES.map((t, i) => [t, i])) as Record<(typeof TOKEN_TYPES)[number], number>;

const BY_KIND: Record<Sym['kind'], number> = {
  attribute: T.property, field: T.parameter, enumMember: T.enumMember, stage: T.enumMember, event: T.event,
  channel: T.interface, topic: T.enum, content: T.struct, stream: T.namespace, segment: T.function, score: T.variable,
  threshold: T.decorator, journey: T.class, test: T.string, builtin: T.variable,
};

const TYPE_WORDS = new Set(['text', 'number', 'bool', 'date', 'content', 'channel', 'topic']);

export function semanticTokens(text: string, path: string, model: Model | undefined): SemanticTokens {
  const { tokens, comments } = lex(text, path);
  const refs = model?.references.inFile(path) ?? [];
  const items: { start: number; line: number; col: number; length: number; type: number; mods: number }[] = [];
  let r = 0;
  for (const t of tokens) {
    const start = t.startOffset;
    const length = t.endOffset! + 1 - start;
    while (r < refs.length && refs[r].span.start < start) r++;
    const ref = r < refs.length && refs[r].span.start === start && refs[r].span.end === start + length ? refs[r] : undefined;
    const cls = tokenClass(t.tokenType);
    let type: number;
    let mods = 0;
    if (ref) {
      type = BY_KIND[ref.symbol.kind];
      if (ref.declaration) mods |= 1;
      if (ref.symbol.kind === 'builtin') mods |= 2;
    } else if (cls === 'keyword') type = T.keyword;
    else if (cls === 'name') {
      if (TYPE_WORDS.has(t.image)) type = T.type;
      else continue; // unresolved: leave it to the grammar colours
    } else if (cls === 'text') type = T.string;
    else if (cls === 'number' || cls === 'percent' || cls === 'time' || cls === 'date') type = T.number;
    else if (cls === 'operator') type = T.operator;
    else continue;
    items.push({ start, line: (t.startLine ?? 1) - 1, col: (t.startColumn ?? 1) - 1, length, type, mods });
  }
  for (const c of comments) {
    items.push({ start: c.span.start, line: c.span.line - 1, col: c.span.column - 1, length: c.span.end - c.span.start, type: T.comment, mods: 0 });
  }
  items.sort((a, b) => a.start - b.start);
  const data: number[] = [];
  let prevLine = 0;
  let prevCol = 0;
  for (const it of items) {
    const dl = it.line - prevLine;
    data.push(dl, dl === 0 ? it.col - prevCol : it.col, it.length, it.type, it.mods);
    prevLine = it.line;
    prevCol = it.col;
  }
  return { data };
}
