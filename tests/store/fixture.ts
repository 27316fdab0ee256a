// A realistic small plan and a deterministic event stream for the store tests, the crash child and the
// store benchmark. Event i depends only on (i, leads), so any process regenerates the same stream.
import type { Plan } from '../../runtime/plan-types.js';
import Database from 'better-sqlite3';
import { createRuntime, type RuntimeAction } from '../../runtime/engine/index.js';
import { openSqliteRuntime, type SqliteRuntimeOptions } from '../../runtime/store/index.js';
import { A, DAY, HOUR, P, S, buildPlan, entryOn, exitOn, ge, goalOn, score, type PlanSpec } from '../runtime/helpers.js';

export const T0 = Date.parse('2026-01-05T09:00:00Z');

export const storeSpec = (journeySteps?: Record<string, unknown>[]): PlanSpec => ({
  attributes: { email_consent: 'bool', country: 'text' },
  events: { signup: {}, visit: { page: 'text' }, click: {}, unsubscribe: {}, demo: {} },
  channels: { email: 'email_consent' },
  contents: { welcome: { topic: 'intro' }, tip1: { topic: 'tips' }, tip2: { topic: 'tips' }, nudge: {}, offer: { topic: 'sales' } },
  stages: ['subscriber', 'lead', 'mql'],
  scores: { engagement: { engagement: [{ points: 10, event: 'click' }, { points: 2, event: 'visit', max: [3, DAY] }], decay: { kind: 'percent', value: 50, everyMs: 14 * DAY } } },
  thresholds: { hot: { when: ge(score('engagement'), 40), do: [A.handoff('sales'), A.stage(2)] } },
  handlers: [{ event: 'demo', do: [A.send('offer')] }],
  pressure: { caps: [P.cap(2, DAY)], gaps: [P.gap(2 * HOUR)], capped: P.delay(3 * DAY) },
  journeys: {
    onboarding: {
      entries: [entryOn('signup')],
      exits: [exitOn('unsubscribe')],
      goal: goalOn('demo', 30 * DAY),
      holdout: 10,
      steps: journeySteps ?? [
        S.send('welcome'),
        S.waitFor('click', 2 * DAY, { onEvent: 2, onTimeout: 3 }),
        S.send('tip1', 4),
        S.send('nudge'),
        S.wait(DAY),
        S.send('tip2'),
        S.wait(3 * DAY),
        S.act(A.stage(1)),
      ],
    },
  },
});

export const storePlan = (): Plan => buildPlan(storeSpec());

/** `plan` as another version (its own source hash). */
export function version(plan: Plan, tag: string): Plan {
  return { ...plan, source: { ...plan.source, hash: `sha256:${tag.repeat(64).slice(0, 64)}` } };
}

function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

const iso = (t: number) => new Date(t).toISOString();

/** Event `i` of the stream for `leads` leads (times increase with i: `spacingMs` apart). */
export function storeEvent(i: number, leads: number, spacingMs = 6_000): Record<string, unknown> {
  const h = mix(i + 0x9e3779b9);
  const lead = `L${mix(i * 7 + 1) % leads}`;
  const at = iso(T0 + i * spacingMs);
  const r = h % 100;
  const id = `e${i}`;
  if (r < 10) return { lead, type: 'profile', at, data: { email_consent: r < 9, country: r % 2 ? 'FR' : 'DE' }, id };
  if (r < 22) return { lead, type: 'signup', at, id };
  if (r < 60) return { lead, type: 'visit', at, data: { page: `/p${h % 7}` }, id };
  if (r < 92) return { lead, type: 'click', at, id };
  if (r < 96) return { lead, type: 'demo', at, id };
  return { lead, type: 'unsubscribe', at, id };
}

export function storeEvents(from: number, to: number, leads: number, spacingMs?: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let i = from; i < to; i++) out.push(storeEvent(i, leads, spacingMs));
  return out;
}

/** The actions of one uninterrupted in-memory run over `events`, then every timer up to `until`. */
export function oneRun(events: Record<string, unknown>[], until: number): RuntimeAction[] {
  const mem = createRuntime(storePlan());
  mem.ingestBatch(events);
  mem.advanceTo(until);
  return mem.drainActions();
}

/** The first column of every row of `sql` over the store `file` (read-only). */
export function query(file: string, sql: string): unknown[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).pluck().all();
  } finally {
    db.close();
  }
}

/**
 * Feeds `events` to the store `file` in four processes' worth of runs (open, batches of 700, close), the
 * last one advancing to `until`; returns every action, in order.
 */
export function inFourRuns(file: string, events: Record<string, unknown>[], until: number, options: SqliteRuntimeOptions = {}): RuntimeAction[] {
  const got: RuntimeAction[] = [];
  const cuts = [0, Math.floor(events.length / 6), Math.floor(events.length / 6) + 1, Math.floor((events.length * 2) / 3), events.length];
  for (let k = 0; k + 1 < cuts.length; k++) {
    const [from, to] = [cuts[k]!, cuts[k + 1]!];
    const rt = openSqliteRuntime(storePlan(), file, options);
    for (let i = from; i < to; i += 700) rt.ingestBatch(events.slice(i, Math.min(to, i + 700)));
    if (to === events.length) rt.advanceTo(until);
    got.push(...rt.drainActions());
    rt.close();
  }
  return got;
}
