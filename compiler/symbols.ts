// First pass: collects every declaration of the workspace into the symbol table, reporting names
// declared twice (NUR101), reserved names (NUR103), shadowing event fields (NUR107) and the types of
// attributes and event fields.
//
// Namespaces. All files share one namespace (section 1): attribute, event, channel, content, stream,
// segment, score, threshold and journey names are unique across those kinds (NUR101). Two kinds are
// set apart, because the spec's own example gives the stage `mql` and the threshold `mql`, the topic
// `education` and the stream `education` the same names: stages and topics. Like enumeration
// members, they are lists of values of a built-in type (`stage`, `topic`), only ever resolved
// against that expected type (`stage >= mql`, `topic: education`), so each kind has its own
// namespace. An attribute named like a score or a segment is NUR103 (reserved, section 4.2) rather
// than NUR101. Event fields are scoped to their event, enumeration members to their enumeration,
// test names to tests.
import type {
  Declaration, EventDecl, Ident, LeadDecl, ScoreDecl, SourceFile, Span, TypeExpr,
} from '../grammar/ast.js';
import type { Context } from './context.js';
import {
  describeSymbol, NO_METADATA, STAGE_PROPERTY, withArticle, kindName,
  type AttributeSymbol, type ChannelSymbol, type ContentSymbol, type EnumInfo, type EnumMemberSymbol, type EventSymbol, type FieldSymbol, type ScoreCategory,
  type ScoreSymbol, type Sym,
} from './model.js';
import { didYouMean, firstDeclaredHere, leadingSpan } from './reporter.js';
import { T, type Type } from './types.js';

/** The kinds of the workspace's shared namespace (stages and topics each have their own). */
const SHARED_NAMESPACE: ReadonlySet<string> = new Set([
  'attribute', 'event', 'channel', 'content', 'stream', 'segment', 'score', 'threshold', 'journey',
]);

/** Scores and segments are named in conditions, like attributes. */
function isConditionName(sym: Sym): boolean {
  return sym.kind === 'score' || sym.kind === 'segment';
}

const ATTRIBUTE_TYPES = ['text', 'number', 'bool', 'date'] as const;
const FIELD_ONLY_TYPES = ['content', 'channel', 'topic'] as const;

export function collectSymbols(ctx: Context, files: readonly SourceFile[]): void {
  new Collector(ctx).run(files);
}

class Collector {
  /** The shared namespace (see the file comment). */
  private readonly shared = new Map<string, Sym>();
  private firstStages?: { file: string; span: Span };
  private firstPressure?: { file: string; span: Span };

  constructor(private readonly ctx: Context) {}

  run(files: readonly SourceFile[]): void {
    for (const file of files) {
      this.ctx.file = file.path;
      for (const decl of file.declarations) this.collect(decl);
    }
    this.markShadowingFields();
  }

  private get file(): string {
    return this.ctx.file;
  }

  /** The fields every symbol has, for a name declared in the current file. */
  private base(name: Ident, declSpan: Span) {
    return { name: name.text, file: this.file, span: name.span, declSpan };
  }

