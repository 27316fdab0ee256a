// Name resolution: unknown names (NUR100), duplicates (NUR101), wrong kinds (NUR102), reserved
// names (NUR103), shadowing fields (NUR107). Spans, related information and fixes included.
import { describe, expect, it } from 'vitest';
import { checkSources } from '../../compiler/workspace.js';
import { check, checkSnippet, codes, pos } from './helpers.js';

describe('NUR100 unknown name', () => {
  it('names the expected kind, suggests the close name and offers a fix', () => {
    const snippet = 'journey j {\n  entry on form_submitted\n  send welcom_email\n}\n';
    const [d, ...rest] = checkSnippet(snippet);
    expect(rest).toEqual([]);
    expect(d.code).toBe('NUR100');
    expect(d.severity).toBe('error');
    expect(d.file).toBe('snippet.nurture');
    expect(d.message).toBe('unknown content `welcom_email`');
    expect(d.help).toBe('did you mean `welcome_email`?');
    const at = pos(snippet, 'welcom_email');
    expect(d.span).toMatchObject({ line: at.line, column: at.column, endLine: at.line, endColumn: at.column + 12, start: at.offset, end: at.offset + 12 });
    expect(d.fixes).toEqual([{ title: 'Replace with `welcome_email`', edits: [{ file: 'snippet.nurture', span: d.span, newText: 'welcome_email' }] }]);
  });

  it('says how to declare the name when nothing is close', () => {
    const [d] = checkSnippet('on zzz_unheard_of { handoff "x" }');
    expect(d.code).toBe('NUR100');
    expect(d.message).toBe('unknown event `zzz_unheard_of`');
    expect(d.help).toBe('declare it: `event zzz_unheard_of`');
    expect(d.fixes).toBeUndefined();
  });

  it('covers events, streams, journeys, channels and topics', () => {
    const snippet = [
      'segment s1 = has webinar_atended',
      'segment s2 = received any of educaton',
      'segment s3 = in journey welcme',
      'content c1 { channel: emial, topic: pricng }',
      'event ev { ch: channel }\nsegment s4 = has ev where ch is emali',
    ].join('\n');
    const diags = checkSnippet(snippet);
    expect(diags.map((d) => [d.code, d.message, d.help])).toEqual([
      ['NUR100', 'unknown event `webinar_atended`', 'did you mean `webinar_attended`?'],
      ['NUR100', 'unknown stream `educaton`', 'did you mean `education`?'],
      ['NUR100', 'unknown journey `welcme`', 'did you mean `welcome`?'],
      ['NUR100', 'unknown channel `emial`', 'did you mean `email`?'],
      ['NUR100', 'unknown topic `pricng`', 'did you mean `pricing`?'],
      ['NUR100', 'unknown channel `emali`', 'did you mean `email`?'],
    ]);
  });

  it('reports unknown attributes, scores or segments in conditions', () => {
    const [d] = checkSnippet('segment s = budgett >= 10');
    expect(d.code).toBe('NUR100');
    expect(d.message).toBe('unknown attribute, score or segment `budgett`');
    expect(d.help).toBe('did you mean `budget`?');
  });

  it('hints at comparing a bare enumeration member', () => {
    const [d] = checkSnippet('segment s = vp');
    expect(d.code).toBe('NUR100');
    expect(d.help).toBe('`vp` is a member of `job_level`: compare it, `job_level is vp`');
  });

  it('reports unknown types of attributes and fields', () => {
    const [d] = check('lead { age: nubmer }').diagnostics;
    expect([d.code, d.message, d.help]).toEqual(['NUR100', 'unknown type `nubmer`', 'did you mean `number`?']);
    expect(codes(check('event e { c: content, t: topic, h: channel }').diagnostics)).toEqual([]);
    const [c] = check('lead { c: content }').diagnostics;
    expect(c.code).toBe('NUR200');
    expect(codes(check('lead { l: list of number }').diagnostics)).toEqual(['NUR200']);
  });
});

