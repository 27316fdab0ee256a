// The nurture printer: syntax tree -> prettier Doc, in the one canonical style.
//
// Style (also in formatter/STYLE.md):
//   * Two-space indentation; one declaration, field, rule, setting, step or statement per line.
//   * Everything is kept in the order written (declarations, keys, fields, rules, settings).
//   * Blank lines: a run of blank lines becomes one; none are added inside blocks, none after `{` or
//     before `}`. At the top level a blank line always separates a block declaration (`lead`,
//     `score … { }`, `threshold`, `on`, `pressure`, `journey`, `test`) from its neighbours;
//     consecutive one-line declarations (a run of `event` or `content` lines) stay together unless
//     the author separated them.
//   * Braces: `name {` … `}`, `} else {`, `} else if c {`, `} timeout {`; empty block `{ }`.
//   * Property lists (`content`, `channel`, `event` fields, test `lead { … }` and event occurrences)
//     sit on one line as `{ a: x, b: y }` when they fit `printWidth`, else one `key: value,` per line.
//     In a run of consecutive one-line `content` declarations the `{` are aligned (as in the spec).
//   * `lead { }` fields, score rules, pressure rules, journey settings and steps: one per line.
//   * Score rules: the points are right-aligned in a column over the whole block, so that the
//     following `if` / `on` keywords line up (` +1 on …`, `+10 on …`, `-15 if …`).
//   * `split {` with each `P% { … }` branch on its own line; a branch stays on one line when its
//     body is a single simple step that fits.
//   * Lists `[a, b]`; `a, b, c` name lists (topics, stages, streams, quiet days) fill lines.
//   * Single spaces around operators and keywords; parentheses exactly as written; numbers, texts
//     (with their escapes), durations, times and dates exactly as written (`raw`). Only
//     `message`/`messages` in pressure rules is normalised (singular for 1), as the tree does not
//     record which one was written.
//   * Conditions are never broken over lines.
//   * Comments: see comments.ts.
import { builders } from 'prettier/doc';
import type * as A from '../grammar/ast.js';
import { blankLineBetween, CommentCursor, commentText, scanTo } from './comments.js';

type Doc = builders.Doc;
const { group, indent, line, hardline, join, fill, ifBreak, lineSuffix, breakParent } = builders;

/** A line item: something printed on its own line(s) in a block or a property list. */
interface Entry {
  start: number;
  end: number;
  doc: () => Doc;
  /** A top-level declaration that prints as a multi-line block. */
  block?: boolean;
}

const BLANK = '';

function trailingDoc(c: A.Comment): Doc {
  return [lineSuffix(' ' + commentText(c)), breakParent];
}

/** A comment on a line of its own; breaks the enclosing group (a split branch on one line). */
function ownLineDoc(c: A.Comment): Doc {
  return [commentText(c), breakParent];
}

export class NurturePrinter {
  private readonly cursor: CommentCursor;

  constructor(
    private readonly text: string,
    comments: readonly A.Comment[],
    private readonly printWidth = 80,
  ) {
    this.cursor = new CommentCursor(text, comments);
  }

  // -------------------------------------------------------------------------------------------
  // Blocks, bodies, property lists

  /**
   * Lines of a body (file, block or split branch), with the comments that fall in it.
   * `close` is the offset of the closing `}` (or the end of the file).
   */
  private body(entries: Entry[], close: number, top = false): { head?: A.Comment; lines: Doc[] } {
    const lines: Doc[] = [];
    const firstStart = entries.length > 0 ? entries[0]!.start : close;
    const head = top ? undefined : this.cursor.takeHead(firstStart);
    let prevEnd = -1;
    // A blank line before the next thing when the author had one (or `forceBlank`); never two.
    const separate = (start: number, forceBlank = false): void => {
      if (lines.length === 0 || lines[lines.length - 1] === BLANK) return;
      if (forceBlank || (prevEnd >= 0 && blankLineBetween(this.text, prevEnd, start))) lines.push(BLANK);
    };
    const push = (doc: Doc, start: number, forceBlank = false): void => {
      separate(start, forceBlank);
      lines.push(doc);
    };
    let prevBlock = false;
    entries.forEach((e, i) => {
      const limit = i + 1 < entries.length ? entries[i + 1]!.start : close;
      let forceBlank = top && (prevBlock || e.block === true);
      for (const c of this.cursor.takeBefore(e.start)) {
        push(ownLineDoc(c), c.span.start, forceBlank);
        forceBlank = false;
        prevEnd = c.span.end;
      }
      separate(e.start, forceBlank);
      const at = lines.length;
      const doc = e.doc();
      const interior = this.cursor.takeBefore(e.end);
      const trailing = this.cursor.takeTrailing(e.end, limit);
      if (interior.length === 1 && !trailing) {
        lines.push([doc, trailingDoc(interior[0]!)]);
      } else {
        lines.push(trailing ? [doc, trailingDoc(trailing)] : doc);
        lines.splice(at, 0, ...interior.map(ownLineDoc));
      }
      prevEnd = trailing ? trailing.span.end : e.end;
      prevBlock = e.block === true;
    });
    for (const c of this.cursor.takeBefore(close)) {
      push(ownLineDoc(c), c.span.start);
      prevEnd = c.span.end;
    }
    return head ? { head, lines } : { lines };
  }

