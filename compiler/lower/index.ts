// Lowering of a checked workspace into the plan of LANGUAGE.md section 7 (docs/plan.md).
//
// `compilePlan(model, sources)` is pure and deterministic: the same model and texts give the same
// plan, whatever the order of `sources`. Objects are built with their keys in the schema's order
// (runtime/plan.schema.json, which follows runtime/plan-types.ts), so `serializePlan` is simply
// `JSON.stringify(plan, null, 2) + "\n"`. Only call it on a model whose check reported no errors:
// anything unresolved is a `LowerError`.
import { setOwn } from '../../runtime/own.js';
import { createHash } from 'node:crypto';
import type { Literal } from '../../grammar/ast.js';
import {
  PLAN_FORMAT, PLAN_VERSION,
  type Attribute, type Channel, type Content, type EventDef, type EventField, type Handler, type MetadataValue,
  type Plan, type PlanTest, type Pressure, type Score, type Segment, type SourceFileRef, type Stage,
  type Stream, type Threshold, type Topic,
} from '../../runtime/plan-types.js';
import type { Model } from '../model.js';
import type { Type } from '../types.js';
import { Lowering, LowerError } from './context.js';
import { lowerExpr, metadataValue } from './expr.js';
import { lowerActions, lowerJourney } from './journey.js';
import { lowerPressure } from './pressure.js';
import { lowerScore } from './score.js';
import { lowerTest } from './test.js';
import { compilerVersion as defaultCompilerVersion } from './version.js';

export { LowerError } from './context.js';

export interface CompileSource {
  /** The path the model knows the file by (as given to the Workspace). */
  path: string;
  text: string;
}

export interface CompileOptions {
  /** Recorded as `source.compiler: "nurture <version>"`; defaults to this package's package.json version. */
  compilerVersion?: string;
  /**
   * The path written to `source.files` for a model path (default: the path itself, with `/`).
   * `source.files` is sorted by these paths; declaration order stays the model's.
   */
  planPath?: (path: string) => string;
}

