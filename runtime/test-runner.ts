// Runs the `test` blocks of a plan (LANGUAGE.md 4.15) on the runtime engine with a simulated clock.
//
// Semantics (where LANGUAGE.md is silent, also in cli/README.md):
// - Each test gets a fresh runtime and one lead (`lead "id"`, else `test-lead`). Nobody is held out
//   except by `holdout journey`; every `holdout` statement of a test applies from the start of the test
//   (before the initial profile), wherever it is written.
// - At `startMs` the initial profile is applied as a `profile` event (an empty one when the test has no
//   `lead { … }`): the lead exists from the start, its thresholds and `entry when` are evaluated then.
// - `at T` / `after D` move the clock and run every timer due until then (`advanceTo`); events and
//   profiles happen at the clock, in statement order.
// - `expect` evaluates the condition at the clock (pending decay applied first). A failed `expect`
//   does not stop the test: every expectation is checked, and each failure is described with the
//   state it looked at (stage, scores, attributes, messages with times and what blocked them, journeys,
//   handoffs, events of the test).
// - An event the runtime rejects (possible only with a hand-written plan) or an internal error ends the
//   test as failed, with the reason.
import type { Const, Expr, Loc, Plan, PlanTest } from './plan-types.js';
import { createRuntime, compileCondition, compilePlanIndex, locToJson } from './engine/index.js';
import type { AuditRecord, JourneyState, PlanIndex, Runtime, RuntimeAction, LeadState } from './engine/index.js';
import { W_DELAYED, W_FOR, W_READY, W_REPEAT, W_UNTIL, W_WAIT } from './engine/state.js';
import { formatDate, formatDuration, MAX_INSTANT, zoneOffset } from './engine/time.js';
import { setOwn } from './own.js';
import { exprText, formatLocal } from './expr-text.js';
import { walkExpr } from './plan-expr-walk.js';

export { exprText, formatLocal };

/** Where the source text of the plan's files can be found (for the `expect` text and `file:line:col`). */
export interface TestSources {
  /** The path to show for a plan file index (defaults to `plan.source.files[i].path`). */
  display?(file: number): string | undefined;
  /**
   * The `expect …` statement at a place as written (one line, comments dropped), when the sources
   * are at hand. The runtime reads no source text itself: the CLI finds the statement with the grammar
   * (cli/expect-source.ts).
   */
  expect?(loc: Loc): string | undefined;
}

export interface RunTestsOptions {
  /** Only the tests whose name contains this text (case-insensitive). */
  filter?: string;
  sources?: TestSources;
}

export interface ExpectFailure {
  file: string;
  line: number;
  column: number;
  /** `expect …` as written (or rebuilt from the plan when the sources are not at hand). */
  expect: string;
  /** The clock when it was checked, `YYYY-MM-DD HH:MM` in the workspace time zone. */
  at: string;
  /** The state the condition looked at, one fact per line. */
  actual: string[];
}

export interface TestOutcome {
  name: string;
  file: string;
  line: number;
  column: number;
  passed: boolean;
  /** Number of `expect` statements checked. */
  expects: number;
  failures: ExpectFailure[];
  /** Set when the test could not run to its end (rejected event, internal error). */
  error: string | null;
}

const DEFAULT_LEAD = 'test-lead';

/** Runs the plan's tests (those matching `filter`), in declaration order. */
export function runPlanTests(plan: Plan, options: RunTestsOptions = {}): TestOutcome[] {
  const ix = compilePlanIndex(plan, { holdout: 'none', keepSendLog: true });
  const filter = options.filter?.toLowerCase();
  const out: TestOutcome[] = [];
  for (const test of plan.tests) {
    if (filter !== undefined && !test.name.toLowerCase().includes(filter)) continue;
    out.push(runOne(ix, test, options.sources ?? {}));
  }
  return out;
}

function where(ix: PlanIndex, sources: TestSources, loc: Loc | null): { file: string; line: number; column: number } {
  if (loc === null) return { file: '?', line: 0, column: 0 };
  const display = sources.display?.(loc[0]) ?? locToJson(ix, loc)?.file ?? '?';
  return { file: display, line: loc[1], column: loc[2] };
}

