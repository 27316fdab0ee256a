// §8.5 time-driven evaluation: a condition that changes while nothing happens (a `within` window closes,
// a score decays) acts at that instant — by `advanceTo`, in `nurture test`, in the SQLite store — and
// plans without such conditions get no extra timer.
import { describe, expect, it } from 'vitest';
import { checkSources } from '../../compiler/workspace.js';
import { compilePlan } from '../../compiler/lower/index.js';
import { createRuntime, type Runtime } from '../../runtime/engine/index.js';
import { runPlanTests } from '../../runtime/test-runner.js';
import type { Plan } from '../../runtime/plan-types.js';
import { openSqliteRuntime } from '../../runtime/store/index.js';
import { ev, T } from './helpers.js';
import { tempStores } from '../store/temp-stores.js';

const dbFile = tempStores('time');

function compile(text: string): Plan {
  const sources = [{ path: 'p.nurture', text }];
  const { model, diagnostics } = checkSources(sources);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return compilePlan(model, sources);
}

const iso = (t: number) => new Date(t).toISOString();
/** Actions as `ISO type subject`. */
const drained = (rt: Runtime) =>
  rt.drainActions().map((a) => `${iso(a.at)} ${a.type} ${a.type === 'send' ? a.content : a.type === 'stage' ? a.to : a.type === 'handoff' ? a.to : a.attribute}`);

const WINBACK = `
lead { email_consent: bool }
event logged_in
channel email { consent: email_consent }
content winback_mail { channel: email }
stages subscriber, customer
on logged_in { set stage = customer }
journey winback {
  entry when stage is customer and not (has logged_in within 14 days)
  reentry always
  send winback_mail
}
`;

