// Quick fixes for the diagnostics under the cursor: the checker's own fixes (did-you-mean
// replacements, unit and keyword corrections), "declare the missing content/event/…" (appended to
// the file), "add the missing enumeration member / stage" (inserted in its declaration).
import { CodeActionKind, type CodeAction, type Range, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import type { Model } from '../compiler/model.js';
import type { Diagnostic } from '../grammar/diagnostic.js';
import type { Documents } from './documents.js';
import { toLspDiagnostic } from './diagnostics.js';
import { rangesOverlap, spanToRange } from './positions.js';

function edit(docs: Documents, file: string, range: Range, newText: string): WorkspaceEdit {
  return { changes: { [docs.uriOf(file)]: [{ range, newText }] } };
}

/** An edit appending `declaration` at the end of `file`, separated by a blank line. */
function append(docs: Documents, file: string, declaration: string): WorkspaceEdit | undefined {
  const idx = docs.lineIndex(file);
  if (!idx) return undefined;
  const text = idx.text;
  const sep = text.length === 0 ? '' : text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n';
  const end = idx.positionAt(text.length);
  return edit(docs, file, { start: end, end }, `${sep}${declaration}\n`);
}

function declarationFor(kind: string, name: string, model: Model): string | undefined {
  switch (kind) {
    case 'content': {
      const channel = model.channels.keys().next().value;
      return `content ${name} { channel: ${channel ?? 'email'} }`;
    }
    case 'event': return `event ${name}`;
    case 'channel': return `channel ${name}`;
    case 'topic': return `topics ${name}`;
    case 'stream': return undefined; // needs contents: no obvious declaration
    case 'journey': return `journey ${name} {\n}`;
    case 'segment': return undefined;
    case 'attribute': return `lead {\n  ${name}: text\n}`;
    default: return undefined;
  }
}

function lines(r: Range): Range {
  return { start: { line: r.start.line, character: 0 }, end: { line: r.end.line, character: Number.MAX_SAFE_INTEGER } };
}

export function codeActions(diags: readonly Diagnostic[], file: string, range: Range, model: Model, docs: Documents): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of diags) {
    // by lines: a cursor anywhere on the diagnostic's line asks for its fixes (Neovim, Emacs send the cursor)
    if (d.file !== file || !rangesOverlap(lines(spanToRange(d.span)), lines(range))) continue;
    const lsp = toLspDiagnostic(d, docs);
    let first = true;
    for (const fix of d.fixes ?? []) {
      const changes: Record<string, TextEdit[]> = {};
      for (const e of fix.edits) (changes[docs.uriOf(e.file)] ??= []).push({ range: spanToRange(e.span), newText: e.newText });
      out.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [lsp], isPreferred: first, edit: { changes } });
      first = false;
    }
    // NUR100 "unknown content `x`": declare it
    const unknown = d.code === 'NUR100' ? /^unknown (content|event|channel|topic|stream|journey|segment|attribute) `([^`]+)`$/.exec(d.message) : null;
    if (unknown) {
      const [, kind, name] = unknown;
      const decl = declarationFor(kind, name, model);
      const e = decl ? append(docs, file, decl) : undefined;
      if (e) out.push({ title: `Declare ${kind} \`${name}\``, kind: CodeActionKind.QuickFix, diagnostics: [lsp], edit: e });
    }
    // NUR104 "`x` is not a member of `job_level`: …" / "`x` is not a stage": add it
    if (d.code === 'NUR104') {
      const member = /^`([^`]+)` is not a member of `([^`]+)`/.exec(d.message);
      const stage = /^`([^`]+)` is not a stage/.exec(d.message);
      if (member) {
        const [, name, enumName] = member;
        const e = addEnumMember(model, enumName, name, docs);
        if (e) out.push({ title: `Add \`${name}\` to the members of \`${enumName}\``, kind: CodeActionKind.QuickFix, diagnostics: [lsp], edit: e });
      } else if (stage) {
        const name = stage[1];
        const first = model.stages.values().next().value;
        const names = first?.decl.names;
        const lastName = names?.[names.length - 1];
        if (first && lastName) {
          out.push({
            title: `Add \`${name}\` to the stages`, kind: CodeActionKind.QuickFix, diagnostics: [lsp],
            edit: edit(docs, first.file, spanToRange({ ...lastName.span, start: lastName.span.end, line: lastName.span.endLine, column: lastName.span.endColumn }), `, ${name}`),
          });
        }
      }
    }
  }
  return out;
}

function addEnumMember(model: Model, enumName: string, name: string, docs: Documents): WorkspaceEdit | undefined {
  let owner;
  const dot = enumName.indexOf('.');
  if (dot < 0) owner = model.attributes.get(enumName);
  else owner = model.events.get(enumName.slice(0, dot))?.fields.get(enumName.slice(dot + 1));
  if (!owner || owner.type.kind !== 'enum') return undefined;
  const typeExpr = owner.decl.type;
  if (typeExpr.kind !== 'enumType') return undefined;
  const last = typeExpr.members[typeExpr.members.length - 1];
  if (!last) return undefined;
  const at = spanToRange(last.span).end;
  return edit(docs, owner.file, { start: at, end: at }, `, ${name}`);
}
