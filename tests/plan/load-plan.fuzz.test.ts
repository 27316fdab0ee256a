import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { findJsonSyntaxError, loadPlan } from '../../runtime/load-plan.js';
import { fuzzParams } from '../fuzz/budget.js';
import { planMutation } from './plan-mutation.js';
import { richPlan } from './rich-plan.js';

function expectRefusedCleanly(input: unknown): void {
  let result: ReturnType<typeof loadPlan>;
  expect(() => (result = loadPlan(input))).not.toThrow();
  if (!result!.ok) {
    expect(result!.errors.length).toBeGreaterThan(0);
    for (const e of result!.errors) {
      expect(typeof e.path).toBe('string');
      expect(e.path === '' || e.path.startsWith('/')).toBe(true);
      expect(typeof e.message).toBe('string');
      expect(e.message.length).toBeGreaterThan(0);
    }
  }
}


describe('loadPlan never throws', () => {
  test('on random JSON values, as values and as text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expectRefusedCleanly(value);
        expectRefusedCleanly(JSON.stringify(value));
        expect(loadPlan(value).ok).toBe(false);
      }),
      fuzzParams(500),
    );
  });

  test('on random JS values (not JSON)', () => {
    fc.assert(
      fc.property(
        fc.anything({ withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withObjectString: true, withTypedArray: true, withSparseArray: true }),
        (value) => expectRefusedCleanly(value),
      ),
      fuzzParams(500),
    );
  });

  test('on random text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => expectRefusedCleanly(text)), fuzzParams(500));
  });

  test('on a valid plan with one value replaced or removed', () => {
    fc.assert(
      fc.property(planMutation(), (change) => {
        expectRefusedCleanly(change.apply(richPlan()));
      }),
      fuzzParams(1500),
    );
  });

  test('on the JSON text of a valid plan with one character removed or inserted', () => {
    const text = JSON.stringify(richPlan());
    fc.assert(
      fc.property(fc.nat({ max: text.length - 1 }), fc.option(fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', 'x', '1', ' '), { nil: undefined }), (at, insert) => {
        const broken = insert === undefined ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + insert + text.slice(at);
        expectRefusedCleanly(broken);
        let parses = true;
        try {
          JSON.parse(broken);
        } catch {
          parses = false;
        }
        const result = loadPlan(broken);
        if (!parses) expect(!result.ok && result.errors[0]!.message).toMatch(/^invalid JSON at line 1, column \d+: /);
      }),
      fuzzParams(1000),
    );
  });

  test('the syntax locator agrees with JSON.parse', () => {
    const jsonish = fc.string({ unit: fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', 'u', 'a', '0', '1', '-', '.', 'e', ' ', '\n', 't', 'r', 'n', 'l', 'f'), maxLength: 30 });
    fc.assert(
      fc.property(fc.oneof(jsonish, fc.jsonValue().map((v) => JSON.stringify(v))), (text) => {
        let parses = true;
        try {
          JSON.parse(text);
        } catch {
          parses = false;
        }
        expect(findJsonSyntaxError(text) === null).toBe(parses);
      }),
      fuzzParams(3000),
    );
  });
});
