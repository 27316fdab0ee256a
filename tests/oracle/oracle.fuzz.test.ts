// The engine against the reference oracle (oracle.ts): random small programs (program.ts), compiled by
// the real compiler, and random event timelines for one lead (leads are independent, §8). The engine's
// actions (ids aside) and audit kinds must equal the oracle's. `score` records are left out of the kinds:
// the engine audits the decay of a score no condition reads, or that only conditions whose stage or
// attribute part is false read, lazily (one record for several idle periods, at the last boundary), the
// oracle at every boundary; the scores themselves show in every threshold, entry, exit, goal and wait
// that reads them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSources } from '../../compiler/workspace.js';
import { compilePlan } from '../../compiler/lower/index.js';
import { createRuntime } from '../../runtime/engine/index.js';
import type { Plan } from '../../runtime/plan-types.js';
import { fuzzParams, fuzzScale } from '../fuzz/budget.js';
import { MINUTE, OFFSETS, runOracle, type OAction } from './oracle.js';
import { programArb, sourceOf, timelineArb, type Program, type TimedEvent } from './program.js';

const START = Date.parse('2026-01-05T00:00:00Z');
/** The run goes on for 3 days after the start (the timeline spans the first 2). */
const END = START + 3 * 1440 * MINUTE;

export function compileProgram(p: Program): Plan | null {
  const sources = [{ path: 'p.nurture', text: sourceOf(p) }];
  const { model, diagnostics } = checkSources(sources);
  if (diagnostics.some((d) => d.severity === 'error')) return null;
  return compilePlan(model, sources);
}

const show = (a: OAction) => `${new Date(a.at).toISOString()} ${a.type} ${a.journey ?? '-'} ${a.what}`;

/** The engine's outcome, or null when it acted between the oracle's ticks (a long chain of closing windows: oracle.ts). */
export function engineRun(plan: Plan, timeline: TimedEvent[]): { actions: string[]; kinds: string[] } | null {
  const rt = createRuntime(plan, { holdout: 'none' });
  for (const e of timeline) {
    const at = new Date(START + e.min * MINUTE).toISOString();
    const r = rt.ingest(e.ev === 'a' || e.ev === 'b' ? { lead: 'L', type: e.ev, at } : { lead: 'L', type: 'profile', at, data: { tier: e.ev } });
    if (!r.ok) throw new Error(r.reason);
  }
  rt.advanceTo(END);
  const all = rt.drainActions();
  if (all.some((a) => a.at % MINUTE >= OFFSETS)) return null;
  const actions = all.map((a) => show({ at: a.at, type: a.type as OAction['type'], journey: a.journey, what: a.type === 'send' ? a.content : a.type === 'handoff' || a.type === 'stage' ? a.to : a.type }));
  return { actions, kinds: rt.audit('L').map((r) => r.kind).filter((k) => k !== 'score') };
}

export function oracleRun(p: Program, timeline: TimedEvent[]): { actions: string[]; kinds: string[] } {
  const o = runOracle(p, START, timeline, END);
  return { actions: o.actions.map(show), kinds: o.kinds };
}

describe('the engine agrees with the reference oracle (a clock that ticks and evaluates everything)', () => {
  it('on random programs and timelines', () => {
    let tried = 0;
    let judged = 0;
    fc.assert(
      fc.property(programArb, timelineArb, (p, timeline) => {
        const plan = compileProgram(p);
        if (plan === null) return; // a program the checker refuses (e.g. a condition that can never hold)
        tried++;
        const engine = engineRun(plan, timeline);
        if (engine === null) return;
        judged++;
        const oracle = oracleRun(p, timeline);
        expect(engine.actions, sourceOf(p)).toEqual(oracle.actions);
        expect(engine.kinds, sourceOf(p)).toEqual(oracle.kinds);
      }),
      { ...fuzzParams(300), endOnFailure: true },
    );
    expect(judged).toBeGreaterThan(tried * 0.9); // few cases out of the oracle's reach
  }, 60_000 * fuzzScale());
});
