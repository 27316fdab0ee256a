// Names are data everywhere (issue 20): a generated valid workspace whose names are drawn from the
// properties of Object.prototype (`__proto__`, `constructor`, …) and ordinary words goes through the whole
// pipeline — check, compile (every name present in the plan), load-plan, graph, the plan's tests, the
// runtime with events (actions and audit mention the names), a SQLite store, and the language server's
// features — without a crash and without losing a name.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSources } from '../../compiler/workspace.js';
import { compilePlan, serializePlan } from '../../compiler/lower/index.js';
import { renderGraph } from '../../compiler/graph/index.js';
import { loadPlan } from '../../runtime/load-plan.js';
import { runPlanTests } from '../../runtime/test-runner.js';
import { auditToJson, createRuntime } from '../../runtime/engine/index.js';
import { openSqliteRuntime } from '../../runtime/store/index.js';
import { buildReport } from '../../runtime/report.js';
import type { Plan } from '../../runtime/plan-types.js';
import { fuzzParams } from '../fuzz/budget.js';
import { HOSTILE_NAMES, ORDINARY, ROLES, rotation, workspace, type Names } from './hostile-workspace.js';

const names: fc.Arbitrary<Names> = fc
  .tuple(
    fc.shuffledSubarray([...HOSTILE_NAMES, ...ORDINARY], { minLength: ROLES.length, maxLength: ROLES.length }),
    fc.constantFrom(...HOSTILE_NAMES, 'L1'),
    fc.constantFrom(...HOSTILE_NAMES, 'sales'),
  )
  .map(([picked, lead, handoff]) => {
    const out = { lead, handoff } as Names;
    ROLES.forEach((role, i) => { out[role] = picked[i]!; });
    return out;
  });

const own = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

function pipeline(n: Names): void {
  const text = workspace(n);
  const sources = [{ path: 'names.nurture', text }];
  const { diagnostics, model } = checkSources(sources);
  expect(diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`)).toEqual([]);

  const json = serializePlan(compilePlan(model, sources, { compilerVersion: '0.1.0' }));
  const raw = JSON.parse(json) as Plan;
  expect(own(raw.attributes, n.attr) && own(raw.attributes, n.consent) && own(raw.attributes, n.tier)).toBe(true);
  expect(own(raw.events, n.event) && own(raw.events[n.event]!.fields, n.field)).toBe(true);
  expect(own(raw.channels, n.channel) && own(raw.topics, n.topic) && own(raw.streams, n.stream)).toBe(true);
  expect(own(raw.contents, n.content) && own(raw.contents[n.content]!.metadata, n.meta)).toBe(true);
  expect(own(raw.segments, n.segment) && own(raw.scores, n.score) && own(raw.thresholds, n.threshold)).toBe(true);
  expect(own(raw.journeys, n.journey)).toBe(true);
  expect(JSON.stringify(raw.tests[0]!.lead)).toContain(JSON.stringify(n.attr));

  const loaded = loadPlan(json);
  expect(loaded.ok ? [] : loaded.errors).toEqual([]);
  const plan = (loaded as { ok: true; plan: Plan }).plan;

  expect(renderGraph(plan, [n.journey], 'mermaid')).toContain(n.content);
  renderGraph(plan, [n.journey], 'dot');
  renderGraph(plan, [n.journey], 'svg');

  const [outcome] = runPlanTests(plan);
  expect(outcome).toMatchObject({ passed: true, failures: [], error: null });

  const event = { lead: n.lead, type: n.event, at: '2026-01-05T09:00:00Z', id: 'e1', data: { [n.field]: 'go' } };
  const profile = { lead: n.lead, type: 'profile', at: '2026-01-05T08:00:00Z', data: { [n.attr]: 5, [n.consent]: true, [n.tier]: n.member } };
  // `data: { [n.field]: … }` makes an own property even for `__proto__`
  const rt = createRuntime(plan);
  expect(rt.ingest(profile)).toMatchObject({ ok: true });
  expect(rt.ingest(event)).toMatchObject({ ok: true });
  rt.advanceTo('2026-01-07T09:00:00Z');
  const actions = JSON.stringify(rt.drainActions());
  const audit = JSON.stringify(rt.drainAudit().map((r) => auditToJson(rt.index, r)));
  for (const name of [n.content, n.content2, n.journey, n.handoff]) expect(actions).toContain(JSON.stringify(name));
  for (const name of [n.journey, n.threshold, n.score]) expect(audit).toContain(JSON.stringify(name));
  expect(rt.leadState(n.lead)).toBeDefined();
  const measures = rt.measures();
  expect(own(measures.journeys, n.journey) && own(measures.sendsPerContent, n.content) && own(measures.newLeadScores, n.score)).toBe(true);
  const report = buildReport(rt.index, measures, { events: 'e.jsonl', from: null, until: '2026-01-07T09:00:00Z', lines: 2, accepted: 2, rejected: 0, duplicates: 0, late: 0, afterUntil: 0 } as Parameters<typeof buildReport>[2]);
  expect(own(report.measures.journeys, n.journey)).toBe(true);

  const dir = mkdtempSync(join(tmpdir(), 'nurture-names-'));
  try {
    const db = join(dir, 'store.db');
    const durable = openSqliteRuntime(plan, db);
    expect(durable.ingest(profile)).toMatchObject({ ok: true });
    expect(durable.ingest(event)).toMatchObject({ ok: true });
    durable.close();
    const again = openSqliteRuntime(plan, db);
    again.advanceTo('2026-01-07T09:00:00Z');
    expect(JSON.stringify(again.drainActions())).toContain(JSON.stringify(n.content2));
    again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('names are data everywhere', () => {
  it('every prototype name, in every role, goes through check → compile → load → graph → test → runtime → store', () => {
    // rotations: across them, every hostile name takes every role once
    for (let r = 0; r < ROLES.length; r++) pipeline(rotation(r));
  });

  it('random assignments of prototype and ordinary names', () => {
    fc.assert(fc.property(names, (n) => { pipeline(n); }), fuzzParams(15));
  });
});
