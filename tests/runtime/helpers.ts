// A tiny builder for runtime test plans: fills every required-but-null field of the plan format,
// numbers journey steps and fills in linear `next` transitions, then loads the plan through
// `loadPlan` so that every test plan is a valid plan.
import { loadPlan } from '../../runtime/load-plan.js';
import type {
  Action,
  Const,
  Entry,
  Exit,
  Expr,
  Goal,
  Loc,
  Plan,
  Pressure,
  Reentry,
  Step,
} from '../../runtime/plan-types.js';
import { createRuntime, type Runtime, type RuntimeOptions } from '../../runtime/engine/index.js';
import type { AuditRecord, RuntimeAction } from '../../runtime/engine/core.js';

export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

let line = 1;
/** A fresh location (distinct lines, so that tests can tell rules apart by `loc`). */
export const loc = (l?: number): Loc => [0, l ?? line++, 1];

// ---------------------------------------------------------------------------------------------
// Expressions

export const num = (value: number): Const => ({ op: 'const', type: 'number', value, loc: loc() });
export const txt = (value: string): Const => ({ op: 'const', type: 'text', value, loc: loc() });
export const bool = (value: boolean): Const => ({ op: 'const', type: 'bool', value, loc: loc() });
export const en = (value: string): Const => ({ op: 'const', type: 'enum', value, loc: loc() });
export const stg = (value: number): Const => ({ op: 'const', type: 'stage', value, loc: loc() });
export const dateC = (iso: string): Const => ({ op: 'const', type: 'date', value: Date.parse(`${iso}T00:00:00Z`) / DAY, loc: loc() });
export const list = (value: string[]): Const => ({ op: 'const', type: 'textList', value, loc: loc() });
export const attr = (name: string): Expr => ({ op: 'attr', name, loc: loc() });
export const field = (name: string): Expr => ({ op: 'field', name, loc: loc() });
export const score = (name: string): Expr => ({ op: 'score', name, loc: loc() });
export const stage = (): Expr => ({ op: 'stage', loc: loc() });
export const seg = (name: string): Expr => ({ op: 'segment', name, loc: loc() });
export const and = (...args: Expr[]): Expr => ({ op: 'and', args, loc: loc() });
export const or = (...args: Expr[]): Expr => ({ op: 'or', args, loc: loc() });
export const not = (arg: Expr): Expr => ({ op: 'not', arg, loc: loc() });
export const known = (arg: Expr): Expr => ({ op: 'known', arg, loc: loc() });
export const missing = (arg: Expr): Expr => ({ op: 'missing', arg, loc: loc() });
export const cmp = (c: '==' | '!=' | '<' | '<=' | '>' | '>=', left: Expr, right: Expr | number): Expr => ({
  op: 'cmp',
  cmp: c,
  left,
  right: typeof right === 'number' ? num(right) : right,
  loc: loc(),
});
export const ge = (l: Expr, r: Expr | number) => cmp('>=', l, r);
export const lt = (l: Expr, r: Expr | number) => cmp('<', l, r);
export const eq = (l: Expr, r: Expr | number) => cmp('==', l, r);
export const inList = (value: Expr, items: Const[]): Expr => ({ op: 'in', value, list: items, loc: loc() });
export const notIn = (value: Expr, items: Const[]): Expr => ({ op: 'notIn', value, list: items, loc: loc() });
export const contains = (left: Expr, right: Expr): Expr => ({ op: 'contains', left, right, loc: loc() });
export const arith = (a: '+' | '-' | '*' | '/', left: Expr, right: Expr): Expr => ({ op: 'arith', arith: a, left, right, loc: loc() });
export const has = (event: string, o: { where?: Expr; atLeast?: number; within?: number } = {}): Expr => ({
  op: 'has',
  event,
  where: o.where ?? null,
  atLeast: o.atLeast ?? 1,
  withinMs: o.within ?? null,
  loc: loc(),
});
export const received = (content: string, o: { within?: number; at?: number; times?: number } = {}): Expr => ({
  op: 'received',
  content,
  withinMs: o.within ?? null,
  atMs: o.at ?? null,
  times: o.times ?? null,
  loc: loc(),
});
export const receivedAny = (stream: string, within?: number): Expr => ({ op: 'receivedAny', stream, withinMs: within ?? null, loc: loc() });
export const inJourney = (journey: string): Expr => ({ op: 'inJourney', journey, loc: loc() });
export const completedJourney = (journey: string): Expr => ({ op: 'completedJourney', journey, loc: loc() });
export const handedOff = (queue: string | null = null): Expr => ({ op: 'handedOff', queue, loc: loc() });