describe('NUR101 declared twice', () => {
  it('points at the second declaration, with the first as related information', () => {
    const a = 'content promo { channel: email }\n';
    const b = 'channel email\n\ncontent promo { channel: email }\n';
    const all = checkSources([{ path: 'b.nurture', text: b }, { path: 'a.nurture', text: a }]).diagnostics;
    expect(all.map((d) => d.code)).toEqual(['NUR309', 'NUR101']); // the first `promo` is sound: analysed
    const [, d] = all;
    expect(d.code).toBe('NUR101');
    expect(d.message).toBe('the content `promo` is declared twice');
    // files are taken in path order: a.nurture declares it first
    expect(d.file).toBe('b.nurture');
    expect(d.span.line).toBe(3);
    expect(d.related).toEqual([{ file: 'a.nurture', span: expect.objectContaining({ line: 1, column: 9 }), message: 'first declared here' }]);
  });

  it('merges lead blocks across files and reports an attribute declared twice', () => {
    const { diagnostics, model } = checkSources([
      { path: 'a.nurture', text: 'lead { budget: number }' },
      { path: 'b.nurture', text: 'lead { region: text\n budget: number }' },
    ]);
    expect([...model.attributes.keys()]).toEqual(['budget', 'region']);
    expect(diagnostics.map((d) => [d.code, d.file, d.span.line, d.message])).toEqual([
      ['NUR101', 'b.nurture', 2, 'the attribute `budget` is declared twice'],
    ]);
  });

  it('checks every kind: events, fields, enum members, stages, topics, scores, segments, journeys, tests', () => {
    const text = [
      'event e { f: text, f: number }',
      'event e',
      'lead { level: one of [a, b, a] }',
      'stages s1, s2, s1',
      'topics t1\ntopics t1',
      'score sc { +1 if level is a }\nscore sc { +1 if level is b }',
      'segment sg = level is a\nsegment sg = level is b',
      'segment sc = level is a',
      'journey j { entry on e }\njourney j { entry on e }',
      'test "x" { }\ntest "x" { }',
      'threshold th when sg { handoff "q" }\nthreshold th when sg { handoff "q" }',
    ].join('\n');
    const diags = check(text).diagnostics;
    expect(diags.map((d) => d.code)).toEqual(Array(11).fill('NUR101'));
    expect(diags.map((d) => d.message)).toEqual([
      'the field `f` is declared twice in event `e`',
      'the event `e` is declared twice',
      '`a` appears twice in the enumeration `level`',
      'the stage `s1` is declared twice',
      'the topic `t1` is declared twice',
      'the score `sc` is declared twice',
      'the segment `sg` is declared twice',
      'the name `sc` is already used by the score `sc`',
      'the journey `j` is declared twice',
      'test "x" is declared twice',
      'the threshold `th` is declared twice',
    ]);
    expect(diags.every((d) => d.related?.length === 1)).toBe(true);
  });

  it('shares one namespace across kinds', () => {
    const text = 'channel email\nevent webinar\ncontent webinar { channel: email }\njourney email { entry on webinar }';
    const diags = check(text).diagnostics;
    expect(diags.map((d) => [d.code, d.span.line, d.message, d.related?.[0].span.line])).toEqual([
      ['NUR101', 3, 'the name `webinar` is already used by the event `webinar`', 2],
      ['NUR101', 4, 'the name `email` is already used by the channel `email`', 1],
    ]);
    expect(diags[0].help).toBe('give this content another name: contents, events, journeys, scores… share one namespace');
  });

  it('gives stages and topics their own namespaces, as the spec example does', () => {
    // the stage and the threshold `mql`, the topic and the stream `education`
    const text = [
      'lead { level: number }',
      'stages lead, mql',
      'topics education, mql',
      'channel email',
      'content guide { channel: email, topic: education }',
      'stream education: guide',
      'threshold mql when level > 3 { set stage = mql }',
    ].join('\n');
    expect(check(text).diagnostics).toEqual([]);
  });

  it('allows one timezone, one stages, one pressure', () => {
    const text = 'timezone "UTC"\ntimezone "Europe/Paris"\nstages a, b\nstages c\npressure { skip capped messages }\npressure { skip capped messages }';
    const diags = check(text).diagnostics;
    expect(diags.map((d) => [d.code, d.span.line, d.span.column, d.span.endColumn, d.message])).toEqual([
      ['NUR101', 2, 1, 9, 'the workspace `timezone` is declared twice'],
      ['NUR101', 4, 1, 7, '`stages` is declared twice'],
      ['NUR101', 6, 1, 9, '`pressure` is declared twice'],
    ]);
    expect(diags.every((d) => d.related?.[0].span.line === d.span.line - 1)).toBe(true);
  });

  it('reports keys given twice in a property list', () => {
    const [d] = checkSnippet('content c { channel: email, channel: email }');
    expect([d.code, d.message, d.related?.[0].message]).toEqual(['NUR101', '`channel` is given twice in content `c`', 'first given here']);
  });
});

