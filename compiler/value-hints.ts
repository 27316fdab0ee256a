// Hints for values that are close to right: an enumeration member written short (`exec` for
// `executive`) or belonging to another enumerated attribute, and a bool written as a text ("yes").
import type { Expr, Ident } from '../grammar/ast.js';
import type { Context } from './context.js';
import { replaceFix, type DiagnosticExtras } from './reporter.js';
import type { EnumInfo } from './model.js';

/**
 * For a name that is no member of `info` and not close to one: the one member it abbreviates
 * (`exec` → `executive`), else the other enumerated attributes it is a member of.
 */
export function enumMemberHint(ctx: Context, ident: Ident, info: EnumInfo): DiagnosticExtras | undefined {
  const name = ident.text;
  const lower = name.toLowerCase();
  if (lower.length >= 2) {
    const longer = info.members.filter((m) => m.name.toLowerCase().startsWith(lower));
    if (longer.length === 1) {
      const member = longer[0]!.name;
      return { help: `did you mean \`${member}\`?`, fixes: [replaceFix(ctx.file, ident.span, member)] };
    }
  }
  const owners: string[] = [];
  for (const attr of ctx.model.attributes.values()) {
    if (attr.type.kind === 'enum' && attr.type.info !== info && attr.type.info.byName.has(name)) owners.push(attr.name);
  }
  if (owners.length === 0) return undefined;
  const first = ctx.model.attributes.get(owners[0]!)!;
  const member = first.type.kind === 'enum' ? first.type.info.byName.get(name) : undefined;
  return {
    help: `\`${name}\` is a member of ${owners.map((o) => `\`${o}\``).join(' and ')}: did you mean \`${owners[0]} is ${name}\`?`,
    ...(member ? { related: [{ file: member.file, span: member.span, message: `\`${name}\` is declared here, in \`${owners[0]}\`` }] } : {}),
  };
}

const TRUE_WORDS = new Set(['yes', 'y', 'true', 'on', '1', 'oui', 'si', 'ja']);
const FALSE_WORDS = new Set(['no', 'n', 'false', 'off', '0', 'non', 'nein']);

/** A text where a bool is expected: `"yes"` → `true`, `"no"` → `false`, else how bools are written. */
export function boolFromTextHint(ctx: Context, expr: Expr & { kind: 'text' }): DiagnosticExtras {
  const word = expr.value.trim().toLowerCase();
  const value = TRUE_WORDS.has(word) ? 'true' : FALSE_WORDS.has(word) ? 'false' : undefined;
  if (value === undefined) return { help: 'a bool is `true` or `false`, without quotes' };
  return { help: `a bool is \`true\` or \`false\`, without quotes: write \`${value}\``, fixes: [replaceFix(ctx.file, expr.span, value)] };
}