// ---------------------------------------------------------------------------------------------
// Actions and steps. Steps omit `id`; a missing `next` (or continuation) means "the following step".

type Auto<T> = T extends unknown ? Omit<T, 'id' | 'next'> & { next?: number | null } : never;
export type StepSpec = Auto<Step> | (Auto<Step> & Record<string, unknown>);

export const A = {
  send: (content: string): Action => ({ kind: 'send', content, loc: loc() }),
  set: (attribute: string, value: Expr): Action => ({ kind: 'setAttr', attribute, value, loc: loc() }),
  stage: (s: number): Action => ({ kind: 'setStage', stage: s, loc: loc() }),
  score: (s: string, value: Expr | number): Action => ({ kind: 'setScore', score: s, value: typeof value === 'number' ? num(value) : value, loc: loc() }),
  handoff: (queue: string): Action => ({ kind: 'handoff', queue, loc: loc() }),
  enroll: (journey: string): Action => ({ kind: 'enroll', journey, loc: loc() }),
  remove: (journey: string): Action => ({ kind: 'removeFrom', journey, loc: loc() }),
};

const U = undefined as unknown as number; // placeholder, filled by `numberSteps`
export const S = {
  send: (content: string, next?: number | null) => ({ kind: 'send' as const, content, loc: loc(), ...(next !== undefined ? { next } : {}) }),
  sendNext: (stream: string, o: { exhausted?: number | null; next?: number | null } = {}) => ({
    kind: 'sendNext' as const,
    stream,
    exhausted: o.exhausted === undefined ? U : o.exhausted,
    loc: loc(),
    ...(o.next !== undefined ? { next: o.next } : {}),
  }),
  wait: (durationMs: number, next?: number | null) => ({ kind: 'wait' as const, durationMs, loc: loc(), ...(next !== undefined ? { next } : {}) }),
  waitFor: (event: string, upToMs: number, o: { where?: Expr; onEvent?: number | null; onTimeout?: number | null } = {}) => ({
    kind: 'waitFor' as const,
    event,
    where: o.where ?? null,
    upToMs,
    onEvent: o.onEvent === undefined ? U : o.onEvent,
    onTimeout: o.onTimeout === undefined ? U : o.onTimeout,
    loc: loc(),
  }),
  waitUntil: (condition: Expr, upToMs: number, o: { onTrue?: number | null; onTimeout?: number | null } = {}) => ({
    kind: 'waitUntil' as const,
    condition,
    upToMs,
    onTrue: o.onTrue === undefined ? U : o.onTrue,
    onTimeout: o.onTimeout === undefined ? U : o.onTimeout,
    loc: loc(),
  }),
  if: (branches: [Expr, number | null][], elseTarget?: number | null) => ({
    kind: 'if' as const,
    branches: branches.map(([condition, target]) => ({ condition, target, loc: loc() })),
    else: elseTarget === undefined ? U : elseTarget,
    loc: loc(),
  }),
  split: (branches: [number, number | null][]) => ({
    kind: 'split' as const,
    branches: branches.map(([percent, target]) => ({ percent, target, loc: loc() })),
    loc: loc(),
  }),
  repeat: (everyMs: number, o: { max?: number; until?: Expr; body?: number; next?: number | null }) => ({
    kind: 'repeat' as const,
    everyMs,
    max: o.max ?? null,
    until: o.until ?? null,
    body: o.body ?? U,
    loc: loc(),
    ...(o.next !== undefined ? { next: o.next } : {}),
  }),
  moveTo: (journey: string) => ({ kind: 'moveTo' as const, journey, loc: loc() }),
  end: () => ({ kind: 'end' as const, loc: loc() }),
  act: (a: Action, next?: number | null) => ({ ...a, ...(next !== undefined ? { next } : {}) }),
};