  private collect(decl: Declaration): void {
    const model = this.ctx.model;
    switch (decl.kind) {
      case 'timezone': {
        const first = model.timezone.decl;
        if (first) {
          this.duplicate(leadingSpan(decl.span, 'timezone'.length), 'the workspace `timezone` is declared twice', model.timezone.file!, first.span, 'remove one of them: a workspace has one time zone');
        } else {
          model.timezone = { name: decl.value.value, decl, file: this.file };
        }
        return;
      }
      case 'controlGroup': {
        const first = model.controlGroup;
        if (first) {
          this.duplicate(leadingSpan(decl.span, 'control group'.length), 'the `control group` is declared twice', first.file, first.decl.span, 'remove one of them: a workspace has one control group');
        } else {
          model.controlGroup = { percent: decl.percent.value, decl, file: this.file };
        }
        return;
      }
      case 'lead':
        return this.collectLead(decl);
      case 'event':
        return this.collectEvent(decl);
      case 'channel': {
        if (!decl.name.text) return;
        const sym: ChannelSymbol = { kind: 'channel', ...this.base(decl.name, decl.span), decl, consent: undefined };
        this.declare(sym, model.channels, decl.name);
        return;
      }
      case 'topics':
        for (const name of decl.names) {
          if (!name.text) continue;
          const sym = { kind: 'topic' as const, ...this.base(name, decl.span), decl };
          this.declare(sym, model.topics, name);
        }
        return;
      case 'content': {
        if (!decl.name.text) return;
        const sym: ContentSymbol = {
          kind: 'content', ...this.base(decl.name, decl.span), decl, channel: undefined, topic: undefined,
          template: undefined, subject: undefined, cost: undefined, transactional: false, metadata: NO_METADATA,
        };
        this.declare(sym, model.contents, decl.name);
        return;
      }
      case 'stream': {
        if (!decl.name.text) return;
        this.declare({ kind: 'stream', ...this.base(decl.name, decl.span), decl, items: [] }, model.streams, decl.name);
        return;
      }
      case 'stages': {
        if (this.firstStages) {
          this.duplicate(leadingSpan(decl.span, 'stages'.length), '`stages` is declared twice', this.firstStages.file, this.firstStages.span, 'list every stage, in order, in a single `stages` declaration');
        } else {
          this.firstStages = { file: this.file, span: decl.span };
        }
        // The stages of a repeated declaration are still added (after the others), to avoid
        // cascading "unknown stage" errors.
        for (const name of decl.names) {
          if (!name.text) continue;
          const sym = { kind: 'stage' as const, ...this.base(name, decl.span), decl, index: model.stages.size };
          this.declare(sym, model.stages, name);
        }
        return;
      }
      case 'segment': {
        if (!decl.name.text) return;
        this.declare({ kind: 'segment', ...this.base(decl.name, decl.span), decl }, model.segments, decl.name);
        return;
      }
      case 'score':
      case 'derivedScore': {
        if (!decl.name.text) return;
        const sym: ScoreSymbol =
          decl.kind === 'score'
            ? { kind: 'score', ...this.base(decl.name, decl.span), decl, category: scoreCategory(decl), range: scoreRange(decl) }
            : { kind: 'score', ...this.base(decl.name, decl.span), decl, category: 'derived' };
        this.declare(sym, model.scores, decl.name);
        return;
      }
      case 'threshold': {
        if (!decl.name.text) return;
        this.declare({ kind: 'threshold', ...this.base(decl.name, decl.span), decl }, model.thresholds, decl.name);
        return;
      }
      case 'journey': {
        if (!decl.name.text) return;
        this.declare({ kind: 'journey', ...this.base(decl.name, decl.span), decl }, model.journeys, decl.name);
        return;
      }
      case 'on':
        // Resolved in the checking pass (the event may be declared in a later file).
        return;
      case 'pressure': {
        if (this.firstPressure) {
          this.duplicate(leadingSpan(decl.span, 'pressure'.length), '`pressure` is declared twice', this.firstPressure.file, this.firstPressure.span, 'merge the rules into a single `pressure` block');
        } else {
          this.firstPressure = { file: this.file, span: decl.span };
          model.pressure = { file: this.file, decl };
        }
        return;
      }
      case 'test': {
        const name = decl.name.value;
        const sym = { kind: 'test' as const, name, file: this.file, span: decl.name.span, declSpan: decl.span, decl };
        const first = model.tests.get(name);
        if (first) {
          this.duplicate(decl.name.span, `test ${decl.name.raw} is declared twice`, first.file, first.span, 'give each test a distinct name');
          return;
        }
        model.tests.set(name, sym);
        model.references.addSpan(this.file, decl.name.span, sym, true);
        return;
      }
    }
  }

  // --- lead attributes and event fields -------------------------------------------------------

  private collectLead(decl: LeadDecl): void {
    const model = this.ctx.model;
    for (const field of decl.fields) {
      if (!field.name.text) continue;
      const enumHolder: { info?: EnumInfo } = {};
      const type = this.fieldType(field.type, field.name.text, false, enumHolder);
      const sym: AttributeSymbol = { kind: 'attribute', ...this.base(field.name, field.span), type, decl: field };
      if (enumHolder.info) (enumHolder.info as { owner?: Sym }).owner = sym;
      if (field.name.text === 'stage') {
        this.ctx.report.error('NUR103', this.file, field.name.span, 'the attribute name `stage` is reserved: it is the built-in lifecycle stage of every lead', {
          help: 'rename the attribute; to use stages, declare them with `stages a, b, c`',
        });
        continue;
      }
      this.declare(sym, model.attributes, field.name);
    }
  }

