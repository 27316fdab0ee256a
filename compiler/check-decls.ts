// The declarations other than scores, journeys and tests: timezone, control group, channel, content,
// stream, segment, threshold, `on` handler, pressure.
import type {
  ChannelDecl, ContentDecl, ControlGroupDecl, Declaration, Ident, Literal, OnDecl, PressureDecl, Property, StreamDecl, TimezoneDecl,
} from '../grammar/ast.js';
import type { Context } from './context.js';
import { checkActionList } from './check-actions.js';
import { checkCondition, checkValue, checkWholeNumber, LEAD_SCOPE, resolveEvent, VALUES } from './check-expr.js';
import { checkJourney } from './check-journeys.js';
import { checkDerivedScore, checkScore } from './check-scores.js';
import { checkTest } from './check-tests.js';
import { NO_METADATA, type ChannelSymbol, type ContentSymbol, type StreamSymbol } from './model.js';
import { uniqueProperties } from './properties.js';
import { didYouMean, replaceFix } from './reporter.js';
import { editDistance } from '../grammar/suggest.js';
import { checkTimezoneName } from './timezones.js';
import { describeType, T, type Type } from './types.js';

/** Checks one declaration. */
export function checkDeclaration(ctx: Context, decl: Declaration): void {
  const m = ctx.model;
  switch (decl.kind) {
    case 'timezone':
      return checkTimezone(ctx, decl);
    case 'controlGroup':
      return checkControlGroup(ctx, decl);
    case 'lead':
    case 'event':
    case 'topics':
    case 'stages':
      return; // fully handled when collecting symbols
    case 'channel':
      return checkChannel(ctx, decl, own(m.channels, decl));
    case 'content':
      return checkContent(ctx, decl, own(m.contents, decl));
    case 'stream':
      return checkStream(ctx, decl, own(m.streams, decl));
    case 'segment':
      ctx.owner = own(m.segments, decl);
      checkCondition(ctx, decl.condition, LEAD_SCOPE);
      ctx.owner = undefined;
      return;
    case 'score':
      return checkScore(ctx, decl, own(m.scores, decl));
    case 'derivedScore':
      return checkDerivedScore(ctx, decl, own(m.scores, decl));
    case 'threshold':
      checkCondition(ctx, decl.condition, LEAD_SCOPE);
      checkActionList(ctx, decl.actions, 'a threshold');
      return;
    case 'on':
      return checkHandler(ctx, decl);
    case 'pressure':
      return checkPressure(ctx, decl);
    case 'journey':
      return checkJourney(ctx, decl);
    case 'test':
      return checkTest(ctx, decl);
  }
}

/**
 * The symbol registered for this very declaration (undefined for a duplicate, whose symbol stays
 * out of the tables: its body is still checked, but feeds nothing into the model).
 */
function own<S extends { decl: unknown }>(table: Map<string, S>, decl: { name: Ident }): S | undefined {
  const sym = table.get(decl.name.text);
  return sym && sym.decl === decl ? sym : undefined;
}

function checkTimezone(ctx: Context, decl: TimezoneDecl): void {
  const name = decl.value.value;
  const result = checkTimezoneName(name);
  if (result.valid) return;
  if (ctx.model.timezone.decl === decl) ctx.model.timezone = { name: 'UTC', decl, file: ctx.file };
  const file = ctx.file;
  ctx.report.error('NUR003', file, decl.value.span, `unknown time zone ${decl.value.raw}`, result.suggestion
    ? { help: `did you mean "${result.suggestion}"?`, fixes: [replaceFix(file, decl.value.span, JSON.stringify(result.suggestion))] }
    : { help: 'use an IANA time zone name such as "Europe/Paris" or "America/New_York", or "UTC"' });
}

/**
 * NUR311 (warnings): a control group above 50% starves the program, 0% measures nothing. A percentage
 * outside 0–100% is already an error of the lexer (NUR003).
 */
