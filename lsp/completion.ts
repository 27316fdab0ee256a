// Completion from the text as it is now (no waiting for the debounced check): the tokens before the
// cursor give the block the cursor is in (journey, score, pressure, test…) and the words just before
// it (`send`, `next from`, `on`, `where`, `is`, a number…); the names come from the last checked model.
// Items carry a detail line; the declaration (documentation) comes with `completionItem/resolve`.
// Works on half-typed files: the lexer never fails and nothing here needs a parse tree.
import type { IToken } from 'chevrotain';
import { CompletionItemKind, MarkupKind, type CompletionItem } from 'vscode-languageserver';
import { symbolsOfKind, type EventSymbol, type Model, type Sym } from '../compiler/model.js';
import type { Type } from '../compiler/types.js';
import { lex } from '../grammar/lexer.js';
import { declarationWordAt, isContinuing, lineState } from '../grammar/scan.js';
import { DECLARATION_WORDS, tokenClass } from '../grammar/tokens.js';
import type { Documents } from './documents.js';
import { declarationLine, symbolDetail } from './describe.js';

type Frame = 'top' | 'fields' | 'props' | 'channelProps' | 'score' | 'actions' | 'pressure' | 'journey' | 'steps' | 'split' | 'test' | 'leadData' | 'eventData' | 'block';

interface FrameInfo {
  kind: Frame;
  /** For `eventData`: the event; for `fields`: the declaration keyword. */
  name?: string;
}

const DECLARATION_DOCS: Record<(typeof DECLARATION_WORDS)[number], [string, string]> = {
  timezone: ['timezone', 'the workspace time zone: `timezone "Europe/Paris"`'],
  control: ['control group', 'the program\'s control group: `control group 5%` of all leads get no marketing message'],
  lead: ['lead', 'profile attributes: `lead { budget: number }`'],
  event: ['event', 'a behaviour the host reports: `event form_submitted { form: text }`'],
  channel: ['channel', 'a channel: `channel email { consent: email_consent }`'],
  topics: ['topics', 'topics: `topics onboarding, product`'],
  content: ['content', 'a message: `content welcome { channel: email, topic: onboarding }`'],
  stream: ['stream', 'an ordered pool of contents for drips: `stream education: a, b, c`'],
  stages: ['stages', 'the ordered lifecycle: `stages subscriber, lead, mql, sql, customer`'],
  segment: ['segment', 'a named condition: `segment big = employees >= 500`'],
  score: ['score', 'a score: `score fit { +30 if job_level is vp }`'],
  threshold: ['threshold', 'actions when a condition becomes true: `threshold mql when fit >= 40 { … }`'],
  on: ['on', 'actions for every matching event: `on unsubscribed { … }`'],
  pressure: ['pressure', 'contact limits: `pressure { max 3 messages per 7 days }`'],
  journey: ['journey', 'a nurturing scenario: `journey welcome { entry on … }`'],
  test: ['test', 'a scenario checked by `nurture test`: `test "name" { … }`'],
};
/** The declaration keywords (grammar/tokens.ts), each with its documentation. */
const DECLARATIONS: [string, string][] = DECLARATION_WORDS.map((w) => DECLARATION_DOCS[w]);
const SETTINGS: [string, string][] = [
  ['entry on', 'enter when an event happens'], ['entry when', 'enter when a condition becomes true'],
  ['audience', 'a lead enters only if this holds'], ['reentry', 'never | always | after D'],
  ['exit when', 'leave when a condition holds'], ['exit on', 'leave when an event happens'],
  ['goal', 'conversion goal: `goal condition within D`'], ['goal on', 'conversion goal: `goal on event within D`'],
  ['holdout', 'the journey\'s holdout group: `holdout 10%`'], ['priority', 'higher first: `priority 10`'],
];
const STEPS: [string, string][] = [
  ['send', 'send a content'], ['send next from', 'send the next content of a stream'], ['wait', 'wait a duration: `wait 2 days`'],
  ['wait for', 'wait for an event: `wait for e up to 14 days { … } timeout { … }`'],
  ['wait until', 'wait for a condition: `wait until c up to 7 days`'], ['if', 'branch on a condition'],
  ['split', 'A/B split: `split { 50% { … } 50% { … } }`'], ['repeat every', 'loop: `repeat every 7 days max 10 times { … }`'],
  ['move to', 'leave this journey for another'], ['end', 'end the journey'],
];
const ACTIONS: [string, string][] = [
  ['set', 'set an attribute, the stage or a score'], ['handoff', 'hand the lead to a sales queue: `handoff "sales"`'],
  ['enroll', 'enroll in a journey'], ['remove from', 'remove from a journey'], ['send', 'send a content'],
];
const PRESSURE: [string, string][] = [
  ['max', '`max 3 messages per 7 days [on channel]`'], ['min', '`min 2 days between messages [on channel | on the same topic]`'],
  ['quiet hours', '`quiet hours 20:00 to 08:00`'], ['quiet days', '`quiet days saturday, sunday`'],
  ['delay capped messages up to', 'delay capped messages (default 7 days)'], ['skip capped messages', 'drop capped messages'],
];
const SCORE_RULES: [string, string][] = [
  ['range', '`range 0 to 100`'], ['decay', '`decay 20% every 30 days idle`'],
];
const TEST_STATEMENTS: [string, string][] = [
  ['lead', 'the initial profile: `lead { job_level: vp }`'], ['holdout', 'put the test lead in a journey\'s holdout group'],
  ['control group', 'put the test lead in the program\'s control group'],
  ['at', 'set the clock: `at 2026-01-05 09:00`'], ['after', 'advance the clock: `after 1 day`'],
  ['expect', 'check a condition now'], ['profile', 'update the profile: `profile { budget: 5000 }`'],
];
const CONDITION_WORDS: [string, string][] = [
  ['has', '`has event [where c] [at least N times] [within D]`'], ['received', '`received content [within D]`'],
  ['not', 'negation'], ['in journey', 'the lead is in a journey'], ['completed journey', 'the lead completed a journey'],
  ['handed off', '`handed off [to "queue"]`'],
];
const TYPES: [string, string][] = [
  ['text', 'text'], ['number', 'number'], ['bool', 'true or false'], ['date', 'a date: 2026-01-05'],
  ['one of', 'an enumeration: `one of [a, b, c]`'], ['list of text', 'a list of texts'],
];
const EVENT_TYPES: [string, string][] = [['content', 'the name of a content'], ['channel', 'the name of a channel'], ['topic', 'the name of a topic']];
const CONTENT_KEYS: [string, string][] = [
  ['channel', 'required: the channel'], ['topic', 'the topic'], ['template', 'text'], ['subject', 'text'],
  ['cost', 'number, per send'], ['transactional', 'bool: ignores pressure rules'],
];
const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const UNITS = ['minute', 'hour', 'day', 'week', 'month', 'year'];

