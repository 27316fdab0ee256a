// Precompiles a plan, once, into the in-memory form the engine runs: slots instead of names, maps
// from event type to the rules, handlers, entries and exits it triggers, closures for every
// expression, journeys sorted by priority, pressure rules with their human descriptions.
import type { Action, Expr, Journey, Loc, Plan, Step } from '../plan-types.js';
import { compileCond, compileValue, readsOnlyAttributes, type CondFn, type ExprEnv, type ValueFn } from './expr.js';
import { walkExpr } from '../plan-expr-walk.js';
import { valueCheck, type ValueCheck } from './events.js';
import { layoutOf, type Layout } from './lead.js';
import { formatDuration, formatMinute, WEEKDAYS } from './time.js';
import { stepTargets } from '../plan-steps.js';
import { internalize } from './intern.js';
import { NOT_TIME_DRIVEN, timeDrivenOf, type TimeDriven } from './time-driven.js';

export interface IndexOptions {
  /** Keep every send time per content (needed by the test-only `received … at`). Default false. */
  keepSendLog?: boolean;
  /** `hash` (default): the holdout group is a stable hash of (lead, journey); `none`: nobody is held out
   * unless forced (what `nurture test` wants). */
  holdout?: 'hash' | 'none';
}

/** Actions; `rule` is the action in words for the audit trail (built once here, not per run). */
export type CAction =
  | { kind: 'send'; content: number; loc: Loc }
  | { kind: 'setAttr'; attr: number; name: string; value: ValueFn; rule: string; loc: Loc }
  | { kind: 'setStage'; stage: number; rule: string; loc: Loc }
  | { kind: 'setScore'; score: number; slot: number; value: ValueFn; rule: string; loc: Loc }
  | { kind: 'handoff'; queue: string; rule: string; loc: Loc }
  | { kind: 'enroll'; journey: number; loc: Loc }
  | { kind: 'removeFrom'; journey: number; rule: string; loc: Loc };

export interface CStep {
  step: Step;
  /** For action steps. */
  act: CAction | null;
  /** `waitUntil` condition / `repeat … until`. */
  cond: CondFn | null;
  /** `waitFor … where`. */
  where: CondFn | null;
  /** `waitFor`: the event's name. */
  event: string | null;
  /** `if` branches. */
  branches: { cond: CondFn; target: number | null; loc: Loc }[];
  /** `sendNext`: the stream's contents (slots), and the repeats whose counters end when it is exhausted. */
  stream: number[];
  clear: number[];
  /** `moveTo`: the target journey's slot. */
  target: number;
  /** Audit texts of the step (`move to …` / `send next from …`), or null. */
  rule: string | null;
}

export interface JourneyIx {
  name: string;
  slot: number;
  priority: number;
  holdoutPercent: number;
  audience: CondFn | null;
  audienceLoc: Loc | null;
  reentry: Journey['reentry'];
  exitsWhen: { cond: CondFn; loc: Loc }[];
  exitsOn: { event: string; where: CondFn | null; rule: string; loc: Loc }[];
  goal:
    | { kind: 'when'; cond: CondFn; withinMs: number; loc: Loc }
    | { kind: 'on'; event: string; where: CondFn | null; withinMs: number; rule: string; loc: Loc }
    | null;
  steps: CStep[];
  /** Audit texts: `holdout P%`, and the cause of an entry by `move to` this journey from elsewhere. */
  holdoutRule: string;
  moveFrom: string;
  loc: Loc;
}

/** What one event type sets in motion (8.2 steps 2–4), looked up once per event. */
export interface EventPlan {
  ev: EventIx;
  rules: EngRuleIx[];
  handlers: HandlerIx[];
  entries: EntryOnIx[];
  /** Some journey exits, converts or resumes a `wait for` on this event: step 4 has work to do. */
  journeyHooks: boolean;
  /** Audit texts. */
  handlerRule: string;
}

export interface HandlerIx {
  where: CondFn | null;
  actions: CAction[];
  loc: Loc;
}