function runOne(ix: PlanIndex, test: PlanTest, sources: TestSources): TestOutcome {
  const plan = ix.plan;
  const result: TestOutcome = { name: test.name, ...where(ix, sources, test.loc), passed: true, expects: 0, failures: [], error: null };
  const rt = createRuntime(ix, { audit: 'keep' });
  const lead = test.lead?.id ?? DEFAULT_LEAD;
  const actions: RuntimeAction[] = [];
  const events: { type: string; at: number }[] = [];
  let clock = test.startMs;
  const drain = () => {
    for (const a of rt.drainActions()) actions.push(a);
  };
  const ingest = (type: string, data: Record<string, Const>, loc: Loc): boolean => {
    const json: Record<string, unknown> = {};
    for (const [k, c] of Object.entries(data)) setOwn(json, k, constJson(c));
    const r = rt.ingest({ lead, type, at: new Date(clock).toISOString(), data: json });
    drain();
    if (!r.ok) {
      const w = where(ix, sources, loc);
      result.error = `${w.file}:${w.line}:${w.column}: the runtime rejected ${type === 'profile' ? 'the profile' : `event ${type}`}: ${r.reason}`;
      return false;
    }
    if (type !== 'profile') events.push({ type, at: clock });
    return true;
  };
  try {
    for (const st of test.statements) {
      if (st.kind === 'holdout') rt.setHoldout(lead, st.journey, true);
      else if (st.kind === 'controlGroup') rt.engine.control.force(lead);
    }
    const initial: Record<string, Const> = {};
    if (test.lead) for (const [k, c] of Object.entries(test.lead.profile)) setOwn(initial, k, c);
    if (!ingest('profile', initial, test.lead?.loc ?? test.loc)) return fail(result);
    for (const st of test.statements) {
      switch (st.kind) {
        case 'holdout':
        case 'controlGroup':
          break;
        case 'at':
          if (st.atMs > clock) clock = st.atMs;
          rt.advanceTo(clock);
          drain();
          break;
        case 'after':
          clock += st.durationMs;
          rt.advanceTo(Math.min(clock, MAX_INSTANT)); // beyond any date nothing more is ever due (advanceTo refuses it)
          drain();
          break;
        case 'event':
          if (!ingest(st.event, st.data, st.loc)) return fail(result);
          break;
        case 'profile':
          if (!ingest('profile', st.data, st.loc)) return fail(result);
          break;
        case 'expect': {
          result.expects++;
          const s = rt.leadState(lead)!;
          const ok = rt.engine.evaluate(s, compileCondition(ix, st.condition), clock);
          if (!ok) {
            const w = where(ix, sources, st.loc);
            result.failures.push({
              ...w,
              expect: expectText(plan, st.loc, st.condition, sources),
              at: formatLocal(plan.timezone, clock),
              actual: describeState({ ix, rt, s, lead, actions, events, clock, file: (i) => where(ix, sources, [i, 0, 0]).file }, st.condition),
            });
          }
          break;
        }
      }
    }
  } catch (e) {
    result.error = `internal error: ${e instanceof Error ? e.message : String(e)}`;
  }
  result.passed = result.failures.length === 0 && result.error === null;
  return result;
}

function fail(r: TestOutcome): TestOutcome {
  r.passed = false;
  return r;
}

/** A test constant as the JSON value a host would send. */
function constJson(c: Const): unknown {
  switch (c.type) {
    case 'date':
      return formatDate(c.value);
    case 'textList':
      return c.value.slice();
    default:
      return c.value;
  }
}

// ---------------------------------------------------------------------------------------------
// Texts

/** The `expect …` text: from the source when at hand (the statement may span lines), else rebuilt. */
export function expectText(plan: Plan, loc: Loc, cond: Expr, sources: TestSources): string {
  return sources.expect?.(loc) ?? `expect ${exprText(plan, cond)}`;
}

// ---------------------------------------------------------------------------------------------
// The actual state, for a failed expectation

interface StateView {
  ix: PlanIndex;
  rt: Runtime;
  s: LeadState;
  lead: string;
  actions: RuntimeAction[];
  events: { type: string; at: number }[];
  clock: number;
  /** The path to show for a plan file index. */
  file(i: number): string;
}