  /** `{` lines `}` with hard line breaks; `{ }` when empty. */
  private block(entries: Entry[], close: number): Doc {
    const { head, lines } = this.body(entries, close);
    if (!head && lines.length === 0) return '{ }';
    return [
      '{',
      head ? ' ' + commentText(head) : '',
      lines.length > 0 ? indent([hardline, join(hardline, lines)]) : '',
      hardline,
      '}',
    ];
  }

  /** `{` lines `}` that stays on one line when it fits (split branches). */
  private softBlock(entries: Entry[], close: number): Doc {
    const { head, lines } = this.body(entries, close);
    if (!head && lines.length === 0) return '{ }';
    return group([
      '{',
      head ? trailingDoc(head) : '',
      lines.length > 0 ? indent([line, join(hardline, lines)]) : '',
      line,
      '}',
    ]);
  }

  /**
   * `{ a: x, b: y }` on one line when it fits, else one item per line (with commas). Returns the
   * group; `prefix` is printed inside it (so that `pad` — an `ifBreak` — sees the group's mode).
   */
  private propertyGroup(prefix: Doc, entries: Entry[], close: number, emptyBraces: boolean): Doc {
    const firstStart = entries.length > 0 ? entries[0]!.start : close;
    const head = this.cursor.takeHead(firstStart);
    const items: Doc[] = [];
    entries.forEach((e, i) => {
      const limit = i + 1 < entries.length ? entries[i + 1]!.start : close;
      const leading = this.cursor.takeBefore(e.start);
      const doc = e.doc();
      const interior = this.cursor.takeBefore(e.end);
      let trailing = this.cursor.takeTrailing(e.end, limit);
      const before = [...leading];
      if (interior.length === 1 && !trailing) trailing = interior[0];
      else before.push(...interior);
      items.push([
        before.map((c) => [commentText(c), hardline]),
        doc,
        i + 1 < entries.length ? ',' : '',
        trailing ? trailingDoc(trailing) : '',
      ]);
    });
    const rest = this.cursor.takeBefore(close);
    if (entries.length === 0 && !head && rest.length === 0) return emptyBraces ? [prefix, ' { }'] : prefix;
    const inner: Doc[] = items.flatMap((item) => [line, item]);
    for (const c of rest) inner.push(inner.length === 0 ? line : hardline, commentText(c), breakParent);
    return group([prefix, ' {', head ? trailingDoc(head) : '', indent(inner), line, '}']);
  }

  /** Offset of the `}` closing a block whose `{` is at or after `openFrom`. */
  private closeOf(openFrom: number, entries: { end: number }[]): number {
    const open = scanTo(this.text, openFrom, '{');
    const last = entries.length > 0 ? entries[entries.length - 1]!.end : open + 1;
    return scanTo(this.text, last, '}');
  }

  // -------------------------------------------------------------------------------------------
  // File and declarations

  printFile(file: A.SourceFile): Doc {
    const decls = file.declarations;
    const pads = this.contentPads(decls);
    const entries: Entry[] = decls.map((d, i) => ({
      start: d.span.start,
      end: d.span.end,
      doc: () => this.declaration(d, pads.get(i) ?? 0),
      block: isBlockDeclaration(d),
    }));
    const { lines } = this.body(entries, this.text.length + 1, true);
    return lines.length > 0 ? [join(hardline, lines), hardline] : '';
  }