describe('NUR102 wrong kind', () => {
  it('says what the name is and what was expected', () => {
    const [d] = checkSnippet('on demo_requested { send fit }');
    expect(d.code).toBe('NUR102');
    expect(d.message).toBe('`fit` is a score, not a content');
    expect(d.related?.[0]).toMatchObject({ file: 'base.nurture', message: 'the score `fit` is declared here' });
  });

  it('suggests the predicate to use when a content, an event or a journey appears as a condition', () => {
    const diags = checkSnippet('segment a = welcome_email\nsegment b = demo_requested\nsegment c = education and mql');
    expect(diags.map((d) => [d.code, d.help])).toEqual([
      ['NUR102', 'to test whether the lead received it, write `received welcome_email`'],
      ['NUR102', 'to test whether the event happened, write `has demo_requested`'],
      ['NUR102', 'to test whether the lead received any of it, write `received any of education`'],
      ['NUR102', "compare the lead's stage: `stage is mql` or `stage >= mql`"],
    ]);
  });

  it('rejects `profile` where a declared event is expected', () => {
    const [d] = checkSnippet('on profile { handoff "x" }');
    expect(d.code).toBe('NUR102');
  });
});

describe('NUR103 reserved names', () => {
  it('reserves `stage` and the names of scores and segments for attributes', () => {
    const diags = checkSnippet('lead { stage: text\n  fit: number\n  decision_makers: bool }');
    expect(diags.map((d) => [d.code, d.span.line])).toEqual([['NUR103', 1], ['NUR103', 2], ['NUR103', 3]]);
    expect(diags[1].message).toBe('the attribute name `fit` is reserved: it is the name of a score');
    expect(diags[1].related?.[0]).toMatchObject({ file: 'base.nurture', message: 'the score `fit` is declared here' });
  });

  it('reports on the attribute even when the score is declared in a later file', () => {
    const { diagnostics, model } = checkSources([
      { path: 'a.nurture', text: 'lead { rank: number }' },
      { path: 'b.nurture', text: 'score rank { +1 if rank >= 2 }' },
    ]);
    expect(diagnostics.map((d) => [d.code, d.file])).toEqual([['NUR103', 'a.nurture'], ['NUR303', 'b.nurture']]);
    expect(model.attributes.has('rank')).toBe(false);
    expect(model.scores.has('rank')).toBe(true);
  });

  it('reserves the event name `profile` and the condition name `stage`', () => {
    const diags = check('event profile\nsegment stage = true').diagnostics;
    expect(diags.map((d) => d.code)).toEqual(['NUR103', 'NUR103']);
  });
});

describe('NUR107 event field shadowing a lead name', () => {
  it('warns at the field declaration', () => {
    const snippet = 'event budget_changed { budget: number, stage: text }';
    const diags = checkSnippet(snippet);
    expect(diags.map((d) => [d.code, d.severity, d.span.column])).toEqual([
      ['NUR107', 'warning', pos(snippet, 'budget:').column],
      ['NUR107', 'warning', pos(snippet, 'stage:').column],
    ]);
    expect(diags[0].message).toBe('the field `budget` of event `budget_changed` shadows the lead attribute `budget`');
  });

  it('resolves the shadowed name to the field inside `where`', () => {
    const snippet = 'event budget_changed { budget: text }\nsegment s = has budget_changed where budget is "big"';
    const diags = checkSnippet(snippet);
    expect(codes(diags)).toEqual(['NUR107']); // no type error: `budget` is the text field here
  });
});