interface Subjects {
  stage: boolean;
  scores: Set<string>;
  attrs: Set<string>;
  segments: Set<string>;
  contents: Set<string>;
  streams: Set<string>;
  journeys: Set<string>;
  handoff: boolean;
  events: Set<string>;
}

function collect(plan: Plan, e: Expr, into: Subjects): void {
  walkExpr(e, (x) => {
    switch (x.op) {
      case 'has':
        into.events.add(x.event);
        return false; // its `where` is about that event's rows
      case 'received':
        into.contents.add(x.content);
        return;
      case 'receivedAny':
        into.streams.add(x.stream);
        return;
      case 'inJourney':
      case 'completedJourney':
        into.journeys.add(x.journey);
        return;
      case 'handedOff':
        into.handoff = true;
        return;
      case 'segment':
        if (!into.segments.has(x.name)) {
          into.segments.add(x.name);
          const seg = plan.segments[x.name];
          if (seg) collect(plan, seg.condition, into);
        }
        return;
      case 'attr':
        into.attrs.add(x.name);
        return;
      case 'score':
        if (!into.scores.has(x.name)) {
          into.scores.add(x.name);
          const sc = plan.scores[x.name];
          if (sc && sc.kind === 'derived') collect(plan, sc.expr, into);
        }
        return;
      case 'stage':
        into.stage = true;
        return;
      default:
        return;
    }
  });
}

function valueText(ix: PlanIndex, slot: number, v: unknown): string {
  if (v === null || v === undefined) return 'missing';
  const t = ix.attrTypes[slot]!.type;
  if (t === 'date' && typeof v === 'number') return formatDate(v);
  if (t === 'text') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x) => JSON.stringify(x)).join(', ')}]`;
  return String(v);
}

function locText(v: StateView, loc: Loc | null): string {
  return loc === null ? '' : ` (${v.file(loc[0])}:${loc[1]})`;
}

function auditLine(v: StateView, r: AuditRecord): string {
  const zone = v.ix.plan.timezone;
  const parts = [formatLocal(zone, r.at), r.kind];
  if (r.subject !== null && r.subject !== r.kind) parts.push(r.subject);
  if (r.from !== null || r.to !== null) parts.push(`${fmtV(r.from)} → ${fmtV(r.to)}`);
  let line = parts.join(' ');
  const extra: string[] = [];
  if (r.journey !== null && r.journey !== r.subject) extra.push(`journey ${r.journey}`);
  if (r.rule !== null) extra.push(r.rule);
  if (r.kind === 'delayed' && r.note) extra.push(`until ${formatLocal(zone, Date.parse(r.note))}`);
  else if (r.note !== null && r.note !== 'holdout') extra.push(r.note);
  if (extra.length) line += `: ${extra.join(', ')}`;
  return line + locText(v, r.loc);
}

function fmtV(v: unknown): string {
  if (v === null || v === undefined) return 'missing';
  if (typeof v === 'number') return String(Math.round(v * 1000) / 1000);
  return Array.isArray(v) ? `[${v.join(', ')}]` : String(v);
}

const WAITS: Record<number, string> = {
  [W_READY]: 'running',
  [W_WAIT]: 'waiting',
  [W_FOR]: 'waiting for an event',
  [W_UNTIL]: 'waiting until a condition',
  [W_REPEAT]: 'pausing in a repeat',
  [W_DELAYED]: 'waiting for a delayed message',
};

function stepText(v: StateView, journey: string, id: number): string {
  const st = v.ix.plan.journeys[journey]?.steps[id];
  if (!st) return `step ${id}`;
  let what: string = st.kind;
  switch (st.kind) {
    case 'send':
      what = `send ${st.content}`;
      break;
    case 'sendNext':
      what = `send next from ${st.stream}`;
      break;
    case 'wait':
      what = `wait ${formatDuration(st.durationMs)}`;
      break;
    case 'waitFor':
      what = `wait for ${st.event} up to ${formatDuration(st.upToMs)}`;
      break;
    case 'waitUntil':
      what = `wait until … up to ${formatDuration(st.upToMs)}`;
      break;
    case 'repeat':
      what = `repeat every ${formatDuration(st.everyMs)}`;
      break;
    default:
      break;
  }
  return `step ${id} \`${what}\` (${v.file(st.loc[0])}:${st.loc[1]})`;
}

