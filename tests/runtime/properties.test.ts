// Property tests over random plans and random event streams.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRuntime, type Runtime, type RuntimeAction } from '../../runtime/engine/index.js';
import type { Plan } from '../../runtime/plan-types.js';
import { A, DAY, HOUR, MIN, P, S, buildPlan, entryOn, eq, field, ge, score, txt, type JourneySpec } from './helpers.js';

const START = Date.parse('2026-01-05T00:00:00Z');
const CONTENTS = ['e1', 'e2', 'e3', 's1', 'r1'];

type StepGen =
  | { k: 'send'; c: string }
  | { k: 'wait'; ms: number }
  | { k: 'waitFor'; ms: number }
  | { k: 'split' }
  | { k: 'repeat'; ms: number; max: number; c: string }
  | { k: 'sendNext' }
  | { k: 'if' }
  | { k: 'handoff' };

const stepArb: fc.Arbitrary<StepGen> = fc.oneof(
  fc.record({ k: fc.constant('send' as const), c: fc.constantFrom(...CONTENTS) }),
  fc.record({ k: fc.constant('wait' as const), ms: fc.integer({ min: 1, max: 96 }).map((h) => h * HOUR) }),
  fc.record({ k: fc.constant('waitFor' as const), ms: fc.integer({ min: 1, max: 10 }).map((d) => d * DAY) }),
  fc.record({ k: fc.constant('split' as const) }),
  fc.record({ k: fc.constant('repeat' as const), ms: fc.integer({ min: 1, max: 5 }).map((d) => d * DAY), max: fc.integer({ min: 1, max: 4 }), c: fc.constantFrom(...CONTENTS) }),
  fc.record({ k: fc.constant('sendNext' as const) }),
  fc.record({ k: fc.constant('if' as const) }),
  fc.record({ k: fc.constant('handoff' as const) }),
);

