// The condition language (section 5): typing, bare-name resolution against the other side,
// enumeration members and stages (NUR104), event fields (NUR105), types (NUR200) and operators (NUR201).
import { describe, expect, it } from 'vitest';
import { checkSnippet, codes, pos } from './helpers.js';

/** Diagnostics of `segment s = <condition>` on top of the spec example. */
function cond(condition: string) {
  return checkSnippet(`segment s = ${condition}`);
}

describe('well-typed conditions', () => {
  it.each([
    'job_level is vp',
    'vp is job_level',
    'job_level is not intern',
    'job_level in [vp, director]',
    'job_level not in [intern]',
    'job_level == vp or job_level != c_level',
    'stage >= mql and stage < customer',
    'stage is lead',
    'employees >= 500 and budget < 10000.5',
    'industry is "fintech" and country != "FR"',
    'industry contains "bank"',
    'contract_end < 2026-06-30',
    'budget is known and not (industry is missing)',
    'email_consent and email_consent == true',
    '(fit + engagement) >= 80',
    '(fit * 2 - engagement / 3) > 1',
    'decision_makers and not decision_makers',
    'has demo_requested',
    'has form_submitted where form is "newsletter" at least 2 times within 30 days',
    'has email_clicked where message is welcome_email and url contains "/pricing"',
    'has page_viewed where topic is "pricing" and budget > 100',
    'received welcome_email within 7 days',
    'received any of education',
    'in journey welcome and completed journey long_term',
    'handed off and handed off to "sales"',
  ])('%s', (condition) => {
    expect(cond(condition)).toEqual([]);
  });

  it('types list attributes and topic/channel fields', () => {
    const snippet = [
      'lead { tags: list of text }',
      'event touched { on_topic: topic, via: channel, level: one of [low, high] }',
      'segment s1 = tags contains "vip"',
      'segment s2 = has touched where on_topic is pricing and via is email and level is high',
      'segment s3 = has touched where on_topic in [pricing, product] and level != low',
    ].join('\n');
    expect(checkSnippet(snippet)).toEqual([]);
  });
});

describe('NUR104 unknown enumeration member or stage', () => {
  it('lists the members and suggests the close one', () => {
    const [d, ...rest] = cond('job_level is ceo');
    expect(rest).toEqual([]);
    expect(d.code).toBe('NUR104');
    expect(d.message).toBe('`ceo` is not a member of `job_level`: intern, employee, manager, director, vp, c_level');
    expect(d.span.column).toBe(pos('segment s = job_level is ceo', 'ceo').column);
  });

  it('suggests a close member with a fix', () => {
    const [d] = cond('job_level in [vp, directr]');
    expect([d.code, d.help, d.fixes?.[0].edits[0].newText]).toEqual(['NUR104', 'did you mean `director`?', 'director']);
  });

  it('treats the stages as an ordered enumeration', () => {
    const [d] = cond('stage < mqll');
    expect(d.code).toBe('NUR104');
    expect(d.message).toBe('`mqll` is not a stage: subscriber, lead, mql, sql, customer');
    expect(d.help).toBe('did you mean `mql`?');
  });

  it('prefers the member reading over an unrelated name of the workspace', () => {
    // `fit` is a score, but on the right of `job_level is` a member is expected
    const [d] = cond('job_level is fit');
    expect(d.code).toBe('NUR104');
  });

  it('checks enumeration-typed event fields', () => {
    const [d] = checkSnippet('event rated { level: one of [low, high] }\nsegment s = has rated where level is medium');
    expect(d.code).toBe('NUR104');
    expect(d.message).toBe('`medium` is not a member of `rated.level`: low, high');
  });
});