function kw(list: [string, string][], sortPrefix = '2'): CompletionItem[] {
  return list.map(([label, doc]) => ({
    label, kind: CompletionItemKind.Keyword, detail: 'keyword',
    documentation: { kind: MarkupKind.Markdown, value: doc }, sortText: sortPrefix + label,
  }));
}

function words(list: readonly string[], kind: CompletionItemKind = CompletionItemKind.Keyword, detail = 'keyword'): CompletionItem[] {
  return list.map((label, i) => ({ label, kind, detail, sortText: '1' + String(i).padStart(3, '0') }));
}

const ITEM_KIND: Record<Sym['kind'], CompletionItemKind> = {
  attribute: CompletionItemKind.Property, event: CompletionItemKind.Event, field: CompletionItemKind.Field,
  enumMember: CompletionItemKind.EnumMember, channel: CompletionItemKind.Interface, topic: CompletionItemKind.Constant,
  content: CompletionItemKind.Value, stream: CompletionItemKind.Module, stage: CompletionItemKind.EnumMember,
  segment: CompletionItemKind.Function, score: CompletionItemKind.Variable, threshold: CompletionItemKind.Unit,
  journey: CompletionItemKind.Class, test: CompletionItemKind.Text, builtin: CompletionItemKind.Keyword,
};

/** What a completion item names, for `completionItem/resolve` (which adds the documentation). */
interface ItemData {
  k: Sym['kind'];
  n: string;
  /** The event of a field, the enumeration of a member. */
  o?: string;
}

function findSymbol(model: Model, data: ItemData): Sym | undefined {
  if (data.k === 'field') return model.events.get(data.o ?? '')?.fields.get(data.n);
  if (data.k === 'enumMember') {
    const o = data.o ?? '';
    const dot = o.indexOf('.');
    const owner = dot < 0 ? model.attributes.get(o) : model.events.get(o.slice(0, dot))?.fields.get(o.slice(dot + 1));
    return owner?.type.kind === 'enum' ? owner.type.info.byName.get(data.n) : undefined;
  }
  return symbolsOfKind(model, data.k)?.get(data.n);
}

