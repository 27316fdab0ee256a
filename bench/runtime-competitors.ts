// The runtime bench's workload for two general-purpose rules engines, as their users would write it:
// the scoring rules (fit and engagement), the MQL threshold and the journey entries are rules of the
// engine, evaluated ONCE PER EVENT against that event's facts; the per-lead state (attributes, score,
// stage, the windows of the limited rules) and the journeys under pressure caps stay in plain JS (the
// same code as the hand-written baseline, runtime-workload.ts), so that all contenders send exactly the
// same messages and agree on the checksum.
//
//   (a) json-rules-engine, default set-up: `new Engine(rules)`, `await engine.run(facts)` per event;
//   (b) @gorules/zen-engine: one JDM decision (three decision tables + an expression node), `await
//       decision.evaluate(facts)` per event. It is not a devDependency (the registry here has only its
//       linux-x64 binary, so the lock file cannot list the others): it is used when installed
//       (`npm install --no-save @gorules/zen-engine@0.54.0`), else skipped.
//
// Both are generated from one table of the rules (RULES below), written once.
import { Engine, type RuleProperties, type TopLevelCondition, type Almanac, type Event as JreEvent } from 'json-rules-engine';
import { activityOn, applyProfile, enter, finish, inWindow, newChecksum, timeDriven, touchLead, type Checksum, type HLead, type RawEvent } from './runtime-workload.js';

const DAY = 86_400_000;

/** A condition on one fact: equal, one of, at least, below. */
type Cond = [fact: string, op: 'eq' | 'in' | 'gte' | 'lt', value: string | number | boolean | string[]];

interface RuleSpec {
  kind: 'fit' | 'points' | 'enter';
  /** Points (fit, points) or journey (enter). */
  value: number;
  when: Cond[];
  /** Limited engagement rules: the window of applications the host keeps. */
  limit?: 'opened' | 'ebooks' | 'demo';
}

const BIG = ['manager', 'director', 'vp', 'c_level'];

/** The plan's fit rules, engagement rules and `entry on` rules (BENCH_SOURCE), as facts and conditions. */
export const RULES: RuleSpec[] = [
  { kind: 'fit', value: 20, when: [['job', 'in', ['vp', 'c_level']]] },
  { kind: 'fit', value: 10, when: [['job', 'eq', 'director']] },
  { kind: 'fit', value: 10, when: [['employees', 'gte', 200]] },
  { kind: 'fit', value: 5, when: [['country', 'eq', 'FR']] },
  { kind: 'points', value: 1, when: [['type', 'eq', 'email_opened'], ['openedRecently', 'lt', 5]], limit: 'opened' },
  { kind: 'points', value: 3, when: [['type', 'eq', 'email_clicked']] },
  { kind: 'points', value: 5, when: [['type', 'eq', 'page_viewed'], ['topic', 'eq', 'pricing']] },
  { kind: 'points', value: 2, when: [['type', 'eq', 'page_viewed'], ['topic', 'eq', 'blog'], ['employees', 'gte', 50]] },
  { kind: 'points', value: 10, when: [['type', 'eq', 'form_submitted'], ['form', 'eq', 'contact']] },
  { kind: 'points', value: 4, when: [['type', 'eq', 'form_submitted'], ['form', 'eq', 'newsletter']] },
  { kind: 'points', value: 15, when: [['type', 'eq', 'webinar_attended']] },
  { kind: 'points', value: 30, when: [['type', 'eq', 'demo_requested'], ['demoDone', 'eq', false]], limit: 'demo' },
  { kind: 'points', value: 20, when: [['type', 'eq', 'trial_started'], ['plan', 'eq', 'pro']] },
  { kind: 'points', value: 8, when: [['type', 'eq', 'trial_started'], ['plan', 'eq', 'free'], ['job', 'in', BIG]] },
  { kind: 'points', value: 6, when: [['type', 'eq', 'content_downloaded'], ['kind', 'eq', 'whitepaper']] },
  { kind: 'points', value: 2, when: [['type', 'eq', 'content_downloaded'], ['kind', 'eq', 'ebook'], ['ebooksRecently', 'lt', 3]], limit: 'ebooks' },
  { kind: 'enter', value: 0, when: [['type', 'eq', 'form_submitted'], ['form', 'eq', 'newsletter']] },
  { kind: 'enter', value: 1, when: [['type', 'eq', 'page_viewed'], ['topic', 'eq', 'pricing']] },
  { kind: 'enter', value: 2, when: [['type', 'eq', 'webinar_attended']] },
];
const FIT_MAX = 100;
const ENG_MAX = 200;
/** threshold mql when fit >= 20 and engagement >= 60 and stage < mql */
const MQL_FIT = 20;
const MQL_ENG = 60;

/** The facts of one event for one lead (every fact present: `null` when missing). */
interface Facts {
  type: string;
  topic: unknown;
  form: unknown;
  kind: unknown;
  plan: unknown;
  job: string | null;
  employees: number | null;
  country: string | null;
  stage: number;
  eng: number;
  openedRecently: number;
  ebooksRecently: number;
  demoDone: boolean;
}