/** Lowers a checked, error-free workspace into a plan. Throws `LowerError` when it cannot. */
export function compilePlan(model: Model, sources: CompileSource[], options: CompileOptions = {}): Plan {
  const planPath = options.planPath ?? ((p: string) => p.replace(/\\/g, '/'));
  const texts = new Map<string, string>();
  for (const s of sources) texts.set(s.path, s.text);
  for (const f of model.files) {
    if (!texts.has(f)) throw new LowerError(`no source text was given for \`${f}\``, f, undefined);
  }

  // source.files: every file of the model, sorted by plan path (code units), each with its hash.
  const entries = model.files.map((f) => ({ model: f, path: planPath(f), text: texts.get(f)! }));
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const fileIndex = new Map<string, number>();
  const files: SourceFileRef[] = entries.map((e, i) => {
    fileIndex.set(e.model, i);
    return { path: e.path, hash: sha256(e.text) };
  });
  const hash = 'sha256:' + createHash('sha256')
    .update(files.map((f) => `${f.path}\0${f.hash}\n`).join(''), 'utf8')
    .digest('hex');

  const zone = model.timezone.name;
  const lw = new Lowering(model, fileIndex, texts, zone);

  const attributes: Record<string, Attribute> = {};
  for (const a of model.attributes.values()) {
    setOwn(attributes, a.name, lw.in(a.file, () => fieldType(lw, a.type, lw.loc(a.decl.span)) as Attribute));
  }

  const events: Record<string, EventDef> = {};
  for (const ev of model.events.values()) {
    lw.in(ev.file, () => {
      const fields: Record<string, EventField> = {};
      for (const f of ev.fields.values()) setOwn(fields, f.name, fieldType(lw, f.type, lw.loc(f.decl.span)));
      setOwn(events, ev.name, { fields, loc: lw.loc(ev.decl.span) });
    });
  }

  const channels: Record<string, Channel> = {};
  for (const c of model.channels.values()) {
    setOwn(channels, c.name, lw.in(c.file, () => ({ consent: c.consent ? c.consent.name : null, loc: lw.loc(c.decl.span) })));
  }

  const topics: Record<string, Topic> = {};
  for (const t of model.topics.values()) setOwn(topics, t.name, lw.in(t.file, () => ({ loc: lw.loc(t.span) })));

  const contents: Record<string, Content> = {};
  for (const c of model.contents.values()) {
    setOwn(contents, c.name, lw.in(c.file, (): Content => {
      if (!c.channel) return lw.fail(`content \`${c.name}\` has no channel`, c.span);
      const metadata: Record<string, MetadataValue> = {};
      for (const [key, value] of c.metadata) setOwn(metadata, key, metadataValue(lw, value as Literal));
      return {
        channel: c.channel.name,
        topic: c.topic ? c.topic.name : null,
        template: c.template ?? null,
        subject: c.subject ?? null,
        cost: c.cost ?? 0,
        transactional: c.transactional,
        metadata,
        loc: lw.loc(c.decl.span),
      };
    }));
  }

  const streams: Record<string, Stream> = {};
  for (const s of model.streams.values()) {
    setOwn(streams, s.name, lw.in(s.file, () => ({ contents: s.items.map((c) => c.name), loc: lw.loc(s.decl.span) })));
  }

  const stages: Stage[] = [];
  for (const s of model.stages.values()) {
    if (s.index !== stages.length) throw new LowerError(`internal: stage \`${s.name}\` has index ${s.index}`, s.file, s.span);
    stages.push(lw.in(s.file, () => ({ name: s.name, loc: lw.loc(s.span) })));
  }

  const segments: Record<string, Segment> = {};
  for (const s of model.segments.values()) {
    setOwn(segments, s.name, lw.in(s.file, () => ({ condition: lowerExpr(lw, s.decl.condition), loc: lw.loc(s.decl.span) })));
  }

  const scores: Record<string, Score> = {};
  for (const s of model.scores.values()) setOwn(scores, s.name, lw.in(s.file, () => lowerScore(lw, s)));

  const thresholds: Record<string, Threshold> = {};
  for (const t of model.thresholds.values()) {
    setOwn(thresholds, t.name, lw.in(t.file, () => ({
      condition: lowerExpr(lw, t.decl.condition),
      actions: lowerActions(lw, t.decl.actions),
      loc: lw.loc(t.decl.span),
    })));
  }

  const handlers: Handler[] = model.handlers.map((h) => lw.in(h.file, () => ({
    event: lw.name(h.decl.event, 'event'),
    where: h.decl.where ? lowerExpr(lw, h.decl.where) : null,
    actions: lowerActions(lw, h.decl.actions),
    loc: lw.loc(h.decl.span),
  })));

  const pressure: Pressure = model.pressure
    ? lw.in(model.pressure.file, () => lowerPressure(lw, model.pressure!.decl))
    : { caps: [], gaps: [], topicGaps: [], quietHours: [], quietDays: [], capped: { mode: 'delay', upToMs: 7 * 86_400_000, loc: null }, loc: null };

  const journeys: Plan['journeys'] = {};
  for (const j of model.journeys.values()) setOwn(journeys, j.name, lw.in(j.file, () => lowerJourney(lw, j.decl)));

  const tests: PlanTest[] = [];
  for (const t of model.tests.values()) tests.push(lw.in(t.file, () => lowerTest(lw, t.decl)));

  return {
    format: PLAN_FORMAT,
    version: PLAN_VERSION,
    source: { files, hash, compiler: `nurture ${options.compilerVersion ?? defaultCompilerVersion()}` },
    timezone: zone,
    controlGroup: model.controlGroup
      ? lw.in(model.controlGroup.file, () => ({ percent: model.controlGroup!.percent, loc: lw.loc(model.controlGroup!.decl.span) }))
      : null,
    attributes,
    events,
    channels,
    topics,
    contents,
    streams,
    stages,
    segments,
    scores,
    thresholds,
    handlers,
    pressure,
    journeys,
    tests,
  };
}

/**
 * The plan as written by `nurture compile`: two-space JSON and a final newline, with a short array of
 * plain values on one line (`"loc": [0, 12, 3]`, a list of members): a third of the size of
 * `JSON.stringify(plan, null, 2)`, which gives every number of every location a line of its own, and
 * still one property per line for a readable diff in review.
 */
export function serializePlan(plan: Plan): string {
  // One native stringify, then arrays holding no object, array or bracket are put back on one line.
  return JSON.stringify(plan, null, 2).replace(PLAIN_ARRAY, (whole: string, items: string) => {
    const line = '[' + items.split(ITEM_BREAK).join(', ') + ']';
    return line.length <= INLINE_WIDTH ? line : whole;
  }) + '\n';
}

const INLINE_WIDTH = 80;
const PLAIN_ARRAY = /\[\n +([^[\]{}\n]+(?:,\n +[^[\]{}\n]+)*)\n *\]/g;
const ITEM_BREAK = /,\n +/;

function sha256(text: string): string {
  return 'sha256:' + createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The plan type of an attribute or event field. */
function fieldType(lw: Lowering, t: Type, loc: EventField['loc']): EventField {
  switch (t.kind) {
    case 'text':
    case 'number':
    case 'bool':
    case 'date':
    case 'content':
    case 'channel':
    case 'topic':
      return { type: t.kind, loc };
    case 'list':
      return { type: 'textList', loc };
    case 'enum':
      return { type: 'enum', members: t.info.members.map((m) => m.name), loc };
    default:
      return lw.fail(`an attribute or field of type ${t.kind} cannot be compiled`, undefined);
  }
}
