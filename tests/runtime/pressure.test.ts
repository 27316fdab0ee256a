import { describe, expect, it } from 'vitest';
import {
  A,
  DAY,
  HOUR,
  P,
  S,
  auditOf,
  bool,
  entryOn,
  ev,
  profile,
  run,
  runtime,
  type JourneySpec,
  type PlanSpec,
} from './helpers.js';

const pressurePlan = (pressure: PlanSpec['pressure'], journeys: Record<string, JourneySpec>, extra: Partial<PlanSpec> = {}): PlanSpec => ({
  attributes: { timezone: 'text' },
  events: { signup: {}, unsub: {}, buy: {} },
  channels: { email: 'email_consent', sms: null },
  contents: {
    a: { topic: 'news' },
    b: { topic: 'promo' },
    c: { topic: 'tips' },
    e1: { topic: 'edu' },
    e2: { topic: 'edu' },
    receipt: { transactional: true },
    text1: { channel: 'sms' },
    text2: { channel: 'sms' },
  },
  pressure,
  journeys,
  handlers: [{ event: 'unsub', do: [A.set('email_consent', bool(false))] }],
  ...extra,
});
const oneJourney = (...steps: Record<string, unknown>[]): Record<string, JourneySpec> => ({ j: { entries: [entryOn('signup')], steps } });
const consent = (lead = 'L1', at = '2026-01-05 00:00', more: Record<string, unknown> = {}) => profile(lead, at, { email_consent: true, ...more });

describe('quiet hours and quiet days', () => {
  const quiet = { quietHours: [P.quietHours('20:00', '08:00')] };

  it('delay a message asked for at 22:30 to 08:00 the next morning (quiet hours crossing midnight)', () => {
    const rt = runtime(pressurePlan(quiet, oneJourney(S.send('a'), S.send('text1'))));
    expect(run(rt, [consent(), ev('L1', 'signup', '2026-01-05 22:30')], '2026-01-10 00:00')).toEqual(['2026-01-06 08:00 send a', '2026-01-06 08:00 send text1']);
    expect(auditOf(rt, 'L1', 'delayed')).toEqual(['2026-01-05 22:30 delayed j a [quiet hours 20:00 to 08:00]']);
  });

  it('delay a message asked for at 03:00 to 08:00 the same day; 08:00 itself is allowed, 20:00 is not', () => {
    const rt = runtime(pressurePlan(quiet, oneJourney(S.send('a'))));
    expect(run(rt, [consent(), consent('L2'), consent('L3'), ev('L1', 'signup', '2026-01-06 03:00'), ev('L2', 'signup', '2026-01-06 08:00'), ev('L3', 'signup', '2026-01-06 20:00')], '2026-01-10 00:00')).toEqual([
      '2026-01-06 08:00 send a',
      '2026-01-06 08:00 send a',
      '2026-01-07 08:00 send a',
    ]);
  });

  it('move a message asked for on a Saturday to Monday, then out of the quiet hours', () => {
    const rt = runtime(pressurePlan({ ...quiet, quietDays: [P.quietDays(6, 7)] }, oneJourney(S.send('a'))));
    // 2026-01-10 is a Saturday
    expect(run(rt, [consent(), ev('L1', 'signup', '2026-01-10 10:00')], '2026-01-20 00:00')).toEqual(['2026-01-12 08:00 send a']);
    // Quiet days open at Monday 00:00, quiet hours at 08:00: the rule whose window opens last decides.
    expect(auditOf(rt, 'L1', 'delayed')).toEqual(['2026-01-10 10:00 delayed j a [quiet hours 20:00 to 08:00]']);
  });

  it('a Friday 21:00 message waits for Monday 08:00 (quiet hours, then quiet days)', () => {
    const rt = runtime(pressurePlan({ ...quiet, quietDays: [P.quietDays(6, 7)] }, oneJourney(S.send('a'))));
    expect(run(rt, [consent(), ev('L1', 'signup', '2026-01-09 21:00')], '2026-01-20 00:00')).toEqual(['2026-01-12 08:00 send a']);
  });

  it('use the plan time zone (Europe/Paris: 20:30 local is quiet)', () => {
    const rt = runtime(pressurePlan(quiet, oneJourney(S.send('a')), { timezone: 'Europe/Paris' }));
    expect(run(rt, [consent(), ev('L1', 'signup', '2026-01-05T19:30:00Z')], '2026-01-10 00:00')).toEqual(['2026-01-06 07:00 send a']);
  });

  it('use the lead time zone when the `timezone` attribute is valid, else the plan one', () => {
    const rt = runtime(pressurePlan(quiet, oneJourney(S.send('a'))));
    const out = run(
      rt,
      [
        consent('NY', '2026-01-05 00:00', { timezone: 'America/New_York' }),
        consent('BAD', '2026-01-05 00:00', { timezone: 'Mars/Olympus' }),
        ev('NY', 'signup', '2026-01-06 02:00'), // 21:00 in New York
        ev('BAD', 'signup', '2026-01-06 02:00'), // 02:00 UTC
      ],
      '2026-01-10 00:00',
    );
    expect(out).toEqual(['2026-01-06 08:00 send a', '2026-01-06 13:00 send a']);
  });

  it('follow daylight saving time (quiet hours end at 08:00 Paris = 06:00 UTC in summer)', () => {
    const rt = runtime(pressurePlan(quiet, oneJourney(S.send('a')), { timezone: 'Europe/Paris' }));
    // 2026-03-29 is the spring-forward day in Europe
    expect(run(rt, [consent(), ev('L1', 'signup', '2026-03-29 00:30')], '2026-04-02 00:00')).toEqual(['2026-03-29 06:00 send a']);
  });
});