export interface EntryOnIx {
  journey: number;
  where: CondFn | null;
  /** `entry on event`, for the audit trail. */
  cause: string;
  loc: Loc;
}

export interface EventIx {
  name: string;
  /** Position in declaration order. */
  index: number;
  fields: { name: string; type: string; members: string[] | null }[];
  fieldPos: Map<string, number>;
  /** By field position: its name, and the check of its values (input validation). */
  fieldNames: string[];
  checks: ValueCheck[];
  /** Tracked-event slot (the history keeps it for `has`), or -1. */
  tracked: number;
}

export interface TrackedIx {
  event: string;
  /** Event field positions copied into each history row, after the time. */
  fieldPositions: number[];
  stride: number;
  fieldPos: Map<string, number>;
  /** Rows older than now − keepMs are dropped; Infinity = keep all; -1 = keep no rows (count only). */
  keepMs: number;
}

export interface EngRuleIx {
  score: number;
  slot: number;
  points: number;
  where: CondFn | null;
  limit: { kind: 'max'; count: number; perMs: number } | { kind: 'once' } | null;
  /** Index into `LeadState.rh` (and `Layout.rh`), or -1 without a limit. */
  limitSlot: number;
  /** The rule in words, for the audit trail. */
  rule: string;
  loc: Loc;
}

export interface ScoreIx {
  name: string;
  /** Rules-score slot (engagement part index), or -1 for a derived score. */
  slot: number;
  fit: { points: number; cond: CondFn }[];
  /** Where the lead's cached fit part is kept in `x` (`Layout.fc`), or -1: fit rules reading more than attributes are evaluated every time. */
  fitCache: number;
  min: number;
  max: number;
  decay: { kind: 'percent' | 'amount'; value: number; everyMs: number; loc: Loc } | null;
  derived: ValueFn | null;
  /** The decay rule in words (`decay 20%`), or null. */
  decayRule: string | null;
  loc: Loc;
}

export interface ContentIx {
  name: string;
  channel: number;
  channelName: string;
  topic: number;
  cost: number;
  transactional: boolean;
  /** Consent attribute slot, or -1 when the channel has none. */
  consent: number;
  consentName: string | null;
  /** Audit of a suppressed send: `consent attr`, the channel's location, `no consent on channel …`. */
  consentRule: string;
  channelLoc: Loc | null;
  consentNote: string;
  loc: Loc;
}

export interface PressureRule {
  rule: string;
  loc: Loc;
}

export interface PressureIx {
  caps: (PressureRule & { count: number; windowMs: number; channel: number })[];
  gaps: (PressureRule & { gapMs: number; channel: number })[];
  topicGaps: (PressureRule & { gapMs: number })[];
  quietHours: (PressureRule & { from: number; to: number })[];
  quietDays: (PressureRule & { days: boolean[] })[];
  capped: { mode: 'delay' | 'skip'; upToMs: number; rule: string; loc: Loc | null };
  /** The note of a skipped message. */
  skipNote: string;
  /** How far back the pressure log must reach (the longest window or gap). */
  horizonMs: number;
  any: boolean;
}