  private collectEvent(decl: EventDecl): void {
    if (!decl.name.text) return;
    const fields = new Map<string, FieldSymbol>();
    const sym: EventSymbol = { kind: 'event', ...this.base(decl.name, decl.span), decl, fields };
    for (const field of decl.fields) {
      if (!field.name.text) continue;
      const enumHolder: { info?: EnumInfo } = {};
      const type = this.fieldType(field.type, `${decl.name.text}.${field.name.text}`, true, enumHolder);
      const fieldSym: FieldSymbol = { kind: 'field', ...this.base(field.name, field.span), event: sym, type, decl: field };
      if (enumHolder.info) (enumHolder.info as { owner?: Sym }).owner = fieldSym;
      const first = fields.get(fieldSym.name);
      if (first) {
        this.duplicate(field.name.span, `the field \`${fieldSym.name}\` is declared twice in event \`${sym.name}\``, first.file, first.span);
        continue;
      }
      fields.set(fieldSym.name, fieldSym);
      this.ctx.ref(field.name, fieldSym, true);
    }
    if (decl.name.text === 'profile') {
      this.ctx.report.error('NUR103', this.file, decl.name.span, 'the event name `profile` is reserved: it is the built-in event that updates lead attributes', {
        help: 'rename the event; to update attributes, send a `profile` event with the attributes as data',
      });
      return;
    }
    this.declare(sym, this.ctx.model.events, decl.name);
  }