describe('caps, gaps and the capped mode', () => {
  const threeSends = oneJourney(S.send('a'), S.wait(DAY), S.send('b'), S.wait(DAY), S.send('c'), S.send('text1'));

  it('slide the cap window: a third message waits until the first leaves (t − D, t]', () => {
    const rt = runtime(pressurePlan({ caps: [P.cap(2, 7 * DAY)] }, threeSends));
    expect(run(rt, [consent(), ev('L1', 'signup', '2026-01-05 09:00')], '2026-02-01 00:00')).toEqual([
      '2026-01-05 09:00 send a',
      '2026-01-06 09:00 send b',
      '2026-01-12 09:00 send c',
      '2026-01-13 09:00 send text1', // the cap is on every channel: waits for b to leave
    ]);
    expect(auditOf(rt, 'L1', 'delayed')).toEqual(['2026-01-07 09:00 delayed j c [max 2 messages per 1 week]', '2026-01-12 09:00 delayed j text1 [max 2 messages per 1 week]']);
  });

  it('skip a message that cannot go out within the delay limit, and go on', () => {
    const rt = runtime(pressurePlan({ caps: [P.cap(2, 7 * DAY)], capped: P.delay(3 * DAY) }, threeSends));
    expect(run(rt, [consent(), ev('L1', 'signup', '2026-01-05 09:00')], '2026-02-01 00:00')).toEqual([
      '2026-01-05 09:00 send a',
      '2026-01-06 09:00 send b',
    ]);
    expect(auditOf(rt, 'L1', 'skipped')).toEqual(['2026-01-07 09:00 skipped j c [max 2 messages per 1 week]', '2026-01-07 09:00 skipped j text1 [max 2 messages per 1 week]']);
    expect(rt.audit('L1').find((r) => r.kind === 'skipped')!.note).toBe('not allowed within up to 3 days');
  });

  it('skip at once with `skip capped messages`', () => {
    const rt = runtime(pressurePlan({ caps: [P.cap(1, DAY, 'email')], capped: P.skip() }, oneJourney(S.send('a'), S.send('b'), S.send('text1'))));
    expect(run(rt, [consent(), ev('L1', 'signup', '2026-01-05 09:00')], '2026-02-01 00:00')).toEqual(['2026-01-05 09:00 send a', '2026-01-05 09:00 send text1']);
    expect(auditOf(rt, 'L1', 'skipped')).toEqual(['2026-01-05 09:00 skipped j b [max 1 message per 1 day on email]']);
  });

  it('count a per-channel cap on its channel only', () => {
    const rt = runtime(pressurePlan({ caps: [P.cap(1, DAY, 'sms')] }, oneJourney(S.send('text1'), S.send('a'), S.send('text2'))));
    expect(run(rt, [consent(), ev('L1', 'signup', '2026-01-05 09:00')], '2026-02-01 00:00')).toEqual([
      '2026-01-05 09:00 send text1',
      '2026-01-05 09:00 send a',
      '2026-01-06 09:00 send text2',
    ]);
  });

  it('keep a minimum gap: allowed when the previous message was at or before t − D', () => {
    const rt = runtime(pressurePlan({ gaps: [P.gap(2 * DAY)] }, oneJourney(S.send('a'), S.send('b'), S.wait(HOUR), S.send('c'))));
    expect(run(rt, [consent(), ev('L1', 'signup', '2026-01-05 09:00')], '2026-02-01 00:00')).toEqual([
      '2026-01-05 09:00 send a',
      '2026-01-07 09:00 send b',
      '2026-01-09 09:00 send c',
    ]);
  });

  it('keep a gap on the same topic only', () => {
    const rt = runtime(pressurePlan({ topicGaps: [P.topicGap(14 * DAY)], capped: P.delay(30 * DAY) }, oneJourney(S.send('e1'), S.send('a'), S.send('e2'))));
    expect(run(rt, [consent(), ev('L1', 'signup', '2026-01-05 09:00')], '2026-02-01 00:00')).toEqual([
      '2026-01-05 09:00 send e1',
      '2026-01-05 09:00 send a',
      '2026-01-19 09:00 send e2',
    ]);
    expect(auditOf(rt, 'L1', 'delayed')).toEqual(['2026-01-05 09:00 delayed j e2 [min 2 weeks between messages on the same topic]']);
  });

  it('give the cap to the higher-priority journey when two start on the same event', () => {
    const rt = runtime(
      pressurePlan(
        { caps: [P.cap(1, DAY)] },
        {
          low: { entries: [entryOn('signup')], priority: 1, steps: [S.send('b')] },
          high: { entries: [entryOn('signup')], priority: 5, steps: [S.send('a')] },
        },
      ),
    );
    expect(run(rt, [consent(), ev('L1', 'signup', '2026-01-05 09:00')], '2026-02-01 00:00')).toEqual(['2026-01-05 09:00 send a', '2026-01-06 09:00 send b']);
  });

  it('delay a send from a handler too (a pending send)', () => {
    const rt = runtime(pressurePlan({ quietHours: [P.quietHours('20:00', '08:00')] }, {}, { handlers: [{ event: 'buy', do: [A.send('a')] }] }));
    expect(run(rt, [consent(), ev('L1', 'buy', '2026-01-05 23:00')])).toEqual([]);
    expect(rt.nextDue()).toBe(Date.parse('2026-01-06T08:00:00Z'));
    expect(run(rt, [], '2026-01-07 00:00')).toEqual(['2026-01-06 08:00 send a']);
  });
});

