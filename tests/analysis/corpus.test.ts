// The analysis fixtures of the corpus (tests/fixtures/invalid/analysis-*.nurture, golden-checked by
// tests/corpus) exercise every analysis code; the valid programs and the example stay clean.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkSources } from '../../compiler/workspace.js';
import { ACME, format, SPEC_EXAMPLE } from './helpers.js';

const DIR = new URL('../fixtures/invalid/', import.meta.url);
const FIXTURES = readdirSync(DIR).filter((f) => f.startsWith('analysis-') && f.endsWith('.nurture')).sort();

describe('analysis fixtures', () => {
  it('exercise every analysis code, with both severities of NUR311 covered by the unit tests', () => {
    const seen = new Set<string>();
    for (const name of FIXTURES) {
      const text = readFileSync(new URL(name, DIR), 'utf8');
      for (const d of checkSources([{ path: name, text }]).diagnostics) seen.add(d.code);
    }
    const wanted = ['NUR300', 'NUR301', 'NUR302', 'NUR303', 'NUR304', 'NUR305', 'NUR306', 'NUR307', 'NUR308', 'NUR309', 'NUR310', 'NUR311'];
    expect(wanted.filter((c) => !seen.has(c))).toEqual([]);
  });

  it('report no checker error (the analyses only run on a workspace the checker accepts)', () => {
    for (const name of FIXTURES) {
      const text = readFileSync(new URL(name, DIR), 'utf8');
      const codes = checkSources([{ path: name, text }]).diagnostics.map((d) => d.code);
      expect(codes.every((c) => /^NUR3(0\d|1[01])$/.test(c)), `${name}: ${codes.join(', ')}`).toBe(true);
    }
  });
});

describe('clean programs stay clean', () => {
  it('the spec example: only NUR305 on its redundant email cap; examples/acme (without that cap): nothing', () => {
    expect(checkSources([{ path: 'spec.nurture', text: SPEC_EXAMPLE }]).diagnostics.map((d) => d.code)).toEqual(['NUR305']);
    expect(format(checkSources([{ path: 'acme.nurture', text: ACME }]).diagnostics)).toBe('');
  });

  it('analyses do not run when the checker found an error (no cascades)', () => {
    const text = 'lead { budget: number }\nevent e\nsegment s = budget > 1\nscore x { +1 on e\n range 0 to 10 }\nthreshold t when x >= 50 and unknown_name > 1 { set budget = 1 }';
    const codes = checkSources([{ path: 'a.nurture', text }]).diagnostics.map((d) => d.code);
    expect(codes).toEqual(['NUR100']);
  });
});
