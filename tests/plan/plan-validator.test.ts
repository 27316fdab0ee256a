import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { planSchema } from '../../runtime/plan-schema.js';
import { PLAN_AJV_OPTIONS, planValidatorCode } from '../../runtime/plan-validator-code.js';
import { validate } from '../../runtime/plan-validator.generated.js';
import { planMutation } from './plan-mutation.js';
import { richPlan } from './rich-plan.js';

// The loader validates with code generated at build time; these tests hold it to what ajv compiles
// from the schema at run time.
const compiled = new Ajv2020({ ...PLAN_AJV_OPTIONS }).compile(planSchema);

function verdict(check: typeof validate, plan: unknown) {
  const ok = check(plan);
  return { ok, errors: ok ? null : check.errors };
}

describe('the generated plan validator', () => {
  test('is the current schema’s (rebuild with `npm run build` after changing runtime/plan-schema.ts)', () => {
    const onDisk = readFileSync(new URL('../../runtime/plan-validator.generated.js', import.meta.url), 'utf8');
    expect(onDisk === planValidatorCode()).toBe(true);
  });

  test('imports nothing and evaluates nothing: ajv’s helpers are inlined', () => {
    const code = planValidatorCode().replace(/"(?:[^"\\]|\\.)*"/g, '""');
    expect(code).not.toMatch(/\brequire\(|\bimport\b|new Function|\beval\(/);
    expect(code).toMatch(/function equal\(/);
  });

  test('accepts the rich plan, as ajv does', () => {
    expect(verdict(validate, richPlan())).toEqual({ ok: true, errors: null });
    expect(verdict(compiled, richPlan())).toEqual({ ok: true, errors: null });
  });

  test('gives the same verdict and errors as ajv on damaged plans', () => {
    fc.assert(
      fc.property(planMutation(), (change) => {
        expect(verdict(validate, change.apply(richPlan()))).toEqual(verdict(compiled, change.apply(richPlan())));
      }),
      { numRuns: 1500 },
    );
  });

  test('its inlined helpers decide: repeated enum members (deep equality) and empty names (length)', () => {
    const repeated = richPlan() as unknown as { attributes: { job_level: { members: string[] } } };
    repeated.attributes.job_level.members = ['vp', 'vp'];
    expect(verdict(validate, repeated)).toEqual(verdict(compiled, repeated));
    expect(validate.errors?.[0]).toMatchObject({ keyword: 'uniqueItems', params: { i: 1, j: 0 } });
    const empty = richPlan() as unknown as { timezone: string };
    empty.timezone = '';
    expect(verdict(validate, empty)).toEqual(verdict(compiled, empty));
    expect(validate.errors?.[0]).toMatchObject({ keyword: 'minLength' });
  });
});
