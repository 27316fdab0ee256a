// Declarations: time zone, channels, contents, streams, pressure, scores, definitions' cycles.
import { describe, expect, it } from 'vitest';
import { check, checkSnippet, codes, pos } from './helpers.js';

describe('timezone (NUR003)', () => {
  it('accepts IANA names and UTC', () => {
    for (const tz of ['Europe/Paris', 'America/New_York', 'UTC', 'Asia/Kolkata']) {
      expect(check(`timezone "${tz}"`).diagnostics).toEqual([]);
      expect(check(`timezone "${tz}"`).model.timezone.name).toBe(tz);
    }
  });

  it('rejects unknown names with a did-you-mean and a fix', () => {
    const text = 'timezone "Europe/Pariss"';
    const { diagnostics, model } = check(text);
    const [d] = diagnostics;
    expect([d.code, d.message, d.help]).toEqual(['NUR003', 'unknown time zone "Europe/Pariss"', 'did you mean "Europe/Paris"?']);
    expect(d.span.column).toBe(pos(text, '"Europe').column);
    expect(d.fixes?.[0].edits[0].newText).toBe('"Europe/Paris"');
    expect(model.timezone.name).toBe('UTC');
  });

  it('is case-sensitive', () => {
    const [d] = check('timezone "europe/paris"').diagnostics;
    expect([d.code, d.help]).toEqual(['NUR003', 'did you mean "Europe/Paris"?']);
  });
});

describe('channels', () => {
  it('requires a bool consent attribute (NUR203)', () => {
    const snippet = 'channel sms { consent: country }';
    const [d] = checkSnippet(snippet);
    expect(d.code).toBe('NUR203');
    expect(d.message).toBe('the consent attribute `country` is a text, not a `bool`');
    expect(d.span.column).toBe(pos(snippet, 'country').column);
    expect(d.related?.[0].file).toBe('base.nurture');
  });

  it('resolves the consent attribute', () => {
    expect(codes(checkSnippet('channel sms { consent: sms_consnt }'))).toEqual(['NUR100']);
    expect(codes(checkSnippet('channel sms { consent: fit }'))).toEqual(['NUR102']);
    expect(codes(checkSnippet('channel sms { consent: "yes" }'))).toEqual(['NUR200']);
  });

  it('knows only the consent property', () => {
    const [d] = checkSnippet('channel sms { consnt: email_consent }');
    expect([d.code, d.message, d.help]).toEqual(['NUR100', 'unknown channel property `consnt`', 'did you mean `consent`?']);
  });
});

describe('contents', () => {
  it('requires a channel (NUR202)', () => {
    const snippet = 'content flyer { topic: pricing }';
    const [d] = checkSnippet(snippet);
    expect(d.code).toBe('NUR202');
    expect(d.message).toBe('content `flyer` has no `channel`');
    expect(d.help).toBe('every content is sent on a channel: add `channel: email`');
    expect(d.span.column).toBe(pos(snippet, 'flyer').column);
  });

  it('warns about a key that looks like a known one (NUR106) and keeps it as metadata', () => {
    const snippet = 'content flyer { channel: email, tempalte: "t", subjet: "s" }';
    const result = checkSnippet(snippet);
    expect(result.map((d) => [d.code, d.severity, d.message])).toEqual([
      ['NUR106', 'warning', '`tempalte` is not a known content property; it looks like `template`'],
      ['NUR106', 'warning', '`subjet` is not a known content property; it looks like `subject`'],
    ]);
    expect(result[0].fixes?.[0].edits[0].newText).toBe('template');
  });

  it('explains a missing channel caused by a misspelt key, without cascading', () => {
    const diags = checkSnippet('content flyer { chanel: email }');
    expect(diags.map((d) => d.code)).toEqual(['NUR202', 'NUR106']);
    expect(diags[0].help).toBe('`chanel` looks like a misspelt `channel`');
  });

  it('types the known keys', () => {
    const diags = checkSnippet('content flyer { channel: email, topic: onboarding, template: 3, subject: true, cost: "0.5", transactional: "yes" }');
    expect(diags.map((d) => d.code)).toEqual(['NUR200', 'NUR200', 'NUR200', 'NUR200']);
    expect(codes(checkSnippet('content flyer { channel: fit }'))).toEqual(['NUR102']);
    expect(codes(checkSnippet('content flyer { channel: email, topic: pricingg }'))).toEqual(['NUR100']);
    expect(codes(checkSnippet('content flyer { channel: "email" }'))).toEqual(['NUR200']);
  });

  it('requires literal metadata values', () => {
    const diags = checkSnippet('content flyer { channel: email, owner: bob, lang: "fr", weight: 3, launch: 2026-01-05 }');
    expect(diags.map((d) => [d.code, d.message, d.help])).toEqual([
      ['NUR200', 'the metadata `owner` must be a literal (text, number, bool…)', 'quote it: `"bob"`'],
    ]);
  });

  it('records properties and metadata in the model', () => {
    const { model } = check('channel sms\ntopics news\ncontent flyer { channel: sms, topic: news, cost: 0.2, transactional: true, subject: "Hi", lang: "fr" }');
    const flyer = model.contents.get('flyer')!;
    expect([flyer.channel?.name, flyer.topic?.name, flyer.cost, flyer.transactional, flyer.subject]).toEqual(['sms', 'news', 0.2, true, 'Hi']);
    expect([...flyer.metadata.keys()]).toEqual(['lang']);
  });
});

