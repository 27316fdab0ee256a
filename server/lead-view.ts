// A lead's state as the API shows it (`GET /v1/leads/{id}`): names instead of the state's slot numbers,
// ISO instants instead of epoch ms — stage, scores (now, decay applied), attributes, journeys with the
// step each is at, and every pending timer. Read from a state and the index of the plan it was built with.
import { Engine } from '../runtime/engine/core.js';
import type { PlanIndex } from '../runtime/engine/plan-index.js';
import { W_DELAYED, W_FOR, W_READY, W_REPEAT, W_UNTIL, W_WAIT, type LeadState, type Value } from '../runtime/engine/state.js';
import { formatDate } from '../runtime/engine/time.js';

export interface LeadView {
  id: string;
  plan: string;
  firstSeen: string;
  clock: string;
  stage: string | null;
  scores: Record<string, number | null>;
  attributes: Record<string, Value | null>;
  journeys: JourneyView[];
  timers: TimerView[];
  nextDue: string | null;
  handoffs: string[];
  lateEvents: number;
  /** The 16-round guard or a step budget stopped work for this lead at least once. */
  flagged: boolean;
}

export interface JourneyView {
  name: string;
  status: 'active' | 'completed' | 'goal window open';
  /** The step the lead is at (index in the plan's journey), its kind and source line. */
  step: number;
  kind: string | null;
  line: number | null;
  waiting: 'wait' | 'wait for' | 'wait until' | 'repeat' | 'delayed send' | null;
  due: string | null;
  entries: number;
  completions: number;
  lastEntered: string | null;
  holdout: boolean;
}

export interface TimerView {
  kind: 'journey step' | 'date entry' | 'delayed send';
  journey: string | null;
  content: string | null;
  due: string;
}

const WAITS: Record<number, JourneyView['waiting']> = { [W_READY]: null, [W_WAIT]: 'wait', [W_FOR]: 'wait for', [W_UNTIL]: 'wait until', [W_REPEAT]: 'repeat', [W_DELAYED]: 'delayed send' };

const iso = (t: number): string => new Date(t).toISOString();

/** Engines for reading scores, one per plan index (no state of their own between calls). */
const engines = new WeakMap<PlanIndex, Engine>();

export function leadView(ix: PlanIndex, s: LeadState): LeadView {
  let engine = engines.get(ix);
  if (engine === undefined) engines.set(ix, (engine = new Engine(ix)));
  const values = engine.scoresOf(s);
  const scores: Record<string, number | null> = {};
  ix.scores.forEach((sc, i) => (scores[sc.name] = Number.isFinite(values[i]!) ? values[i]! : null));
  const attributes: Record<string, Value | null> = {};
  ix.attrNames.forEach((name, i) => {
    const v = s.at[i] ?? null;
    attributes[name] = v !== null && ix.attrTypes[i]!.type === 'date' && typeof v === 'number' ? formatDate(v) : v;
  });
  const journeys: JourneyView[] = [];
  const timers: TimerView[] = [];
  s.j.forEach((js, slot) => {
    if (js === null) return;
    const jx = ix.journeys[slot]!;
    const step = js.a === 1 ? jx.steps[js.s]?.step : undefined;
    const waiting = js.a === 1 ? (WAITS[js.w] ?? null) : null;
    const due = js.a === 1 && js.d >= 0 ? js.d : -1;
    journeys.push({
      name: jx.name,
      status: js.a === 1 ? 'active' : js.a === 2 ? 'goal window open' : 'completed',
      step: js.s,
      kind: step?.kind ?? null,
      line: step?.loc?.[1] ?? null,
      waiting,
      due: due >= 0 ? iso(due) : null,
      entries: js.n,
      completions: js.c,
      lastEntered: js.e >= 0 ? iso(js.e) : null,
      holdout: js.h === 1,
    });
    if (due >= 0) timers.push({ kind: 'journey step', journey: jx.name, content: null, due: iso(due) });
  });
  s.de.forEach((due, i) => {
    if (due >= 0) timers.push({ kind: 'date entry', journey: ix.journeys[ix.dateEntries[i]!.journey]!.name, content: null, due: iso(due) });
  });
  for (let i = 0; i + 2 < s.ps.length; i += 3) {
    timers.push({ kind: 'delayed send', journey: null, content: ix.contents[s.ps[i + 1]!]?.name ?? null, due: iso(s.ps[i]!) });
  }
  timers.sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
  const next = engine.nextDue(s);
  return {
    id: s.id,
    plan: s.plan,
    firstSeen: iso(s.t0),
    clock: iso(s.c),
    stage: ix.stages[s.st] ?? null,
    scores,
    attributes,
    journeys,
    timers,
    nextDue: Number.isFinite(next) ? iso(next) : null,
    handoffs: [...s.q],
    lateEvents: s.late,
    flagged: (s.f & 1) === 1,
  };
}