export interface PlanIndex {
  plan: Plan;
  keepSendLog: boolean;
  holdoutByHash: boolean;
  files: string[];
  attrNames: string[];
  attrTypes: { type: string; members: string[] | null }[];
  attrSlot: Map<string, number>;
  /** By attribute slot: the check of its values (profile events). */
  attrChecks: ValueCheck[];
  /** Slot of the `timezone: text` attribute, or -1. */
  tzAttr: number;
  events: Map<string, EventIx>;
  tracked: TrackedIx[];
  channels: string[];
  topics: string[];
  contents: ContentIx[];
  contentSlot: Map<string, number>;
  streams: Map<string, number[]>;
  stages: string[];
  segments: CondFn[];
  scores: ScoreIx[];
  scoreSlot: Map<string, number>;
  /** Rules scores only: score index per rules slot. */
  rulesScores: number[];
  /** Per rules slot: the engagement part of a new lead (clamp(0) to the range). */
  egStart: number[];
  limitedRules: number;
  engByEvent: Map<string, EngRuleIx[]>;
  /** Rules scores that have fit rules (a profile change audits their moves). */
  fitScores: number[];
  thresholds: { name: string; cond: CondFn; actions: CAction[]; rule: string; loc: Loc }[];
  handlersByEvent: Map<string, HandlerIx[]>;
  /** Per behavioural event type: everything it triggers. */
  eventPlans: Map<string, EventPlan>;
  journeys: JourneyIx[];
  /**
   * The journey states of a lead that never touched a journey: one frozen list of nulls shared by those
   * leads in a runtime (`Lead.j`), replaced by the lead's own list at its first entry.
   */
  noJourneys: null[];
  journeySlot: Map<string, number>;
  /** Journey slots, higher priority first, then declaration order. */
  order: number[];
  entriesOn: Map<string, EntryOnIx[]>;
  entriesWhen: { journey: number; cond: CondFn; slot: number; loc: Loc }[];
  /** Journeys with `exit when` or `goal … within` (checked every round), and whether any step is a `wait until`. */
  roundJourneys: number[];
  anyWaitUntil: boolean;
  dateEntries: { journey: number; attr: number; offsetMs: number; atMinute: number; yearly: boolean; loc: Loc }[];
  /** Attribute slots that date entries (or the time zone) depend on. */
  dateAttrs: Set<number>;
  pressure: PressureIx;
  /** Stage index of an `mql` stage, or -1 (measures). */
  mqlStage: number;
  /** Name → slot lookups, for compiling more expressions against this index (`compileCondition`). */
  env: ExprEnv;
  /** Where each per-lead number is in the engine's working form of a state (lead.ts). */
  layout: Layout;
  /** Some score decays. */
  anyDecay: boolean;
  /** What time alone can change in the plan's conditions (§8.5, time-driven.ts). */
  timeDriven: TimeDriven;
}

/** Compiles a condition (e.g. a test's `expect`) against an index. */
export function compileCondition(ix: PlanIndex, e: Expr): CondFn {
  return compileCond(e, ix.env);
}

function mapOf<T>(rec: Record<string, T>): [string, T][] {
  return Object.keys(rec).map((k) => [k, rec[k]!]);
}

