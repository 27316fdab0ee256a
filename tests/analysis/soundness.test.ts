// The analyses judge what is sound (compiler/analysis/soundness.ts): a finding needs its subject and the
// declarations it reads to hold no error; one error hides no finding elsewhere.
import { describe, expect, it } from 'vitest';
import { checkSources } from '../../compiler/workspace.js';
import { BASE, USES } from './helpers.js';

const codes = (text: string) => checkSources([{ path: 'a.nurture', text: BASE + USES + text }]).diagnostics.map((d) => `${d.code} ${d.span.line - lines(BASE + USES)}`);
const lines = (text: string) => text.split('\n').length - 1;

describe('analyses beside errors', () => {
  it('an invalid decay (NUR003) does not hide the invalid range on the next line (NUR310)', () => {
    expect(codes('score heat {\n  +5 on email_opened\n  decay 150% every 7 days idle\n  range 80 to 10\n}\n')).toEqual(['NUR003 3', 'NUR310 4']);
  });

  it('makes no finding about a subject with an error: the journey with an unknown content gets no NUR302', () => {
    expect(codes('journey j {\n  entry on demo_requested\n  end\n  send helo\n}\n')).toEqual(['NUR100 4']);
    // …but a sound journey beside it does
    expect(codes('journey j {\n  entry on demo_requested\n  end\n  send helo\n}\njourney k {\n  entry on demo_requested\n  end\n  send hello\n}\n'))
      .toEqual(['NUR100 4', 'NUR302 9']);
  });

  it('a missing closing brace at the end of the file belongs to the journey it ends', () => {
    expect(codes('journey j {\n  entry on demo_requested\n  end\n  send hello')).toEqual(['NUR001 4']);
  });

  it('claims nothing about a score whose declaration has an error (no NUR300 on a threshold that compares it)', () => {
    const score = 'score heat {\n  +5 on email_opend\n}\n';
    expect(codes(`${score}threshold hot when heat > 500 {\n  handoff "sales"\n}\n`)).toEqual(['NUR100 2']);
    expect(codes(`score heat {\n  +5 on email_opened\n}\nthreshold hot when heat > 500 {\n  handoff "sales"\n}\n`)).toEqual(['NUR300 4']);
  });

  it('a `set` in a declaration with an error widens the score to its whole range', () => {
    const rest = 'score heat {\n  +5 on email_opened\n  range -10 to 100\n}\nthreshold cold when heat < 0 {\n  handoff "sales"\n}\n';
    // a sound `set heat = 5`: heat never goes below 0, so `heat < 0` never holds
    expect(codes(`on demo_requested {\n  set heat = 5\n}\n${rest}`)).toEqual(['NUR300 8']);
    // the same `set` beside an error may say anything: nothing is claimed
    expect(codes(`on demo_requested {\n  set heat = 5\n  send byee\n}\n${rest}`)).toEqual(['NUR100 3']);
  });

  it('NUR306 and NUR307 read the whole workspace: they wait until there is no error', () => {
    const unused = 'content spare { channel: email }\njourney lonely {\n  send hello\n}\n';
    expect(codes(unused)).toEqual(['NUR307 1', 'NUR306 2']);
    expect(codes(`${unused}segment broken = budgt > 1\n`)).toEqual(['NUR100 5']);
  });
});
