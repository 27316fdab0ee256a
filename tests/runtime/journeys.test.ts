import { describe, expect, it } from 'vitest';
import {
  A,
  DAY,
  HOUR,
  S,
  attr,
  auditOf,
  bool,
  completedJourney,
  entryDate,
  entryOn,
  entryWhen,
  eq,
  ev,
  exitOn,
  exitWhen,
  field,
  ge,
  goalOn,
  goalWhen,
  inJourney,
  profile,
  reentry,
  run,
  runtime,
  score,
  stage,
  stg,
  txt,
  type JourneySpec,
  type PlanSpec,
} from './helpers.js';

const J = (journeys: Record<string, JourneySpec>, extra: Partial<PlanSpec> = {}): PlanSpec => ({
  attributes: { plan: 'text', vip: 'bool', contract_end: 'date', birthday: 'date', timezone: 'text' },
  events: { signup: { form: 'text' }, demo: {}, webinar: {}, click: {}, unsub: {} },
  channels: { email: null },
  contents: { m1: {}, m2: {}, m3: {}, m4: {}, n1: {}, n2: {}, n3: {}, receipt: { transactional: true } },
  streams: { news: ['n1', 'n2', 'n3'] },
  stages: ['subscriber', 'lead', 'mql'],
  scores: { engagement: { engagement: [{ points: 10, event: 'click' }] } },
  journeys,
  ...extra,
});
const signup = (lead: string, at: string, form = 'newsletter') => ev(lead, 'signup', at, { form });