function checkControlGroup(ctx: Context, decl: ControlGroupDecl): void {
  const p = decl.percent;
  if (p.raw === '' || p.value < 0 || p.value > 100) return; // a syntax or literal error already said so
  if (p.value > 50) {
    ctx.report.warning('NUR311', ctx.file, p.span, `control group ${p.raw} keeps most leads out: only ${Math.round((100 - p.value) * 1e6) / 1e6}% of them would get any marketing message`, {
      help: 'the control group measures the whole program\'s lift; keep it small, for example `control group 5%`',
    });
  } else if (p.value === 0) {
    ctx.report.warning('NUR311', ctx.file, p.span, 'control group 0% holds no lead: the program\'s lift cannot be measured', {
      help: 'give it a small share of the leads, for example `control group 5%`, or remove the declaration',
    });
  }
}

// --- channels and contents --------------------------------------------------------------------

function checkChannel(ctx: Context, decl: ChannelDecl, sym: ChannelSymbol | undefined): void {
  for (const prop of uniqueProperties(ctx, decl.properties, 'channel', decl.name.text)) {
    if (prop.key.text !== 'consent') {
      ctx.report.error('NUR100', ctx.file, prop.key.span, `unknown channel property \`${prop.key.text}\``,
        didYouMean(ctx.file, prop.key.span, prop.key.text, ['consent'], 'a channel has one property: `consent: bool_attribute`'));
      continue;
    }
    const ident = nameValue(ctx, prop, 'the consent of a channel is a `bool` attribute');
    const attr = ident && ctx.resolve(ident, 'attribute');
    if (!attr) continue;
    if (attr.type.kind !== 'bool' && attr.type.kind !== 'unknown') {
      ctx.report.error('NUR203', ctx.file, ident.span, `the consent attribute \`${attr.name}\` is ${describeType(attr.type)}, not a \`bool\``, {
        help: `declare it as \`${attr.name}: bool\` (true when the lead agreed to receive messages on \`${decl.name.text}\`)`,
        related: [{ file: attr.file, span: attr.decl.span, message: `\`${attr.name}\` is declared here` }],
      });
      continue;
    }
    if (sym) sym.consent = attr;
  }
}

/** The known content keys and the type of their value. */
const CONTENT_KEYS = new Map<string, Type>([
  ['channel', T.channel], ['topic', T.topic], ['template', T.text], ['subject', T.text], ['cost', T.number],
  ['transactional', T.bool],
]);

function checkContent(ctx: Context, decl: ContentDecl, sym: ContentSymbol | undefined): void {
  const file = ctx.file;
  let typo: Ident | undefined;
  let hasChannel = false;
  for (const prop of uniqueProperties(ctx, decl.properties, 'content', decl.name.text)) {
    const key = prop.key.text;
    const type = CONTENT_KEYS.get(key);
    if (type) {
      if (key === 'channel') hasChannel = true;
      checkValue(ctx, prop.value, type, VALUES, '', key);
      if (sym) storeContentProperty(ctx, sym, key, prop);
      continue;
    }
    const near = knownKeyNear(key);
    if (near) {
      // Treated as metadata, but almost surely a typo: its value is not checked further.
      if (near === 'channel') typo ??= prop.key;
      ctx.report.warning('NUR106', file, prop.key.span, `\`${key}\` is not a known content property; it looks like \`${near}\``, {
        help: `did you mean \`${near}\`? As written, \`${key}\` is passed through as metadata`,
        fixes: [replaceFix(file, prop.key.span, near)],
      });
      continue;
    }
    if (!isLiteral(prop.value)) {
      if (prop.value.kind !== 'error') {
        ctx.report.error('NUR200', file, prop.value.span, `the metadata \`${key}\` must be a literal (text, number, bool…)`, {
          help: prop.value.kind === 'name' ? `quote it: \`"${prop.value.name.text}"\`` : 'write a literal value',
          fixes: prop.value.kind === 'name' && prop.value.name.text ? [replaceFix(file, prop.value.span, JSON.stringify(prop.value.name.text), 'Quote the value')] : undefined,
        });
      }
      continue;
    }
    if (sym) {
      if (sym.metadata === NO_METADATA) sym.metadata = new Map();
      (sym.metadata as Map<string, Literal>).set(key, prop.value);
    }
  }
  if (!hasChannel && decl.name.text) {
    const channels = [...ctx.model.channels.keys()];
    const example = channels.length > 0 ? channels[0] : 'email';
    ctx.report.error('NUR202', file, decl.name.span, `content \`${decl.name.text}\` has no \`channel\``, {
      help: typo
        ? `\`${typo.text}\` looks like a misspelt \`channel\``
        : `every content is sent on a channel: add \`channel: ${example}\``,
    });
  }
}