function numberSteps(specs: Record<string, unknown>[]): Step[] {
  const n = specs.length;
  return specs.map((spec, id) => {
    const cont = id + 1 < n ? id + 1 : null;
    const s: Record<string, unknown> = { id, ...spec };
    const fill = (k: string, v: unknown = cont) => {
      if (s[k] === undefined) s[k] = v;
    };
    switch (s.kind) {
      case 'waitFor':
        fill('onEvent');
        fill('onTimeout');
        break;
      case 'waitUntil':
        fill('onTrue');
        fill('onTimeout');
        break;
      case 'if':
        fill('else');
        break;
      case 'split':
      case 'moveTo':
      case 'end':
        break;
      case 'repeat':
        fill('body', id + 1 < n ? id + 1 : id);
        fill('next', null);
        break;
      case 'sendNext':
        fill('next');
        fill('exhausted', s.next);
        break;
      default:
        fill('next');
    }
    // keep the schema's key order irrelevant: loadPlan checks properties, not order
    return s as unknown as Step;
  });
}

// ---------------------------------------------------------------------------------------------
// Plans

type TypeSpec = 'text' | 'number' | 'bool' | 'date' | 'textList' | 'content' | 'channel' | 'topic' | string[];

export interface JourneySpec {
  entries?: Entry[];
  audience?: Expr;
  reentry?: Reentry;
  exits?: Exit[];
  goal?: Goal;
  holdout?: number;
  priority?: number;
  steps: Record<string, unknown>[];
}

export interface RulesScoreSpec {
  fit?: [number, Expr][];
  engagement?: { points: number; event: string; where?: Expr; max?: [number, number]; once?: boolean }[];
  decay?: { kind: 'percent' | 'amount'; value: number; everyMs: number };
  range?: [number, number];
}

export interface PlanSpec {
  timezone?: string;
  /** `control group P%`. */
  controlGroup?: number;
  attributes?: Record<string, TypeSpec>;
  events?: Record<string, Record<string, TypeSpec>>;
  channels?: Record<string, string | null>;
  topics?: string[];
  contents?: Record<string, { channel?: string; topic?: string; cost?: number; transactional?: boolean }>;
  streams?: Record<string, string[]>;
  stages?: string[];
  segments?: Record<string, Expr>;
  scores?: Record<string, RulesScoreSpec | Expr>;
  thresholds?: Record<string, { when: Expr; do: Action[] }>;
  handlers?: { event: string; where?: Expr; do: Action[] }[];
  pressure?: Partial<Omit<Pressure, 'loc'>>;
  journeys?: Record<string, JourneySpec>;
}

const typeOf = (t: TypeSpec) => (Array.isArray(t) ? { type: 'enum' as const, members: t, loc: loc() } : { type: t, loc: loc() });

export const entryOn = (event: string, where?: Expr): Entry => ({ kind: 'on', event, where: where ?? null, loc: loc() });
export const entryWhen = (condition: Expr): Entry => ({ kind: 'when', condition, loc: loc() });
export const entryDate = (attribute: string, offsetMs: number, yearly = false, atMinute = 540): Entry => ({
  kind: 'date',
  attribute,
  offsetMs,
  atMinute,
  yearly,
  loc: loc(),
});
export const exitWhen = (condition: Expr): Exit => ({ kind: 'when', condition, loc: loc() });
export const exitOn = (event: string, where?: Expr): Exit => ({ kind: 'on', event, where: where ?? null, loc: loc() });
export const goalWhen = (condition: Expr, withinMs: number): Goal => ({ kind: 'when', condition, withinMs, loc: loc() });
export const goalOn = (event: string, withinMs: number, where?: Expr): Goal => ({ kind: 'on', event, where: where ?? null, withinMs, loc: loc() });
export const reentry = (mode: 'never' | 'always' | number): Reentry =>
  typeof mode === 'number' ? { mode: 'after', afterMs: mode, loc: loc() } : { mode, afterMs: null, loc: loc() };