/** Adds the declaration (as documentation) to a completion item naming a symbol. */
export function resolveCompletion(item: CompletionItem, model: Model, docs: Documents): CompletionItem {
  const data = item.data as ItemData | undefined;
  if (!data || typeof data.k !== 'string' || typeof data.n !== 'string' || item.documentation) return item;
  const sym = findSymbol(model, data);
  const line = sym ? declarationLine(sym, docs) : undefined;
  return line ? { ...item, documentation: { kind: MarkupKind.Markdown, value: '```nurture\n' + line + '\n```' } } : item;
}

export interface CompletionRequest {
  text: string;
  offset: number;
  path: string;
  model: Model | undefined;
  docs: Documents;
}

type Tok = { image: string; kind: 'name' | 'number' | 'percent' | 'time' | 'date' | 'text' | 'punct'; start: number; end: number; line: number };

function classify(t: IToken): Tok['kind'] {
  const c = tokenClass(t.tokenType);
  if (c === 'keyword') return 'name';
  if (c === 'operator') return 'punct';
  return c === 'punctuation' ? 'punct' : c;
}

/** The start of the line that begins (column 1) the top-level declaration holding `offset`, or 0. */
function declarationStart(text: string, offset: number): number {
  let pos = text.lastIndexOf('\n', offset - 1) + 1;
  for (;;) {
    if (declarationWordAt(text, pos)) return pos;
    if (pos === 0) return 0;
    pos = text.lastIndexOf('\n', pos - 2) + 1;
  }
}

export function complete(req: CompletionRequest): CompletionItem[] {
  const { text, offset } = req;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  if (lineState(text.slice(lineStart, offset)) !== 'code') return [];
  // only the declaration the cursor is in matters: lex from its first line (large files stay fast)
  const from = declarationStart(text, offset);
  const raw = lex(text.slice(from, offset), req.path).tokens;
  const toks: Tok[] = raw.map((t) => ({ image: t.image, kind: classify(t), start: from + t.startOffset, end: from + t.endOffset! + 1, line: t.startLine ?? 1 }));
  // the word being typed is not context
  const last = toks[toks.length - 1];
  if (last && last.end === offset && last.kind === 'name') toks.pop();
  else if (last && last.end === offset && last.kind !== 'punct') return []; // typing a number, a time…
  const ctx = new Context(toks, req, lineStart);
  return ctx.items();
}

class Context {
  private readonly frames: FrameInfo[] = [{ kind: 'top' }];
  private declKw: string | undefined;
  private readonly model: Model | undefined;

  constructor(
    private readonly toks: Tok[],
    private readonly req: CompletionRequest,
    private readonly cursorLineStart: number,
  ) {
    this.model = req.model;
    this.scan();
  }

  private get frame(): FrameInfo {
    return this.frames[this.frames.length - 1];
  }

  /** Index of the first token of the line token `i` is on. */
  private lineFirst(i: number): number {
    let j = i;
    while (j > 0 && this.toks[j - 1].line === this.toks[i].line) j--;
    return j;
  }