/** Compiles `plan` (already validated by `loadPlan`) into a `PlanIndex`. */
export function compilePlanIndex(plan: Plan, options: IndexOptions = {}): PlanIndex {
  const attrNames = Object.keys(plan.attributes);
  const attrSlot = new Map(attrNames.map((n, i) => [n, i]));
  const attrTypes = attrNames.map((n) => {
    const a = plan.attributes[n]!;
    return { type: a.type, members: a.type === 'enum' ? a.members : null };
  });
  const tzA = attrSlot.get('timezone');
  const tzAttr = tzA !== undefined && attrTypes[tzA]!.type === 'text' ? tzA : -1;

  const channels = Object.keys(plan.channels);
  const channelSlot = new Map(channels.map((n, i) => [n, i]));
  const topics = Object.keys(plan.topics);
  const topicSlot = new Map(topics.map((n, i) => [n, i]));
  const contents: ContentIx[] = mapOf(plan.contents).map(([name, c]) => {
    const consentName = plan.channels[c.channel]?.consent ?? null;
    return {
      name,
      channel: channelSlot.get(c.channel) ?? -1,
      channelName: c.channel,
      topic: c.topic === null ? -1 : (topicSlot.get(c.topic) ?? -1),
      cost: c.cost,
      transactional: c.transactional,
      consent: consentName === null ? -1 : (attrSlot.get(consentName) ?? -1),
      consentName,
      consentRule: `consent ${consentName}`,
      channelLoc: plan.channels[c.channel]?.loc ?? null,
      consentNote: `no consent on channel ${c.channel}`,
      loc: c.loc,
    };
  });
  const contentSlot = new Map(contents.map((c, i) => [c.name, i]));
  const streams = new Map(mapOf(plan.streams).map(([n, s]) => [n, s.contents.map((c) => contentSlot.get(c)!)]));
  const segNames = Object.keys(plan.segments);
  const segSlot = new Map(segNames.map((n, i) => [n, i]));
  const scoreNames = Object.keys(plan.scores);
  const scoreSlot = new Map(scoreNames.map((n, i) => [n, i]));
  const journeyNames = Object.keys(plan.journeys);
  const journeySlot = new Map(journeyNames.map((n, i) => [n, i]));

  // Events and the history that `has` needs --------------------------------------------------
  const known = { contentSlot, channels, topics };
  const events = new Map<string, EventIx>();
  for (const [name, def] of mapOf(plan.events)) {
    const fields = mapOf(def.fields).map(([fname, f]) => ({ name: fname, type: f.type, members: f.type === 'enum' ? f.members : null }));
    const checks = fields.map((f) => valueCheck(known, f.type, f.members));
    events.set(name, { name: internalize(name), index: events.size, fields, fieldPos: new Map(fields.map((f, i) => [f.name, i])), fieldNames: fields.map((f) => f.name), checks, tracked: -1 });
  }
  const hasNodes: Extract<Expr, { op: 'has' }>[] = [];
  forEachPlanExpr(plan, (root) =>
    walkExpr(root, (e) => {
      if (e.op === 'has') hasNodes.push(e);
    }),
  );
  const trackInfo = new Map<string, { fields: Set<string>; maxWithin: number; needAll: boolean; needRows: boolean }>();
  for (const h of hasNodes) {
    let info = trackInfo.get(h.event);
    if (!info) {
      info = { fields: new Set(), maxWithin: 0, needAll: false, needRows: false };
      trackInfo.set(h.event, info);
    }
    if (h.where) {
      collectFields(h.where, info.fields);
      info.needRows = true;
      if (h.withinMs === null) info.needAll = true;
    }
    if (h.withinMs !== null) {
      info.needRows = true;
      info.maxWithin = Math.max(info.maxWithin, h.withinMs);
    }
  }
  const tracked: TrackedIx[] = [];
  for (const [event, info] of trackInfo) {
    const ev = events.get(event);
    if (!ev) continue;
    const names = ev.fields.map((f) => f.name).filter((n) => info.fields.has(n));
    ev.tracked = tracked.length;
    tracked.push({
      event,
      fieldPositions: names.map((n) => ev.fieldPos.get(n)!),
      stride: 1 + names.length,
      fieldPos: new Map(names.map((n, i) => [n, i + 1])),
      keepMs: !info.needRows ? -1 : info.needAll ? Infinity : info.maxWithin,
    });
  }

  const env: ExprEnv = {
    attr: (n) => attrSlot.get(n)!,
    score: (n) => scoreSlot.get(n)!,
    segment: (n) => segSlot.get(n)!,
    journey: (n) => journeySlot.get(n)!,
    content: (n) => contentSlot.get(n)!,
    stream: (n) => streams.get(n) ?? [],
    tracked: (event) => {
      const slot = events.get(event)?.tracked ?? -1;
      const t = tracked[slot];
      if (t === undefined) throw new Error(`\`has ${event}\` is not part of the plan, so its history is not kept`);
      return { slot, stride: t.stride, fieldPos: t.fieldPos };
    },
    fields: null,
    histFields: null,
    keepSendLog: options.keepSendLog ?? false,
  };
  const whereEnv = (event: string): ExprEnv => ({ ...env, fields: events.get(event)?.fieldPos ?? new Map() });
  const cond = (e: Expr) => compileCond(e, env);
  const condWhere = (e: Expr | null, event: string) => (e === null ? null : compileCond(e, whereEnv(event)));

  const compileAction = (a: Action | Step): CAction => {
    switch (a.kind) {
      case 'send':
        return { kind: 'send', content: contentSlot.get(a.content)!, loc: a.loc };
      case 'setAttr':
        return { kind: 'setAttr', attr: attrSlot.get(a.attribute)!, name: a.attribute, value: compileValue(a.value, env), rule: `set ${a.attribute}`, loc: a.loc };
      case 'setStage':
        return { kind: 'setStage', stage: a.stage, rule: `set stage = ${plan.stages[a.stage]?.name}`, loc: a.loc };
      case 'setScore': {
        const score = scoreSlot.get(a.score)!;
        return { kind: 'setScore', score, slot: -1, value: compileValue(a.value, env), rule: `set ${a.score}`, loc: a.loc };
      }
      case 'handoff':
        return { kind: 'handoff', queue: a.queue, rule: `handoff "${a.queue}"`, loc: a.loc };
      case 'enroll':
        return { kind: 'enroll', journey: journeySlot.get(a.journey)!, loc: a.loc };
      case 'removeFrom':
        return { kind: 'removeFrom', journey: journeySlot.get(a.journey)!, rule: `remove from ${a.journey}`, loc: a.loc };
      default:
        throw new Error(`not an action: ${a.kind}`);
    }
  };

  // Segments and scores ------------------------------------------------------------------------
  const segments = segNames.map((n) => cond(plan.segments[n]!.condition));
  const rulesScores: number[] = [];
  const engByEvent = new Map<string, EngRuleIx[]>();
  let limitedRules = 0;
  /** Per limited rule (`limitSlot`): the applications it keeps (1 for `once`, K for `max K per D`). */
  const limitKeeps: number[] = [];
  let fitCaches = 0;
  const scores: ScoreIx[] = scoreNames.map((name, i) => {
    const s = plan.scores[name]!;
    if (s.kind === 'derived') {
      return { name, slot: -1, fit: [], fitCache: -1, min: -Infinity, max: Infinity, decay: null, derived: compileValue(s.expr, env), decayRule: null, loc: s.loc };
    }
    const slot = rulesScores.length;
    rulesScores.push(i);
    for (const r of s.engagement) {
      const list = engByEvent.get(r.event) ?? [];
      engByEvent.set(r.event, list);
      const limit = r.limit === null ? null : r.limit.kind === 'max' ? { kind: 'max' as const, count: r.limit.count, perMs: r.limit.perMs } : { kind: 'once' as const };
      const words = `${r.points >= 0 ? '+' : ''}${r.points} on ${r.event}${r.where ? ' where …' : ''}${
        r.limit === null ? '' : r.limit.kind === 'once' ? ' once' : ` max ${r.limit.count} per ${formatDuration(r.limit.perMs)}`
      }`;
      if (limit !== null) limitKeeps.push(limit.kind === 'once' ? 1 : limit.count);
      list.push({ score: i, slot, points: r.points, where: condWhere(r.where, r.event), limit, limitSlot: limit ? limitedRules++ : -1, rule: words, loc: r.loc });
    }
    return {
      name,
      slot,
      fit: s.fit.map((f) => ({ points: f.points, cond: cond(f.condition) })),
      fitCache: s.fit.length > 0 && s.fit.every((f) => readsOnlyAttributes(f.condition)) ? fitCaches++ : -1, // made absolute below
      min: s.range.min,
      max: s.range.max,
      decay: s.decay,
      derived: null,
      decayRule: s.decay === null ? null : `decay ${s.decay.kind === 'percent' ? `${s.decay.value}%` : s.decay.value}`,
      loc: s.loc,
    };
  });
  const fixScoreSlot = (a: CAction): CAction => {
    if (a.kind === 'setScore') a.slot = scores[a.score]!.slot;
    return a;
  };

  const thresholds = mapOf(plan.thresholds).map(([name, t]) => ({
    name,
    cond: cond(t.condition),
    actions: t.actions.map((a) => fixScoreSlot(compileAction(a))),
    rule: `threshold ${name}`,
    loc: t.loc,
  }));
  const handlersByEvent = new Map<string, HandlerIx[]>();
  for (const h of plan.handlers) {
    const list = handlersByEvent.get(h.event) ?? [];
    handlersByEvent.set(h.event, list);
    list.push({ where: condWhere(h.where, h.event), actions: h.actions.map((a) => fixScoreSlot(compileAction(a))), loc: h.loc });
  }

  // Journeys -----------------------------------------------------------------------------------
  const journeys: JourneyIx[] = journeyNames.map((name, slot) => {
    const j = plan.journeys[name]!;
    const steps: CStep[] = j.steps.map((step) => {
      const cs: CStep = { step, act: null, cond: null, where: null, event: null, branches: [], stream: [], clear: [], target: -1, rule: null };
      switch (step.kind) {
        case 'waitFor':
          cs.where = condWhere(step.where, step.event);
          cs.event = internalize(step.event);
          break;
        case 'waitUntil':
          cs.cond = cond(step.condition);
          break;
        case 'repeat':
          cs.cond = step.until ? cond(step.until) : null;
          break;
        case 'if':
          cs.branches = step.branches.map((b) => ({ cond: cond(b.condition), target: b.target, loc: b.loc }));
          break;
        case 'sendNext':
          cs.stream = streams.get(step.stream) ?? [];
          cs.rule = `send next from ${step.stream}`;
          break;
        case 'moveTo':
          cs.target = journeySlot.get(step.journey)!;
          cs.rule = `move to ${step.journey}`;
          break;
        case 'send':
        case 'setAttr':
        case 'setStage':
        case 'setScore':
        case 'handoff':
        case 'enroll':
        case 'removeFrom':
          cs.act = fixScoreSlot(compileAction(step));
          break;
        default:
          break;
      }
      return cs;
    });
    computeRepeatClears(steps);
    const g = j.goal;
    return {
      name,
      slot,
      priority: j.priority,
      holdoutPercent: j.holdoutPercent,
      audience: j.audience ? cond(j.audience) : null,
      audienceLoc: j.audience ? j.audience.loc : null,
      reentry: j.reentry,
      exitsWhen: j.exits.flatMap((x) => (x.kind === 'when' ? [{ cond: cond(x.condition), loc: x.loc }] : [])),
      exitsOn: j.exits.flatMap((x) => (x.kind === 'on' ? [{ event: internalize(x.event), where: condWhere(x.where, x.event), rule: `exit on ${x.event}`, loc: x.loc }] : [])),
      goal:
        g === null
          ? null
          : g.kind === 'when'
            ? { kind: 'when', cond: cond(g.condition), withinMs: g.withinMs, loc: g.loc }
            : { kind: 'on', event: internalize(g.event), where: condWhere(g.where, g.event), withinMs: g.withinMs, rule: `goal on ${g.event}`, loc: g.loc },
      steps,
      holdoutRule: `holdout ${j.holdoutPercent}%`,
      moveFrom: `move from ${name}`,
      loc: j.loc,
    };
  });
  const order = journeys.map((_, i) => i).sort((a, b) => journeys[b]!.priority - journeys[a]!.priority || a - b);
  const entriesOn = new Map<string, EntryOnIx[]>();
  const entriesWhen: PlanIndex['entriesWhen'] = [];
  const dateEntries: PlanIndex['dateEntries'] = [];
  const dateAttrs = new Set<number>();
  for (const js of order) {
    for (const e of plan.journeys[journeys[js]!.name]!.entries) {
      if (e.kind === 'on') {
        const list = entriesOn.get(e.event) ?? [];
        entriesOn.set(e.event, list);
        list.push({ journey: js, where: condWhere(e.where, e.event), cause: `entry on ${e.event}`, loc: e.loc });
      } else if (e.kind === 'when') {
        entriesWhen.push({ journey: js, cond: cond(e.condition), slot: entriesWhen.length, loc: e.loc });
      } else {
        const attr = attrSlot.get(e.attribute)!;
        dateAttrs.add(attr);
        dateEntries.push({ journey: js, attr, offsetMs: e.offsetMs, atMinute: e.atMinute, yearly: e.yearly, loc: e.loc });
      }
    }
  }
  if (dateEntries.length > 0 && tzAttr >= 0) dateAttrs.add(tzAttr);

  const eventPlans = new Map<string, EventPlan>();
  for (const [name, ev] of events) {
    const journeyHooks = journeys.some(
      (J) => J.exitsOn.some((x) => x.event === name) || (J.goal !== null && J.goal.kind === 'on' && J.goal.event === name) || J.steps.some((cs) => cs.event === name),
    );
    eventPlans.set(name, {
      ev,
      rules: engByEvent.get(name) ?? [],
      handlers: handlersByEvent.get(name) ?? [],
      entries: entriesOn.get(name) ?? [],
      journeyHooks,
      handlerRule: `on ${name}`,
    });
  }

  const layout = layoutOf({ tracked: tracked.length, rulesScores: rulesScores.length, thresholds: thresholds.length, entriesWhen: entriesWhen.length, dateEntries: dateEntries.length, limitKeeps, fitCaches });
  for (const sc of scores) if (sc.fitCache >= 0) sc.fitCache += layout.fc;
  const ix: PlanIndex = {
    plan,
    keepSendLog: options.keepSendLog ?? false,
    holdoutByHash: (options.holdout ?? 'hash') === 'hash',
    files: plan.source.files.map((f) => f.path),
    attrNames,
    attrTypes,
    attrSlot,
    attrChecks: attrTypes.map((t) => valueCheck(known, t.type, t.members)),
    tzAttr,
    events,
    tracked,
    channels,
    topics,
    contents,
    contentSlot,
    streams,
    stages: plan.stages.map((s) => s.name),
    segments,
    scores,
    scoreSlot,
    rulesScores,
    egStart: rulesScores.map((i) => (0 < scores[i]!.min ? scores[i]!.min : 0 > scores[i]!.max ? scores[i]!.max : 0)),
    limitedRules,
    engByEvent,
    fitScores: rulesScores.filter((i) => scores[i]!.fit.length > 0),
    thresholds,
    handlersByEvent,
    eventPlans,
    journeys,
    noJourneys: Object.freeze(journeys.map(() => null)) as null[],
    journeySlot,
    order,
    entriesOn,
    entriesWhen,
    roundJourneys: order.filter((js) => journeys[js]!.exitsWhen.length > 0 || journeys[js]!.goal?.kind === 'when'),
    anyWaitUntil: journeys.some((J) => J.steps.some((cs) => cs.step.kind === 'waitUntil')),
    dateEntries,
    dateAttrs,
    pressure: compilePressure(plan, channelSlot),
    mqlStage: plan.stages.findIndex((s) => s.name === 'mql'),
    env,
    layout,
    anyDecay: scores.some((sc) => sc.decay !== null),
    timeDriven: NOT_TIME_DRIVEN,
  };
  ix.timeDriven = timeDrivenOf(ix);
  return ix;
}