const MAX_LINES = 8;

function journeyLine(v: StateView, name: string, js: JourneyState): string {
  const zone = v.ix.plan.timezone;
  const wait = WAITS[js.w] ?? 'waiting';
  const due = js.d >= 0 && js.w !== W_READY ? ` until ${formatLocal(zone, js.d)}` : '';
  return `in journey ${name} since ${formatLocal(zone, js.e)}${js.h ? ' (holdout group)' : ''}, ${wait} at ${stepText(v, name, js.s)}${due}`;
}

/** `: fit = 45, engagement = 55, stage is lead` — the values a condition reads (scores, attributes, stage). */
function factsOf(v: StateView, cond: Expr): string {
  const { ix, s } = v;
  const sub: Subjects = { stage: false, scores: new Set(), attrs: new Set(), segments: new Set(), contents: new Set(), streams: new Set(), journeys: new Set(), handoff: false, events: new Set() };
  collect(ix.plan, cond, sub);
  const facts: string[] = [];
  const values = sub.scores.size ? v.rt.engine.scoresOf(s) : [];
  for (const name of sub.scores) {
    const slot = ix.scoreSlot.get(name);
    if (slot !== undefined) facts.push(`${name} = ${Number.isFinite(values[slot]!) ? fmtV(values[slot]) : 'missing'}`);
  }
  for (const name of sub.attrs) {
    const slot = ix.attrSlot.get(name);
    if (slot !== undefined) facts.push(s.at[slot] === null ? `${name} is missing` : `${name} is ${valueText(ix, slot, s.at[slot])}`);
  }
  if (sub.stage && ix.stages.length) facts.push(`stage is ${ix.stages[s.st]}`);
  return facts.length ? ` (${facts.join(', ')})` : '';
}