/** What a rules engine decided for one event: the rules that fired (indexes into RULES) and the threshold. */
interface Decision {
  fired: number[];
  mql: boolean;
}

type Decide = (facts: Facts) => Promise<Decision>;

/** The plain-JS host around a rules engine: per-lead state, facts, results applied, journeys and caps. */
async function runHost(events: RawEvent[], end: number, decide: Decide): Promise<Checksum> {
  const leads = new Map<string, HLead>();
  const sum = newChecksum();
  for (const e of events) {
    const t = Date.parse(e.at);
    const l = touchLead(sum, leads, e.lead, t);
    activityOn(l, e.type, t);
    const d = e.data ?? {};
    if (e.type === 'profile') applyProfile(l, d);
    const facts: Facts = {
      type: e.type,
      topic: d['topic'] ?? null,
      form: d['form'] ?? null,
      kind: d['kind'] ?? null,
      plan: d['plan'] ?? null,
      job: l.job,
      employees: l.employees,
      country: l.country,
      stage: l.stage,
      eng: l.eng,
      openedRecently: e.type === 'email_opened' ? inWindow(l.opened, t, 7 * DAY) : l.opened.length,
      ebooksRecently: e.type === 'content_downloaded' ? inWindow(l.ebooks, t, 30 * DAY) : l.ebooks.length,
      demoDone: l.demo,
    };
    const r = await decide(facts);
    let journey = -1;
    for (const i of r.fired) {
      const rule = RULES[i]!;
      if (rule.kind === 'points') {
        l.eng = Math.min(ENG_MAX, l.eng + rule.value);
        if (rule.limit === 'opened') l.opened.push(t);
        else if (rule.limit === 'ebooks') l.ebooks.push(t);
        else if (rule.limit === 'demo') l.demo = true;
      } else if (rule.kind === 'enter') journey = rule.value;
    }
    if (r.mql && l.stage === 0) {
      l.stage = 1;
      sum.mqls++;
    }
    if (journey >= 0) enter(sum, l, journey, t);
    timeDriven(sum, l, t); // the time-driven part is the host's, as the journeys and caps are
  }
  return finish(sum, leads, end);
}

// ---------------------------------------------------------------------------------------------
// (a) json-rules-engine

const JRE_OP = { eq: 'equal', in: 'in', gte: 'greaterThanInclusive', lt: 'lessThan' } as const;

/** The rules for json-rules-engine: one rule per RULES entry, then the threshold (lower priority: after them). */
export function jsonRules(): RuleProperties[] {
  const rules: RuleProperties[] = RULES.map((r, i) => ({
    name: `r${i}`,
    priority: 2,
    conditions: { all: r.when.map(([fact, op, value]) => ({ fact, operator: JRE_OP[op], value })) } as TopLevelCondition,
    event: { type: r.kind, params: { rule: i, value: r.value } },
  }));
  rules.push({
    name: 'mql',
    priority: 1,
    conditions: {
      all: [
        { fact: 'stage', operator: 'equal', value: 0 },
        { fact: 'fitScore', operator: 'greaterThanInclusive', value: MQL_FIT },
        { fact: 'engagementAfter', operator: 'greaterThanInclusive', value: MQL_ENG },
      ],
    },
    event: { type: 'mql' },
  });
  return rules;
}

/** The sum of the points of this run's successful rules of a kind (scores are computed from the rules that fired). */
function pointsOf(almanac: Almanac, kind: string): number {
  let n = 0;
  // `getEvents` is part of the Almanac (since 6.x) but missing from its type declarations.
  const fired = (almanac as unknown as { getEvents(outcome: 'success'): JreEvent[] }).getEvents('success');
  for (const ev of fired) if (ev.type === kind) n += (ev.params as { value: number }).value;
  return n;
}

export async function jsonRulesEngineRun(events: RawEvent[], end: number): Promise<Checksum> {
  const engine = new Engine(jsonRules());
  // The scores as the threshold sees them: evaluated at priority 1, once the scoring rules have fired.
  engine.addFact('fitScore', (_p: unknown, almanac: Almanac) => Math.min(FIT_MAX, pointsOf(almanac, 'fit')));
  engine.addFact('engagementAfter', async (_p: unknown, almanac: Almanac) => Math.min(ENG_MAX, ((await almanac.factValue('eng')) as number) + pointsOf(almanac, 'points')));
  return runHost(events, end, async (facts) => {
    const { events: fired } = await engine.run(facts as unknown as Record<string, unknown>);
    const d: Decision = { fired: [], mql: false };
    for (const ev of fired) {
      if (ev.type === 'mql') d.mql = true;
      else d.fired.push((ev.params as { rule: number }).rule);
    }
    d.fired.sort((a, b) => a - b);
    return d;
  });
}

// ---------------------------------------------------------------------------------------------
// (b) @gorules/zen-engine