describe('streams', () => {
  it('resolves their items as contents', () => {
    const diags = checkSnippet('stream drip: reminder, remindr, fit');
    expect(codes(diags)).toEqual(['NUR100', 'NUR102']);
  });
});

describe('pressure', () => {
  it('checks channels, weekdays and counts', () => {
    const text = 'channel email\npressure {\n  max 0 messages per day on emial\n  min 2 days between messages on sms\n  quiet days saturday, sundy, Monday\n}';
    const diags = check(text).diagnostics;
    expect(diags.map((d) => [d.code, d.message])).toEqual([
      ['NUR200', 'the number of messages must be a whole number of at least 1, not `0`'],
      ['NUR100', 'unknown channel `emial`'],
      ['NUR100', 'unknown channel `sms`'],
      ['NUR003', '`sundy` is not a weekday'],
      ['NUR003', '`Monday` is not a weekday'],
    ]);
    expect(diags[3].help).toBe('did you mean `sunday`?');
    expect(diags[4].help).toBe('did you mean `monday`?');
  });
});

describe('scores', () => {
  it('accepts derived scores over scores and numbers', () => {
    const { diagnostics, model } = check(
      'lead { budget: number }\nscore fit { +10 if budget > 3 }\nscore eng { range 0 to 50 }\nscore total = (fit * 2 + eng) / 3 - 1',
    );
    expect(diagnostics).toEqual([]);
    expect(model.scores.get('total')!.category).toBe('derived');
    expect(model.scores.get('eng')!.category).toBe('manual');
  });

  it('rejects anything but scores and numbers in a derived score', () => {
    const diags = checkSnippet('score total = fit + budget + engagment + "3" + (fit >= 3)');
    expect(diags.map((d) => [d.code, d.message])).toEqual([
      ['NUR102', '`budget` is an attribute, not a score: a derived score combines scores and numbers'],
      ['NUR100', 'unknown score `engagment`'],
      ['NUR200', 'a derived score is arithmetic over scores and numbers, but `"3"` is not'],
      ['NUR200', 'a derived score is arithmetic over scores and numbers, but this is not'],
    ]);
    expect(diags[1].help).toBe('did you mean `engagement`?');
  });

  it('checks engagement rules', () => {
    const diags = checkSnippet('score s2 {\n  +1 on email_opend\n  +2 on email_opened where mesage is reminder max 0 per day\n  +3 on profile\n}');
    expect(codes(diags)).toEqual(['NUR100', 'NUR105', 'NUR200', 'NUR102']);
  });

  it('allows one range and one decay per score (NUR312)', () => {
    const diags = check('score s { range 0 to 10\n  decay 5 every 7 days idle\n  range 0 to 20\n  decay 10% every 7 days idle }').diagnostics;
    expect(diags.map((d) => [d.code, d.span.line, d.message])).toEqual([
      ['NUR312', 3, '`range` is given twice in score `s`'],
      ['NUR312', 4, '`decay` is given twice in score `s`'],
    ]);
  });

  it('classifies mixed scores and reads the range', () => {
    const { model } = check('lead { a: number }\nevent e\nscore s { +1 if a > 1\n +2 on e\n range -10 to 10 }');
    expect(model.scores.get('s')).toMatchObject({ category: 'mixed', range: { min: -10, max: 10 } });
  });
});

describe('cyclic definitions (NUR303)', () => {
  it('reports segments and scores defined in terms of themselves', () => {
    const text = [
      'lead { a: number }',
      'segment s1 = s2 and a > 1',
      'segment s2 = s1 or a > 2',
      'score x = y + 1',
      'score y { +1 if x > 3 }',
      'score z { +1 if z > 3 }',
      'segment ok = s3',
      'segment s3 = a > 1',
    ].join('\n');
    const diags = check(text).diagnostics;
    expect(diags.map((d) => [d.code, d.span.line, d.message])).toEqual([
      ['NUR303', 2, 'the segment `s1` is defined in terms of itself: s1 → s2 → s1'],
      ['NUR303', 3, 'the segment `s2` is defined in terms of itself: s2 → s1 → s2'],
      ['NUR303', 4, 'the score `x` is defined in terms of itself: x → y → x'],
      ['NUR303', 5, 'the score `y` is defined in terms of itself: y → x → y'],
      ['NUR303', 6, 'the score `z` is defined in terms of itself: z → z'],
    ]);
  });

  it('does not count engagement rules: they read scores at event time', () => {
    expect(check('event e\nscore s { +1 on e where s < 10 }').diagnostics).toEqual([]);
  });
});