  private scan(): void {
    const toks = this.toks;
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i];
      if (this.frames.length === 1 && t.kind === 'name' && this.lineFirst(i) === i && (DECLARATION_WORDS as readonly string[]).includes(t.image)) {
        this.declKw = t.image;
      }
      if (t.image === '{' && t.kind === 'punct') this.frames.push(this.open(i));
      else if (t.image === '}' && t.kind === 'punct') {
        if (this.frames.length > 1) this.frames.pop();
        if (this.frames.length === 1) this.declKw = undefined;
      }
    }
  }

  private open(i: number): FrameInfo {
    const f = this.frame.kind;
    const first = this.toks[this.lineFirst(i)].image;
    switch (f) {
      case 'top':
        switch (this.declKw) {
          case 'lead': return { kind: 'fields', name: 'lead' };
          case 'event': return { kind: 'fields', name: 'event' };
          case 'content': return { kind: 'props' };
          case 'channel': return { kind: 'channelProps' };
          case 'score': return { kind: 'score' };
          case 'threshold': case 'on': return { kind: 'actions' };
          case 'pressure': return { kind: 'pressure' };
          case 'journey': return { kind: 'journey' };
          case 'test': return { kind: 'test' };
          default: return { kind: 'block' };
        }
      case 'journey': case 'steps': case 'actions':
        return first === 'split' && this.toks[i - 1]?.image === 'split' ? { kind: 'split' } : { kind: 'steps' };
      case 'split':
        return { kind: 'steps' };
      case 'test': {
        const name = this.toks[i - 1]?.image;
        if (name === 'lead' || name === 'profile' || this.toks[i - 1]?.kind === 'text') return { kind: 'leadData', name: name === 'profile' ? 'profile' : 'lead' };
        return { kind: 'eventData', name };
      }
      default:
        return { kind: 'block' };
    }
  }

  private p(n: number): string | undefined {
    return this.toks[this.toks.length - n]?.image;
  }
  private pk(n: number): Tok['kind'] | undefined {
    return this.toks[this.toks.length - n]?.kind;
  }

  /** The cursor's word starts its line (or follows `{` / `}`). */
  private atLineStart(): boolean {
    const last = this.toks[this.toks.length - 1];
    if (!last) return true;
    if (last.kind === 'punct' && (last.image === '{' || last.image === '}')) return true;
    return last.end <= this.cursorLineStart && !isContinuing(last.image);
  }

  items(): CompletionItem[] {
    const p1 = this.p(1);
    const p2 = this.p(2);
    const p3 = this.p(3);
    const frame = this.frame.kind;
    const m = this.model;

    // after a number: duration units, or what follows a count
    if (this.pk(1) === 'number') {
      if (p2 === '+' || p2 === '-') return frame === 'score' ? kw([['if', 'fit rule: `+30 if condition`'], ['on', 'engagement rule: `+3 on event`']], '1') : [];
      if (p2 === 'max') return frame === 'pressure' ? words(['messages', 'message']) : frame === 'score' ? words(['per']) : words(['times']);
      if (p2 === 'least') return words(['times']);
      if (p2 === 'decay') return words(['every']);
      if (p2 === 'range') return words(['to']);
      if (/^(wait|within|every|per|after|min|entry|reentry)$/.test(p2 ?? '') || (p2 === 'to' && p3 === 'up') || p2 === 'after') {
        const one = Number(p1) === 1;
        return UNITS.map((u, i) => ({
          label: one ? u : `${u}s`, kind: CompletionItemKind.Unit, detail: 'duration unit',
          documentation: u === 'month' ? 'a month is 30 days' : u === 'year' ? 'a year is 365 days' : undefined,
          sortText: String(i),
        }));
      }
      return [];
    }
    if (this.pk(1) === 'percent') {
      if (frame === 'score' && p2 === 'decay') return words(['every']);
      return [];
    }

    switch (p1) {
      case 'send':
        return [...this.symbols(m?.contents), ...kw([['next from', 'send the next content of a stream']], '3')];
      case 'next':
        if (p2 === 'send') return words(['from']);
        break;
      case 'from':
        if (p2 === 'next') return this.symbols(m?.streams);
        if (p2 === 'remove') return this.symbols(m?.journeys);
        break;
      case 'on':
        if (frame === 'pressure') return [...this.symbols(m?.channels), ...kw([['the same topic', 'per topic']], '3')];
        return this.symbols(m?.events);
      case 'for':
        if (p2 === 'wait') return this.symbols(m?.events);
        break;
      case 'has':
        return this.symbols(m?.events);
      case 'to':
        if (p2 === 'move') return this.symbols(m?.journeys);
        if (p2 === 'handed' || p2 === 'off') return [];
        break;
      case 'enroll':
        return this.symbols(m?.journeys);
      case 'journey':
        if (p2 === 'in' || p2 === 'completed') return this.symbols(m?.journeys);
        break;
      case 'holdout':
        if (frame === 'test') return this.symbols(m?.journeys);
        break;
      case 'received':
        return [...this.symbols(m?.contents), ...kw([['any of', 'any content of a stream']], '3')];
      case 'of':
        if (p2 === 'any') return this.symbols(m?.streams);
        if (p2 === 'list') return words(['text']);
        break;
      case 'any':
        if (p2 === 'received') return words(['of']);
        break;
      case 'one':
        return words(['of']);
      case 'reentry':
        return words(['never', 'always', 'after']);
      case 'entry':
        return frame === 'journey' ? words(['on', 'when']) : [];
      case 'exit':
        return words(['when', 'on']);
      case 'wait':
        return words(['for', 'until']);
      case 'move':
        return words(['to']);
      case 'remove':
        return words(['from']);
      case 'quiet':
        return words(['hours', 'days']);
      case 'days':
        if (p2 === 'quiet') return words(WEEKDAYS, CompletionItemKind.Constant, 'weekday');
        break;
      case 'set':
        return this.settable();
      case 'audience': case 'if': case 'when': case 'until': case 'expect': case 'and': case 'or': case 'not': case '(': case 'where': case 'goal':
        if (p1 === 'not' && p2 === 'is') break;
        return this.conditionStart(p1 === 'goal' ? [['on', 'goal on an event']] : []);
    }

    // `stream s: a, |`
    if (frame === 'top' && this.declKw === 'stream' && (p1 === ':' || p1 === ',')) return this.symbols(m?.contents);
    if (frame === 'pressure' && p1 === ',' && this.lineHas('quiet')) return words(WEEKDAYS, CompletionItemKind.Constant, 'weekday');
    if (frame === 'top' && (this.declKw === 'segment' || this.declKw === 'score') && p1 === '=') return this.conditionStart([]);

    // property and field blocks
    if (frame === 'fields') {
      if (p1 === ':') return kw(this.frame.name === 'event' ? [...TYPES, ...EVENT_TYPES] : TYPES, '1');
      return [];
    }
    if (frame === 'props' || frame === 'channelProps') {
      if (p1 === ':') {
        if (frame === 'channelProps') return p2 === 'consent' ? this.symbols(m?.attributes, (s) => s.kind === 'attribute' && s.type.kind === 'bool') : [];
        if (p2 === 'channel') return this.symbols(m?.channels);
        if (p2 === 'topic') return this.symbols(m?.topics);
        if (p2 === 'transactional') return words(['true', 'false'], CompletionItemKind.Value, 'bool');
        return [];
      }
      if (p1 === '{' || p1 === ',' || this.atLineStart()) return frame === 'props' ? kw(CONTENT_KEYS, '1') : kw([['consent', 'the bool attribute that grants consent']], '1');
      return [];
    }
    if (frame === 'leadData' || frame === 'eventData') {
      const event = frame === 'eventData' ? m?.events.get(this.frame.name ?? '') : undefined;
      if (p1 === ':' && p2) {
        const t = event ? event.fields.get(p2)?.type : p2 === 'stage' ? ({ kind: 'stage' } as Type) : m?.attributes.get(p2)?.type;
        return t ? this.valuesOf(t) : [];
      }
      if (p1 === '{' || p1 === ',' || this.atLineStart()) {
        if (event) return this.symbols(event.fields);
        const attrs = this.symbols(m?.attributes);
        return this.frame.name === 'lead' ? [...attrs, ...this.stageProperty()] : attrs;
      }
      return [];
    }

    // comparisons: the values of the left side's type
    const operand = this.comparedName();
    if (operand !== undefined) {
      const t = this.typeOfName(operand);
      const extra = p1 === 'is' ? words(['not', 'known', 'missing']) : [];
      return [...(t ? this.valuesOf(t) : []), ...extra];
    }

    if (this.atLineStart()) {
      switch (frame) {
        case 'top': return kw(DECLARATIONS, '1');
        case 'journey': return [...kw(SETTINGS, '1'), ...kw(STEPS, '2'), ...kw(ACTIONS.filter(([a]) => a !== 'send'), '3')];
        case 'steps': return [...kw(STEPS, '1'), ...kw(ACTIONS.filter(([a]) => a !== 'send'), '2')];
        case 'actions': return kw(ACTIONS, '1');
        case 'score': return kw(SCORE_RULES, '1');
        case 'pressure': return kw(PRESSURE, '1');
        case 'test': return [...kw(TEST_STATEMENTS, '1'), ...this.symbols(m?.events)];
        default: return [];
      }
    }
    return [];
  }

  private lineHas(word: string): boolean {
    const lastLine = this.toks[this.toks.length - 1]?.line;
    for (let i = this.toks.length - 1; i >= 0 && this.toks[i].line === lastLine; i--) if (this.toks[i].image === word) return true;
    return false;
  }

  /** The name on the left of `is`, `is not`, `==`, `<`…, `in [ …,`, or the target of `set x =`. */
  private comparedName(): string | undefined {
    const n = this.toks.length;
    const at = (i: number) => this.toks[i];
    let i = n - 1;
    const t = at(i);
    if (!t) return undefined;
    const nameAt = (j: number) => (at(j)?.kind === 'name' ? at(j).image : undefined);
    if (t.kind === 'punct' && /^(==|!=|<|<=|>|>=)$/.test(t.image)) return nameAt(i - 1);
    if (t.image === 'is' && t.kind === 'name') return nameAt(i - 1);
    if (t.image === 'not' && at(i - 1)?.image === 'is') return nameAt(i - 2);
    if (t.image === '=' && at(i - 2)?.image === 'set') return nameAt(i - 1);
    if (t.image === '[' || t.image === ',') {
      // inside `x in [ … ` ?
      let depth = 0;
      for (let j = i; j >= 0; j--) {
        const s = at(j).image;
        if (s === ']') depth++;
        else if (s === '[') {
          if (depth > 0) { depth--; continue; }
          if (at(j - 1)?.image !== 'in') return undefined;
          return at(j - 2)?.image === 'not' ? nameAt(j - 3) : nameAt(j - 2);
        } else if (s === '{' || s === '}') return undefined;
      }
    }
    return undefined;
  }

  /** The event whose `where` clause the cursor is in (`on e where …`, `wait for e where …`). */
  private whereEvent(): EventSymbol | undefined {
    for (let j = this.toks.length - 1; j >= 0; j--) {
      const s = this.toks[j].image;
      if (s === '{' || s === '}') return undefined;
      if (s === 'where') return this.model?.events.get(this.toks[j - 1]?.image ?? '');
    }
    return undefined;
  }

  private typeOfName(name: string): Type | undefined {
    const event = this.whereEvent();
    const field = event?.fields.get(name);
    if (field) return field.type;
    if (name === 'stage') return { kind: 'stage' };
    return this.model?.attributes.get(name)?.type;
  }

  private valuesOf(t: Type): CompletionItem[] {
    const m = this.model;
    switch (t.kind) {
      case 'enum': return this.symbols(new Map(t.info.members.map((x) => [x.name, x])));
      case 'stage': return this.symbols(m?.stages);
      case 'content': return this.symbols(m?.contents);
      case 'channel': return this.symbols(m?.channels);
      case 'topic': return this.symbols(m?.topics);
      case 'bool': return words(['true', 'false'], CompletionItemKind.Value, 'bool');
      default: return [];
    }
  }

  private stageProperty(): CompletionItem[] {
    return [{ label: 'stage', kind: CompletionItemKind.Property, detail: 'the lead\'s lifecycle stage (built-in)', sortText: '0stage' }];
  }

  private settable(): CompletionItem[] {
    const m = this.model;
    return [
      ...this.symbols(m?.attributes), ...this.stageProperty(),
      ...this.symbols(m?.scores, (s) => s.kind === 'score' && s.category !== 'derived' && s.category !== 'fit'),
    ];
  }

  private conditionStart(extra: [string, string][]): CompletionItem[] {
    const m = this.model;
    const event = this.whereEvent();
    return [
      ...(event ? this.symbols(event.fields, undefined, '0') : []),
      ...this.symbols(m?.attributes), ...this.stageProperty(), ...this.symbols(m?.scores), ...this.symbols(m?.segments),
      ...kw([...CONDITION_WORDS, ...extra], '3'),
    ];
  }

  private symbols(map: ReadonlyMap<string, Sym> | undefined, keep?: (s: Sym) => boolean, sortPrefix = '1'): CompletionItem[] {
    if (!map) return [];
    // the items of a whole table are the same for every request on one model (thousands in a large workspace)
    const cacheable = keep === undefined && sortPrefix === '1' && this.model !== undefined;
    const cache = cacheable ? itemCache(this.model!) : undefined;
    const cached = cache?.get(map);
    if (cached) return cached;
    const out: CompletionItem[] = [];
    for (const sym of map.values()) {
      if (keep && !keep(sym)) continue;
      const data: ItemData = { k: sym.kind, n: sym.name };
      if (sym.kind === 'field') data.o = sym.event.name;
      else if (sym.kind === 'enumMember') data.o = sym.enum.name;
      out.push({ label: sym.name, kind: ITEM_KIND[sym.kind], detail: symbolDetail(sym, this.model), sortText: sortPrefix + sym.name, data });
    }
    cache?.set(map, out);
    return out;
  }
}

/** Completion items per symbol table, per model (read-only once published, so never stale). */
const itemCaches = new WeakMap<Model, WeakMap<ReadonlyMap<string, Sym>, CompletionItem[]>>();

function itemCache(model: Model): WeakMap<ReadonlyMap<string, Sym>, CompletionItem[]> {
  let cache = itemCaches.get(model);
  if (!cache) itemCaches.set(model, (cache = new WeakMap()));
  return cache;
}