  /**
   * Padding that aligns the `{` of runs of consecutive `content` declarations (a blank line ends a
   * run). Only the members that fit on one line take part, so that alignment never breaks a line:
   * a member too long to fit keeps no padding and the column is set by the others.
   */
  private contentPads(decls: A.Declaration[]): Map<number, number> {
    const pads = new Map<number, number>();
    let run: A.ContentDecl[] = [];
    const indexes = new Map<A.ContentDecl, number>();
    const flush = (): void => {
      let members = run.filter((c) => flatContentWidth(c) <= this.printWidth);
      for (;;) {
        const width = Math.max(0, ...members.map((c) => c.name.text.length));
        const kept = members.filter((c) => flatContentWidth(c) + width - c.name.text.length <= this.printWidth);
        if (kept.length === members.length) {
          for (const c of members) pads.set(indexes.get(c)!, width - c.name.text.length);
          break;
        }
        members = kept;
      }
      run = [];
    };
    decls.forEach((d, i) => {
      const prev = decls[i - 1];
      const continues =
        d.kind === 'content' &&
        prev?.kind === 'content' &&
        !blankLineBetween(this.text, prev.span.end, d.span.start);
      if (!continues) flush();
      if (d.kind === 'content') {
        run.push(d);
        indexes.set(d, i);
      }
    });
    flush();
    return pads;
  }

  private declaration(d: A.Declaration, pad: number): Doc {
    switch (d.kind) {
      case 'timezone':
        return ['timezone ', d.value.raw];
      case 'controlGroup':
        return ['control group ', d.percent.raw];
      case 'lead': {
        const entries = d.fields.map((f) => this.entry(f, () => this.field(f)));
        return ['lead ', this.block(entries, this.closeOf(d.span.start, entries))];
      }
      case 'event': {
        const entries = d.fields.map((f) => this.entry(f, () => this.field(f)));
        return this.propertyGroup(['event ', d.name.text], entries, this.propsClose(d.name.span.end, d.span.end, entries), false);
      }
      case 'channel': {
        const entries = d.properties.map((p) => this.entry(p, () => this.property(p)));
        return this.propertyGroup(['channel ', d.name.text], entries, this.propsClose(d.name.span.end, d.span.end, entries), false);
      }
      case 'content': {
        const entries = d.properties.map((p) => this.entry(p, () => this.property(p)));
        const prefix: Doc = ['content ', d.name.text, pad > 0 ? ifBreak('', ' '.repeat(pad)) : ''];
        return this.propertyGroup(prefix, entries, this.propsClose(d.name.span.end, d.span.end, entries), true);
      }
      case 'topics':
        return this.nameList('topics ', d.names);
      case 'stream':
        return this.nameList(['stream ', d.name.text, ': '], d.items);
      case 'stages':
        return this.nameList('stages ', d.names);
      case 'segment':
        return ['segment ', d.name.text, ' = ', expr(d.condition)];
      case 'score': {
        const width = Math.max(
          0,
          ...d.rules.map((r) => (r.kind === 'fitRule' || r.kind === 'engagementRule' ? r.points.raw.length : 0)),
        );
        const entries = d.rules.map((r) => this.entry(r, () => scoreRule(r, width)));
        return ['score ', d.name.text, ' ', this.block(entries, this.closeOf(d.name.span.end, entries))];
      }
      case 'derivedScore':
        return ['score ', d.name.text, ' = ', expr(d.expr)];
      case 'threshold': {
        const entries = this.steps(d.actions);
        return [
          'threshold ', d.name.text, ' when ', expr(d.condition), ' ',
          this.block(entries, this.closeOf(d.condition.span.end, entries)),
        ];
      }
      case 'on': {
        const entries = this.steps(d.actions);
        const headerEnd = d.where ? d.where.span.end : d.event.span.end;
        return [
          'on ', d.event.text, d.where ? [' where ', expr(d.where)] : '', ' ',
          this.block(entries, this.closeOf(headerEnd, entries)),
        ];
      }
      case 'pressure': {
        const entries = d.rules.map((r) => this.entry(r, () => pressureRule(r)));
        return ['pressure ', this.block(entries, this.closeOf(d.span.start, entries))];
      }
      case 'journey': {
        const entries = d.items.map((item) =>
          this.entry(item, () => (isSetting(item) ? journeySetting(item) : this.step(item))),
        );
        return ['journey ', d.name.text, ' ', this.block(entries, this.closeOf(d.name.span.end, entries))];
      }
      case 'test': {
        const entries = d.statements.map((s) => this.entry(s, () => this.testStatement(s)));
        return ['test ', d.name.raw, ' ', this.block(entries, this.closeOf(d.name.span.end, entries))];
      }
    }
  }

