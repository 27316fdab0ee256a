// The spec's example (LANGUAGE.md section 2) checks clean, and its model holds what it declares.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { symbolOf } from '../../compiler/model.js';
import { checkSources } from '../../compiler/workspace.js';
import { check, format, pos, SPEC_EXAMPLE } from './helpers.js';

describe('the spec example', () => {
  const { diagnostics, model } = check(SPEC_EXAMPLE, 'spec-example.nurture');

  it('has no errors and no warnings from the checker', () => {
    expect(format(diagnostics)).toBe('');
  });

  it('also checks clean when split into one file per declaration, in any order', () => {
    const chunks = SPEC_EXAMPLE.split(/\n(?=[a-z])/).filter((c) => !c.startsWith('#'));
    const files = chunks.map((text, i) => ({ path: `f${String(chunks.length - i).padStart(2, '0')}.nurture`, text }));
    // (the analyses' one warning, NUR305 on its redundant email cap, is tested in tests/analysis/)
    expect(format(checkSources(files).diagnostics.filter((d) => d.code !== 'NUR305'))).toBe('');
  });

  it('collects the lead model', () => {
    expect([...model.attributes.keys()]).toEqual([
      'job_level', 'employees', 'industry', 'country', 'budget', 'email_consent', 'contract_end',
    ]);
    const jobLevel = model.attributes.get('job_level')!;
    expect(jobLevel.type.kind).toBe('enum');
    if (jobLevel.type.kind === 'enum') {
      expect(jobLevel.type.info.members.map((m) => m.name)).toEqual(['intern', 'employee', 'manager', 'director', 'vp', 'c_level']);
      expect(jobLevel.type.info.owner).toBe(jobLevel);
    }
    expect(model.attributes.get('contract_end')!.type.kind).toBe('date');
  });

  it('collects events with their fields', () => {
    expect(model.events.size).toBe(8);
    const clicked = model.events.get('email_clicked')!;
    expect([...clicked.fields.keys()]).toEqual(['message', 'url']);
    expect(clicked.fields.get('message')!.type.kind).toBe('content');
    expect(model.events.get('demo_requested')!.fields.size).toBe(0);
  });

  it('resolves channels, contents and streams', () => {
    expect(model.channels.get('email')!.consent?.name).toBe('email_consent');
    const welcome = model.contents.get('welcome_email')!;
    expect(welcome.channel?.name).toBe('email');
    expect(welcome.topic?.name).toBe('onboarding');
    expect(welcome.template).toBe('tpl-welcome');
    expect(model.contents.get('ebook_finance')!.cost).toBe(0.05);
    expect(model.streams.get('education')!.items.map((c) => c.name)).toEqual(['ebook_finance', 'webinar_replay', 'pricing_guide']);
    expect([...model.topics.keys()]).toEqual(['onboarding', 'education', 'product', 'pricing']);
  });

  it('keeps the stages in lifecycle order', () => {
    expect([...model.stages.values()].map((s) => [s.name, s.index])).toEqual([
      ['subscriber', 0], ['lead', 1], ['mql', 2], ['sql', 3], ['customer', 4],
    ]);
  });

  it('classifies scores', () => {
    expect(model.scores.get('fit')!.category).toBe('fit');
    expect(model.scores.get('engagement')!.category).toBe('engagement');
    expect(model.scores.get('engagement')!.range).toEqual({ min: 0, max: 200 });
  });

  it('records thresholds, handlers, journeys, tests, pressure and the time zone', () => {
    expect([...model.thresholds.keys()]).toEqual(['mql']);
    expect(model.handlers.map((h) => h.event?.name)).toEqual(['unsubscribed', 'sales_rejected']);
    expect([...model.journeys.keys()]).toEqual(['welcome', 'long_term']);
    expect([...model.tests.keys()]).toEqual(['a VP who attends a webinar and asks for a demo becomes an MQL']);
    expect(model.pressure?.decl.rules.length).toBe(7);
    expect(model.timezone.name).toBe('Europe/Paris');
  });

  it('indexes every use of a name', () => {
    const refs = model.references;
    const welcome = model.contents.get('welcome_email')!;
    const uses = refs.referencesTo(welcome);
    // declaration, `send welcome_email`, `expect received welcome_email`
    expect(uses.map((r) => [r.declaration, r.span.line])).toEqual([
      [true, pos(SPEC_EXAMPLE, 'content welcome_email').line],
      [false, pos(SPEC_EXAMPLE, 'send welcome_email').line],
      [false, pos(SPEC_EXAMPLE, 'expect received welcome_email').line],
    ]);
    const mqlStage = model.stages.get('mql')!;
    // `stage < mql`, `set stage = mql`, two `exit when stage >= mql`, `expect stage is mql`, + declaration
    expect(refs.referencesTo(mqlStage).length).toBe(6);
    const mqlThreshold = model.thresholds.get('mql')!;
    expect(refs.referencesTo(mqlThreshold).map((r) => r.declaration)).toEqual([true]);
  });

  it('answers "what is under the cursor"', () => {
    const at = pos(SPEC_EXAMPLE, 'job_level is c_level');
    const ref = model.references.at('spec-example.nurture', at.offset + 2)!;
    expect(ref.symbol.kind).toBe('attribute');
    expect(ref.symbol.name).toBe('job_level');
    const member = model.references.at('spec-example.nurture', at.offset + 'job_level is '.length)!;
    expect(member.symbol.kind).toBe('enumMember');
    expect(member.symbol.name).toBe('c_level');
    // the field `form` in `where form is "newsletter"` is the event's field
    const form = model.references.at('spec-example.nurture', pos(SPEC_EXAMPLE, 'where form is').offset + 6)!;
    expect(form.symbol.kind).toBe('field');
    // `topic is "pricing"` on page_viewed: the text field, not a topic
    const topic = model.references.at('spec-example.nurture', pos(SPEC_EXAMPLE, 'where topic is').offset + 6)!;
    expect(topic.symbol.kind).toBe('field');
    expect(model.references.at('spec-example.nurture', 0)).toBeUndefined();
  });

  it('maps identifier nodes to symbols and expressions to types', () => {
    const journey = model.journeys.get('welcome')!.decl;
    const send = journey.items.find((i) => i.kind === 'send');
    expect(send && send.kind === 'send' && symbolOf(model, send.content)?.kind).toBe('content');
    const segment = model.segments.get('decision_makers')!.decl;
    expect(model.exprTypes.get(segment.condition)?.kind).toBe('bool');
  });
});

describe('the acme example', () => {
  it('checks clean', () => {
    const path = fileURLToPath(new URL('../../examples/acme/acme.nurture', import.meta.url));
    const text = readFileSync(path, 'utf8');
    expect(format(check(text, 'acme.nurture').diagnostics)).toBe('');
  });
});
