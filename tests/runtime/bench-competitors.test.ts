// The runtime bench's rules-engine contenders (bench/runtime-competitors.ts) decide exactly what the
// hand-written baseline decides: same points, MQLs, sends and suppressed messages on a small workload.
// (zen-engine only where it is installed.)
import { describe, expect, it } from 'vitest';
import { jsonRulesEngineRun, loadZen, zenEmptyRun, zenEngineRun } from '../../bench/runtime-competitors.js';
import { generateEvents, handWritten, sliceLeads } from '../../bench/runtime-workload.js';

// Not a devDependency (see runtime-competitors.ts): checked where it is installed.
const zenInstalled = (await loadZen()) !== null;

describe('runtime bench contenders', () => {
  const events = sliceLeads(generateEvents(30_000, 3_000, 11), 150);
  const end = Date.parse(events[events.length - 1]!.at) + 30 * 86_400_000;
  const hand = handWritten(events, end);

  it('the workload has MQLs, sends and suppressed messages', () => {
    expect(hand.mqls).toBeGreaterThan(0);
    expect(hand.sends).toBeGreaterThan(0);
    expect(hand.suppressed).toBeGreaterThan(0);
  });

  it('json-rules-engine agrees with the hand-written baseline', async () => {
    expect(await jsonRulesEngineRun(events, end)).toEqual(hand);
  }, 60_000);

  it.skipIf(!zenInstalled)('zen-engine agrees with the hand-written baseline', async () => {
    expect(await zenEngineRun(events, end)).toEqual(hand);
  }, 60_000);

  it.skipIf(!zenInstalled)('zen-engine with an empty decision (the cost of a call) fires no rule', async () => {
    expect(await zenEmptyRun(events, end)).toEqual({ points: 0, mqls: 0, sends: 0, suppressed: 0, colds: 0 });
  }, 60_000);
});