  /** The `}` of an optional property list: none when the declaration ends before any `{`. */
  private propsClose(nameEnd: number, declEnd: number, entries: Entry[]): number {
    if (entries.length > 0) return scanTo(this.text, entries[entries.length - 1]!.end, '}');
    const open = indexOfCode(this.text, nameEnd, declEnd, '{');
    return open < 0 ? declEnd : scanTo(this.text, open + 1, '}');
  }

  private entry(node: { span: A.Span }, doc: () => Doc): Entry {
    return { start: node.span.start, end: node.span.end, doc };
  }

  private nameList(prefix: Doc, names: A.Ident[]): Doc {
    const parts: Doc[] = [];
    names.forEach((n, i) => {
      if (i > 0) parts.push(line);
      parts.push(i + 1 < names.length ? n.text + ',' : n.text);
    });
    return [prefix, indent(fill(parts))];
  }

  private field(f: A.FieldDecl): Doc {
    return [f.name.text, ': ', typeExpr(f.type)];
  }

  private property(p: A.Property): Doc {
    return [p.key.text, ': ', expr(p.value)];
  }

  // -------------------------------------------------------------------------------------------
  // Steps

  private steps(steps: A.Step[]): Entry[] {
    return steps.map((s) => this.entry(s, () => this.step(s)));
  }

  private step(s: A.Step): Doc {
    switch (s.kind) {
      case 'send':
        return ['send ', s.content.text];
      case 'sendNext':
        return ['send next from ', s.stream.text];
      case 'wait':
        return ['wait ', s.duration.raw];
      case 'waitFor':
      case 'waitUntil': {
        const header: Doc =
          s.kind === 'waitFor'
            ? ['wait for ', s.event.text, s.where ? [' where ', expr(s.where)] : '']
            : ['wait until ', expr(s.condition)];
        const parts: Doc[] = [header, ' up to ', s.upTo.raw];
        let from = s.upTo.span.end;
        if (s.then) {
          const entries = this.steps(s.then);
          const close = this.closeOf(from, entries);
          parts.push(' ', this.block(entries, close));
          from = close + 1;
        }
        if (s.timeout) {
          const entries = this.steps(s.timeout);
          const close = this.closeOf(from, entries);
          parts.push(' timeout ', this.block(entries, close));
        }
        return parts;
      }
      case 'if': {
        const parts: Doc[] = [];
        let from = s.span.start;
        s.branches.forEach((b, i) => {
          const entries = this.steps(b.body);
          const close = this.closeOf(b.condition.span.end, entries);
          parts.push(i === 0 ? 'if ' : ' else if ', expr(b.condition), ' ', this.block(entries, close));
          from = close + 1;
        });
        if (s.otherwise) {
          const entries = this.steps(s.otherwise);
          parts.push(' else ', this.block(entries, this.closeOf(from, entries)));
        }
        return parts;
      }
      case 'split': {
        const branches: Entry[] = s.branches.map((b) => {
          const entries = this.steps(b.body);
          const close = this.closeOf(b.percent.span.end, entries);
          return { start: b.span.start, end: close + 1, doc: () => [b.percent.raw, ' ', this.softBlock(entries, close)] };
        });
        const last = branches.length > 0 ? branches[branches.length - 1]!.end : scanTo(this.text, s.span.start, '{') + 1;
        return ['split ', this.block(branches, scanTo(this.text, last, '}'))];
      }
      case 'repeat': {
        const headerEnd = Math.max(s.every.span.end, s.max?.span.end ?? 0, s.until?.span.end ?? 0);
        const entries = this.steps(s.body);
        return [
          'repeat every ', s.every.raw,
          s.max ? [' max ', s.max.raw, ' times'] : '',
          s.until ? [' until ', expr(s.until)] : '',
          ' ',
          this.block(entries, this.closeOf(headerEnd, entries)),
        ];
      }
      case 'moveTo':
        return ['move to ', s.journey.text];
      case 'end':
        return 'end';
      case 'set':
        return ['set ', s.target.text, ' = ', expr(s.value)];
      case 'handoff':
        return ['handoff ', s.queue.raw];
      case 'enroll':
        return ['enroll ', s.journey.text];
      case 'removeFrom':
        return ['remove from ', s.journey.text];
    }
  }

