// The runtime bench's plan against its hand-written twin, on a small deterministic workload: the engine
// and the plain-JS implementation must agree (points kept, MQLs, sends, suppressed messages, time-driven handoffs).
import { describe, expect, it } from 'vitest';
import { BENCH_SOURCE, generateEvents, handWritten } from '../../bench/runtime-bench.js';
import { checkSources } from '../../compiler/workspace.js';
import { compilePlan } from '../../compiler/lower/index.js';
import { createRuntime } from '../../runtime/engine/index.js';

describe('runtime bench workload', () => {
  it('the engine and the hand-written version agree on the checksum', () => {
    const sources = [{ path: 'bench.nurture', text: BENCH_SOURCE }];
    const { model, diagnostics } = checkSources(sources);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const plan = compilePlan(model, sources);
    for (const seed of [1, 7]) {
      const events = generateEvents(20_000, 2_000, seed);
      const end = Date.parse(events[events.length - 1]!.at) + 30 * 86_400_000;
      const rt = createRuntime(plan, { audit: 'off' });
      const batch = rt.ingestBatch(events);
      expect(batch.rejected).toEqual([]);
      rt.advanceTo(end);
      const actions = rt.drainActions();
      const m = rt.measures();
      const engSlot = rt.index.scores[rt.index.scoreSlot.get('engagement')!]!.slot;
      let points = 0;
      for (let i = 0; i < 2_000; i++) points += rt.leadState(`L${i}`)?.eg[engSlot] ?? 0;
      const engine = {
        points,
        mqls: actions.filter((a) => a.type === 'stage' && a.to === 'mql').length,
        sends: actions.filter((a) => a.type === 'send').length,
        suppressed: m.suppressed.reduce((n, r) => n + r.count, 0),
        colds: actions.filter((a) => a.type === 'handoff' && a.to === 'winback').length,
      };
      expect(engine).toEqual(handWritten(events, end));
      expect(engine.mqls).toBeGreaterThan(0);
      expect(engine.sends).toBeGreaterThan(0);
      expect(engine.colds).toBeGreaterThan(0); // the time-driven part acts
    }
  });
});