describe('§8.5: conditions that change with time alone act at that instant', () => {
  it('an inactivity entry enters 14 days (and 1 ms: the window is closed) after the last login, with no event', () => {
    const rt = createRuntime(compile(WINBACK));
    rt.ingest(ev('A', 'profile', '2026-01-05 08:00', { email_consent: true }));
    rt.ingest(ev('A', 'logged_in', '2026-01-05 09:00'));
    rt.ingest(ev('A', 'logged_in', '2026-01-07 09:00'));
    expect(rt.nextDue()).toBe(T('2026-01-21 09:00') + 1);
    rt.advanceTo(T('2026-01-21 09:00'));
    expect(drained(rt)).toEqual(['2026-01-05T09:00:00.000Z stage customer']);
    rt.advanceTo(T('2026-02-28 00:00'));
    expect(drained(rt)).toEqual(['2026-01-21T09:00:00.001Z send winback_mail']);
    expect(rt.nextDue()).toBe(Infinity);
    // logging in again, then 14 quiet days: a second winback (reentry always)
    rt.ingest(ev('A', 'logged_in', '2026-03-01 10:00'));
    rt.advanceTo(T('2026-04-01 00:00'));
    expect(drained(rt)).toEqual(['2026-03-15T10:00:00.001Z send winback_mail']);
  });

  it('an event after the instant sees the entry already made (it is not late by 16 days)', () => {
    const rt = createRuntime(compile(WINBACK));
    rt.ingest(ev('A', 'profile', '2026-01-05 08:00', { email_consent: true }));
    rt.ingest(ev('A', 'logged_in', '2026-01-05 09:00'));
    rt.ingest(ev('A', 'profile', '2026-02-04 09:00', { email_consent: true })); // day 30, no advanceTo
    expect(drained(rt)).toEqual(['2026-01-05T09:00:00.000Z stage customer', '2026-01-19T09:00:00.001Z send winback_mail']);
  });

  it('`at least N times within D`: false from the instant the N-th latest event leaves the window', () => {
    const rt = createRuntime(
      compile(`
event visit
stages cold, warm
threshold warm when has visit at least 2 times within 3 days { set stage = warm }
threshold cooled when stage is warm and not (has visit at least 2 times within 3 days) { set stage = cold }
`),
    );
    rt.ingest(ev('A', 'visit', '2026-01-05 09:00'));
    rt.ingest(ev('A', 'visit', '2026-01-06 09:00'));
    rt.ingest(ev('A', 'visit', '2026-01-07 09:00'));
    rt.advanceTo(T('2026-02-01 00:00'));
    // warm at the second visit; 2 visits in the window until the one of the 6th leaves it (9th 09:00 + 1 ms)
    expect(drained(rt)).toEqual(['2026-01-06T09:00:00.000Z stage warm', '2026-01-09T09:00:00.001Z stage cold']);
  });

  it('a threshold on a decaying score fires at the decay instant, and again after climbing back (issue 21)', () => {
    const plan = compile(`
lead { employees: number }
event demo
stages lead, mql
score fit { +60 if employees >= 100 }
score eng {
  +40 on demo
  decay 50% every 10 days idle
}
threshold mql when fit >= 50 and eng >= 40 { handoff "sales" }
threshold gone_cold when eng < 10 { handoff "winback" }
`);
    const rt = createRuntime(plan);
    rt.ingest(ev('A', 'profile', '2026-01-01 00:00', { employees: 500 }));
    rt.ingest(ev('A', 'demo', '2026-01-02 00:00')); // day 1
    rt.advanceTo(T('2026-01-25 00:00'));
    rt.ingest(ev('A', 'demo', '2026-01-25 00:00')); // day 24: 10 (decayed on days 11 and 21) + 40
    rt.advanceTo(T('2026-04-01 00:00'));
    expect(drained(rt)).toEqual([
      '2026-01-01T00:00:00.000Z handoff winback', // eng is 0 < 10 at creation
      '2026-01-02T00:00:00.000Z handoff sales',
      '2026-01-25T00:00:00.000Z handoff sales', // false from day 11 (decay to 20) on: fires again
      // 50 → 25 (Feb 4) → 12.5 (Feb 14) → 6.25 (Feb 24): cold at that instant
      '2026-02-24T00:00:00.000Z handoff winback',
    ]);
    // decay is applied at each boundary; the boundaries where a comparison of the score changes are evaluation
    // points (the others are applied when the lead is next touched, audited at their boundary)
    const decays = rt.audit('A').filter((r) => r.kind === 'score' && r.rule === 'decay 50%');
    expect(decays.map((r) => `${iso(r.at)} ${String(r.from)}→${String(r.to)} ${r.note}`).slice(0, 4)).toEqual([
      '2026-01-12T00:00:00.000Z 40→20 1 idle period', // eng >= 40 turns false
      '2026-01-22T00:00:00.000Z 20→10 1 idle period', // no comparison changes: applied at the demo of the 25th
      '2026-02-04T00:00:00.000Z 50→25 1 idle period',
      '2026-02-24T00:00:00.000Z 25→6.25 2 idle periods', // eng < 10 turns true on the 24th (not on the 14th)
    ]);
  });

  it('`exit when` and `wait until` on a closing window act at that instant; a goal too', () => {
    const rt = createRuntime(
      compile(`
lead { email_consent: bool }
event signup
event visit
channel email { consent: email_consent }
content hello { channel: email }
content nudge { channel: email }
content bye { channel: email }
journey j {
  entry on signup
  exit when not (has visit within 5 days)
  send hello
  wait 30 days
  send bye
}
journey k {
  entry on signup
  goal not (received hello within 2 days) within 30 days
  wait until not (has visit within 1 day) up to 20 days {
    send nudge
  }
  wait 60 days
}
`),
    );
    rt.ingest(ev('A', 'profile', '2026-01-05 08:00', { email_consent: true }));
    rt.ingest(ev('A', 'visit', '2026-01-05 08:30'));
    rt.ingest(ev('A', 'signup', '2026-01-05 09:00'));
    rt.advanceTo(T('2026-03-01 00:00'));
    expect(drained(rt)).toEqual(['2026-01-05T09:00:00.000Z send hello', '2026-01-06T08:30:00.001Z send nudge']);
    const left = rt.audit('A').filter((r) => r.kind === 'exited' || r.kind === 'converted');
    expect(left.map((r) => `${iso(r.at)} ${r.kind} ${r.journey}`)).toEqual([
      '2026-01-07T09:00:00.001Z converted k',
      '2026-01-10T08:30:00.001Z exited j',
    ]);
  });

  it('`nurture test`: `after D` runs these instants', () => {
    const plan = compile(`${WINBACK}
test "winback after 14 quiet days" {
  lead { email_consent: true }
  logged_in
  after 14 days
  expect not (received winback_mail)
  after 1 minute
  expect received winback_mail
}
`);
    const [r] = runPlanTests(plan);
    expect(r!.failures).toEqual([]);
    expect(r!.passed).toBe(true);
  });

  it('no time-dependent condition: no re-evaluation timer (a `within` in an `if` or a decay nobody reads is not one)', () => {
    const rt = createRuntime(
      compile(`
event visit
content a { channel: web }
channel web
score eng {
  +5 on visit
  decay 10% every 1 day idle
}
journey j {
  entry on visit
  if has visit within 2 days { send a }
}
`),
    );
    rt.ingest(ev('A', 'visit', '2026-01-05 09:00'));
    expect(rt.nextDue()).toBe(Infinity);
  });

  // A condition `A and B` whose A reads only the stage and attributes cannot change with time while A is
  // false: no instant for it (the bench had ~37,000 such re-evaluations per 200,000 events), and the step
  // that makes A true (stage or attribute change) computes the instant.
  const GUARDED = `
lead { tier: one of [silver, gold] }
event visit
stages lead, mql
score activity {
  +10 on visit
  decay 50% every 1 day idle
}
threshold promote when has visit at least 3 times { set stage = mql }
threshold gone_cold when stage is mql and activity < 5 { handoff "winback" }
threshold quiet_gold when tier is gold and not (has visit within 2 days) { handoff "gold" }
`;

  it('a condition whose stage or attribute part is false gets no instant; it gets one when that part turns true', () => {
    const rt = createRuntime(compile(GUARDED));
    rt.ingest(ev('A', 'visit', '2026-01-05 09:00'));
    // stage lead, no tier: neither `activity` falling below 5 nor the visit leaving the window can act
    expect(rt.nextDue()).toBe(Infinity);
    rt.ingest(ev('A', 'profile', '2026-01-05 10:00', { tier: 'gold' }));
    expect(rt.nextDue()).toBe(T('2026-01-07 09:00') + 1); // the visit leaves the 2 days
    rt.ingest(ev('A', 'profile', '2026-01-05 11:00', { tier: 'silver' }));
    expect(rt.nextDue()).toBe(Infinity);
    rt.ingest(ev('A', 'visit', '2026-01-06 09:00'));
    rt.ingest(ev('A', 'visit', '2026-01-07 09:00')); // the third: mql, set by a threshold in the rounds
    // activity: 10 → 5 + 10 → 7.5 + 10 at Jan 7 → 8.75 → 4.375 on Jan 9, 09:00
    expect(rt.nextDue()).toBe(T('2026-01-09 09:00'));
    rt.advanceTo(T('2026-02-01 00:00'));
    expect(drained(rt)).toEqual(['2026-01-07T09:00:00.000Z stage mql', '2026-01-09T09:00:00.000Z handoff winback']);
  });

  it('a guard turned true by a stage change or a `set` action, with nothing else touched, still gets its instant', () => {
    const plan = (action: string, condition: string) =>
      compile(`
lead { tier: one of [silver, gold] }
event visit
event upgrade
stages lead, mql
on upgrade { ${action} }
threshold quiet when ${condition} and not (has visit within 1 day) { handoff "quiet" }
`);
    for (const [action, condition, change] of [
      ['set stage = mql', 'stage is mql', 'stage mql'],
      ['set tier = gold', 'tier is gold', 'set tier'],
    ]) {
      const rt = createRuntime(plan(action!, condition!));
      rt.ingest(ev('A', 'visit', '2026-01-05 09:00'));
      expect(rt.nextDue()).toBe(Infinity);
      rt.ingest(ev('A', 'upgrade', '2026-01-05 12:00'));
      expect(rt.nextDue()).toBe(T('2026-01-06 09:00') + 1);
      rt.advanceTo(T('2026-02-01 00:00'));
      expect(drained(rt)).toEqual([`2026-01-05T12:00:00.000Z ${change}`, '2026-01-06T09:00:00.001Z handoff quiet']);
    }
  });

  it('the decay of a score read only behind a false guard is applied when the lead is next touched (one audit record)', () => {
    const rt = createRuntime(compile(GUARDED));
    rt.ingest(ev('A', 'visit', '2026-01-05 09:00'));
    rt.advanceTo(T('2026-01-20 00:00'));
    expect(rt.audit('A').filter((r) => r.kind === 'score' && r.rule === 'decay 50%')).toEqual([]);
    rt.ingest(ev('A', 'profile', '2026-01-20 00:00', { tier: 'silver' }));
    const decays = rt.audit('A').filter((r) => r.kind === 'score' && r.rule === 'decay 50%');
    expect(decays.map((r) => `${iso(r.at)} ${String(r.from)}→${String(r.to)} ${r.note}`)).toEqual(['2026-01-19T09:00:00.000Z 10→0.0006103515625 14 idle periods']);
  });

  it('the SQLite store keeps these instants as timers: the same actions across a reopen', () => {
    const plan = compile(WINBACK);
    const file = dbFile();
    let rt = openSqliteRuntime(plan, file);
    rt.ingestBatch([ev('A', 'profile', '2026-01-05 08:00', { email_consent: true }), ev('A', 'logged_in', '2026-01-05 09:00')]);
    rt.drainActions();
    rt.close();
    rt = openSqliteRuntime(plan, file);
    expect(rt.nextDue()).toBe(T('2026-01-19 09:00') + 1);
    rt.advanceTo(T('2026-02-01 00:00'));
    expect(rt.drainActions().map((a) => `${iso(a.at)} ${a.type}`)).toEqual(['2026-01-19T09:00:00.001Z send']);
    rt.close();
    // and the same as in memory
    const mem = createRuntime(plan);
    mem.ingestBatch([ev('A', 'profile', '2026-01-05 08:00', { email_consent: true }), ev('A', 'logged_in', '2026-01-05 09:00')]);
    mem.advanceTo(T('2026-02-01 00:00'));
    expect(drained(mem)).toEqual(['2026-01-05T09:00:00.000Z stage customer', '2026-01-19T09:00:00.001Z send winback_mail']);
  });
});
