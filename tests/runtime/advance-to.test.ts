// `advanceTo` at the edges, for the memory and the SQLite runtimes: Infinity (what `nextDue()` gives when
// nothing is pending) is "never" and returns at once, even with an endless `repeat every` chain; NaN, a
// bad string or a time beyond the dates a Date can hold is a RangeError naming it; a timer due beyond
// year 275760 is never due (no crash, no timer).
import { describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../runtime/engine/index.js';
import { openSqliteRuntime } from '../../runtime/store/index.js';
import type { Plan } from '../../runtime/plan-types.js';
import { buildPlan } from './helpers.js';
import { DAY, MIN, S } from './helpers.js';
import { storeSpec, T0 } from '../store/fixture.js';
import { tempStores } from '../store/temp-stores.js';

const dbFile = tempStores('advance');
const endless = (): Plan => buildPlan(storeSpec([S.repeat(MIN, {}), S.send('tip1', 0)]));
const farAway = (): Plan => buildPlan(storeSpec([S.send('welcome'), S.wait(100_000_000 * DAY), S.send('tip1')]));
const signup = (lead: string) => ({ lead, type: 'signup', at: new Date(T0).toISOString(), id: `s-${lead}` });

const runtimes: [string, (plan: Plan) => Runtime & { close?: () => void }][] = [
  ['memory', (plan) => createRuntime(plan)],
  ['SQLite', (plan) => openSqliteRuntime(plan, dbFile())],
];

describe.each(runtimes)('advanceTo at the edges (%s runtime)', (_, open) => {
  it('advanceTo(nextDue()) with nothing pending returns 0 at once (Infinity is "never")', () => {
    const rt = open(endless());
    expect(rt.nextDue()).toBe(Infinity);
    expect(rt.advanceTo(rt.nextDue())).toBe(0);
    expect(rt.advanceTo(-Infinity)).toBe(0);
    rt.close?.();
  });

  it('advanceTo(Infinity) returns at once with an endless repeat chain pending; finite steps still run it', () => {
    const rt = open(endless());
    rt.ingest(signup('a'));
    const due = rt.nextDue();
    expect(due).toBe(T0 + MIN);
    expect(rt.advanceTo(Infinity)).toBe(0);
    expect(rt.nextDue()).toBe(due); // nothing ran
    expect(rt.advanceTo(rt.nextDue())).toBe(1);
    expect(rt.nextDue()).toBe(due + MIN);
    rt.close?.();
  });

  it('NaN, a bad string, a time beyond the dates a Date can hold: a RangeError naming it, nothing changed', () => {
    const rt = open(endless());
    rt.ingest(signup('a'));
    expect(() => rt.advanceTo(NaN)).toThrow(new RangeError('advanceTo: expected epoch milliseconds or an ISO date-time with offset, not NaN'));
    expect(() => rt.advanceTo('tomorrow')).toThrow(RangeError);
    expect(() => rt.advanceTo('tomorrow')).toThrow(/"tomorrow" is not an ISO 8601 date-time/);
    expect(() => rt.advanceTo(1e20)).toThrow(/advanceTo: 100000000000000000000 is beyond the dates a Date can hold \(±8640000000000000 ms\)/);
    expect(() => rt.advanceTo(undefined as unknown as number)).toThrow(/not undefined/);
    expect(rt.nextDue()).toBe(T0 + MIN);
    expect(rt.advanceTo(T0 + 3 * MIN)).toBe(3);
    rt.close?.();
  });

  it('a wait that ends beyond year 275760 is never due: no timer, no crash', () => {
    const rt = open(farAway());
    rt.ingest({ lead: 'a', type: 'profile', at: new Date(T0).toISOString(), data: { email_consent: true } });
    rt.ingest(signup('a'));
    expect(rt.nextDue()).toBe(Infinity);
    expect(rt.advanceTo(rt.nextDue())).toBe(0);
    expect(rt.leadState('a')).toBeDefined();
    rt.close?.();
  });
});

it('a SQLite store reopened after a wait beyond year 275760 has no timer', () => {
  const file = dbFile();
  let rt = openSqliteRuntime(farAway(), file);
  rt.ingest(signup('a'));
  rt.close();
  rt = openSqliteRuntime(farAway(), file);
  expect(rt.nextDue()).toBe(Infinity);
  rt.close();
});
