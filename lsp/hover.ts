// Hover: what the name under the cursor is — its kind, type, declaration (source line and place),
// and the facts that matter: a score's reachable range, a content's channel and topic, an event's
// fields, an enumeration's members, a stream's contents. On `control group` (no name): what it does.
import { MarkupKind, type Hover } from 'vscode-languageserver';
import type { SourceFile, Span } from '../grammar/ast.js';
import type { Model, Reference, Sym } from '../compiler/model.js';
import type { Documents } from './documents.js';
import { declarationLine, fmtRange, kindLabel, reachableRange, relativeFile, typeText } from './describe.js';
import { spanToRange } from './positions.js';

export function hoverAt(model: Model, ref: Reference | undefined, docs: Documents, roots: readonly string[]): Hover | null {
  if (!ref) return null;
  const value = describe(model, ref.symbol, docs, roots);
  return { contents: { kind: MarkupKind.Markdown, value }, range: spanToRange(ref.span) };
}

export function describe(model: Model, sym: Sym, docs: Documents, roots: readonly string[]): string {
  const parts: string[] = [];
  const line = declarationLine(sym, docs);
  if (line) parts.push('```nurture\n' + line + '\n```');
  parts.push(`**${kindLabel(sym.kind)}** \`${sym.name}\`${typeSuffix(sym)}`);
  const facts = factsOf(model, sym);
  if (facts.length) parts.push(facts.map((f) => `- ${f}`).join('\n'));
  if (sym.file !== '') parts.push(`Declared in \`${relativeFile(sym.file, roots)}\`, line ${sym.span.line}`);
  return parts.join('\n\n');
}

function typeSuffix(sym: Sym): string {
  if (sym.kind === 'attribute' || sym.kind === 'field') return `: ${typeText(sym.type)}`;
  if (sym.kind === 'score') return ': number';
  if (sym.kind === 'segment') return ': condition';
  return '';
}

function factsOf(model: Model, sym: Sym): string[] {
  switch (sym.kind) {
    case 'score': {
      const out = [`category: ${sym.category}`];
      const r = reachableRange(model, sym);
      if (r) {
        const why = [r.minReason && `min: ${r.minReason}`, r.maxReason && `max: ${r.maxReason}`].filter(Boolean).join('; ');
        out.push(`reachable range: ${fmtRange(r)}${why ? ` (${why})` : ''}`);
      }
      if (sym.range) out.push(`declared range: ${fmtRange(sym.range)}`);
      return out;
    }
    case 'content': {
      const out = [`channel: ${sym.channel ? `\`${sym.channel.name}\`` : '(none)'}`, `topic: ${sym.topic ? `\`${sym.topic.name}\`` : '(none)'}`];
      if (sym.template !== undefined) out.push(`template: "${sym.template}"`);
      if (sym.subject !== undefined) out.push(`subject: "${sym.subject}"`);
      if (sym.cost !== undefined) out.push(`cost: ${sym.cost}`);
      if (sym.transactional) out.push('transactional');
      return out;
    }
    case 'event':
      return sym.fields.size === 0 ? ['no fields'] : [`fields: ${[...sym.fields.values()].map((f) => `\`${f.name}: ${typeText(f.type)}\``).join(', ')}`];
    case 'field':
      return [`of event \`${sym.event.name}\``, ...(sym.shadows ? [`shadows the ${kindLabel(sym.shadows.kind)} \`${sym.shadows.name}\` in \`where\` clauses`] : [])];
    case 'enumMember':
      return [`member ${sym.index + 1} of \`${sym.enum.name}\`: ${sym.enum.members.map((m) => m.name).join(', ')}`];
    case 'stage':
      return [`stage ${sym.index + 1} of ${model.stages.size}: ${[...model.stages.keys()].join(' < ')}`];
    case 'stream':
      return [`contents: ${sym.items.map((c) => `\`${c.name}\``).join(', ') || '(none)'}`];
    case 'channel':
      return [sym.consent ? `consent: \`${sym.consent.name}\`` : 'no consent attribute'];
    case 'builtin':
      return sym.name === 'stage'
        ? [`the lead's lifecycle stage${model.stages.size ? `: ${[...model.stages.keys()].join(' < ')}` : ''}`]
        : ['the built-in event that updates profile attributes'];
    default:
      return [];
  }
}

/** Hover on the words `control group` (the declaration or the test statement), which name nothing. */
export function keywordHover(model: Model, file: SourceFile | undefined, offset: number): Hover | null {
  if (!file) return null;
  const inside = (span: Span) => span.start <= offset && offset < span.end;
  let span: Span | undefined;
  let test = false;
  for (const d of file.declarations) {
    if (d.kind === 'controlGroup' && inside(d.span)) span = d.span;
    if (d.kind === 'test' && inside(d.span)) {
      const st = d.statements.find((s) => s.kind === 'testControlGroup' && inside(s.span));
      if (st) [span, test] = [st.span, true];
    }
  }
  if (!span) return null;
  const cg = model.controlGroup;
  const share = cg ? `${cg.percent}% of all leads` : 'a share of all leads (no `control group P%` is declared)';
  const lines = [
    '**control group**' + (test ? ' (test statement)' : ''),
    `${share}, chosen by a stable hash of the lead id alone, receive no non-transactional message from any journey, handler or threshold; everything else runs for them. The program's lift (nurtured vs control group MQL conversion) is measured against it.`,
  ];
  if (test) lines.push("Puts this test's lead in the control group (otherwise no test lead is in it).");
  return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n\n') }, range: spanToRange(span) };
}
