// Journeys, thresholds and handlers: settings (NUR312), steps and actions.
import { describe, expect, it } from 'vitest';
import { checkSnippet, codes, pos } from './helpers.js';

describe('journey settings (NUR312)', () => {
  it('accepts every setting once, and several entries', () => {
    const snippet = `journey j {
  entry on form_submitted where form is "x"
  entry when fit >= 10
  entry 30 days before contract_end yearly
  audience decision_makers
  reentry after 90 days
  exit on unsubscribed
  goal engagement >= 50 within 30 days
  holdout 5%
  priority 3
  send reminder
}`;
    expect(checkSnippet(snippet)).toEqual([]);
  });

  it('reports a setting after a step, pointing at its keyword', () => {
    const snippet = 'journey j {\n  entry on demo_requested\n  send reminder\n  audience decision_makers\n}';
    const [d, ...rest] = checkSnippet(snippet);
    expect(rest).toEqual([]);
    expect(d.code).toBe('NUR312');
    expect(d.message).toBe('the setting `audience` comes after a step of journey `j`');
    const at = pos(snippet, 'audience');
    expect(d.span).toMatchObject({ line: at.line, column: at.column, endColumn: at.column + 'audience'.length });
    expect(d.related?.[0]).toMatchObject({ message: 'first step here', span: { line: 3 } });
  });

  it('reports a setting given twice; exit when and exit on are the same setting', () => {
    const snippet = 'journey j {\n  entry on demo_requested\n  exit when stage >= mql\n  exit on unsubscribed\n  holdout 5%\n  holdout 10%\n  send reminder\n}';
    const diags = checkSnippet(snippet);
    expect(diags.map((d) => [d.code, d.span.line, d.message])).toEqual([
      ['NUR312', 4, '`exit` is given twice in journey `j`'],
      ['NUR312', 6, '`holdout` is given twice in journey `j`'],
    ]);
    expect(diags[0].related?.[0].span.line).toBe(3);
  });

  it('types the settings', () => {
    const snippet = [
      'journey j {',
      '  entry on demo_requestd',
      '  entry 3 days after budget',
      '  entry 3 days after contract_ends',
      '  audience budget',
      '  exit when stage >= mqll',
      '  send reminder',
      '}',
    ].join('\n');
    expect(codes(checkSnippet(snippet))).toEqual(['NUR100', 'NUR200', 'NUR100', 'NUR200', 'NUR104']);
  });
});

describe('journey steps', () => {
  it('checks every step, recursively', () => {
    const snippet = `journey j {
  entry on demo_requested
  send remindr
  send next from educaton
  wait for email_clickd up to 3 days { send reminder } timeout { send remindr }
  wait for email_clicked where urll is "x" up to 3 days
  wait until fit >= 1000 up to 3 days { move to welcom } timeout { end }
  if budgt > 3 { send reminder } else if fit > "3" { send reminder } else { enroll long_trm }
  split { 50% { send remindr } 50% { remove from welcom } }
  repeat every 7 days max 2.5 times until stage >= sqll { send next from education }
}`;
    const diags = checkSnippet(snippet);
    expect(diags.map((d) => [d.code, d.span.line])).toEqual([
      ['NUR100', 3], ['NUR100', 4],
      ['NUR100', 5], ['NUR100', 5],
      ['NUR105', 6],
      ['NUR100', 7],
      ['NUR100', 8], ['NUR200', 8], ['NUR100', 8],
      ['NUR100', 9], ['NUR100', 9],
      ['NUR200', 10], ['NUR104', 10],
    ]);
  });
});

describe('actions', () => {
  it('types `set` against the attribute, the stage or the score', () => {
    const snippet = `on demo_requested {
  set budget = 100
  set job_level = vp
  set email_consent = true
  set contract_end = 2026-12-31
  set industry = "saas"
  set stage = sql
  set engagement = 40
  set budget = budget + 1
}`;
    expect(checkSnippet(snippet)).toEqual([]);
  });

  it('reports ill-typed values', () => {
    const snippet = 'on demo_requested {\n  set budget = "x"\n  set job_level = ceo\n  set stage = mqll\n  set engagement = 10%\n  set industry = saas\n}';
    const diags = checkSnippet(snippet);
    expect(diags.map((d) => [d.code, d.span.line])).toEqual([['NUR200', 2], ['NUR104', 3], ['NUR104', 4], ['NUR200', 5], ['NUR200', 6]]);
    expect(diags[0].message).toBe('type mismatch: the attribute `budget` is a number, but `"x"` is a text');
  });

  it('sets only attributes, the stage, and the engagement part of scores', () => {
    const snippet = [
      'score total = fit + engagement',
      'on demo_requested {',
      '  set fit = 10',
      '  set total = 10',
      '  set decision_makers = true',
      '  set welcome_email = 1',
      '  set budgt = 1',
      '}',
    ].join('\n');
    const diags = checkSnippet(snippet);
    expect(diags.map((d) => [d.code, d.message])).toEqual([
      ['NUR102', '`fit` is a fit score: its value comes from its `if` rules and cannot be set'],
      ['NUR102', '`total` is a derived score: its value is computed from its expression and cannot be set'],
      ['NUR102', '`decision_makers` is a segment: its value is computed from its condition and cannot be set'],
      ['NUR102', '`welcome_email` is a content, not an attribute or a score: it cannot be set'],
      ['NUR100', 'unknown attribute or score `budgt`'],
    ]);
    expect(diags[4].help).toBe('did you mean `budget`?');
  });

  it('resolves send, enroll, remove from and handoff in thresholds and handlers', () => {
    const snippet = 'threshold t when fit > 10 {\n  send pricing_guide\n  enroll long_term\n  remove from welcome\n  handoff "sales"\n}\non demo_requested { send fit\n enroll nowhere }';
    expect(codes(checkSnippet(snippet))).toEqual(['NUR102', 'NUR100']);
  });

  it('allows only actions in thresholds and handlers', () => {
    const snippet = 'threshold t when fit > 10 {\n  wait 2 days\n  handoff "sales"\n}\non demo_requested { move to welcome }';
    const diags = checkSnippet(snippet);
    expect(diags.map((d) => [d.code, d.span.line, d.message])).toEqual([
      ['NUR001', 2, '`wait` is a journey step: a threshold only runs actions'],
      ['NUR001', 5, '`move to` is a journey step: an `on` handler only runs actions'],
    ]);
  });

  it('checks the condition of a threshold and the where of a handler', () => {
    expect(codes(checkSnippet('threshold t when fit { handoff "x" }\non page_viewed where url is 3 { handoff "x" }'))).toEqual(['NUR200', 'NUR200']);
  });
});