/** Lowers a list of generated steps into plan steps (every block rejoins the next step). */
function lower(gen: StepGen[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  // First pass: how many plan steps each generated step takes.
  const sizes = gen.map((g) => (g.k === 'split' || g.k === 'if' ? 3 : g.k === 'repeat' ? 2 : 1));
  let id = 0;
  gen.forEach((g, i) => {
    const after = id + sizes[i]! < sizes.reduce((a, b) => a + b, 0) ? id + sizes[i]! : null;
    switch (g.k) {
      case 'send':
        out.push(S.send(g.c, after));
        break;
      case 'wait':
        out.push(S.wait(g.ms, after));
        break;
      case 'waitFor':
        out.push(S.waitFor('click', g.ms, { onEvent: after, onTimeout: after }));
        break;
      case 'sendNext':
        out.push(S.sendNext('drip', { next: after, exhausted: after }));
        break;
      case 'handoff':
        out.push(S.act(A.handoff('sales'), after));
        break;
      case 'split':
        out.push(S.split([[50, id + 1], [50, id + 2]]), S.send('e1', after), S.send('e2', after));
        break;
      case 'if':
        out.push(S.if([[ge(score('eng'), 10), id + 1]], id + 2), S.send('e3', after), S.send('s1', after));
        break;
      case 'repeat':
        out.push(S.repeat(g.ms, { max: g.max, body: id + 1, next: after }), S.send(g.c, id));
        break;
    }
    id += sizes[i]!;
  });
  return out;
}

const pressureArb = fc.record({
  cap: fc.option(fc.record({ count: fc.integer({ min: 1, max: 3 }), days: fc.integer({ min: 1, max: 7 }), email: fc.boolean() }), { nil: undefined }),
  gapHours: fc.option(fc.integer({ min: 1, max: 48 }), { nil: undefined }),
  quiet: fc.boolean(),
  weekend: fc.boolean(),
  skip: fc.boolean(),
  delayDays: fc.integer({ min: 1, max: 10 }),
});
type PressureGen = typeof pressureArb extends fc.Arbitrary<infer T> ? T : never;

const planArb = fc
  .record({
    journeys: fc.array(fc.record({ steps: fc.array(stepArb, { minLength: 1, maxLength: 6 }), priority: fc.integer({ min: 0, max: 3 }), entry: fc.constantFrom('signup', 'click', 'demo'), always: fc.boolean() }), {
      minLength: 1,
      maxLength: 3,
    }),
    pressure: pressureArb,
  })
  .map(({ journeys, pressure }) => ({ plan: makePlan(journeys, pressure), pressure }));

function makePlan(journeys: { steps: StepGen[]; priority: number; entry: string; always: boolean }[], p: PressureGen): Plan {
  const js: Record<string, JourneySpec> = {};
  journeys.forEach((j, i) => {
    js[`j${i}`] = {
      entries: [entryOn(j.entry, j.entry === 'click' ? eq(field('url'), txt('/pricing')) : undefined)],
      priority: j.priority,
      reentry: j.always ? { mode: 'always', afterMs: null, loc: [0, 1, 1] } : undefined,
      steps: lower(j.steps),
    };
  });
  return buildPlan({
    timezone: 'Europe/Paris',
    attributes: { country: 'text' },
    events: { signup: {}, click: { url: 'text' }, demo: {}, unsub: {} },
    channels: { email: 'email_consent', sms: 'sms_consent' },
    contents: { e1: { topic: 'a' }, e2: { topic: 'b' }, e3: { topic: 'a' }, s1: { channel: 'sms' }, r1: { transactional: true } },
    streams: { drip: ['e1', 'e2', 'e3'] },
    stages: ['lead', 'mql'],
    scores: { eng: { engagement: [{ points: 5, event: 'click' }] } },
    thresholds: { mql: { when: ge(score('eng'), 15), do: [A.stage(1), A.handoff('sales')] } },
    handlers: [{ event: 'demo', do: [A.send('e2')] }],
    pressure: {
      caps: p.cap ? [P.cap(p.cap.count, p.cap.days * DAY, p.cap.email ? 'email' : null)] : [],
      gaps: p.gapHours ? [P.gap(p.gapHours * HOUR)] : [],
      quietHours: p.quiet ? [P.quietHours('20:00', '08:00')] : [],
      quietDays: p.weekend ? [P.quietDays(6, 7)] : [],
      capped: p.skip ? P.skip() : P.delay(p.delayDays * DAY),
    },
    journeys: js,
  });
}

interface GenEvent {
  lead: string;
  type: string;
  at: string;
  data?: Record<string, unknown>;
  id?: string;
}

const eventsArb: fc.Arbitrary<GenEvent[]> = fc
  .array(
    fc.record({
      lead: fc.constantFrom('L0', 'L1', 'L2', 'L3'),
      minute: fc.integer({ min: 0, max: 30 * 24 * 60 }),
      kind: fc.constantFrom('signup', 'signup', 'click', 'clickp', 'clickp', 'demo', 'consent', 'noconsent', 'sms'),
    }),
    { maxLength: 40 },
  )
  .map((raw) => [
    // most leads start with consent; L3 only for email
    ...['L0', 'L1', 'L2', 'L3'].map((lead) => ({ lead, type: 'profile', at: new Date(START).toISOString(), data: { email_consent: lead !== 'L2', sms_consent: lead !== 'L3' }, id: `p-${lead}` })),
    ...raw
      .map((r, i) => {
        const at = new Date(START + r.minute * MIN).toISOString();
        const id = `e${i}`;
        switch (r.kind) {
          case 'consent':
            return { lead: r.lead, type: 'profile', at, data: { email_consent: true }, id };
          case 'noconsent':
            return { lead: r.lead, type: 'profile', at, data: { email_consent: false }, id };
          case 'sms':
            return { lead: r.lead, type: 'profile', at, data: { sms_consent: true }, id };
          case 'click':
            return { lead: r.lead, type: 'click', at, data: { url: '/' }, id };
          case 'clickp':
            return { lead: r.lead, type: 'click', at, data: { url: '/pricing' }, id };
          default:
            return { lead: r.lead, type: r.kind, at, id };
        }
      })
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)),
  ]);

const END = START + 80 * DAY;

function runAll(plan: Plan, events: GenEvent[], chunks: number[] = []): { rt: Runtime; actions: RuntimeAction[] } {
  const rt = createRuntime(plan);
  const actions: RuntimeAction[] = [];
  let i = 0;
  for (const size of chunks) {
    const part = events.slice(i, i + size);
    if (part.length === 0) break;
    rt.advanceTo(Date.parse(part[0]!.at)); // any point not after the next event
    rt.ingestBatch(part);
    i += part.length;
  }
  rt.ingestBatch(events.slice(i));
  rt.advanceTo(END);
  actions.push(...rt.drainActions());
  return { rt, actions };
}

