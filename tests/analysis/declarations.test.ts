// Declaration analyses: NUR305 pressure, NUR307 unused, NUR309 consent, NUR310 ranges and decay.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../compiler/analysis/index.js';
import { ACME, analyzeSnippet, at, check, full, only, pos, SPEC_EXAMPLE } from './helpers.js';

function where(snippet: string, needle: string, occurrence = 0): string {
  const p = pos(full(snippet), needle, occurrence);
  return `${p.line}:${p.column}`;
}

function pressure(rules: string[]): string {
  return `pressure {\n${rules.map((r) => `  ${r}`).join('\n')}\n}`;
}

describe('NUR305 pressure rules', () => {
  it('a cap implied by a stricter cap of the same scope', () => {
    const snippet = pressure(['max 3 messages per 7 days', 'max 5 messages per 7 days']);
    const [d, ...rest] = only('NUR305', analyzeSnippet(snippet));
    expect(rest).toEqual([]);
    expect(d.severity).toBe('warning');
    expect(at(d)).toBe(where(snippet, 'max 5'));
    expect(d.message).toBe('`max 5 messages per 7 days` is redundant: `max 3 messages per 7 days` already allows at most 3 messages in any 7 days');
    expect(d.related?.[0].span.line).toBe(pos(full(snippet), 'max 3').line);
  });

  it('a channel cap implied by a cap on all messages over a shorter window', () => {
    const snippet = pressure(['max 1 message per day', 'max 7 messages per week on email']);
    const [d] = only('NUR305', analyzeSnippet(snippet));
    expect(at(d)).toBe(where(snippet, 'max 7'));
    expect(d.message).toContain('already allows at most 7 messages on email in any 1 week');
  });

  it('a gap implied by a longer gap of a wider scope', () => {
    const snippet = pressure(['min 2 days between messages', 'min 1 day between messages on email', 'min 1 day between messages on the same topic']);
    const ds = only('NUR305', analyzeSnippet(snippet));
    expect(ds.map((d) => d.message)).toEqual([
      '`min 1 day between messages on email` is redundant: `min 2 days between messages` already keeps messages on email at least 2 days apart',
      '`min 1 day between messages on the same topic` is redundant: `min 2 days between messages` already keeps messages on the same topic at least 2 days apart',
    ]);
  });

  it('of two identical rules, the later one', () => {
    const snippet = pressure(['min 2 days between messages', 'min 2 days between messages']);
    const [d, ...rest] = only('NUR305', analyzeSnippet(snippet));
    expect(rest).toEqual([]);
    expect(at(d)).toBe(where(snippet, 'min 2 days', 1));
  });

  it('rules that do not imply each other', () => {
    const snippet = pressure([
      'max 3 messages per 7 days', 'max 1 message per day on email', 'min 1 hour between messages',
      'min 14 days between messages on the same topic', 'max 2 messages per day',
    ]);
    expect(only('NUR305', analyzeSnippet(snippet))).toEqual([]);
  });

  it('delay and skip contradict; a whole week of quiet days too', () => {
    const snippet = pressure(['skip capped messages', 'delay capped messages up to 3 days', 'quiet days monday, tuesday, wednesday, thursday, friday, saturday, sunday']);
    const ds = only('NUR305', analyzeSnippet(snippet));
    expect(ds.map(at)).toEqual([where(snippet, 'delay capped'), where(snippet, 'quiet days')]);
    expect(ds[0].message).toBe('`delay capped messages up to 3 days` contradicts `skip capped messages`: capped messages are either delayed or skipped');
    expect(ds[1].message).toBe('these quiet days cover the whole week: no message could ever be sent');
  });

  it('across kinds (on by default): the spec example\'s email cap under its gap', () => {
    const { model, diagnostics } = check(SPEC_EXAMPLE);
    expect(diagnostics.map((x) => x.code)).toEqual(['NUR305']);
    expect(analyze(model, { crossKindRedundancy: false })).toEqual([]);
    const [d, ...rest] = analyze(model);
    expect(rest).toEqual([]);
    expect(d.code).toBe('NUR305');
    expect(`${d.span.line}:${d.span.column}`).toBe(`${pos(SPEC_EXAMPLE, 'max 1 message').line}:${pos(SPEC_EXAMPLE, 'max 1 message').column}`);
    expect(d.message).toBe('`max 1 message per day on email` is redundant: `min 2 days between messages` already allows at most 1 message on email in any 1 day');
    expect(analyze(check(ACME).model)).toEqual([]);
  });

  it('across kinds: `max 1 per D` implies a gap up to D', () => {
    const { model } = check(full(pressure(['max 1 message per 3 days', 'min 2 days between messages on email'])));
    const ds = analyze(model, { crossKindRedundancy: true }).filter((d) => d.code === 'NUR305');
    expect(ds.map((d) => d.message)).toEqual([
      '`min 2 days between messages on email` is redundant: `max 1 message per 3 days` already keeps messages on email at least 3 days apart',
    ]);
  });
});