describe('entries', () => {
  it('`entry on event where …` enters only on a matching event', () => {
    const rt = runtime(J({ w: { entries: [entryOn('signup', eq(field('form'), txt('newsletter')))], steps: [S.send('m1')] } }));
    expect(run(rt, [signup('L1', '2026-01-05 09:00', 'contact'), signup('L2', '2026-01-05 09:00')])).toEqual(['2026-01-05 09:00 send m1']);
    expect(rt.leadState('L1')!.j[0]).toBeNull();
  });

  it('`entry when` is edge-triggered: enters when the condition becomes true, again only after it was false', () => {
    const rt = runtime(J({ w: { entries: [entryWhen(ge(score('engagement'), 20))], reentry: reentry('always'), steps: [S.send('m1')] } }, { handlers: [{ event: 'unsub', do: [A.score('engagement', 0)] }] }));
    const out = run(rt, [
      ev('L1', 'click', '2026-01-05 09:00'),
      ev('L1', 'click', '2026-01-05 10:00'), // 20: enters
      ev('L1', 'click', '2026-01-05 11:00'), // still true: nothing
      ev('L1', 'unsub', '2026-01-06 09:00'), // false
      ev('L1', 'click', '2026-01-07 09:00'),
      ev('L1', 'click', '2026-01-07 10:00'), // true again: enters again
    ]);
    expect(out).toEqual(['2026-01-05 10:00 send m1', '2026-01-07 10:00 send m1']);
  });

  it('`entry 30 days before date` enters at 09:00 in the lead time zone on that day', () => {
    const rt = runtime(J({ renew: { entries: [entryDate('contract_end', -30 * DAY)], steps: [S.send('m1')] } }));
    run(rt, [profile('L1', '2026-01-05 12:00', { contract_end: '2026-03-01' }), profile('TK', '2026-01-05 12:00', { contract_end: '2026-03-01', timezone: 'Asia/Tokyo' })]);
    expect(rt.nextDue()).toBe(Date.parse('2026-01-30T00:00:00Z')); // 09:00 in Tokyo
    expect(run(rt, [], '2026-12-31 00:00')).toEqual(['2026-01-30 00:00 send m1', '2026-01-30 09:00 send m1']);
    expect(auditOf(rt, 'L1', 'entered')).toEqual(['2026-01-30 09:00 entered renew [entry by date]']);
  });

  it('`entry N days after date` for a date already past does not enter; changing the date reschedules', () => {
    const rt = runtime(J({ onb: { entries: [entryDate('contract_end', 2 * DAY)], steps: [S.send('m1')] } }));
    run(rt, [profile('L1', '2026-01-05 12:00', { contract_end: '2026-01-01' })]);
    expect(rt.nextDue()).toBe(Infinity);
    run(rt, [profile('L1', '2026-01-06 12:00', { contract_end: '2026-01-10' })]);
    expect(run(rt, [], '2026-12-31 00:00')).toEqual(['2026-01-12 09:00 send m1']);
  });

  it('`entry 0 days after birthday yearly` enters every year (with reentry always)', () => {
    const rt = runtime(J({ bday: { entries: [entryDate('birthday', 0, true)], reentry: reentry('always'), steps: [S.send('m1')] } }));
    run(rt, [profile('L1', '2026-01-05 12:00', { birthday: '1990-02-10' })]);
    expect(run(rt, [], '2028-12-31 00:00')).toEqual(['2026-02-10 09:00 send m1', '2027-02-10 09:00 send m1', '2028-02-10 09:00 send m1']);
  });

  it('a date entry for today at 09:00 set exactly at 09:00 enters at once', () => {
    const rt = runtime(J({ d: { entries: [entryDate('contract_end', 0)], steps: [S.send('m1')] } }));
    expect(run(rt, [profile('L1', '2026-01-05 09:00', { contract_end: '2026-01-05' })])).toEqual(['2026-01-05 09:00 send m1']);
  });

  it('`audience` must hold at entry time; the refusal is audited with its rule', () => {
    const rt = runtime(J({ w: { entries: [entryOn('signup')], audience: eq(attr('vip'), bool(true)), steps: [S.send('m1')] } }));
    expect(run(rt, [profile('V', '2026-01-05 08:00', { vip: true }), signup('V', '2026-01-05 09:00'), signup('N', '2026-01-05 09:00')])).toEqual(['2026-01-05 09:00 send m1']);
    expect(auditOf(rt, 'N', 'notEntered')).toEqual(['2026-01-05 09:00 notEntered w [audience]']);
  });

  it('reentry never (default): a lead enters at most once', () => {
    const rt = runtime(J({ w: { entries: [entryOn('signup')], steps: [S.send('m1')] } }));
    expect(run(rt, [signup('L1', '2026-01-05 09:00'), signup('L1', '2026-02-05 09:00')])).toEqual(['2026-01-05 09:00 send m1']);
    expect(auditOf(rt, 'L1', 'notEntered')).toEqual(['2026-02-05 09:00 notEntered w [reentry never]']);
  });

  it('reentry after D: again only D after the previous entry', () => {
    const rt = runtime(J({ w: { entries: [entryOn('signup')], reentry: reentry(30 * DAY), steps: [S.send('m1')] } }));
    expect(run(rt, [signup('L1', '2026-01-01 09:00'), signup('L1', '2026-01-31 08:59'), signup('L1', '2026-01-31 09:00')])).toEqual([
      '2026-01-01 09:00 send m1',
      '2026-01-31 09:00 send m1',
    ]);
  });

  it('a lead already in a journey is not entered again (even with reentry always)', () => {
    const rt = runtime(J({ w: { entries: [entryOn('signup')], reentry: reentry('always'), steps: [S.send('m1'), S.wait(DAY), S.send('m2')] } }));
    expect(run(rt, [signup('L1', '2026-01-05 09:00'), signup('L1', '2026-01-05 10:00')], '2026-01-10 00:00')).toEqual(['2026-01-05 09:00 send m1', '2026-01-06 09:00 send m2']);
  });

  it('several journeys entered by one event start by priority, then declaration order', () => {
    const rt = runtime(
      J({
        a: { entries: [entryOn('signup')], steps: [S.send('m1')] },
        b: { entries: [entryOn('signup')], priority: 10, steps: [S.send('m2')] },
        c: { entries: [entryOn('signup')], steps: [S.send('m3')] },
      }),
    );
    expect(run(rt, [signup('L1', '2026-01-05 09:00')])).toEqual(['2026-01-05 09:00 send m2', '2026-01-05 09:00 send m1', '2026-01-05 09:00 send m3']);
  });
});