  /**
   * Converts a written type. `owner` names the enumeration in messages; `field` allows the
   * event-only types `content`, `channel`, `topic`.
   */
  private fieldType(texpr: TypeExpr, owner: string, field: boolean, enumHolder: { info?: EnumInfo }): Type {
    const report = this.ctx.report;
    switch (texpr.kind) {
      case 'namedType': {
        const name = texpr.name.text;
        if (!name) return T.unknown;
        if ((ATTRIBUTE_TYPES as readonly string[]).includes(name)) return T[name as (typeof ATTRIBUTE_TYPES)[number]];
        if ((FIELD_ONLY_TYPES as readonly string[]).includes(name)) {
          if (field) return T[name as (typeof FIELD_ONLY_TYPES)[number]];
          report.error('NUR200', this.file, texpr.name.span, `an attribute cannot be of type \`${name}\`: that type is only available for event fields`, {
            help: 'use `text`, `number`, `bool`, `date`, `one of [a, b]` or `list of text`',
          });
          return T.unknown;
        }
        const allowed = field ? [...ATTRIBUTE_TYPES, ...FIELD_ONLY_TYPES] : [...ATTRIBUTE_TYPES];
        report.error('NUR100', this.file, texpr.name.span, `unknown type \`${name}\``,
          didYouMean(this.file, texpr.name.span, name, allowed, `the types are ${allowed.map((t) => `\`${t}\``).join(', ')}, \`one of [a, b]\` and \`list of text\``));
        return T.unknown;
      }
      case 'listType': {
        const of = texpr.of.text;
        if (of === 'text' || !of) return T.listOfText;
        report.error('NUR200', this.file, texpr.of.span, `\`list of ${of}\` is not supported: lists hold text`, {
          help: 'write `list of text`',
        });
        return T.unknown;
      }
      case 'enumType': {
        const info: EnumInfo = { name: owner, owner: undefined, members: [], byName: new Map() };
        for (const ident of texpr.members) {
          if (!ident.text) continue;
          const first = info.byName.get(ident.text);
          if (first) {
            this.duplicate(ident.span, `\`${ident.text}\` appears twice in the enumeration \`${owner}\``, first.file, first.span);
            continue;
          }
          const member: EnumMemberSymbol = { kind: 'enumMember', ...this.base(ident, texpr.span), enum: info, index: info.members.length };
          info.members.push(member);
          info.byName.set(ident.text, member);
          this.ctx.ref(ident, member, true);
        }
        enumHolder.info = info;
        return { kind: 'enum', info };
      }
    }
  }

  // --- registration ---------------------------------------------------------------------------

  /**
   * Registers a symbol in the table of its kind, or reports the clash (see the file comment): with
   * a symbol of the same kind, or, for the kinds of the shared namespace, with any of them.
   */
  private declare<S extends Sym>(sym: S, table: Map<string, S>, ident: Ident): void {
    const first = table.get(sym.name);
    if (first) {
      this.duplicate(sym.span, `the ${kindName(sym.kind)} \`${sym.name}\` is declared twice`, first.file, first.span);
      return;
    }
    if (SHARED_NAMESPACE.has(sym.kind)) {
      const other = this.shared.get(sym.name);
      if (other?.kind === 'attribute' && isConditionName(sym)) {
        // The attribute came first (an earlier file or lead block): it gives way to the score/segment.
        this.reservedAttribute(other, sym);
        this.ctx.model.attributes.delete(other.name);
      } else if (other && sym.kind === 'attribute' && isConditionName(other)) {
        this.reservedAttribute(sym, other);
        return;
      } else if (other) {
        this.duplicate(sym.span, `the name \`${sym.name}\` is already used by ${describeSymbol(other)}`, other.file, other.span,
          `give this ${kindName(sym.kind)} another name: contents, events, journeys, scores… share one namespace`);
        return;
      }
      if (sym.name === 'stage' && isConditionName(sym)) {
        this.ctx.report.error('NUR103', sym.file, sym.span, 'the name `stage` is reserved: it is the built-in lifecycle stage of every lead', {
          help: `rename this ${sym.kind}`,
        });
        return;
      }
      this.shared.set(sym.name, sym);
    }
    table.set(sym.name, sym);
    this.ctx.ref(ident, sym, true);
  }

  private duplicate(span: Span, message: string, firstFile: string, firstSpan: Span, help?: string): void {
    this.ctx.report.error('NUR101', this.file, span, message, {
      help: help ?? 'rename or remove one of the two declarations',
      related: firstDeclaredHere(firstFile, firstSpan),
    });
  }

  private reservedAttribute(attribute: AttributeSymbol, owner: Sym): void {
    this.ctx.report.error('NUR103', attribute.file, attribute.span,
      `the attribute name \`${attribute.name}\` is reserved: it is the name of ${withArticle(kindName(owner.kind))}`, {
        help: `rename the attribute or the ${kindName(owner.kind)}: in conditions \`${attribute.name}\` must mean one thing`,
        related: [{ file: owner.file, span: owner.span, message: `${describeSymbol(owner)} is declared here` }],
      });
  }

  /**
   * NUR107, reported at the field declaration (once, rather than at every use in a `where`): a
   * field named like a lead-level name (attribute, score, segment, `stage`) hides it in the
   * `where` clauses of its event.
   */
  private markShadowingFields(): void {
    const model = this.ctx.model;
    for (const event of model.events.values()) {
      for (const field of event.fields.values()) {
        const hidden: Sym | undefined =
          model.attributes.get(field.name) ?? model.scores.get(field.name) ?? model.segments.get(field.name) ??
          (field.name === 'stage' ? STAGE_PROPERTY : undefined);
        if (!hidden) continue;
        (field as { shadows?: Sym }).shadows = hidden;
        const what = hidden.kind === 'builtin' ? 'the lead\'s built-in `stage`' : describeSymbol(hidden).replace(/^the /, 'the lead ');
        this.ctx.report.warning('NUR107', field.file, field.span,
          `the field \`${field.name}\` of event \`${event.name}\` shadows ${what}`, {
            help: `in \`where\` clauses on \`${event.name}\`, \`${field.name}\` means the event field; rename the field to reach the lead's value`,
            related: hidden.file ? [{ file: hidden.file, span: hidden.span, message: `${describeSymbol(hidden)} is declared here` }] : undefined,
          });
      }
    }
  }
}

function scoreCategory(decl: ScoreDecl): ScoreCategory {
  let fit = false;
  let engagement = false;
  for (const rule of decl.rules) {
    if (rule.kind === 'fitRule') fit = true;
    else if (rule.kind === 'engagementRule') engagement = true;
  }
  return fit && engagement ? 'mixed' : fit ? 'fit' : engagement ? 'engagement' : 'manual';
}

function scoreRange(decl: ScoreDecl): { min: number; max: number } {
  const range = decl.rules.find((r) => r.kind === 'range');
  return range ? { min: range.min.value, max: range.max.value } : { min: 0, max: 100 };
}