/** Builds a plan from a compact spec and checks it with `loadPlan` (throws with the errors). */
export function buildPlan(spec: PlanSpec): Plan {
  const contents = spec.contents ?? {};
  const channels = spec.channels ?? { email: 'email_consent' };
  const attributes: Record<string, TypeSpec> = { ...(spec.attributes ?? {}) };
  for (const c of Object.values(channels)) if (c !== null && !(c in attributes)) attributes[c] = 'bool';
  const topics = new Set(spec.topics ?? []);
  for (const c of Object.values(contents)) if (c.topic) topics.add(c.topic);
  const plan: Plan = {
    format: 'nurture-plan',
    version: 1,
    source: { files: [{ path: 'test.nurture', hash: `sha256:${'a'.repeat(64)}` }], hash: `sha256:${'b'.repeat(64)}`, compiler: 'nurture test' },
    timezone: spec.timezone ?? 'UTC',
    controlGroup: spec.controlGroup === undefined ? null : { percent: spec.controlGroup, loc: loc() },
    attributes: Object.fromEntries(Object.entries(attributes).map(([k, t]) => [k, typeOf(t)])) as Plan['attributes'],
    events: Object.fromEntries(
      Object.entries(spec.events ?? {}).map(([k, fields]) => [k, { fields: Object.fromEntries(Object.entries(fields).map(([f, t]) => [f, typeOf(t)])), loc: loc() }]),
    ) as Plan['events'],
    channels: Object.fromEntries(Object.entries(channels).map(([k, consent]) => [k, { consent, loc: loc() }])),
    topics: Object.fromEntries([...topics].map((t) => [t, { loc: loc() }])),
    contents: Object.fromEntries(
      Object.entries(contents).map(([k, c]) => [
        k,
        {
          channel: c.channel ?? Object.keys(channels)[0]!,
          topic: c.topic ?? null,
          template: null,
          subject: null,
          cost: c.cost ?? 0,
          transactional: c.transactional ?? false,
          metadata: {},
          loc: loc(),
        },
      ]),
    ),
    streams: Object.fromEntries(Object.entries(spec.streams ?? {}).map(([k, cs]) => [k, { contents: cs, loc: loc() }])),
    stages: (spec.stages ?? []).map((name) => ({ name, loc: loc() })),
    segments: Object.fromEntries(Object.entries(spec.segments ?? {}).map(([k, condition]) => [k, { condition, loc: loc() }])),
    scores: Object.fromEntries(
      Object.entries(spec.scores ?? {}).map(([k, s]) => {
        if ('op' in s) return [k, { kind: 'derived', expr: s as Expr, loc: loc() }];
        const r = s as RulesScoreSpec;
        return [
          k,
          {
            kind: 'rules',
            fit: (r.fit ?? []).map(([points, condition]) => ({ points, condition, loc: loc() })),
            engagement: (r.engagement ?? []).map((e) => ({
              points: e.points,
              event: e.event,
              where: e.where ?? null,
              limit: e.max ? { kind: 'max', count: e.max[0], perMs: e.max[1], loc: loc() } : e.once ? { kind: 'once', loc: loc() } : null,
              loc: loc(),
            })),
            decay: r.decay ? { ...r.decay, loc: loc() } : null,
            range: r.range ? { min: r.range[0], max: r.range[1], loc: loc() } : { min: 0, max: 100, loc: null },
            loc: loc(),
          },
        ];
      }),
    ) as Plan['scores'],
    thresholds: Object.fromEntries(Object.entries(spec.thresholds ?? {}).map(([k, t]) => [k, { condition: t.when, actions: t.do, loc: loc() }])),
    handlers: (spec.handlers ?? []).map((h) => ({ event: h.event, where: h.where ?? null, actions: h.do, loc: loc() })),
    pressure: {
      caps: spec.pressure?.caps ?? [],
      gaps: spec.pressure?.gaps ?? [],
      topicGaps: spec.pressure?.topicGaps ?? [],
      quietHours: spec.pressure?.quietHours ?? [],
      quietDays: spec.pressure?.quietDays ?? [],
      capped: spec.pressure?.capped ?? { mode: 'delay', upToMs: 7 * DAY, loc: null },
      loc: spec.pressure ? loc() : null,
    },
    journeys: Object.fromEntries(
      Object.entries(spec.journeys ?? {}).map(([k, j]) => [
        k,
        {
          entries: j.entries ?? [],
          audience: j.audience ?? null,
          reentry: j.reentry ?? { mode: 'never', afterMs: null, loc: null },
          exits: j.exits ?? [],
          goal: j.goal ?? null,
          holdoutPercent: j.holdout ?? 0,
          priority: j.priority ?? 0,
          steps: numberSteps(j.steps),
          loc: loc(),
        },
      ]),
    ),
    tests: [],
  };
  const r = loadPlan(JSON.parse(JSON.stringify(plan)));
  if (!r.ok) throw new Error(`invalid test plan:\n${r.errors.map((e) => `${e.path}: ${e.message}`).join('\n')}`);
  return r.plan;
}