function compilePressure(plan: Plan, channelSlot: Map<string, number>): PressureIx {
  const p = plan.pressure;
  const on = (ch: string | null) => (ch === null ? '' : ` on ${ch}`);
  const caps = p.caps.map((c) => ({
    count: c.count,
    windowMs: c.windowMs,
    channel: c.channel === null ? -1 : channelSlot.get(c.channel)!,
    rule: `max ${c.count} message${c.count === 1 ? '' : 's'} per ${formatDuration(c.windowMs)}${on(c.channel)}`,
    loc: c.loc,
  }));
  const gaps = p.gaps.map((g) => ({
    gapMs: g.gapMs,
    channel: g.channel === null ? -1 : channelSlot.get(g.channel)!,
    rule: `min ${formatDuration(g.gapMs)} between messages${on(g.channel)}`,
    loc: g.loc,
  }));
  const topicGaps = p.topicGaps.map((g) => ({ gapMs: g.gapMs, rule: `min ${formatDuration(g.gapMs)} between messages on the same topic`, loc: g.loc }));
  const quietHours = p.quietHours.map((q) => ({ from: q.from, to: q.to, rule: `quiet hours ${formatMinute(q.from)} to ${formatMinute(q.to)}`, loc: q.loc }));
  const quietDays = p.quietDays.map((q) => {
    const days = Array.from({ length: 8 }, () => false);
    for (const d of q.days) days[d] = true;
    return { days, rule: `quiet days ${q.days.map((d) => WEEKDAYS[d - 1]).join(', ')}`, loc: q.loc };
  });
  const capped =
    p.capped.mode === 'delay'
      ? { mode: 'delay' as const, upToMs: p.capped.upToMs, rule: `delay capped messages up to ${formatDuration(p.capped.upToMs)}`, loc: p.capped.loc }
      : { mode: 'skip' as const, upToMs: 0, rule: 'skip capped messages', loc: p.capped.loc };
  let horizonMs = 0;
  for (const c of caps) horizonMs = Math.max(horizonMs, c.windowMs);
  for (const g of gaps) horizonMs = Math.max(horizonMs, g.gapMs);
  for (const g of topicGaps) horizonMs = Math.max(horizonMs, g.gapMs);
  const any = caps.length + gaps.length + topicGaps.length + quietHours.length + quietDays.length > 0;
  const skipNote = capped.mode === 'skip' ? capped.rule : `not allowed within ${capped.rule.replace('delay capped messages ', '')}`;
  return { caps, gaps, topicGaps, quietHours, quietDays, capped, skipNote, horizonMs, any };
}