describe('several rules: quiet always delays, the rule whose window opens last decides (4.13)', () => {
  // `min 1 day between messages` (declared first) and `min 7 days between messages on the same topic`;
  // e1 and e2 share a topic and are asked for an hour apart.
  const gaps = { gaps: [P.gap(DAY)], topicGaps: [P.topicGap(7 * DAY)] };
  const twoOfATopic = oneJourney(S.send('e1'), S.wait(HOUR), S.send('e2'));
  const byRule = (rt: ReturnType<typeof runtime>, kind: 'delayed' | 'skipped') => rt.measures()[kind].map((r) => `${r.rule}: ${r.count}`);

  it('skip the second message under the same-topic rule (`skip capped messages`), and count it there', () => {
    const rt = runtime(pressurePlan({ ...gaps, capped: P.skip() }, twoOfATopic));
    expect(run(rt, [consent(), ev('L1', 'signup', '2026-01-05 09:00')], '2026-02-01 00:00')).toEqual(['2026-01-05 09:00 send e1']);
    expect(auditOf(rt, 'L1', 'skipped')).toEqual(['2026-01-05 10:00 skipped j e2 [min 1 week between messages on the same topic]']);
    expect(byRule(rt, 'skipped')).toEqual(['min 1 week between messages on the same topic: 1']);
  });

  it('delay the second message to when the same-topic rule opens, and count it there', () => {
    const rt = runtime(pressurePlan(gaps, twoOfATopic));
    expect(run(rt, [consent(), ev('L1', 'signup', '2026-01-05 09:00')], '2026-02-01 00:00')).toEqual(['2026-01-05 09:00 send e1', '2026-01-12 09:00 send e2']);
    expect(auditOf(rt, 'L1', 'delayed')).toEqual(['2026-01-05 10:00 delayed j e2 [min 1 week between messages on the same topic]']);
    expect(byRule(rt, 'delayed')).toEqual(['min 1 week between messages on the same topic: 1']);
  });

  it('break a tie by declaration order', () => {
    // Two gaps of one day: both open at the same instant; the one declared first decides.
    const first = P.gap(DAY);
    const second = P.gap(DAY, 'email');
    const rt = runtime(pressurePlan({ gaps: [second, first] }, oneJourney(S.send('a'), S.send('b'))));
    run(rt, [consent(), ev('L1', 'signup', '2026-01-05 09:00')], '2026-02-01 00:00');
    expect(auditOf(rt, 'L1', 'delayed')).toEqual(['2026-01-05 09:00 delayed j b [min 1 day between messages]']);
  });

  it('delay a message in quiet hours under `skip capped messages`', () => {
    const rt = runtime(pressurePlan({ quietHours: [P.quietHours('20:00', '08:00')], capped: P.skip() }, oneJourney(S.send('a'))));
    expect(run(rt, [consent(), ev('L1', 'signup', '2026-01-05 22:30')], '2026-02-01 00:00')).toEqual(['2026-01-06 08:00 send a']);
    expect(auditOf(rt, 'L1', 'delayed', 'skipped')).toEqual(['2026-01-05 22:30 delayed j a [quiet hours 20:00 to 08:00]']);
  });

  it('delay a message on a quiet day under `skip capped messages`, and skip it when a cap blocks it then', () => {
    // Saturday 10:00: quiet days delay `a` to Monday; `b` is capped at once (skipped), `a` goes out on Monday.
    const rt = runtime(pressurePlan({ caps: [P.cap(1, DAY)], quietDays: [P.quietDays(6, 7)], capped: P.skip() }, oneJourney(S.send('a'), S.send('b'))));
    expect(run(rt, [consent(), ev('L1', 'signup', '2026-01-10 10:00')], '2026-02-01 00:00')).toEqual(['2026-01-12 00:00 send a']);
    expect(auditOf(rt, 'L1', 'delayed', 'skipped')).toEqual(['2026-01-10 10:00 delayed j a [quiet days saturday, sunday]', '2026-01-12 00:00 skipped j b [max 1 message per 1 day]']);
  });

  it('delay a message in quiet hours beyond `delay capped messages up to D` (the limit bounds caps and gaps)', () => {
    const rt = runtime(pressurePlan({ quietHours: [P.quietHours('20:00', '08:00')], capped: P.delay(HOUR) }, oneJourney(S.send('a'))));
    expect(run(rt, [consent(), ev('L1', 'signup', '2026-01-05 22:30')], '2026-02-01 00:00')).toEqual(['2026-01-06 08:00 send a']);
  });
});

