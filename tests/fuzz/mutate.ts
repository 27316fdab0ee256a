// Shared mutation helpers for the fuzz harnesses: the seed corpus (the example workspaces and the valid
// fixtures), mutations of a source text by characters, tokens and lines (as fast-check arbitraries, so
// that a failure replays from its seed and shrinks), and mutations of an events file.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { CONTEXTUAL_WORDS, RESERVED_WORDS } from '../../grammar/tokens.js';
import { nurtureFiles } from '../files.js';

export const ROOT = join(import.meta.dirname, '..', '..');

export interface Workspace {
  name: string;
  /** Path (relative to the workspace folder) → text. */
  files: Record<string, string>;
}

/** The seed corpus: every example workspace, and each valid fixture as a workspace of its own. */
export function seedWorkspaces(): Workspace[] {
  const examples = join(ROOT, 'examples');
  const out: Workspace[] = [];
  for (const name of readdirSync(examples).sort()) {
    const dir = join(examples, name);
    if (!statSync(dir).isDirectory()) continue;
    out.push({ name: `examples/${name}`, files: Object.fromEntries(nurtureFiles(dir).map((f) => [relative(dir, f), readFileSync(f, 'utf8')])) });
  }
  for (const f of nurtureFiles(join(ROOT, 'tests', 'fixtures', 'valid'))) {
    out.push({ name: relative(ROOT, f), files: { 'main.nurture': readFileSync(f, 'utf8') } });
  }
  return out;
}

/** Pieces a mutation may insert: the language's words and punctuation, literals at their edges, oddities. */
export const PIECES = [
  ...CONTEXTUAL_WORDS, ...RESERVED_WORDS, '{', '}', '[', ']', '(', ')', ',', ':', '=', '==', '!=', '<', '<=', '>',
  '>=', '+', '-', '*', '/', '"text"', '"', '"unterminated', '0', '12', '3.5', '-1', '10%', '150%', '0%', '09:00',
  '25:61', '2026-01-05', '2026-02-30', '2026-01-05 09:00', '7 days', '0 minutes', 'per day', '\n', '\r\n', ' ', '\t',
  '#comment\n', '# ', 'é', 'Ω', '@', '\u0000', '\\', '😀', '\u200b', 'x_1', '_', 'a'.repeat(300),
  // the classes issue 20 found (skipped while they are in KNOWN_OPEN_FAULTS)
  '__proto__', 'constructor', 'prototype', '99999999999999999999999', '1e23', '100000000', 'tier¹', 'eⅫ', '\r',
  '\uD800', '9999-12-31', 'wait for e up to 1 day {'.repeat(90), '('.repeat(120),
];

/** Splits a text into tokens and the layout between them (joining the parts gives the text back). */
export function tokens(text: string): string[] {
  return text.split(/(\s+|"[^"\n]*"|#[^\n]*|[{}()[\],:=<>!+\-*/])/).filter((t) => t !== '');
}

type Mutation = (text: string) => string;

/** One random edit of a source text: by characters, tokens or lines. */
function mutation(): fc.Arbitrary<Mutation> {
  const where = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
  const piece = fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 3 }));
  return fc.oneof(
    // characters
    fc.tuple(where, fc.nat({ max: 12 }), piece).map(([w, cut, ins]) => (t: string) => {
      const at = Math.floor(w * (t.length + 1));
      return t.slice(0, at) + ins + t.slice(Math.min(t.length, at + cut));
    }),
    // tokens: delete, duplicate, replace, swap with another
    fc.tuple(where, where, fc.constantFrom('delete', 'duplicate', 'replace', 'swap'), piece).map(([w1, w2, op, ins]) => (t: string) => {
      const ts = tokens(t);
      if (ts.length === 0) return ins;
      const i = Math.floor(w1 * ts.length);
      const j = Math.floor(w2 * ts.length);
      if (op === 'delete') ts.splice(i, 1);
      else if (op === 'duplicate') ts.splice(i, 0, ts[i]!);
      else if (op === 'replace') ts[i] = ins;
      else [ts[i], ts[j]] = [ts[j]!, ts[i]!];
      return ts.join('');
    }),
    // lines: delete, duplicate, move
    fc.tuple(where, where, fc.constantFrom('delete', 'duplicate', 'move')).map(([w1, w2, op]) => (t: string) => {
      const ls = t.split('\n');
      const i = Math.floor(w1 * ls.length);
      const j = Math.floor(w2 * ls.length);
      if (op === 'delete') ls.splice(i, 1);
      else if (op === 'duplicate') ls.splice(i, 0, ls[i]!);
      else ls.splice(j, 0, ...ls.splice(i, 1));
      return ls.join('\n');
    }),
  );
}

export interface MutatedWorkspace extends Workspace {
  /** The file that was mutated. */
  mutated: string;
}

/** Names and numbers that keep a workspace valid in form but are hostile to what reads it. */
const HOSTILE_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'tier¹', 'Ω_1', 'é', 'x'.repeat(200), 'renamed'];
const HOSTILE_NUMBERS = ['0', '1', '0.0001', '999999', '100000000', '99999999999999999999999', '1e23'];
const NAME = /^[\p{L}_][\p{L}\p{N}_]*$/u;
const KEYWORDS = new Set<string>([...CONTEXTUAL_WORDS, ...RESERVED_WORDS]);

/**
 * An edit of the whole workspace that keeps its form: a name renamed everywhere (whole words, comments
 * and texts included) or one number replaced, with values from the lists above.
 */
