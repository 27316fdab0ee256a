// The program's control group (LANGUAGE.md 4.16): a stable P% of all leads, by lead id alone, get no
// non-transactional message from any journey, handler or threshold; everything else runs for them.
import { describe, expect, it } from 'vitest';
import { inControlGroupByHash } from '../../runtime/engine/control-group.js';
import { inHoldout } from '../../runtime/engine/hash.js';
import { A, DAY, S, auditOf, entryOn, ev, ge, run, runtime, score, type PlanSpec } from './helpers.js';

const plan = (controlGroup?: number): PlanSpec => ({
  ...(controlGroup === undefined ? {} : { controlGroup }),
  events: { signup: {}, demo: {}, order: {} },
  channels: { email: null },
  contents: { hello: {}, tip: {}, nudge: {}, receipt: { transactional: true } },
  streams: { tips: ['tip'] },
  stages: ['lead', 'mql'],
  scores: { engagement: { engagement: [{ points: 50, event: 'demo' }] } },
  thresholds: { hot: { when: ge(score('engagement'), 50), do: [A.send('nudge'), A.stage(1), A.handoff('sales')] } },
  handlers: [{ event: 'order', do: [A.send('receipt'), A.send('hello')] }],
  journeys: { welcome: { entries: [entryOn('signup')], holdout: 10, steps: [S.send('hello'), S.wait(DAY), S.sendNext('tips'), S.send('receipt')] } },
});

describe('the control group', () => {
  it('gets no marketing message from journeys, handlers or thresholds; transactional content, stages and handoffs go on', () => {
    const rt = runtime(plan(5), { holdout: 'none' });
    rt.engine.control.force('C');
    const events = (lead: string) => [ev(lead, 'signup', '2026-01-05 09:00'), ev(lead, 'demo', '2026-01-05 10:00'), ev(lead, 'order', '2026-01-05 11:00')];
    // each lead's events in turn (C's, then N's), then the timers at 2026-01-06 09:00, lead by lead
    expect(run(rt, [...events('C'), ...events('N')], '2026-02-01 00:00')).toEqual([
      '2026-01-05 10:00 stage lead->mql', // C: the threshold's stage and handoff, not its nudge
      '2026-01-05 10:00 handoff sales',
      '2026-01-05 11:00 send receipt', // C: the handler's transactional receipt only
      '2026-01-05 09:00 send hello', // N
      '2026-01-05 10:00 send nudge',
      '2026-01-05 10:00 stage lead->mql',
      '2026-01-05 10:00 handoff sales',
      '2026-01-05 11:00 send receipt',
      '2026-01-05 11:00 send hello',
      '2026-01-06 09:00 send receipt', // C: the journey ran through; its drip moved on without sending
      '2026-01-06 09:00 send tip', // N
      '2026-01-06 09:00 send receipt',
    ]);
    expect(auditOf(rt, 'C', 'controlGroup', 'entered', 'completed')).toEqual([
      '2026-01-05 09:00 entered welcome [entry on signup]',
      '2026-01-05 09:00 controlGroup welcome hello [control group 5%]',
      '2026-01-05 10:00 controlGroup nudge [control group 5%]',
      '2026-01-05 11:00 controlGroup hello [control group 5%]',
      '2026-01-06 09:00 controlGroup welcome tip [control group 5%]',
      '2026-01-06 09:00 completed welcome [end of the journey]',
    ]);
    const rec = rt.audit('C').find((r) => r.kind === 'controlGroup')!;
    expect([rec.loc, rec.note]).toEqual([rt.index.plan.controlGroup!.loc, null]);
  });

  it('is nobody without `control group`, and nobody by hash with `holdout: none` (tests)', () => {
    const id = ['L1', 'L2', 'L3'].find((x) => !inHoldout(x, 'welcome', 10))!; // not in the journey's holdout
    for (const [p, opts] of [[undefined, {}], [100, { holdout: 'none' as const }]] as const) {
      const rt = runtime(plan(p), opts);
      expect(run(rt, [ev(id, 'signup', '2026-01-05 09:00')])).toEqual(['2026-01-05 09:00 send hello']);
    }
    const all = runtime(plan(100));
    expect(run(all, [ev(id, 'signup', '2026-01-05 09:00')])).toEqual([]);
  });

  it('is a stable ≈P% of all leads, a function of the lead id alone, independent of journey holdouts', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `lead-${i}`);
    const control = ids.filter((id) => inControlGroupByHash(id, 5));
    expect(control.length / ids.length).toBeGreaterThan(0.04);
    expect(control.length / ids.length).toBeLessThan(0.06);
    // independent of the holdout draw of a journey (10%): about 10% of the control group is held out too
    const both = control.filter((id) => inHoldout(id, 'welcome', 10)).length / control.length;
    expect(both).toBeGreaterThan(0.06);
    expect(both).toBeLessThan(0.14);
    // the runtime draws the same leads, whatever the journeys
    const rt = runtime(plan(5), { audit: 'off' });
    rt.ingestBatch(ids.map((id) => ev(id, 'signup', '2026-01-05 09:00')));
    const m = rt.measures();
    expect(m.program!.control.leads).toBe(control.length);
    expect(m.program!.nurtured.leads).toBe(ids.length - control.length);
    const sentTo = new Set(rt.drainActions().map((a) => a.lead));
    expect(control.some((id) => sentTo.has(id))).toBe(false);
    expect(m.program!.withheld).toBe(control.filter((id) => !inHoldout(id, 'welcome', 10)).length);
  });

  it('measures the program: MQL conversion of the nurtured leads and of the control group, and the lift', () => {
    const rt = runtime(plan(5), { holdout: 'none' });
    for (const id of ['C1', 'C2']) rt.engine.control.force(id);
    // forced leads only: by-hash membership is off with `holdout: none`
    run(rt, [ev('C1', 'demo', '2026-01-05 09:00'), ev('C2', 'signup', '2026-01-05 09:00'), ev('N1', 'demo', '2026-01-05 09:00'), ev('N1', 'demo', '2026-01-06 09:00'), ev('N2', 'demo', '2026-01-05 09:00'), ev('N3', 'signup', '2026-01-05 09:00')]);
    const p = rt.measures().program!;
    expect(p.control).toEqual({ leads: 2, mqls: 1, conversionRate: 0.5 });
    expect(p.nurtured).toEqual({ leads: 3, mqls: 2, conversionRate: 2 / 3 });
    expect(p.lift).toEqual({ tooFew: true, minimum: 30 }); // 3 and 2 leads: too few to tell
    expect(p.withheld).toBe(2); // C1's nudge, C2's hello
    expect(runtime(plan()).measures().program).toBeNull();
  });
});
