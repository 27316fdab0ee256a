// Every object of a compiled plan has its keys in the order of the schema's `properties`
// (docs/plan.md: "Keys are written in the order of the schema's properties").
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSources, GOLDEN, REPO, sourceOf } from './helpers.js';

type Schema = Record<string, unknown>;
const ROOT = JSON.parse(readFileSync(join(REPO, 'runtime/plan.schema.json'), 'utf8')) as Schema;

function deref(s: Schema): Schema {
  let cur = s;
  while (typeof cur['$ref'] === 'string') {
    const name = (cur['$ref'] as string).replace('#/$defs/', '');
    cur = (ROOT['$defs'] as Record<string, Schema>)[name]!;
  }
  return cur;
}

/** Whether `value` fits the constant tags (`const`/`enum` properties) and the JSON type of `s`. */
function fits(s: Schema, value: unknown): boolean {
  const t = s['type'];
  const kind = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'object' ? 'object' : 'scalar';
  if (t === 'null') return kind === 'null';
  if (t === 'array') return kind === 'array';
  if (kind === 'null') return Array.isArray(t) && t.includes('null');
  if (s['anyOf'] || s['oneOf']) return true;
  if (kind !== 'object') return t !== 'object';
  const props = (s['properties'] ?? {}) as Record<string, Schema>;
  for (const [k, p] of Object.entries(props)) {
    const v = (value as Record<string, unknown>)[k];
    if ('const' in p && v !== p['const']) return false;
    if (Array.isArray(p['enum']) && !(p['enum'] as unknown[]).includes(v)) return false;
  }
  return true;
}

function walk(schema: Schema, value: unknown, path: string, problems: string[]): void {
  const s = deref(schema);
  const branches = (s['oneOf'] ?? s['anyOf']) as Schema[] | undefined;
  if (branches) {
    const chosen = branches.map(deref).filter((b) => fits(b, value));
    if (chosen.length === 0) {
      problems.push(`${path}: no branch of the schema fits`);
      return;
    }
    walk(chosen[0]!, value, path, problems);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    if (s['items'] && typeof s['items'] === 'object') value.forEach((v, i) => walk(s['items'] as Schema, v, `${path}/${i}`, problems));
    return;
  }
  const obj = value as Record<string, unknown>;
  const props = s['properties'] as Record<string, Schema> | undefined;
  if (props) {
    const expected = Object.keys(props);
    const actual = Object.keys(obj);
    if (expected.join(',') !== actual.join(',')) problems.push(`${path}: keys ${actual.join(',')}, schema order ${expected.join(',')}`);
    for (const k of actual) if (props[k]) walk(props[k]!, obj[k], `${path}/${k}`, problems);
  } else if (s['additionalProperties'] && typeof s['additionalProperties'] === 'object') {
    for (const [k, v] of Object.entries(obj)) walk(s['additionalProperties'] as Schema, v, `${path}/${k}`, problems);
  }
}

const FILES = [
  join(REPO, 'tests/fixtures/valid/spec-example.nurture'),
  ...['branches', 'drip', 'pressure', 'scores', 'test-block', 'wait-for'].map((n) => join(GOLDEN, `${n}.nurture`)),
];

describe('key order follows the schema', () => {
  for (const file of FILES) {
    it(file.slice(REPO.length + 1), () => {
      const { plan } = compileSources([sourceOf(file)]);
      const problems: string[] = [];
      walk(ROOT, plan, '', problems);
      expect(problems).toEqual([]);
    });
  }

  it('the checker of this test notices a wrong order', () => {
    const { plan } = compileSources([sourceOf(FILES[0]!)]);
    const step = plan.journeys['welcome']!.steps[0]!;
    const swapped = { ...plan, journeys: { ...plan.journeys, welcome: { ...plan.journeys['welcome']!, steps: [Object.fromEntries([['loc', step.loc], ...Object.entries(step).filter(([k]) => k !== 'loc')])] } } };
    const problems: string[] = [];
    walk(ROOT, swapped, '', problems);
    expect(problems).toEqual(['/journeys/welcome/steps/0: keys loc,id,kind,content,next, schema order id,kind,content,next,loc']);
  });
});