/** Field names referenced by a `where` (not descending into nested `has`, whose fields are another event's). */
function collectFields(e: Expr, out: Set<string>): void {
  walkExpr(e, (n) => {
    if (n.op === 'field') out.add(n.name);
    return n.op !== 'has';
  });
}

/** For each `send next from`, the repeats whose iteration counters end when the stream is exhausted. */
function computeRepeatClears(steps: CStep[]): void {
  for (const r of steps) {
    const rs = r.step;
    if (rs.kind !== 'repeat') continue;
    const body = new Set<number>();
    const stack = rs.body === rs.id ? [] : [rs.body];
    while (stack.length > 0) {
      const s = stack.pop()!;
      if (s === rs.id || body.has(s)) continue;
      body.add(s);
      for (const t of stepTargets(steps[s]!.step, false)) if (t !== null) stack.push(t);
    }
    for (const s of body) {
      const st = steps[s]!.step;
      if (st.kind === 'sendNext' && (st.exhausted === null || (!body.has(st.exhausted) && st.exhausted !== rs.id))) {
        steps[s]!.clear.push(rs.id);
      }
    }
  }
}

/** Calls `visit` with every root expression of the plan (conditions, values, wheres, test expectations). */
export function forEachPlanExpr(plan: Plan, visit: (e: Expr) => void): void {
  const action = (a: Action | Step) => {
    if (a.kind === 'setAttr' || a.kind === 'setScore') visit(a.value);
  };
  for (const s of Object.values(plan.segments)) visit(s.condition);
  for (const s of Object.values(plan.scores)) {
    if (s.kind === 'derived') {
      visit(s.expr);
      continue;
    }
    for (const f of s.fit) visit(f.condition);
    for (const r of s.engagement) if (r.where) visit(r.where);
  }
  for (const t of Object.values(plan.thresholds)) {
    visit(t.condition);
    t.actions.forEach(action);
  }
  for (const h of plan.handlers) {
    if (h.where) visit(h.where);
    h.actions.forEach(action);
  }
  for (const j of Object.values(plan.journeys)) {
    for (const e of j.entries) {
      if (e.kind === 'on' && e.where) visit(e.where);
      if (e.kind === 'when') visit(e.condition);
    }
    if (j.audience) visit(j.audience);
    for (const x of j.exits) {
      if (x.kind === 'when') visit(x.condition);
      else if (x.where) visit(x.where);
    }
    if (j.goal) {
      if (j.goal.kind === 'when') visit(j.goal.condition);
      else if (j.goal.where) visit(j.goal.where);
    }
    for (const s of j.steps) {
      switch (s.kind) {
        case 'waitFor':
          if (s.where) visit(s.where);
          break;
        case 'waitUntil':
          visit(s.condition);
          break;
        case 'if':
          for (const b of s.branches) visit(b.condition);
          break;
        case 'repeat':
          if (s.until) visit(s.until);
          break;
        default:
          action(s);
      }
    }
  }
  for (const t of plan.tests) for (const st of t.statements) if (st.kind === 'expect') visit(st.condition);
}