describe('NUR100/NUR102 for content, channel and topic values', () => {
  it('resolves a content-typed field against the contents', () => {
    const [d] = cond('has email_opened where message is welcom_email');
    expect([d.code, d.message, d.help]).toEqual(['NUR100', 'unknown content `welcom_email`', 'did you mean `welcome_email`?']);
  });

  it('says when the name is of another kind', () => {
    const [d] = cond('has email_opened where message is pricing');
    expect([d.code, d.message]).toEqual(['NUR102', '`pricing` is a topic, not a content']);
  });
});

describe('NUR105 unknown event field', () => {
  it('reports an unknown name in a where clause, suggesting a field', () => {
    const snippet = 'segment s = has form_submitted where frm is "x"';
    const [d, ...rest] = checkSnippet(snippet);
    expect(rest).toEqual([]);
    expect(d.code).toBe('NUR105');
    expect(d.message).toBe('unknown field `frm`: event `form_submitted` has no such field, and no attribute, score or segment has this name');
    expect(d.help).toBe('did you mean `form`?');
    expect(d.span.column).toBe(pos(snippet, 'frm').column);
  });

  it('falls back to lead names after the fields', () => {
    expect(cond('has form_submitted where form is "x" and budget > 3 and fit > 1 and stage >= lead')).toEqual([]);
  });

  it('checks the where of engagement rules, handlers and journey settings', () => {
    const snippet = [
      'score s2 { +1 on page_viewed where urll contains "x" }',
      'on page_viewed where topc is "x" { handoff "q" }',
      'journey j2 { entry on form_submitted where fomr is "x"  exit on page_viewed where ur is "/"  goal on email_clicked where mesage is reminder within 3 days }',
    ].join('\n');
    expect(codes(checkSnippet(snippet))).toEqual(['NUR105', 'NUR105', 'NUR105', 'NUR105', 'NUR105']);
  });

  it('does not check the where of an unknown event (no cascade)', () => {
    expect(codes(cond('has form_submited where frm is "x"'))).toEqual(['NUR100']);
  });
});

describe('NUR200 type mismatch', () => {
  it('compares text with number', () => {
    const [d] = cond('budget is "big"');
    expect(d.code).toBe('NUR200');
    expect(d.message).toBe('type mismatch: `budget` is a number, but `"big"` is a text');
  });

  it('offers to remove quotes around a number', () => {
    const [d] = cond('budget >= "10000"');
    expect([d.code, d.help, d.fixes?.[0].edits[0].newText]).toEqual(['NUR200', 'remove the quotes: `10000`', '10000']);
  });

  it('offers to quote a bare name compared with a text field', () => {
    const snippet = 'segment s = has page_viewed where topic is pricing';
    const [d] = checkSnippet(snippet);
    expect(d.code).toBe('NUR200');
    expect(d.message).toBe('expected a text, but `pricing` is a bare name');
    expect(d.fixes?.[0].edits[0]).toMatchObject({ newText: '"pricing"', span: { column: pos(snippet, 'pricing').column } });
  });

  it('offers to unquote an enumeration member, a stage or a content', () => {
    const diags = cond('job_level is "vp" or stage is "mql"');
    expect(diags.map((d) => [d.code, d.message, d.help, d.fixes?.[0].edits[0].newText])).toEqual([
      ['NUR200', 'type mismatch: `job_level` is an enumeration, but `"vp"` is a text', 'enumeration members are written as bare names: write `vp`', 'vp'],
      ['NUR200', 'type mismatch: `stage` is a stage, but `"mql"` is a text', 'stages are written as bare names: write `mql`', 'mql'],
    ]);
    expect(codes(cond('has email_opened where message is "reminder"'))).toEqual(['NUR200']);
  });

  it('rejects a percentage where a number is expected', () => {
    const [d] = cond('budget > 10%');
    expect([d.code, d.help]).toEqual(['NUR200', 'write a number: `10`']);
  });

  it('requires conditions to be booleans', () => {
    const diags = cond('budget and industry');
    expect(diags.map((d) => [d.code, d.message])).toEqual([
      ['NUR200', 'expected a condition, but `budget` is a number'],
      ['NUR200', 'expected a condition, but `industry` is a text'],
    ]);
    expect(codes(checkSnippet('score s2 { +5 if budget }'))).toEqual(['NUR200']);
    expect(codes(cond('(fit + engagement)'))).toEqual(['NUR200']);
  });

  it('types list items against the left side', () => {
    const diags = cond('employees in [1, "two", 3]');
    expect(diags.map((d) => [d.code, d.span.column])).toEqual([['NUR200', pos('segment s = employees in [1, "two", 3]', '"two"').column]]);
  });

  it('compares dates with dates', () => {
    expect(codes(cond('contract_end < 3'))).toEqual(['NUR200']);
  });

  it('compares an enumeration with its members only', () => {
    expect(codes(cond('job_level is 3'))).toEqual(['NUR200']);
  });

  it('restricts the test-only `received … at` / `received … N times` to expect', () => {
    const diags = cond('received welcome_email at 2026-01-06 08:00 or received reminder 2 times');
    expect(diags.map((d) => [d.code, d.message])).toEqual([
      ['NUR200', "`received … at` is only available in a test's `expect`"],
      ['NUR200', "`received … N times` is only available in a test's `expect`"],
    ]);
  });

  it('checks counts', () => {
    expect(codes(cond('has demo_requested at least 0 times'))).toEqual(['NUR200']);
    expect(codes(cond('has demo_requested at least 1.5 times'))).toEqual(['NUR200']);
  });
});

