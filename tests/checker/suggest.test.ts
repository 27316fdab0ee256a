import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { closest, editDistance, suggestionLimit } from '../../grammar/suggest.js';

describe('editDistance (optimal string alignment)', () => {
  it('counts insertions, deletions, substitutions and transpositions', () => {
    expect(editDistance('welcome_email', 'welcome_email')).toBe(0);
    expect(editDistance('welcom_email', 'welcome_email')).toBe(1);
    expect(editDistance('chanel', 'channel')).toBe(1);
    expect(editDistance('tempalte', 'template')).toBe(1); // one transposition
    expect(editDistance('mqll', 'mql')).toBe(1);
    expect(editDistance('ceo', 'c_level')).toBe(5);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
  });

  it('gives up above the limit', () => {
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3);
    expect(editDistance('a', 'abcdefgh', 2)).toBe(3);
  });

  it('is a symmetric metric bounded by the longer length', () => {
    const word = fc.string({ maxLength: 10 });
    fc.assert(
      fc.property(word, word, (a, b) => {
        const d = editDistance(a, b);
        expect(editDistance(b, a)).toBe(d);
        expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length));
        expect(d === 0).toBe(a === b);
      }),
    );
  });

  it('agrees with the unbounded distance when within the limit', () => {
    const word = fc.string({ maxLength: 8 });
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 4 }), (a, b, limit) => {
        const exact = editDistance(a, b);
        const bounded = editDistance(a, b, limit);
        expect(bounded).toBe(exact <= limit ? exact : limit + 1);
      }),
    );
  });
});

describe('closest', () => {
  it('picks the nearest candidate within the limit', () => {
    expect(closest('welcom_email', ['reminder', 'welcome_email', 'pricing_guide'])).toBe('welcome_email');
    expect(closest('mqll', ['subscriber', 'lead', 'mql', 'sql'])).toBe('mql');
    expect(closest('zzz', ['subscriber', 'lead'])).toBeUndefined();
  });

  it('prefers a letter-case variant whatever the limit', () => {
    expect(closest('VP', ['vp', 'hp'])).toBe('vp');
    expect(closest('Welcome_Email', ['welcome_email'])).toBe('welcome_email');
  });

  it('does not "correct" very short names to unrelated ones', () => {
    expect(suggestionLimit('c')).toBe(0);
    expect(closest('c', ['a', 'b'])).toBeUndefined();
    expect(closest('ceo', ['vp', 'intern'])).toBeUndefined();
  });

  it('allows about a third of the length for long names', () => {
    expect(suggestionLimit('webinar_attended')).toBe(5);
    expect(closest('webinar_atended_x', ['webinar_attended'])).toBe('webinar_attended');
  });

  it('breaks ties by candidate order', () => {
    expect(closest('ab', ['ac', 'ad'])).toBe('ac');
  });
});
