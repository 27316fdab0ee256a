// The checker is the one gate (docs/architecture.md): every workspace `check` accepts lowers to a plan
// the runtime's loader accepts, with no NUR900. Two sources of workspaces:
// - the seed corpus (examples, valid fixtures) mutated by characters, tokens, lines, names, numbers;
// - the acme example plus a file of declarations built at random from its own names and from literals of
//   every kind, put where the plan holds values: test data, `set`, `in [ … ]`, lists, comparisons —
//   the places where the checker once accepted what lowering refused (`lead { stage: mql }`, `x in [y]`,
//   `09:00 == 10:00`, arithmetic in test data).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../compiler/workspace.js';
import { loadPlan } from '../../runtime/load-plan.js';
import { fuzzParams, fuzzScale } from '../fuzz/budget.js';
import { knownFault } from '../fuzz/known-faults.js';
import { mutatedWorkspace, ROOT, seedWorkspaces } from '../fuzz/mutate.js';

/** Cases the check accepted / refused: a harness whose cases all fail early tests little. */
const counts = { accepted: 0, refused: 0 };

afterAll(() => {
  if (fuzzScale() > 1) console.info(`check-implies-plan.fuzz: ${counts.accepted} accepted, ${counts.refused} refused`);
});

/** Checks then plans `files`; when the check has no error, the plan must exist and load. */
function assertCheckImpliesPlan(files: Record<string, string>): void {
  const ws = new Workspace();
  for (const [path, text] of Object.entries(files)) ws.setFile(path, text);
  const checked = ws.check().diagnostics;
  if (checked.some((d) => d.severity === 'error')) {
    counts.refused++;
    return;
  }
  counts.accepted++;
  const { diagnostics, plan } = ws.plan({ compilerVersion: '0.0.0' });
  const internal = diagnostics.filter((d) => d.code === 'NUR900').map((d) => `${d.file}:${d.span.line}:${d.span.column}: ${d.message}`);
  expect(internal, 'the check accepted this workspace, but it does not lower').toEqual([]);
  expect(plan).toBeDefined();
  const loaded = loadPlan(JSON.parse(JSON.stringify(plan)));
  expect(loaded.ok ? [] : loaded.errors.slice(0, 3)).toEqual([]);
}

describe('what check accepts, lowers', () => {
  it('mutated seed workspaces', () => {
    const corpus = seedWorkspaces();
    fc.assert(
      fc.property(mutatedWorkspace(corpus), (ws) => {
        fc.pre(Object.values(ws.files).every((t) => knownFault(t) === undefined));
        assertCheckImpliesPlan(ws.files);
      }),
      fuzzParams(50),
    );
  }, 60_000 * fuzzScale());

  it('declarations built from the workspace names and literals of every kind', () => {
    const acme = readFileSync(join(ROOT, 'examples/acme/acme.nurture'), 'utf8');
    fc.assert(
      fc.property(fc.array(declaration(), { minLength: 1, maxLength: 2 }), (decls) => {
        assertCheckImpliesPlan({ 'acme.nurture': acme, 'extra.nurture': decls.map((d, i) => d.replaceAll('@', String(i))).join('\n') });
      }),
      fuzzParams(150),
    );
  }, 60_000 * fuzzScale());
});

// --- generated declarations over the acme example's names -------------------------------------------

/** Values of every kind: the example's attributes, scores, members, stages, contents, and literals. */
const VALUES = [
  'budget', 'employees', 'industry', 'job_level', 'email_consent', 'contract_end', 'fit', 'engagement', 'stage',
  'vp', 'director', 'intern', 'lead', 'mql', 'customer', 'welcome_email', 'email', 'education', 'decision_makers',
  '0', '-3', '10000', '"saas"', '"vp"', 'true', 'false', '2026-12-31', '09:00', '50%', '2026-01-05 09:00',
  '(1 + 2)', '(fit)', '(mql)', '["a", "b"]', '["a", industry]', '[1, 2]', '[]',
];
const OPERATORS = ['==', '!=', '<', '>=', 'is', 'is not', 'contains'];
const ATTRIBUTE_KEYS = ['budget', 'employees', 'industry', 'job_level', 'email_consent', 'contract_end', 'stage', 'fit'];

const value = fc.constantFrom(...VALUES);
const comparison = fc.oneof(
  fc.tuple(value, fc.constantFrom(...OPERATORS), value).map(([l, op, r]) => `${l} ${op} ${r}`),
  fc.tuple(value, fc.boolean(), fc.array(value, { minLength: 1, maxLength: 2 })).map(([l, not, items]) => `${l} ${not ? 'not in' : 'in'} [${items.join(', ')}]`),
  value.map((v) => `${v} is known`),
);
const property = fc.tuple(fc.constantFrom(...ATTRIBUTE_KEYS), value).map(([k, v]) => `${k}: ${v}`);

/** One declaration (`@` is replaced by its number, so that names never clash); one value position each, so that many check. */
function declaration(): fc.Arbitrary<string> {
  return fc.oneof(
    comparison.map((c) => `segment generated_@ = ${c}`),
    comparison.map((c) => `test "generated @" {\n  expect ${c}\n}`),
    property.map((p) => `test "generated @" {\n  lead { ${p} }\n}`),
    property.map((p) => `test "generated @" {\n  profile { ${p} }\n}`),
    fc.tuple(fc.constantFrom('form', 'url', 'topic'), value).map(([f, v]) => `test "generated @" {\n  page_viewed { ${f}: ${v} }\n}`),
    fc.tuple(fc.constantFrom(...ATTRIBUTE_KEYS, 'engagement'), value).map(([t, v]) => `on form_submitted where form is "g@" {\n  set ${t} = ${v}\n}`),
    fc.tuple(fc.constantFrom('cost', 'template', 'channel', 'topic'), value).map(([k, v]) => `content generated_@ { ${k === 'channel' ? '' : 'channel: email, '}${k}: ${v} }`),
  );
}
