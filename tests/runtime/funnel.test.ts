// The funnel (LANGUAGE.md 9) counts the stage moves that really happened: stages need not be passed in order.
import { describe, expect, it } from 'vitest';
import { A, ev, runtime } from './helpers.js';

const spec = {
  events: { trial: {}, buy: {}, lost: {} },
  stages: ['lead', 'trialist', 'mql', 'customer'],
  handlers: [
    { event: 'trial', do: [A.stage(1)] },
    { event: 'buy', do: [A.stage(3)] },
    { event: 'lost', do: [A.stage(0)] },
  ],
};

describe('funnel', () => {
  it('a lead going from trialist straight to customer never passed mql', () => {
    const rt = runtime(spec);
    rt.ingestBatch([ev('L1', 'trial', '2026-01-05 09:00'), ev('L1', 'buy', '2026-01-06 09:00'), ev('L2', 'trial', '2026-01-05 09:00')]);
    const m = rt.measures();
    expect(m.mqls).toBe(0);
    expect(m.funnel.stages.map((s) => [s.stage, s.leads, s.reached])).toEqual([
      ['lead', 0, 2],
      ['trialist', 1, 2],
      ['mql', 0, 0],
      ['customer', 1, 1],
    ]);
    expect(m.funnel.conversions).toEqual([
      { from: 'lead', to: 'trialist', rate: 1 },
      { from: 'trialist', to: 'mql', rate: 0 },
      { from: 'mql', to: 'customer', rate: null },
    ]);
    expect(m.funnel.moves).toEqual([
      { from: 'lead', to: 'trialist', count: 2 },
      { from: 'trialist', to: 'customer', count: 1 },
    ]);
  });

  it('counts a lead once per stage, however often it comes back', () => {
    const rt = runtime(spec);
    rt.ingestBatch([ev('L1', 'trial', '2026-01-05 09:00'), ev('L1', 'lost', '2026-01-06 09:00'), ev('L1', 'trial', '2026-01-07 09:00')]);
    const m = rt.measures();
    expect(m.funnel.stages.map((s) => s.reached)).toEqual([1, 1, 0, 0]);
    expect(m.funnel.moves).toEqual([
      { from: 'lead', to: 'trialist', count: 2 },
      { from: 'trialist', to: 'lead', count: 1 },
    ]);
    expect(m.recycled).toBe(1);
  });
});
