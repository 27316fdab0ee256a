// Go to definition, find references and rename, over the checker's reference index. Rename refuses
// built-ins, tests, names that are not names (or are reserved words) and names already taken in the
// symbol's namespace.
import { ResponseError, ErrorCodes, type Location, type Range, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import type { Model, Reference, Sym } from '../compiler/model.js';
import { isReservedWord } from '../grammar/tokens.js';
import type { Documents } from './documents.js';
import { kindLabel } from './describe.js';
import { spanToRange } from './positions.js';

export function definition(ref: Reference | undefined, docs: Documents): Location | null {
  if (!ref || ref.symbol.file === '') return null;
  return { uri: docs.uriOf(ref.symbol.file), range: spanToRange(ref.symbol.span) };
}

export function references(model: Model, ref: Reference | undefined, includeDeclaration: boolean, docs: Documents): Location[] {
  if (!ref) return [];
  return model.references
    .referencesTo(ref.symbol)
    .filter((r) => includeDeclaration || !r.declaration)
    .map((r) => ({ uri: docs.uriOf(r.file), range: spanToRange(r.span) }));
}

const NAME = /^[\p{L}_][\p{L}\p{M}\p{N}_]*$/u;

function renameError(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidRequest, message);
}

/** Whether the symbol can be renamed at all (else the reason). */
function refusal(sym: Sym): string | undefined {
  if (sym.kind === 'builtin') return `\`${sym.name}\` is built into the language and cannot be renamed`;
  if (sym.kind === 'test') return 'a test is named by its text; edit the text instead';
  return undefined;
}

export function prepareRename(ref: Reference | undefined): Range | null {
  if (!ref) return null;
  const why = refusal(ref.symbol);
  if (why) throw renameError(why);
  return spanToRange(ref.span);
}

/** The symbol already named `name` in `sym`'s namespace, if any. */
export function collision(model: Model, sym: Sym, name: string): Sym | undefined {
  switch (sym.kind) {
    case 'stage': return model.stages.get(name);
    case 'topic': return model.topics.get(name);
    case 'field': return sym.event.fields.get(name);
    case 'enumMember': return sym.enum.byName.get(name);
    default:
      for (const map of [model.attributes, model.events, model.channels, model.contents, model.streams, model.segments, model.scores, model.thresholds, model.journeys] as Map<string, Sym>[]) {
        const found = map.get(name);
        if (found) return found;
      }
      return undefined;
  }
}

export function rename(model: Model, ref: Reference | undefined, newName: string, docs: Documents): WorkspaceEdit | null {
  if (!ref) return null;
  const sym = ref.symbol;
  const why = refusal(sym);
  if (why) throw renameError(why);
  if (!NAME.test(newName)) throw renameError(`\`${newName}\` is not a valid name: a letter or \`_\`, then letters, digits or \`_\``);
  if (isReservedWord(newName)) throw renameError(`\`${newName}\` is a reserved word and cannot be a name`);
  if (newName === sym.name) return { changes: {} };
  if ((sym.kind === 'attribute' || sym.kind === 'score' || sym.kind === 'segment') && newName === 'stage') {
    throw renameError('`stage` is reserved: it is the lead\'s built-in lifecycle stage');
  }
  if (sym.kind === 'event' && newName === 'profile') throw renameError('`profile` is reserved: it is the built-in profile event');
  const taken = collision(model, sym, newName);
  if (taken && taken !== sym) {
    throw renameError(`cannot rename to \`${newName}\`: the ${kindLabel(taken.kind)} \`${newName}\` already exists${taken.file ? ` (line ${taken.span.line})` : ''}`);
  }
  const changes: Record<string, TextEdit[]> = {};
  const done = new Set<string>();
  for (const r of model.references.referencesTo(sym)) {
    const key = `${r.file}:${r.span.start}`;
    if (done.has(key)) continue; // one edit per place, even if recorded twice
    done.add(key);
    const uri = docs.uriOf(r.file);
    (changes[uri] ??= []).push({ range: spanToRange(r.span), newText: newName });
  }
  for (const list of Object.values(changes)) {
    list.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  }
  return { changes };
}