/** A unary test of a decision table cell. */
function zenCell(op: Cond[1], value: Cond[2]): string {
  const lit = (v: string | number | boolean) => JSON.stringify(v);
  switch (op) {
    case 'eq':
      return lit(value as string | number | boolean);
    case 'in':
      return (value as string[]).map(lit).join(', ');
    case 'gte':
      return `>= ${value as number}`;
    case 'lt':
      return `< ${value as number}`;
  }
}

/** A collect decision table over RULES of one kind: inputs = the facts they test, outputs = rule index and value. */
function zenTable(id: string, kind: RuleSpec['kind'], outputPath: string) {
  const specs = RULES.map((r, i) => ({ r, i })).filter(({ r }) => r.kind === kind);
  const facts = [...new Set(specs.flatMap(({ r }) => r.when.map((c) => c[0])))];
  return node(id, 'decisionTableNode', {
    hitPolicy: 'collect',
    passThrough: true,
    outputPath,
    inputs: facts.map((f) => ({ id: `in_${f}`, name: f, field: f })),
    outputs: [
      { id: 'out_rule', name: 'rule', field: 'rule' },
      { id: 'out_value', name: 'value', field: 'value' },
    ],
    rules: specs.map(({ r, i }) => {
      const row: Record<string, string> = { _id: `r${i}`, out_rule: String(i), out_value: String(r.value) };
      for (const f of facts) row[`in_${f}`] = '';
      for (const [f, op, v] of r.when) row[`in_${f}`] = zenCell(op, v);
      return row;
    }),
  });
}

/** A node of a JDM graph. */
function node(id: string, type: string, content: object = {}) {
  return { id, type, name: id, position: { x: 0, y: 0 }, content };
}

/** A JDM decision of `nodes` in a chain, each one's output the next one's input. */
function chain(nodes: { id: string }[]) {
  const ids = nodes.map((n) => n.id);
  const edges = ids.slice(1).map((to, k) => ({ id: `e${k}`, type: 'edge', sourceId: ids[k]!, targetId: to }));
  return { nodes, edges };
}

/** The JDM decision: fit, engagement and entry tables, then an expression node for the scores and the threshold. */
export function zenDecision() {
  return chain([
    node('request', 'inputNode'),
    zenTable('fit', 'fit', 'fitHits'),
    zenTable('engagement', 'points', 'hits'),
    zenTable('entries', 'enter', 'entries'),
    node('threshold', 'expressionNode', {
      passThrough: true,
      expressions: [
        { id: 'x1', key: 'fitScore', value: `min([${FIT_MAX}, sum(map(fitHits, #.value))])` },
        { id: 'x2', key: 'engagementAfter', value: `min([${ENG_MAX}, eng + sum(map(hits, #.value))])` },
        { id: 'x3', key: 'mql', value: `stage == 0 and $.fitScore >= ${MQL_FIT} and $.engagementAfter >= ${MQL_ENG}` },
      ],
    }),
    node('response', 'outputNode'),
  ]);
}

/** The part of @gorules/zen-engine's API used here (its own types come with the package). */
interface ZenModule {
  ZenEngine: new () => {
    createDecision(content: object): { evaluate(context: object): Promise<{ result: unknown }> };
    dispose(): void;
  };
}

let zen: ZenModule | null | undefined;

/** @gorules/zen-engine when it is installed, else null. */
export async function loadZen(): Promise<ZenModule | null> {
  if (zen === undefined) {
    const name = '@gorules/zen-engine'; // not a literal: the type checker does not require the package
    try {
      zen = (await import(name)) as ZenModule;
    } catch {
      zen = null;
    }
  }
  return zen;
}

/** `fn` with a zen-engine (disposed after), or null when it is not installed. */
async function withZen<T>(fn: (engine: InstanceType<ZenModule['ZenEngine']>) => Promise<T>): Promise<T | null> {
  const z = await loadZen();
  if (z === null) return null;
  const engine = new z.ZenEngine();
  try {
    return await fn(engine);
  } finally {
    engine.dispose();
  }
}

/** The workload on zen-engine, or null when it is not installed. */
export async function zenEngineRun(events: RawEvent[], end: number): Promise<Checksum | null> {
  return withZen((engine) => {
    const decision = engine.createDecision(zenDecision());
    return runHost(events, end, async (facts) => {
      const { result } = await decision.evaluate(facts);
      const r = result as { hits: { rule: number }[]; entries: { rule: number }[]; mql: boolean };
      const fired: number[] = [];
      for (const h of r.hits) fired.push(h.rule);
      for (const h of r.entries) fired.push(h.rule);
      return { fired, mql: r.mql === true };
    });
  });
}

/**
 * The same host calling an empty decision (input node → output node) once per event, its answer ignored:
 * what one call of zen-engine costs on this machine, rules aside (its checksum is not the workload's).
 */
export async function zenEmptyRun(events: RawEvent[], end: number): Promise<Checksum | null> {
  const none: Decision = { fired: [], mql: false };
  return withZen((engine) => {
    const decision = engine.createDecision(chain([node('request', 'inputNode'), node('response', 'outputNode')]));
    return runHost(events, end, async (facts) => {
      await decision.evaluate(facts);
      return none;
    });
  });
}
