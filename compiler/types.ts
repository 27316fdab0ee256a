// The type lattice of the condition language (section 5): the types of attributes, event fields,
// literals and expressions, and the rules that say which operator applies to which type.
import type { EnumInfo } from './model.js';

export type Type =
  | { readonly kind: 'text' }
  | { readonly kind: 'number' }
  | { readonly kind: 'bool' }
  | { readonly kind: 'date' }
  | { readonly kind: 'datetime' } // tests only
  | { readonly kind: 'time' }
  | { readonly kind: 'duration' }
  | { readonly kind: 'percent' }
  | { readonly kind: 'list'; readonly item: Type }
  /** `one of [a, b]`: members scoped to this enumeration, unordered. */
  | { readonly kind: 'enum'; readonly info: EnumInfo }
  /** The ordered lifecycle declared by `stages`. */
  | { readonly kind: 'stage' }
  /** Values naming a declared content / channel / topic (event fields only). */
  | { readonly kind: 'content' }
  | { readonly kind: 'channel' }
  | { readonly kind: 'topic' }
  /** The type of something already reported as broken: accepted everywhere, reported nowhere. */
  | { readonly kind: 'unknown' };

export type TypeKind = Type['kind'];

export const T = {
  text: { kind: 'text' },
  number: { kind: 'number' },
  bool: { kind: 'bool' },
  date: { kind: 'date' },
  datetime: { kind: 'datetime' },
  time: { kind: 'time' },
  duration: { kind: 'duration' },
  percent: { kind: 'percent' },
  stage: { kind: 'stage' },
  content: { kind: 'content' },
  channel: { kind: 'channel' },
  topic: { kind: 'topic' },
  unknown: { kind: 'unknown' },
  listOfText: { kind: 'list', item: { kind: 'text' } },
} as const satisfies Record<string, Type>;

/** Types whose values are written as bare names resolved against the type (section 5). */
export type NamedValueType = Extract<Type, { kind: 'enum' | 'stage' | 'content' | 'channel' | 'topic' }>;

export function isNamedValueType(t: Type): t is NamedValueType {
  return t.kind === 'enum' || t.kind === 'stage' || t.kind === 'content' || t.kind === 'channel' || t.kind === 'topic';
}

/** Two types are compatible when equal; `unknown` is compatible with everything (no cascades). */
export function sameType(a: Type, b: Type): boolean {
  if (a.kind === 'unknown' || b.kind === 'unknown') return true;
  if (a.kind !== b.kind) return false;
  if (a.kind === 'enum') return a.info === (b as typeof a).info;
  if (a.kind === 'list') return sameType(a.item, (b as typeof a).item);
  return true;
}

/** `<`, `<=`, `>`, `>=` apply to numbers, dates (and date-times, times) and stages — not to enums. */
export function isOrdered(t: Type): boolean {
  return (
    t.kind === 'number' || t.kind === 'date' || t.kind === 'datetime' || t.kind === 'time' ||
    t.kind === 'duration' || t.kind === 'stage' || t.kind === 'unknown'
  );
}

/** How a type is named in messages: "number", "list of text", "`job_level` (one of intern, …)". */
export function typeName(t: Type): string {
  switch (t.kind) {
    case 'list':
      return `list of ${typeName(t.item)}`;
    case 'enum':
      return `enumeration \`${t.info.name}\``;
    case 'bool':
      return 'bool';
    default:
      return t.kind;
  }
}

/** Like typeName with an article, for sentences: "a number", "an enumeration". */
export function describeType(t: Type): string {
  switch (t.kind) {
    case 'enum':
      return `a member of \`${t.info.name}\``;
    case 'list':
      return `a ${typeName(t)}`;
    case 'unknown':
      return 'an unknown value';
    default: {
      const name = typeName(t);
      return `${/^[aeiou]/.test(name) ? 'an' : 'a'} ${name}`;
    }
  }
}

/** "intern, employee, manager, …" — at most `max` names. */
export function memberPreview(names: readonly string[], max = 8): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')}, …`;
}