// Pressure rules
export const P = {
  cap: (count: number, windowMs: number, channel: string | null = null) => ({ count, windowMs, channel, loc: loc() }),
  gap: (gapMs: number, channel: string | null = null) => ({ gapMs, channel, loc: loc() }),
  topicGap: (gapMs: number) => ({ gapMs, loc: loc() }),
  quietHours: (from: string, to: string) => ({ from: hm(from), to: hm(to), loc: loc() }),
  quietDays: (...days: number[]) => ({ days, loc: loc() }),
  delay: (upToMs: number) => ({ mode: 'delay' as const, upToMs, loc: loc() }),
  skip: () => ({ mode: 'skip' as const, upToMs: null, loc: loc() }),
};
const hm = (s: string) => +s.slice(0, 2) * 60 + +s.slice(3, 5);

// ---------------------------------------------------------------------------------------------
// Time, events and output

/** `"2026-01-05 09:00"` (UTC) → epoch ms. Also accepts a full ISO string with offset. */
export function T(s: string): number {
  if (/[zZ]|[+-]\d\d:\d\d$/.test(s)) return Date.parse(s);
  return Date.parse(`${s.replace(' ', 'T')}:00Z`);
}

/** Epoch ms → `"2026-01-05 09:00"` (UTC). */
export function fmtT(t: number): string {
  const iso = new Date(t).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

export function ev(lead: string, type: string, at: string, data?: Record<string, unknown>, id?: string): Record<string, unknown> {
  const e: Record<string, unknown> = { lead, type, at: /[zZ]|[+-]\d\d:\d\d$/.test(at) ? at : `${at.replace(' ', 'T')}:00Z` };
  if (data) e.data = data;
  if (id) e.id = id;
  return e;
}

export const profile = (lead: string, at: string, data: Record<string, unknown>, id?: string) => ev(lead, 'profile', at, data, id);

/** One action as a short line: `2026-01-05 09:00 send welcome_email`. */
export function fmtAction(a: RuntimeAction): string {
  const t = fmtT(a.at);
  switch (a.type) {
    case 'send':
      return `${t} send ${a.content}`;
    case 'handoff':
      return `${t} handoff ${a.to}`;
    case 'stage':
      return `${t} stage ${a.from}->${a.to}`;
    case 'set':
      return `${t} set ${a.attribute}=${JSON.stringify(a.value)}`;
  }
}

/** One audit record as a short line: `2026-01-05 09:00 delayed welcome_email [quiet hours 20:00 to 08:00]`. */
export function fmtAudit(r: AuditRecord): string {
  return `${fmtT(r.at)} ${r.kind}${r.journey ? ` ${r.journey}` : ''}${r.subject && r.subject !== r.journey ? ` ${r.subject}` : ''}${r.rule ? ` [${r.rule}]` : ''}`;
}

export function runtime(spec: PlanSpec | Plan, opts: RuntimeOptions = {}): Runtime {
  const plan = 'format' in spec ? (spec as Plan) : buildPlan(spec as PlanSpec);
  return createRuntime(plan, opts);
}

/** Feeds events (throws on a rejected one), then runs timers until `until`; returns the action lines. */
export function run(rt: Runtime, events: Record<string, unknown>[], until?: string): string[] {
  for (const e of events) {
    const r = rt.ingest(e);
    if (!r.ok) throw new Error(`rejected: ${r.reason}`);
  }
  if (until) rt.advanceTo(T(until));
  return rt.drainActions().map(fmtAction);
}

/** Audit lines of a given kind. */
export function auditOf(rt: Runtime, lead: string, ...kinds: string[]): string[] {
  return rt
    .audit(lead)
    .filter((r) => kinds.length === 0 || kinds.includes(r.kind))
    .map(fmtAudit);
}