describe('consent and transactional content', () => {
  it('suppress a message without consent (missing counts as no) and go on with the journey', () => {
    const rt = runtime(pressurePlan({}, oneJourney(S.send('a'), S.send('text1'))));
    expect(run(rt, [ev('L1', 'signup', '2026-01-05 09:00')], '2026-02-01 00:00')).toEqual(['2026-01-05 09:00 send text1']);
    expect(auditOf(rt, 'L1', 'suppressed')).toEqual(['2026-01-05 09:00 suppressed j a [consent email_consent]']);
  });

  it('suppress a delayed message when consent is revoked before it goes out', () => {
    const rt = runtime(pressurePlan({ quietHours: [P.quietHours('20:00', '08:00')] }, oneJourney(S.send('a'), S.send('b'))));
    const out = run(rt, [consent(), ev('L1', 'signup', '2026-01-05 22:00'), ev('L1', 'unsub', '2026-01-06 07:00')], '2026-02-01 00:00');
    expect(out).toEqual(['2026-01-06 07:00 set email_consent=false']);
    expect(auditOf(rt, 'L1', 'delayed', 'suppressed')).toEqual([
      '2026-01-05 22:00 delayed j a [quiet hours 20:00 to 08:00]',
      '2026-01-06 08:00 suppressed j a [consent email_consent]',
      '2026-01-06 08:00 suppressed j b [consent email_consent]',
    ]);
  });

  it('send transactional content through every pressure rule, without counting it, but never without consent', () => {
    const rt = runtime(
      pressurePlan(
        { caps: [P.cap(1, 7 * DAY)], quietHours: [P.quietHours('00:00', '23:59')], quietDays: [P.quietDays(1, 2, 3, 4, 5, 6)], gaps: [P.gap(DAY)] },
        oneJourney(S.send('receipt'), S.send('receipt')),
      ),
    );
    expect(run(rt, [consent(), ev('L1', 'signup', '2026-01-05 09:00'), ev('L2', 'signup', '2026-01-05 09:00')], '2026-01-06 00:00')).toEqual([
      '2026-01-05 09:00 send receipt',
      '2026-01-05 09:00 send receipt',
    ]);
    expect(rt.leadState('L1')!.pl).toEqual([]); // not counted by pressure rules
    expect(auditOf(rt, 'L2', 'suppressed')).toHaveLength(2);
  });

  it('never allow a message when every day is quiet: skipped', () => {
    const rt = runtime(pressurePlan({ quietDays: [P.quietDays(1, 2, 3, 4, 5, 6, 7)] }, oneJourney(S.send('a'))));
    expect(run(rt, [consent(), ev('L1', 'signup', '2026-01-05 09:00')], '2026-02-01 00:00')).toEqual([]);
    expect(auditOf(rt, 'L1', 'skipped')).toEqual(['2026-01-05 09:00 skipped j a [quiet days monday, tuesday, wednesday, thursday, friday, saturday, sunday]']);
  });
});