describe('exits and goals', () => {
  it('`exit when` leaves at once and cancels pending steps', () => {
    const rt = runtime(
      J(
        { w: { entries: [entryOn('signup')], exits: [exitWhen(ge(stage(), stg(2)))], steps: [S.send('m1'), S.wait(2 * DAY), S.send('m2')] } },
        { thresholds: { mql: { when: ge(score('engagement'), 10), do: [A.stage(2)] } } },
      ),
    );
    expect(run(rt, [signup('L1', '2026-01-05 09:00'), ev('L1', 'click', '2026-01-06 09:00')], '2026-02-01 00:00')).toEqual([
      '2026-01-05 09:00 send m1',
      '2026-01-06 09:00 stage subscriber->mql',
    ]);
    expect(auditOf(rt, 'L1', 'exited')).toEqual(['2026-01-06 09:00 exited w [exit when]']);
    expect(rt.leadState('L1')!.j[0]!.a).toBe(0);
  });

  it('`exit on event` leaves when the event happens (and a lead matching the exit does not enter)', () => {
    const rt = runtime(J({ w: { entries: [entryOn('signup')], exits: [exitOn('unsub')], steps: [S.send('m1'), S.wait(DAY), S.send('m2')] } }));
    expect(run(rt, [signup('L1', '2026-01-05 09:00'), ev('L1', 'unsub', '2026-01-05 12:00')], '2026-02-01 00:00')).toEqual(['2026-01-05 09:00 send m1']);
    expect(auditOf(rt, 'L1', 'exited')).toEqual(['2026-01-05 12:00 exited w [exit on unsub]']);
  });

  it('a lead for whom an `exit when` already holds does not enter', () => {
    const rt = runtime(J({ w: { entries: [entryOn('signup')], exits: [exitWhen(eq(attr('vip'), bool(true)))], steps: [S.send('m1')] } }));
    expect(run(rt, [profile('L1', '2026-01-05 08:00', { vip: true }), signup('L1', '2026-01-05 09:00')])).toEqual([]);
    expect(auditOf(rt, 'L1', 'notEntered')).toEqual(['2026-01-05 09:00 notEntered w [exit when]']);
  });

  it('`goal on event within D` completes the journey as converted, measured from entry; [entry, entry + D]', () => {
    const rt = runtime(J({ w: { entries: [entryOn('signup')], goal: goalOn('demo', 30 * DAY), steps: [S.send('m1'), S.wait(60 * DAY), S.send('m2')] } }));
    run(rt, [signup('A', '2026-01-01 09:00'), ev('A', 'demo', '2026-01-31 09:00'), signup('B', '2026-01-01 09:00'), ev('B', 'demo', '2026-01-31 09:01')], '2026-06-01 00:00');
    expect(auditOf(rt, 'A', 'converted', 'completed')).toEqual(['2026-01-31 09:00 converted w [goal on demo]']);
    expect(auditOf(rt, 'B', 'converted', 'completed')).toEqual(['2026-03-02 09:00 completed w [end of the journey]']);
    const m = rt.measures().journeys.w!;
    expect(m.nurtured).toMatchObject({ entered: 2, completed: 2, converted: 1, conversionRate: 0.5 });
  });

  it('`goal condition within D`', () => {
    const rt = runtime(J({ w: { entries: [entryOn('signup')], goal: goalWhen(ge(score('engagement'), 20), 7 * DAY), steps: [S.wait(30 * DAY)] } }));
    run(rt, [signup('L1', '2026-01-01 09:00'), ev('L1', 'click', '2026-01-02 09:00'), ev('L1', 'click', '2026-01-03 09:00')]);
    expect(auditOf(rt, 'L1', 'converted')).toEqual(['2026-01-03 09:00 converted w [goal]']);
    expect(rt.leadState('L1')!.j[0]).toMatchObject({ a: 0, c: 1 });
  });
});