  // -------------------------------------------------------------------------------------------
  // Tests

  private testStatement(s: A.TestStatement): Doc {
    switch (s.kind) {
      case 'testLead': {
        const entries = s.properties.map((p) => this.entry(p, () => this.property(p)));
        const from = s.id ? s.id.span.end : s.span.start;
        const close = this.closeOf(from, entries);
        return this.propertyGroup(['lead', s.id ? [' ', s.id.raw] : ''], entries, close, true);
      }
      case 'testHoldout':
        return ['holdout ', s.journey.text];
      case 'testControlGroup':
        return 'control group';
      case 'at':
        return ['at ', dateTime(s.at)];
      case 'after':
        return ['after ', s.duration.raw];
      case 'occur': {
        const entries = s.properties.map((p) => this.entry(p, () => this.property(p)));
        return this.propertyGroup(s.event.text, entries, this.propsClose(s.event.span.end, s.span.end, entries), false);
      }
      case 'expect':
        return ['expect ', expr(s.condition)];
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Pure printers (no comments inside: comments there are the enclosing item's interior comments)

function isBlockDeclaration(d: A.Declaration): boolean {
  switch (d.kind) {
    case 'lead':
    case 'score':
    case 'threshold':
    case 'on':
    case 'pressure':
    case 'journey':
    case 'test':
      return true;
    default:
      return false;
  }
}

const SETTING_KINDS: ReadonlySet<string> = new Set([
  'entryOn', 'entryWhen', 'entryDate', 'audience', 'reentry', 'exitWhen', 'exitOn', 'goalWhen', 'goalOn',
  'holdout', 'priority',
]);

function isSetting(item: A.JourneyItem): item is A.JourneySetting {
  return SETTING_KINDS.has(item.kind);
}

/** Offset of `ch` in code (not in a comment or text) between from and to, or -1. */
function indexOfCode(text: string, from: number, to: number, ch: string): number {
  try {
    const at = scanTo(text, from, ch);
    return at < to ? at : -1;
  } catch {
    return -1;
  }
}

function scoreRule(r: A.ScoreRule, width: number): Doc {
  switch (r.kind) {
    case 'fitRule':
      return [r.points.raw.padStart(width), ' if ', expr(r.condition)];
    case 'engagementRule': {
      const limit = r.limit
        ? r.limit.kind === 'once'
          ? ' once'
          : [' max ', r.limit.count.raw, ' per ', r.limit.per.raw]
        : '';
      return [r.points.raw.padStart(width), ' on ', r.event.text, r.where ? [' where ', expr(r.where)] : '', limit];
    }
    case 'decay':
      return ['decay ', r.amount.raw, ' every ', r.every.raw, ' idle'];
    case 'range':
      return ['range ', r.min.raw, ' to ', r.max.raw];
  }
}

function pressureRule(r: A.PressureRule): Doc {
  switch (r.kind) {
    case 'maxMessages':
      return [
        'max ', r.count.raw, r.count.value === 1 ? ' message' : ' messages', ' per ', r.per.raw,
        r.channel ? [' on ', r.channel.text] : '',
      ];
    case 'minGap':
      return ['min ', r.gap.raw, ' between messages', r.channel ? [' on ', r.channel.text] : ''];
    case 'minGapTopic':
      return ['min ', r.gap.raw, ' between messages on the same topic'];
    case 'quietHours':
      return ['quiet hours ', r.from.raw, ' to ', r.to.raw];
    case 'quietDays':
      return ['quiet days ', join(', ', r.days.map((d) => d.text))];
    case 'delayCapped':
      return ['delay capped messages up to ', r.upTo.raw];
    case 'skipCapped':
      return 'skip capped messages';
  }
}

function journeySetting(s: A.JourneySetting): Doc {
  const where = (w: A.Expr | undefined): Doc => (w ? [' where ', expr(w)] : '');
  switch (s.kind) {
    case 'entryOn':
      return ['entry on ', s.event.text, where(s.where)];
    case 'entryWhen':
      return ['entry when ', expr(s.condition)];
    case 'entryDate':
      return ['entry ', s.offset.raw, ' ', s.direction, ' ', s.attribute.text, s.yearly ? ' yearly' : ''];
    case 'audience':
      return ['audience ', expr(s.condition)];
    case 'reentry':
      return s.mode === 'after' && s.after ? ['reentry after ', s.after.raw] : ['reentry ', s.mode];
    case 'exitWhen':
      return ['exit when ', expr(s.condition)];
    case 'exitOn':
      return ['exit on ', s.event.text, where(s.where)];
    case 'goalWhen':
      return ['goal ', expr(s.condition), ' within ', s.within.raw];
    case 'goalOn':
      return ['goal on ', s.event.text, where(s.where), ' within ', s.within.raw];
    case 'holdout':
      return ['holdout ', s.percent.raw];
    case 'priority':
      return ['priority ', s.value.raw];
  }
}

function typeExpr(t: A.TypeExpr): string {
  switch (t.kind) {
    case 'namedType':
      return t.name.text;
    case 'enumType':
      return `one of [${t.members.map((m) => m.text).join(', ')}]`;
    case 'listType':
      return `list of ${t.of.text}`;
  }
}

/** Width of `content name { k: v, … }` printed on one line, without padding. */
function flatContentWidth(c: A.ContentDecl): number {
  const props = c.properties.map((p) => `${p.key.text}: ${expr(p.value)}`).join(', ');
  return `content ${c.name.text} ${props ? `{ ${props} }` : '{ }'}`.length;
}

function dateTime(d: A.DateTimeLit): string {
  return `${d.date.raw} ${d.time.raw}`;
}

/** Conditions, values and arithmetic: one line, single spaces, parentheses as written. */
export function expr(e: A.Expr): string {
  switch (e.kind) {
    case 'number':
    case 'percent':
    case 'time':
    case 'date':
    case 'text':
    case 'duration':
      return e.raw;
    case 'bool':
      return e.value ? 'true' : 'false';
    case 'datetime':
      return dateTime(e);
    case 'list':
      return `[${e.items.map(expr).join(', ')}]`;
    case 'name':
      return e.name.text;
    case 'and':
    case 'or':
      return `${expr(e.left)} ${e.kind} ${expr(e.right)}`;
    case 'not':
      return `not ${expr(e.operand)}`;
    case 'paren':
      return `(${expr(e.inner)})`;
    case 'compare':
      return `${expr(e.left)} ${e.op} ${expr(e.right)}`;
    case 'in':
      return `${expr(e.left)} ${e.negated ? 'not in' : 'in'} ${expr(e.list)}`;
    case 'contains':
      return `${expr(e.left)} contains ${expr(e.right)}`;
    case 'known':
      return `${expr(e.operand)} is ${e.missing ? 'missing' : 'known'}`;
    case 'arith':
      return `${expr(e.left)} ${e.op} ${expr(e.right)}`;
    case 'has':
      return [
        `has ${e.event.text}`,
        e.where ? ` where ${expr(e.where)}` : '',
        e.atLeast ? ` at least ${e.atLeast.raw} times` : '',
        e.within ? ` within ${e.within.raw}` : '',
      ].join('');
    case 'received':
      return [
        'received ',
        e.anyOf ? 'any of ' : '',
        e.target.text,
        e.within ? ` within ${e.within.raw}` : '',
        e.at ? ` at ${dateTime(e.at)}` : '',
        e.times ? ` ${e.times.raw} times` : '',
      ].join('');
    case 'inJourney':
      return `in journey ${e.journey.text}`;
    case 'completedJourney':
      return `completed journey ${e.journey.text}`;
    case 'handedOff':
      return e.queue ? `handed off to ${e.queue.raw}` : 'handed off';
    case 'error':
      throw new Error('internal formatter error: cannot print a syntax tree with errors');
  }
}
