// Test blocks (section 4.15): profiles, events, expectations and the timeline (NUR400).
import { describe, expect, it } from 'vitest';
import { checkSnippet, codes, pos } from './helpers.js';

function test(body: string) {
  return checkSnippet(`test "t" {\n${body}\n}`);
}

describe('test blocks', () => {
  it('accepts a well-typed test', () => {
    const body = `  lead "L1" { job_level: vp, employees: 800, industry: "saas", email_consent: true, contract_end: 2026-12-31 }
  holdout welcome
  at 2026-01-05 09:00
  form_submitted { form: "newsletter" }
  email_opened { message: welcome_email }
  profile { budget: 20000 }
  after 2 days
  demo_requested
  expect received welcome_email
  expect received welcome_email at 2026-01-05 09:00
  expect received reminder 0 times
  expect stage is mql and fit >= 40
  expect not in journey welcome`;
    expect(test(body)).toEqual([]);
  });

  it('types the lead profile against the attributes', () => {
    const diags = test('  lead { job_level: ceo, budget: "100", budgt: 1, fit: 3, industry: saas }');
    expect(diags.map((d) => [d.code, d.message])).toEqual([
      ['NUR104', '`ceo` is not a member of `job_level`: intern, employee, manager, director, vp, c_level'],
      ['NUR200', 'type mismatch: the attribute `budget` is a number, but `"100"` is a text'],
      ['NUR100', 'unknown attribute `budgt`'],
      ['NUR102', '`fit` is a score, not an attribute'],
      ['NUR200', 'expected a text, but `saas` is a bare name'],
    ]);
    expect(diags[2].help).toBe('did you mean `budget`?');
  });

  it('does not read attributes as values in test data', () => {
    const [d] = test('  lead { budget: employees }');
    expect([d.code, d.message]).toEqual(['NUR200', 'expected a number, but `employees` is an attribute']);
  });

  it('refuses arithmetic in test data: the plan holds constants', () => {
    const diags = test('  lead { budget: (2 * 500) }\n  form_submitted { form: "x" }');
    expect(diags.map((d) => [d.code, d.message])).toEqual([['NUR200', 'expected a literal value, but this is arithmetic']]);
  });

  it('refuses `stage` in the test lead: a test lead starts in the first stage (NUR102)', () => {
    const [d, ...rest] = test('  lead { budget: 1, stage: mql }');
    expect(rest).toEqual([]);
    expect([d!.code, d!.message]).toEqual(['NUR102', '`stage` is not an attribute: a test lead starts in the first stage, `subscriber`, like every lead']);
    expect(d!.help).toContain('to test a lead in `mql`, bring it there');
  });

  it('types event occurrences against the event fields (NUR105)', () => {
    const body = '  form_submitted { frm: "x", form: newsletter }\n  email_opened { message: welcom_email }\n  webinar_atended';
    const diags = test(body);
    expect(diags.map((d) => [d.code, d.message, d.help])).toEqual([
      ['NUR105', 'unknown field `frm`: event `form_submitted` has no such field', 'did you mean `form`?'],
      ['NUR200', 'expected a text, but `newsletter` is a bare name', 'text values are quoted: write `"newsletter"`'],
      ['NUR100', 'unknown content `welcom_email`', 'did you mean `welcome_email`?'],
      ['NUR100', 'unknown event `webinar_atended`', 'did you mean `webinar_attended`?'],
    ]);
  });

  it('types profile updates against the attributes; the stage is not one', () => {
    const diags = test('  profile { budget: "x", stage: mql }');
    expect(codes(diags)).toEqual(['NUR200', 'NUR102']);
  });

  it('wants the lead first and once (NUR312)', () => {
    const diags = test('  at 2026-01-05 09:00\n  lead { budget: 1 }\n  lead { budget: 2 }');
    expect(diags.map((d) => [d.code, d.message])).toEqual([
      ['NUR312', "the test's `lead` must be its first statement"],
      ['NUR312', "the test's `lead` is given twice"],
    ]);
  });

  it('resolves the holdout journey and the expectations', () => {
    expect(codes(test('  holdout welcom\n  expect stage is mqll\n  expect handed off to "sales" and received remindr'))).toEqual(['NUR100', 'NUR104', 'NUR100']);
  });
});

describe('the test timeline (NUR400)', () => {
  it('starts at the first `at` when it comes before any event', () => {
    expect(test('  at 2026-01-01 09:00\n  demo_requested\n  at 2026-01-02 09:00')).toEqual([]);
  });

  it('starts at 2026-01-05 09:00 when an event comes first', () => {
    const body = '  demo_requested\n  at 2026-01-01 09:00';
    const [d] = test(body);
    expect(d.code).toBe('NUR400');
    expect(d.message).toBe('the test timeline goes backwards: `2026-01-01 09:00` is before the test clock, 2026-01-05 09:00');
    const at = pos(`test "t" {\n${body}\n}`, '2026-01-01 09:00');
    expect(d.span).toMatchObject({ line: at.line, column: at.column });
  });

  it('advances the clock with `after` (a month is 30 days)', () => {
    const diags = test('  at 2026-01-05 09:00\n  after 1 month\n  at 2026-02-03 09:00\n  at 2026-02-04 08:59\n  at 2026-02-04 09:00');
    // 2026-01-05 09:00 + 30 days = 2026-02-04 09:00
    expect(diags.map((d) => [d.code, d.span.line])).toEqual([['NUR400', 4], ['NUR400', 5]]);
    expect(diags[0].related?.[0]).toMatchObject({ message: 'the clock reached 2026-02-04 09:00 here' });
  });

  it('does not move the clock back after an error', () => {
    expect(codes(test('  at 2026-03-01 09:00\n  at 2026-02-01 09:00\n  at 2026-02-15 09:00'))).toEqual(['NUR400', 'NUR400']);
  });

  it('accepts the same instant twice', () => {
    expect(test('  at 2026-01-05 09:00\n  demo_requested\n  at 2026-01-05 09:00')).toEqual([]);
  });
});