describe('holdout', () => {
  it('a held-out lead goes through the journey but no message is sent (recorded held out)', () => {
    const rt = runtime(J({ w: { entries: [entryOn('signup')], holdout: 10, steps: [S.send('m1'), S.wait(DAY), S.send('m2'), A.handoff('sales') as never] } }), { holdout: 'none' });
    rt.setHoldout('H', 'w', true);
    const out = run(rt, [signup('H', '2026-01-05 09:00'), signup('N', '2026-01-05 09:00')], '2026-02-01 00:00');
    // timers due at the same instant run lead by lead (H before N); H's handoff is not a message
    expect(out).toEqual(['2026-01-05 09:00 send m1', '2026-01-06 09:00 handoff sales', '2026-01-06 09:00 send m2', '2026-01-06 09:00 handoff sales']);
    expect(auditOf(rt, 'H', 'heldOut', 'completed')).toEqual([
      '2026-01-05 09:00 heldOut w m1 [holdout 10%]',
      '2026-01-06 09:00 heldOut w m2 [holdout 10%]',
      '2026-01-06 09:00 completed w [end of the journey]',
    ]);
    expect(rt.measures().journeys.w!.holdout).toMatchObject({ entered: 1, completed: 1 });
  });

  it('a lead held out of a journey stays held out where `move to` and `enroll` take it (the whole track)', () => {
    const rt = runtime(
      J({
        w: { entries: [entryOn('signup')], holdout: 10, steps: [S.send('m1'), A.enroll('side') as never, S.wait(DAY), S.moveTo('next')] },
        side: { steps: [S.send('m3')] },
        next: { steps: [S.send('m2')] },
      }),
      { holdout: 'none' },
    );
    rt.setHoldout('H', 'w', true);
    const out = run(rt, [signup('H', '2026-01-05 09:00'), signup('N', '2026-01-05 09:00')], '2026-02-01 00:00');
    expect(out).toEqual(['2026-01-05 09:00 send m1', '2026-01-05 09:00 send m3', '2026-01-06 09:00 send m2']);
    expect(auditOf(rt, 'H', 'entered', 'heldOut')).toEqual([
      '2026-01-05 09:00 entered w [entry on signup]',
      '2026-01-05 09:00 heldOut w m1 [holdout 10%]',
      '2026-01-05 09:00 entered side [enroll]',
      '2026-01-05 09:00 heldOut side m3 [holdout of an earlier journey (move to / enroll)]',
      '2026-01-06 09:00 entered next [move from w]',
      '2026-01-06 09:00 heldOut next m2 [holdout of an earlier journey (move to / enroll)]',
    ]);
    expect(rt.audit('H').filter((r) => r.kind === 'entered').map((r) => r.note)).toEqual(['holdout', 'holdout', 'holdout']);
    const m = rt.measures().journeys;
    expect([m.side!.holdout.entered, m.next!.holdout.entered, m.side!.nurtured.entered, m.next!.nurtured.entered]).toEqual([1, 1, 1, 1]);
  });

  it('never hold out transactional content', () => {
    const rt = runtime(J({ w: { entries: [entryOn('signup')], holdout: 10, steps: [S.send('receipt'), S.send('m1')] } }), { holdout: 'none' });
    rt.setHoldout('H', 'w', true);
    expect(run(rt, [signup('H', '2026-01-05 09:00')], '2026-02-01 00:00')).toEqual(['2026-01-05 09:00 send receipt']);
    expect(auditOf(rt, 'H', 'heldOut', 'sent')).toEqual(['2026-01-05 09:00 sent w receipt', '2026-01-05 09:00 heldOut w m1 [holdout 10%]']);
  });

  it('the holdout group is a stable ≈P% of 10,000 leads (hash of lead and journey)', () => {
    const rt = runtime(J({ w: { entries: [entryOn('signup')], holdout: 10, steps: [S.send('m1')] } }), { audit: 'off' });
    const events = Array.from({ length: 10_000 }, (_, i) => signup(`lead-${i}`, '2026-01-05 09:00'));
    rt.ingestBatch(events);
    const m = rt.measures();
    const share = m.journeys.w!.holdout.entered / 10_000;
    expect(share).toBeGreaterThan(0.09);
    expect(share).toBeLessThan(0.11);
    expect(m.sends).toBe(10_000 - m.journeys.w!.holdout.entered);
    // stable: a second runtime puts the same leads in the holdout group
    const rt2 = runtime(J({ w: { entries: [entryOn('signup')], holdout: 10, steps: [S.send('m1')] } }), { audit: 'off' });
    rt2.ingestBatch(events);
    expect(rt2.drainActions().map((a) => a.lead)).toEqual(rt.drainActions().map((a) => a.lead));
  });
});

