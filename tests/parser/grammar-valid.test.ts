import { describe, expect, test } from 'vitest';
import { NurtureParser } from '../../grammar/parser.js';

// The tools build the parser without chevrotain's grammar validations (they cost a third of its start);
// here they run, so that an ambiguous or left-recursive change to the grammar fails the tests.
describe('the grammar', () => {
  test('passes chevrotain’s validations (ambiguity, left recursion, unreachable alternatives)', () => {
    // chevrotain throws "Parser Definition Errors detected" with every error it found
    expect(() => new NurtureParser({ validate: true })).not.toThrow();
  });
});