describe('NUR201 operator not applicable', () => {
  it('orders only numbers, dates and stages', () => {
    const snippet = 'segment s = industry < "m"';
    const [d] = checkSnippet(snippet);
    expect(d.code).toBe('NUR201');
    expect(d.message).toBe('`<` cannot be applied to `industry` (a text): only numbers, dates and stages are ordered');
    expect(d.span.column).toBe(pos(snippet, '<').column);
  });

  it('does not order enumeration members', () => {
    const [d] = cond('job_level >= manager');
    expect(d.code).toBe('NUR201');
    expect(d.help).toBe('enumeration members have no order; list the ones you mean: `job_level in [intern, employee]`');
  });

  it('does not order booleans', () => {
    expect(codes(cond('email_consent > false'))).toEqual(['NUR201']);
  });

  it('applies contains to text and list of text only', () => {
    const [d] = cond('budget contains "1"');
    expect([d.code, d.message]).toEqual(['NUR201', '`contains` cannot be applied to `budget` (a number): it looks inside a text or a list of text']);
    expect(codes(cond('industry contains 3'))).toEqual(['NUR200']);
  });

  it('does arithmetic on numbers only', () => {
    const diags = cond('(industry + 1) > 2');
    expect(diags.map((d) => [d.code, d.message])).toEqual([['NUR201', '`+` cannot be applied to `industry` (a text): arithmetic works on numbers']]);
  });

  it('applies is known to attributes and fields', () => {
    expect(codes(cond('fit is known'))).toEqual(['NUR201']);
    expect(codes(cond('has form_submitted where form is known'))).toEqual([]);
  });

  it('suggests contains for lists', () => {
    const diags = checkSnippet('lead { tags: list of text }\nsegment s1 = tags in ["a"]\nsegment s2 = tags is "a"');
    expect(codes(diags)).toEqual(['NUR201', 'NUR200']);
    expect(diags[0].help).toBe('to test whether the list holds a value, write `tags contains "value"`');
  });
});

describe('error recovery', () => {
  it('reports one error for a broken left side, not one per side', () => {
    expect(codes(cond('job_levl is vp'))).toEqual(['NUR100']);
    expect(codes(cond('job_levl in [vp, ceo]'))).toEqual(['NUR100']);
  });

  it('does not report names after a type error upstream', () => {
    expect(codes(checkSnippet('lead { grade: nubmer }\nsegment s = grade is whatever'))).toEqual(['NUR100']);
  });
});