/** Metadata keys repeat a lot (`campaign`, `language`…): remember which known key each is near. */
const nearCache = new Map<string, string | null>();

/** The known content key within edit distance 2 of `key`, if any (NUR106). */
function knownKeyNear(key: string): string | undefined {
  let near = nearCache.get(key);
  if (near === undefined) {
    near = null;
    for (const known of CONTENT_KEYS.keys()) {
      if (editDistance(key, known, 2) <= 2) {
        near = known;
        break;
      }
    }
    if (nearCache.size < 10_000) nearCache.set(key, near);
  }
  return near ?? undefined;
}

function storeContentProperty(ctx: Context, sym: ContentSymbol, key: string, prop: Property): void {
  let v = prop.value;
  while (v.kind === 'paren') v = v.inner; // `cost: (5)` is 5, `channel: (email)` is email
  const name = v.kind === 'name' ? v.name.text : undefined;
  switch (key) {
    case 'channel':
      if (name) sym.channel = ctx.model.channels.get(name);
      return;
    case 'topic':
      if (name) sym.topic = ctx.model.topics.get(name);
      return;
    case 'template':
    case 'subject':
      if (v.kind === 'text') sym[key] = v.value;
      return;
    case 'cost':
      if (v.kind === 'number' && v.value < 0) {
        ctx.report.error('NUR204', ctx.file, v.span, `the cost \`${v.raw}\` is negative: a cost is what one send costs, 0 or more`);
      } else if (v.kind === 'number') sym.cost = v.value;
      return;
    case 'transactional':
      if (v.kind === 'bool') sym.transactional = v.value;
      return;
  }
}

function isLiteral(e: Property['value']): e is Literal {
  switch (e.kind) {
    case 'number': case 'text': case 'bool': case 'percent': case 'duration': case 'time': case 'date': case 'datetime':
      return true;
    case 'list':
      return e.items.every(isLiteral);
    default:
      return false;
  }
}

/** The bare name a property value must be (`consent: email_consent`), or NUR200. */
function nameValue(ctx: Context, prop: Property, expectation: string): Ident | undefined {
  if (prop.value.kind === 'name') return prop.value.name;
  if (prop.value.kind !== 'error') {
    ctx.report.error('NUR200', ctx.file, prop.value.span, `expected the name of an attribute: ${expectation}`);
  }
  return undefined;
}

function checkStream(ctx: Context, decl: StreamDecl, sym: StreamSymbol | undefined): void {
  for (const item of decl.items) {
    const content = ctx.resolve(item, 'content');
    if (content && sym) sym.items.push(content);
  }
}

// --- handlers and pressure --------------------------------------------------------------------

function checkHandler(ctx: Context, decl: OnDecl): void {
  const event = resolveEvent(ctx, decl.event);
  ctx.model.handlers.push({ file: ctx.file, decl, ...(event ? { event } : {}) });
  if (decl.where && event) checkCondition(ctx, decl.where, { event });
  checkActionList(ctx, decl.actions, 'an `on` handler');
}

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

function checkPressure(ctx: Context, decl: PressureDecl): void {
  for (const rule of decl.rules) {
    switch (rule.kind) {
      case 'maxMessages':
        checkWholeNumber(ctx, rule.count, 'the number of messages');
        if (rule.channel) ctx.resolve(rule.channel, 'channel');
        break;
      case 'minGap':
        if (rule.channel) ctx.resolve(rule.channel, 'channel');
        break;
      case 'quietDays':
        for (const day of rule.days) {
          if (!day.text || WEEKDAYS.includes(day.text)) continue;
          ctx.report.error('NUR003', ctx.file, day.span, `\`${day.text}\` is not a weekday`,
            didYouMean(ctx.file, day.span, day.text, WEEKDAYS, 'the weekdays are monday, tuesday, wednesday, thursday, friday, saturday, sunday'));
        }
        break;
      default:
        break;
    }
  }
}