const perLead = (actions: RuntimeAction[]) => {
  const m = new Map<string, RuntimeAction[]>();
  for (const a of actions) {
    const l = m.get(a.lead) ?? [];
    l.push(a);
    m.set(a.lead, l);
  }
  return [...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
};

describe('properties', () => {
  it('generates scenarios that do send, delay, skip and suppress', () => {
    const stats = { sends: 0, delayed: 0, skipped: 0, suppressed: 0 };
    fc.assert(
      fc.property(planArb, eventsArb, ({ plan }, events) => {
        const { rt, actions } = runAll(plan, events);
        stats.sends += actions.filter((a) => a.type === 'send').length;
        const m = rt.measures();
        stats.delayed += m.delayed.reduce((n, r) => n + r.count, 0);
        stats.skipped += m.skipped.reduce((n, r) => n + r.count, 0);
        stats.suppressed += m.suppressed.reduce((n, r) => n + r.count, 0);
        if (process.env.DEBUG_STATS) console.log(JSON.stringify(stats));
      }),
      { numRuns: 100, seed: 42 },
    );
    expect(stats.sends).toBeGreaterThan(100);
    expect(stats.delayed).toBeGreaterThan(20);
    expect(stats.skipped).toBeGreaterThan(5);
    expect(stats.suppressed).toBeGreaterThan(20);
  });

  it('never sends on a channel without consent', () => {
    fc.assert(
      fc.property(planArb, eventsArb, ({ plan }, events) => {
        const rt = createRuntime(plan);
        const ix = rt.index;
        const check = () => {
          for (const a of rt.drainActions()) {
            if (a.type !== 'send') continue;
            // Consent cannot change during a step here (only profile events change it, and a
            // profile event's sends come after the change), so the state after the step tells.
            const s = rt.leadState(a.lead)!;
            const consent = ix.contents[ix.contentSlot.get(a.content)!]!.consent;
            expect(s.at[consent]).toBe(true);
          }
        };
        for (const e of events) {
          rt.advanceTo(Date.parse(e.at));
          check();
          rt.ingest(e);
          check();
        }
        rt.advanceTo(END);
        check();
      }),
      { numRuns: 150 },
    );
  });

  it('never sends more messages in a window than a cap allows, nor closer than a gap', () => {
    fc.assert(
      fc.property(planArb, eventsArb, ({ plan, pressure }, events) => {
        const { actions } = runAll(plan, events);
        for (const [, list] of perLead(actions)) {
          const sends = list.filter((a): a is Extract<RuntimeAction, { type: 'send' }> => a.type === 'send' && a.content !== 'r1');
          if (pressure.cap) {
            const w = pressure.cap.days * DAY;
            const scoped = sends.filter((a) => !pressure.cap!.email || a.channel === 'email');
            for (const a of scoped) {
              const inWindow = scoped.filter((b) => b.at > a.at - w && b.at <= a.at).length;
              expect(inWindow).toBeLessThanOrEqual(pressure.cap.count);
            }
          }
          if (pressure.gapHours) {
            for (let i = 1; i < sends.length; i++) expect(sends[i]!.at - sends[i - 1]!.at).toBeGreaterThanOrEqual(pressure.gapHours * HOUR);
          }
          if (pressure.quiet) {
            for (const a of sends) {
              const h = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', hourCycle: 'h23' }).format(a.at));
              expect(h >= 8 && h < 20).toBe(true);
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('gives the same output for the same input', () => {
    fc.assert(
      fc.property(planArb, eventsArb, ({ plan }, events) => {
        const a = runAll(plan, events);
        const b = runAll(plan, events);
        expect(b.actions).toEqual(a.actions);
        expect(b.rt.drainAudit()).toEqual(a.rt.drainAudit());
        expect(b.rt.measures()).toEqual(a.rt.measures());
      }),
      { numRuns: 60 },
    );
  });

  it('gives the same actions (and ids) per lead whatever the batching and the timer advances', () => {
    fc.assert(
      fc.property(planArb, eventsArb, fc.array(fc.integer({ min: 1, max: 8 }), { maxLength: 10 }), ({ plan }, events, chunks) => {
        const whole = runAll(plan, events);
        const chunked = runAll(plan, events, chunks);
        expect(perLead(chunked.actions)).toEqual(perLead(whole.actions));
      }),
      { numRuns: 100 },
    );
  });

  it('gives the same actions per lead however leads are interleaved', () => {
    fc.assert(
      fc.property(planArb, eventsArb, ({ plan }, events) => {
        const whole = runAll(plan, events);
        // lead by lead: each lead's events are still in time order
        const byLead = [...events].sort((a, b) => (a.lead < b.lead ? -1 : a.lead > b.lead ? 1 : 0));
        const rt = createRuntime(plan);
        for (const e of byLead) rt.ingest(e);
        rt.advanceTo(END);
        expect(perLead(rt.drainActions())).toEqual(perLead(whole.actions));
      }),
      { numRuns: 100 },
    );
  });
});