function workspaceEdit(): fc.Arbitrary<(files: Record<string, string>, file: string) => Record<string, string>> {
  const where = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
  return fc.oneof(
    fc.tuple(where, fc.constantFrom(...HOSTILE_NAMES)).map(([w, to]) => (files: Record<string, string>, file: string) => {
      const names = [...new Set(tokens(files[file]!).filter((t) => NAME.test(t) && !KEYWORDS.has(t)))].sort();
      if (names.length === 0) return files;
      const from = names[Math.floor(w * names.length)]!;
      const word = new RegExp(`(?<![\\p{L}\\p{N}_])${from}(?![\\p{L}\\p{N}_])`, 'gu');
      return Object.fromEntries(Object.entries(files).map(([p, t]) => [p, t.replace(word, () => to)]));
    }),
    fc.tuple(where, fc.constantFrom(...HOSTILE_NUMBERS)).map(([w, to]) => (files: Record<string, string>, file: string) => {
      const ts = tokens(files[file]!);
      const numbers = ts.flatMap((t, i) => (/^\d+(\.\d+)?$/.test(t) ? [i] : []));
      if (numbers.length === 0) return files;
      ts[numbers[Math.floor(w * numbers.length)]!] = to;
      return { ...files, [file]: ts.join('') };
    }),
  );
}

/**
 * A workspace of the corpus with one of its files mutated 1 to `max` times (characters, tokens, lines),
 * or the whole workspace edited in form-keeping ways (a name renamed, a number replaced).
 */
export function mutatedWorkspace(corpus: readonly Workspace[], max = 3): fc.Arbitrary<MutatedWorkspace> {
  const pick = fc.tuple(fc.nat({ max: corpus.length - 1 }), fc.nat()).map(([wi, fi]) => {
    const ws = corpus[wi]!;
    const names = Object.keys(ws.files).sort();
    return { ws, mutated: names[fi % names.length]! };
  });
  const textual = fc.tuple(pick, fc.array(mutation(), { minLength: 1, maxLength: max })).map(([{ ws, mutated }, ms]) => {
    const text = ms.reduce((t, m) => m(t), ws.files[mutated]!);
    return { name: ws.name, files: { ...ws.files, [mutated]: text }, mutated };
  });
  const formKeeping = fc.tuple(pick, fc.array(workspaceEdit(), { minLength: 1, maxLength: 2 })).map(([{ ws, mutated }, es]) => ({
    name: ws.name,
    files: es.reduce((files, e) => e(files, mutated), ws.files),
    mutated,
  }));
  return fc.oneof({ arbitrary: textual, weight: 3 }, { arbitrary: formKeeping, weight: 1 });
}

/** The lines of an events file with lines dropped, duplicated, swapped, edited or replaced by garbage. */
export function mutatedEvents(lines: readonly string[]): fc.Arbitrary<string[]> {
  const where = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
  const value = fc.oneof(
    fc.constantFrom<unknown>(null, true, 0, -1, 1.5, '', 'x', [], {}, '2026-01-05T09:00:00Z', '2026-13-45T99:00:00Z', '2026-01-05', 'not a date', 1e300,
      '9999-12-31T23:59:00Z', '+275760-09-13T00:00:00Z', '__proto__'),
    fc.jsonValue({ maxDepth: 2 }),
  );
  const edit = fc.oneof(
    fc.tuple(where, fc.constantFrom('drop', 'duplicate', 'swap', 'blank', 'truncate'), where).map(([w, op, w2]) => (ls: string[]) => {
      if (ls.length === 0) return;
      const i = Math.floor(w * ls.length);
      const j = Math.floor(w2 * ls.length);
      if (op === 'drop') ls.splice(i, 1);
      else if (op === 'duplicate') ls.splice(j, 0, ls[i]!);
      else if (op === 'swap') [ls[i], ls[j]] = [ls[j]!, ls[i]!];
      else if (op === 'blank') ls.splice(i, 0, '');
      else ls[i] = ls[i]!.slice(0, Math.floor(w2 * ls[i]!.length));
    }),
    // a field set to a wrong value (or removed), at the top level or in `data`
    fc.tuple(where, fc.constantFrom('lead', 'type', 'at', 'id', 'data', 'extra'), fc.option(value, { nil: undefined }), fc.boolean()).map(([w, key, v, inData]) => (ls: string[]) => {
      if (ls.length === 0) return;
      const i = Math.floor(w * ls.length);
      let obj: Record<string, unknown>;
      try {
        obj = JSON.parse(ls[i]!) as Record<string, unknown>;
      } catch {
        return;
      }
      if (typeof obj !== 'object' || obj === null) return;
      const target = inData && typeof obj['data'] === 'object' && obj['data'] !== null ? (obj['data'] as Record<string, unknown>) : obj;
      const k = inData ? (Object.keys(target)[0] ?? key) : key;
      if (v === undefined) delete target[k];
      else target[k] = v;
      ls[i] = JSON.stringify(obj);
    }),
    fc.tuple(where, fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('{', '[]', 'null', '{"lead":1}', '\u0000', '{"a":1}{"b":2}'))).map(([w, g]) => (ls: string[]) => {
      ls.splice(Math.floor(w * (ls.length + 1)), 0, g.replace(/[\r\n]/g, ' '));
    }),
  );
  return fc.array(edit, { minLength: 1, maxLength: 8 }).map((es) => {
    const ls = [...lines];
    for (const e of es) e(ls);
    return ls;
  });
}
