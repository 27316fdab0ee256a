// Byte-identical plans: compiling twice, and with the files given in another order, gives the same bytes.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compilePlan, serializePlan } from '../../compiler/lower/index.js';
import { checkSources } from '../../compiler/workspace.js';
import { compileSources } from './helpers.js';

const FILES = [
  {
    path: 'model.nurture',
    text: `timezone "Europe/Paris"
lead {
  email_consent: bool
  level: one of [low, high]
}
event signed_up { source: text }
channel email { consent: email_consent }
content hello { channel: email }
content bye { channel: email }
stages lead, mql
`,
  },
  {
    path: 'journeys/welcome.nurture',
    text: `journey welcome {
  entry on signed_up where source is "web"
  send hello
  wait 1 day
  if level is high { send bye }
}
`,
  },
  {
    path: 'scoring.nurture',
    text: `score interest {
  +5 on signed_up
  +10 if level is high
}
threshold hot when interest >= 15 and stage < mql {
  set stage = mql
}
`,
  },
];

describe('determinism', () => {
  it('compiling twice gives byte-identical output', () => {
    const a = compileSources(FILES).text;
    const b = compileSources(FILES.map((f) => ({ ...f }))).text;
    expect(b).toBe(a);
  });

  it('the order in which files are given does not matter', () => {
    const reference = compileSources(FILES).text;
    const orders = [[2, 1, 0], [1, 0, 2], [1, 2, 0], [0, 2, 1], [2, 0, 1]];
    for (const order of orders) {
      expect(compileSources(order.map((i) => FILES[i]!)).text).toBe(reference);
    }
  });

  it('the sources passed to compilePlan may come in any order too', () => {
    const { model } = checkSources(FILES);
    const a = serializePlan(compilePlan(model, FILES, { compilerVersion: '1.2.3' }));
    const b = serializePlan(compilePlan(model, [...FILES].reverse(), { compilerVersion: '1.2.3' }));
    expect(b).toBe(a);
  });

  it('source.files is sorted, and source.hash follows the documented rule', () => {
    const { plan } = compileSources(FILES);
    expect(plan.source.files.map((f) => f.path)).toEqual(['journeys/welcome.nurture', 'model.nurture', 'scoring.nurture']);
    for (const f of plan.source.files) {
      const text = FILES.find((s) => s.path === f.path)!.text;
      expect(f.hash).toBe('sha256:' + createHash('sha256').update(text, 'utf8').digest('hex'));
    }
    const lines = plan.source.files.map((f) => `${f.path}\0${f.hash}\n`).join('');
    expect(plan.source.hash).toBe('sha256:' + createHash('sha256').update(lines, 'utf8').digest('hex'));
    expect(plan.source.compiler).toBe('nurture 0.1.0');
  });

  it('declarations keep declaration order (files sorted by path, then source order)', () => {
    const { plan } = compileSources(FILES);
    expect(Object.keys(plan.contents)).toEqual(['hello', 'bye']);
    expect(plan.stages.map((s) => s.name)).toEqual(['lead', 'mql']);
    // journeys/welcome.nurture sorts first: its locations point at file 0.
    expect(plan.journeys['welcome']!.loc).toEqual([0, 1, 1]);
    expect(plan.scores['interest']!.loc).toEqual([2, 1, 1]);
  });

  it('a changed text changes the hash, nothing else changes without a reason', () => {
    const a = compileSources(FILES).plan;
    const changed = FILES.map((f) => (f.path === 'scoring.nurture' ? { ...f, text: f.text + '# a comment\n' } : f));
    const b = compileSources(changed).plan;
    expect(b.source.hash).not.toBe(a.source.hash);
    expect({ ...b, source: null }).toEqual({ ...a, source: null });
  });

  it('the compiler version defaults to the package.json version', () => {
    const { model } = checkSources(FILES);
    const plan = compilePlan(model, FILES);
    expect(plan.source.compiler).toMatch(/^nurture \d+\.\d+\.\d+/);
    expect(plan.source.compiler).not.toContain('unknown');
  });
});