describe('steps', () => {
  it('`wait D` resumes exactly D later', () => {
    const rt = runtime(J({ w: { entries: [entryOn('signup')], steps: [S.send('m1'), S.wait(2 * DAY + 3 * HOUR), S.send('m2')] } }));
    expect(run(rt, [signup('L1', '2026-01-05 09:00')], '2026-02-01 00:00')).toEqual(['2026-01-05 09:00 send m1', '2026-01-07 12:00 send m2']);
  });

  const waitFor = J({
    w: {
      entries: [entryOn('signup')],
      steps: [S.waitFor('webinar', 14 * DAY, { onEvent: 1, onTimeout: 2 }), S.send('m1', 3), S.send('m2'), S.send('m3')],
    },
  });

  it('`wait for` runs the first block when the event happens in time', () => {
    const rt = runtime(waitFor);
    expect(run(rt, [signup('L1', '2026-01-05 09:00'), ev('L1', 'webinar', '2026-01-10 09:00')], '2026-02-01 00:00')).toEqual(['2026-01-10 09:00 send m1', '2026-01-10 09:00 send m3']);
  });

  it('`wait for` runs the timeout block when D passes (an event exactly at the deadline is too late)', () => {
    const rt = runtime(waitFor);
    expect(run(rt, [signup('L1', '2026-01-05 09:00'), ev('L1', 'webinar', '2026-01-19 09:00')], '2026-02-01 00:00')).toEqual(['2026-01-19 09:00 send m2', '2026-01-19 09:00 send m3']);
    expect(auditOf(rt, 'L1', 'timeout')).toEqual(['2026-01-19 09:00 timeout w webinar']);
  });

  it('`wait until` continues as soon as the condition holds, or times out', () => {
    const plan = J({ w: { entries: [entryOn('signup')], steps: [S.waitUntil(ge(score('engagement'), 20), 7 * DAY, { onTrue: 1, onTimeout: 2 }), S.send('m1', null), S.send('m2')] } });
    const rt = runtime(plan);
    expect(
      run(rt, [signup('A', '2026-01-05 09:00'), ev('A', 'click', '2026-01-06 09:00'), ev('A', 'click', '2026-01-07 09:00'), signup('B', '2026-01-05 09:00'), ev('B', 'click', '2026-01-06 09:00')], '2026-02-01 00:00'),
    ).toEqual(['2026-01-07 09:00 send m1', '2026-01-12 09:00 send m2']);
  });

  it('`wait until` that already holds on arrival continues at once', () => {
    const rt = runtime(J({ w: { entries: [entryOn('signup')], steps: [S.waitUntil(ge(score('engagement'), 10), 7 * DAY), S.send('m1')] } }));
    expect(run(rt, [ev('L1', 'click', '2026-01-05 08:00'), signup('L1', '2026-01-05 09:00')])).toEqual(['2026-01-05 09:00 send m1']);
  });

  it('`if / else if / else` takes the first branch that holds', () => {
    const plan = J({
      w: {
        entries: [entryOn('signup')],
        steps: [S.if([[eq(attr('plan'), txt('pro')), 1], [eq(attr('plan'), txt('free')), 2]], 3), S.send('m1', null), S.send('m2', null), S.send('m3', null)],
      },
    });
    const rt = runtime(plan);
    const out = run(rt, [
      profile('P', '2026-01-05 08:00', { plan: 'pro' }),
      profile('F', '2026-01-05 08:00', { plan: 'free' }),
      signup('P', '2026-01-05 09:00'),
      signup('F', '2026-01-05 09:00'),
      signup('X', '2026-01-05 09:00'), // plan missing: else
    ]);
    expect(out).toEqual(['2026-01-05 09:00 send m1', '2026-01-05 09:00 send m2', '2026-01-05 09:00 send m3']);
  });

  it('`split` is a stable function of (lead, journey, step) and follows the percentages', () => {
    const plan = J({ w: { entries: [entryOn('signup')], steps: [S.split([[30, 1], [70, 2]]), S.send('m1', null), S.send('m2', null)] } });
    const events = Array.from({ length: 10_000 }, (_, i) => signup(`L${i}`, '2026-01-05 09:00'));
    const a = runtime(plan, { audit: 'off' });
    a.ingestBatch(events);
    const b = runtime(plan, { audit: 'off' });
    b.ingestBatch(events.slice().reverse());
    const pick = (rt: ReturnType<typeof runtime>) => new Map(rt.drainActions().map((x) => [x.lead, x.type === 'send' ? x.content : '']));
    const pa = pick(a);
    const pb = pick(b);
    expect([...pa.entries()].every(([lead, c]) => pb.get(lead) === c)).toBe(true);
    const share = [...pa.values()].filter((c) => c === 'm1').length / 10_000;
    expect(share).toBeGreaterThan(0.28);
    expect(share).toBeLessThan(0.32);
  });

  it('`split` audits the branch taken: its name (the content it sends first), position and share', () => {
    const plan = J({ w: { entries: [entryOn('signup')], steps: [S.split([[30, 1], [70, 2]]), S.send('m1', null), S.send('m2', null)] } });
    const rt = runtime(plan);
    rt.ingestBatch(Array.from({ length: 20 }, (_, i) => signup(`L${i}`, '2026-01-05 09:00')));
    const sent = new Map(rt.drainActions().map((x) => [x.lead, x.type === 'send' ? x.content : '']));
    for (let i = 0; i < 20; i++) {
      const b = rt.audit(`L${i}`).filter((r) => r.kind === 'branch');
      expect(b).toHaveLength(1);
      const m1 = sent.get(`L${i}`) === 'm1';
      expect(b[0]).toMatchObject({ journey: 'w', step: 0, subject: m1 ? 'm1' : 'm2', to: m1 ? 1 : 2, rule: m1 ? '30%' : '70%', note: null });
    }
  });

  it('`repeat every D max N times` runs the body N times, waiting D between iterations', () => {
    const rt = runtime(J({ w: { entries: [entryOn('signup')], steps: [S.repeat(7 * DAY, { max: 3, body: 1, next: 2 }), S.send('m1', 0), S.send('m2')] } }));
    expect(run(rt, [signup('L1', '2026-01-05 09:00')], '2026-03-01 00:00')).toEqual([
      '2026-01-05 09:00 send m1',
      '2026-01-12 09:00 send m1',
      '2026-01-19 09:00 send m1',
      '2026-01-19 09:00 send m2',
    ]);
  });

  it('`repeat … until` stops when the condition holds after a pause', () => {
    const rt = runtime(J({ w: { entries: [entryOn('signup')], steps: [S.repeat(DAY, { until: ge(score('engagement'), 10), body: 1, next: null }), S.send('m1', 0)] } }));
    expect(run(rt, [signup('L1', '2026-01-05 09:00'), ev('L1', 'click', '2026-01-06 12:00')], '2026-03-01 00:00')).toEqual([
      '2026-01-05 09:00 send m1',
      '2026-01-06 09:00 send m1',
    ]);
    expect(auditOf(rt, 'L1', 'completed')).toEqual(['2026-01-07 09:00 completed w [end of the journey]']);
  });

  it('`repeat` ends when `send next from` finds the stream exhausted, skipping the rest of the iteration', () => {
    const rt = runtime(
      J({ w: { entries: [entryOn('signup')], steps: [S.repeat(7 * DAY, { max: 10, body: 1, next: 3 }), S.sendNext('news', { next: 2, exhausted: 3 }), S.send('m1', 0), S.send('m2')] } }),
    );
    expect(run(rt, [signup('L1', '2026-01-05 09:00')], '2026-06-01 00:00')).toEqual([
      '2026-01-05 09:00 send n1',
      '2026-01-05 09:00 send m1',
      '2026-01-12 09:00 send n2',
      '2026-01-12 09:00 send m1',
      '2026-01-19 09:00 send n3',
      '2026-01-19 09:00 send m1',
      '2026-01-26 09:00 send m2',
    ]);
    expect(rt.leadState('L1')!.j[0]!.r).toEqual([]);
  });

  it('`send next from` skips contents already received elsewhere', () => {
    const rt = runtime(J({ a: { entries: [entryOn('signup')], steps: [S.send('n1'), S.sendNext('news'), S.sendNext('news'), S.sendNext('news'), S.send('m1')] } }));
    expect(run(rt, [signup('L1', '2026-01-05 09:00')])).toEqual(['2026-01-05 09:00 send n1', '2026-01-05 09:00 send n2', '2026-01-05 09:00 send n3', '2026-01-05 09:00 send m1']);
    expect(auditOf(rt, 'L1', 'exhausted')).toEqual(['2026-01-05 09:00 exhausted a news [send next from news]']);
  });

  it('`move to` completes this journey and enters the other, ignoring its entry rules, audience and reentry', () => {
    const rt = runtime(
      J({
        first: { entries: [entryOn('signup')], reentry: reentry('always'), steps: [S.send('m1'), S.moveTo('second')] },
        second: { audience: eq(attr('vip'), bool(true)), steps: [S.send('m2')] },
      }),
    );
    expect(run(rt, [signup('L1', '2026-01-05 09:00'), signup('L1', '2026-01-06 09:00')])).toEqual([
      '2026-01-05 09:00 send m1',
      '2026-01-05 09:00 send m2',
      '2026-01-06 09:00 send m1',
      '2026-01-06 09:00 send m2',
    ]);
    expect(auditOf(rt, 'L1', 'entered', 'completed').slice(0, 4)).toEqual([
      '2026-01-05 09:00 entered first [entry on signup]',
      '2026-01-05 09:00 completed first [move to second]',
      '2026-01-05 09:00 entered second [move from first]',
      '2026-01-05 09:00 completed second [end of the journey]',
    ]);
  });

  it('`end` completes the journey; `completed journey` and `in journey` see it', () => {
    const rt = runtime(
      J(
        { w: { entries: [entryOn('signup')], steps: [S.send('m1'), S.end(), S.send('m2')] }, after: { entries: [entryWhen(completedJourney('w'))], steps: [S.send('m3')] } },
        { segments: { inW: inJourney('w') } },
      ),
    );
    expect(run(rt, [signup('L1', '2026-01-05 09:00')])).toEqual(['2026-01-05 09:00 send m1', '2026-01-05 09:00 send m3']);
  });

  it('an empty journey completes at once', () => {
    const rt = runtime(J({ w: { entries: [entryOn('signup')], steps: [] } }));
    run(rt, [signup('L1', '2026-01-05 09:00')]);
    expect(auditOf(rt, 'L1', 'entered', 'completed')).toEqual(['2026-01-05 09:00 entered w [entry on signup]', '2026-01-05 09:00 completed w [end of the journey]']);
  });

  it('`enroll` is subject to audience and reentry; `remove from` exits', () => {
    const rt = runtime(
      J(
        {
          nurture: { audience: eq(attr('vip'), bool(true)), steps: [S.send('m1'), S.wait(DAY), S.send('m2')] },
        },
        {
          handlers: [
            { event: 'signup', do: [A.enroll('nurture')] },
            { event: 'unsub', do: [A.remove('nurture')] },
          ],
        },
      ),
    );
    const out = run(rt, [
      profile('V', '2026-01-05 08:00', { vip: true }),
      signup('V', '2026-01-05 09:00'),
      signup('N', '2026-01-05 09:00'),
      ev('V', 'unsub', '2026-01-05 10:00'),
      signup('V', '2026-01-07 09:00'), // reentry never
    ], '2026-02-01 00:00');
    expect(out).toEqual(['2026-01-05 09:00 send m1']);
    expect(auditOf(rt, 'V', 'exited', 'notEntered')).toEqual(['2026-01-05 10:00 exited nurture [remove from nurture]', '2026-01-07 09:00 notEntered nurture [reentry never]']);
    expect(auditOf(rt, 'N', 'notEntered')).toEqual(['2026-01-05 09:00 notEntered nurture [audience]']);
  });

  it('action steps: set attribute, set stage, set score, handoff', () => {
    const rt = runtime(
      J({ w: { entries: [entryOn('signup')], steps: [S.act(A.set('plan', txt('pro'))), S.act(A.stage(1)), S.act(A.score('engagement', 42)), S.act(A.handoff('sales'))] } }),
    );
    expect(run(rt, [signup('L1', '2026-01-05 09:00')])).toEqual(['2026-01-05 09:00 set plan="pro"', '2026-01-05 09:00 stage subscriber->lead', '2026-01-05 09:00 handoff sales']);
    expect(rt.leadState('L1')!.eg).toEqual([42]);
    expect(rt.leadState('L1')!.q).toEqual(['sales']);
  });
});