describe('NUR307 unused declarations', () => {
  it('each kind, at its name', () => {
    const snippet = 'channel sms { consent: email_consent }\ntopics pricing\ncontent orphan { channel: email }\nstream drip: orphan\nsegment rich = budget > 1000';
    const ds = only('NUR307', analyzeSnippet(snippet));
    expect(ds.map((d) => [at(d), d.message])).toEqual([
      [where(snippet, 'sms'), 'channel `sms` is never used: no content is sent on it'],
      [where(snippet, 'pricing'), 'topic `pricing` is never used: no content or condition mentions it'],
      [where(snippet, 'drip'), 'stream `drip` is never used: no journey drips from it'],
      [where(snippet, 'rich'), 'segment `rich` is never used: no condition mentions it'],
    ]);
    expect(ds.every((d) => d.severity === 'warning')).toBe(true);
  });

  it('an unused content, with help', () => {
    const [d] = only('NUR307', analyzeSnippet('content orphan { channel: email }'));
    expect(d.message).toBe('content `orphan` is never used: no journey, threshold, handler, stream or test sends it');
    expect(d.help).toBe('send it from a journey (`send orphan`), add it to a stream, or remove it');
  });

  it('uses: stream items, `received`, tests, conditions, handlers', () => {
    const snippet = [
      'content c1 { channel: email }', 'content c2 { channel: email }', 'content c3 { channel: email }',
      'stream s: c1', 'segment seg = received c2 within 7 days',
      'journey j { audience seg\n entry on demo_requested\n send next from s }',
      'on email_opened { send c3 }',
    ].join('\n');
    expect(only('NUR307', analyzeSnippet(snippet))).toEqual([]);
    const inTest = 'content c4 { channel: email }\ntest "t" {\n  expect received c4\n}';
    expect(only('NUR307', analyzeSnippet(inTest))).toEqual([]);
  });
});

describe('NUR309 consent', () => {
  it('a channel without consent carrying non-transactional content', () => {
    const snippet = 'channel sms\ncontent promo { channel: sms }\ncontent code { channel: sms, transactional: true }\njourney j { entry on demo_requested\n send promo\n send code }';
    const [d, ...rest] = only('NUR309', analyzeSnippet(snippet));
    expect(rest).toEqual([]);
    expect(d.severity).toBe('warning');
    expect(at(d)).toBe(where(snippet, 'sms'));
    expect(d.message).toBe('channel `sms` has no `consent`, but `promo` on it is not transactional: they would reach leads who never agreed');
    expect(d.related?.map((r) => r.span.line)).toEqual([pos(full(snippet), 'promo').line]);
  });

  it('only transactional content: fine', () => {
    const snippet = 'channel sms\ncontent code { channel: sms, transactional: true }\njourney j { entry on demo_requested\n send code }';
    expect(only('NUR309', analyzeSnippet(snippet))).toEqual([]);
  });
});

describe('NUR310 ranges and decay', () => {
  it('a range whose minimum is above its maximum', () => {
    const snippet = 'score s {\n  +1 on email_opened\n  range 100 to 0\n}\nsegment hot = s > 50\njourney j { audience hot\n entry on demo_requested\n send hello }';
    const ds = analyzeSnippet(snippet);
    expect(ds.map((d) => d.code)).toEqual(['NUR310']); // and no interval diagnostic on `s > 50`
    expect(ds[0].severity).toBe('error');
    expect(at(ds[0])).toBe(where(snippet, 'range 100'));
    expect(ds[0].message).toBe('the range of score `s` goes from 100 down to 0: its minimum is above its maximum');
    expect(ds[0].help).toBe('write the smaller bound first: `range 0 to 100`');
  });

  it('a decay with a zero period; over 100% or negative (guarded: the parser rejects `150%` and `-5`)', () => {
    const snippet = 'score s {\n  +1 on email_opened\n  decay 5 every 0 days idle\n}\nsegment hot = s > 50\njourney j { audience hot\n entry on demo_requested\n send hello }';
    const ds = only('NUR310', analyzeSnippet(snippet));
    expect(ds.map((d) => [at(d), d.message])).toEqual([
      [where(snippet, '0 days'), 'score `s` decays every 0 days: the decay period must be longer than zero'],
    ]);
    const { model } = check(full('score s {\n  +1 on email_opened\n  decay 20% every 30 days idle\n}\nsegment hot = s > 50\njourney j { audience hot\n entry on demo_requested\n send hello }'));
    const decay = (model.scores.get('s')!.decl as { rules: { kind: string; amount?: { value: number } }[] }).rules.find((r) => r.kind === 'decay')!;
    decay.amount!.value = 150;
    expect(analyze(model).filter((d) => d.code === 'NUR310').map((d) => d.message)).toEqual(['score `s` decays by 150%: a decay is between 0% and 100%']);
    const { model: m2 } = check(full('score s {\n  +1 on email_opened\n  decay 5 every 30 days idle\n}\nsegment hot = s > 50\njourney j { audience hot\n entry on demo_requested\n send hello }'));
    const decay2 = (m2.scores.get('s')!.decl as { rules: { kind: string; amount?: { value: number } }[] }).rules.find((r) => r.kind === 'decay')!;
    decay2.amount!.value = -5;
    expect(analyze(m2).filter((d) => d.code === 'NUR310').map((d) => d.message)).toEqual(['score `s` decays by -5 points: a decay removes points, it cannot add them']);
  });
});