function describeState(v: StateView, cond: Expr): string[] {
  const { ix, s } = v;
  const plan = ix.plan;
  const zone = plan.timezone;
  const subj: Subjects = {
    stage: false,
    scores: new Set(),
    attrs: new Set(),
    segments: new Set(),
    contents: new Set(),
    streams: new Set(),
    journeys: new Set(),
    handoff: false,
    events: new Set(),
  };
  collect(plan, cond, subj);
  const audit = v.rt.audit(v.lead);
  const lines: string[] = [];
  const tail = <T>(xs: T[]): T[] => (xs.length > MAX_LINES ? xs.slice(xs.length - MAX_LINES) : xs);

  if (subj.stage && ix.stages.length > 0) {
    lines.push(`stage is ${ix.stages[s.st]}`);
    for (const r of tail(audit.filter((r) => r.kind === 'stage'))) lines.push(`  ${auditLine(v, r)}`);
  }
  if (subj.scores.size > 0) {
    const values = v.rt.engine.scoresOf(s);
    for (const name of subj.scores) {
      const slot = ix.scoreSlot.get(name);
      if (slot === undefined) continue;
      const val = values[slot]!;
      lines.push(`${name} = ${Number.isFinite(val) ? fmtV(val) : 'missing'}`);
      for (const r of tail(audit.filter((r) => r.kind === 'score' && r.subject === name))) lines.push(`  ${auditLine(v, r)}`);
    }
  }
  for (const name of subj.attrs) {
    const slot = ix.attrSlot.get(name);
    if (slot === undefined) continue;
    const val = s.at[slot];
    lines.push(val === null || val === undefined ? `${name} is missing` : `${name} is ${valueText(ix, slot, val)}`);
  }
  for (const name of subj.segments) {
    const slot = ix.env.segment(name);
    const fn = ix.segments[slot];
    if (fn === undefined) continue;
    lines.push(`segment ${name} is ${fn(v.rt.engine) ? 'true' : 'false'}`);
  }
  if (subj.contents.size > 0 || subj.streams.size > 0) {
    const sends = v.actions.filter((a) => a.type === 'send') as Extract<RuntimeAction, { type: 'send' }>[];
    const contents = new Set(subj.contents);
    for (const st of subj.streams) for (const c of plan.streams[st]?.contents ?? []) contents.add(c);
    for (const c of contents) {
      const mine = sends.filter((a) => a.content === c);
      lines.push(
        mine.length === 0
          ? `${c}: never received`
          : `${c}: received ${mine.length} time${mine.length === 1 ? '' : 's'}, at ${mine.map((a) => formatLocal(zone, a.at)).join(', ')}`,
      );
      const why = audit.filter((r) => r.subject === c && (r.kind === 'delayed' || r.kind === 'skipped' || r.kind === 'suppressed' || r.kind === 'heldOut' || r.kind === 'controlGroup'));
      for (const r of tail(why)) lines.push(`  ${auditLine(v, r)}`);
    }
    lines.push(
      sends.length === 0
        ? 'messages received: none'
        : `messages received: ${tail(sends)
            .map((a) => `${a.content} at ${formatLocal(zone, a.at)}`)
            .join(', ')}${sends.length > MAX_LINES ? ` (last ${MAX_LINES} of ${sends.length})` : ''}`,
    );
  }
  if ((subj.contents.size > 0 || subj.streams.size > 0) && subj.journeys.size === 0) {
    // Where the journeys that could send it are: a message often simply is not due yet.
    for (const J of ix.journeys) {
      const js = s.j[J.slot];
      if (js && js.a === 1) lines.push(journeyLine(v, J.name, js));
    }
  }
  if (subj.journeys.size > 0) {
    for (const name of subj.journeys) {
      const slot = ix.journeySlot.get(name);
      if (slot === undefined) continue;
      const js = s.j[slot];
      if (js && js.a === 1) {
        lines.push(journeyLine(v, name, js));
      } else if (js && js.n > 0) {
        lines.push(`not in journey ${name} (entered ${js.n} time${js.n === 1 ? '' : 's'}, completed ${js.c})`);
      } else {
        lines.push(`never in journey ${name}`);
      }
      const hist = audit.filter((r) => r.journey === name && (r.kind === 'entered' || r.kind === 'notEntered' || r.kind === 'exited' || r.kind === 'completed' || r.kind === 'converted'));
      for (const r of tail(hist)) lines.push(`  ${auditLine(v, r)}`);
    }
    const inNow = ix.journeys.filter((J) => s.j[J.slot]?.a === 1).map((J) => J.name);
    lines.push(`journeys in: ${inNow.length ? inNow.join(', ') : 'none'}`);
  }
  if (subj.handoff) {
    lines.push(s.q.length ? `handed off to: ${s.q.map((q) => JSON.stringify(q)).join(', ')}` : 'never handed off');
  }
  if (subj.stage || subj.handoff) {
    // The thresholds that could have done it: did they fire, and what do their conditions see now?
    const names = Object.keys(plan.thresholds);
    names.forEach((name, i) => {
      const th = plan.thresholds[name]!;
      const relevant = th.actions.some((a) => (subj.stage && a.kind === 'setStage') || (subj.handoff && a.kind === 'handoff'));
      if (!relevant) return;
      const fired = audit.filter((r) => r.kind === 'threshold' && r.subject === name);
      const now = ix.thresholds[i]!.cond(v.rt.engine);
      const head = fired.length
        ? `threshold ${name} fired at ${fired.map((r) => formatLocal(zone, r.at)).join(', ')}`
        : `threshold ${name} never fired`;
      lines.push(`${head}; \`${exprText(plan, th.condition)}\` is ${now ? 'true' : 'false'} now${factsOf(v, th.condition)}${locText(v, th.loc)}`);
    });
  }
  for (const name of subj.events) {
    const mine = v.events.filter((e) => e.type === name);
    lines.push(
      mine.length === 0
        ? `${name}: never happened`
        : `${name}: happened ${mine.length} time${mine.length === 1 ? '' : 's'}, at ${tail(mine)
            .map((e) => formatLocal(zone, e.at))
            .join(', ')}`,
    );
  }
  if (lines.length === 0) {
    if (ix.stages.length > 0) lines.push(`stage is ${ix.stages[s.st]}`);
    const values = v.rt.engine.scoresOf(s);
    ix.scores.forEach((sc, i) => lines.push(`${sc.name} = ${Number.isFinite(values[i]!) ? fmtV(values[i]) : 'missing'}`));
  }
  return lines;
}
