// NUR307: a content, stream, segment, channel or topic declared but never used. A name is used when
// the reference index holds an occurrence of it other than its declaration: `send`, `received`, a
// stream item, a test's expectation or event data (contents); `send next from`, `received any of`
// (streams); a condition (segments); a content's `channel` or a pressure rule (channels); a content's
// `topic` or a condition (topics). One pass over the index.
import type { Diagnostic } from '../../grammar/diagnostic.js';
import type { Model, Sym } from '../model.js';
import { warning } from './common.js';
import type { Soundness } from './soundness.js';

const HELP: Record<'content' | 'stream' | 'segment' | 'channel' | 'topic', (name: string) => string> = {
  content: (n) => `send it from a journey (\`send ${n}\`), add it to a stream, or remove it`,
  stream: (n) => `drip it from a journey (\`send next from ${n}\`), or remove it`,
  segment: (n) => `use it as a condition (\`audience ${n}\`), or remove it`,
  channel: (n) => `give it some content (\`channel: ${n}\`), or remove it`,
  topic: (n) => `give it some content (\`topic: ${n}\`), or remove it`,
};

const WHAT: Record<keyof typeof HELP, string> = {
  content: 'no journey, threshold, handler, stream or test sends it',
  stream: 'no journey drips from it',
  segment: 'no condition mentions it',
  channel: 'no content is sent on it',
  topic: 'no content or condition mentions it',
};

export function analyzeUnused(model: Model, sound: Soundness): Diagnostic[] {
  if (!sound.whole) return []; // a use may be in a declaration with an error
  const used = usedSymbols(model);
  const out: Diagnostic[] = [];
  const kinds = [model.channels, model.topics, model.contents, model.streams, model.segments] as const;
  for (const map of kinds) {
    for (const sym of map.values()) {
      if (used.has(sym)) continue;
      const kind = sym.kind as keyof typeof HELP;
      out.push(warning('NUR307', sym.file, sym.span, `${kind} \`${sym.name}\` is never used: ${WHAT[kind]}`, { help: HELP[kind](sym.name) }));
    }
  }
  return out;
}

/**
 * The symbols of the five kinds named somewhere other than in their declaration. Reads the reference
 * index's recorded arrays when they are there (no `Reference` object per occurrence: `check` on a
 * 50,000-line workspace records ~75,000), else its public `references()`.
 */
function usedSymbols(model: Model): Set<Sym> {
  const used = new Set<Sym>();
  const wanted = (s: Sym) => s.kind === 'content' || s.kind === 'stream' || s.kind === 'segment' || s.kind === 'channel' || s.kind === 'topic';
  const raw = model.references as unknown as { symbols?: unknown; declarations?: unknown };
  if (Array.isArray(raw.symbols) && Array.isArray(raw.declarations) && raw.symbols.length === raw.declarations.length) {
    const symbols = raw.symbols as Sym[];
    const declarations = raw.declarations as boolean[];
    for (let i = 0; i < symbols.length; i++) if (!declarations[i] && wanted(symbols[i])) used.add(symbols[i]);
    return used;
  }
  for (const r of model.references.references()) if (!r.declaration && wanted(r.symbol)) used.add(r.symbol);
  return used;
}
