// The measures of each example program over its recorded events (LANGUAGE.md 9): the split tests name
// a winner only when significant, and the funnel counts the stage transitions that really happened.
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nurtureFiles } from '../files.js';
import { checkSources } from '../../compiler/workspace.js';
import { compilePlan } from '../../compiler/lower/index.js';
import { createRuntime, type AuditRecord, type RuntimeAction } from '../../runtime/engine/index.js';
import type { Measures } from '../../runtime/engine/measures.js';
import { EXAMPLE_SEEDS } from '../../bench/generate-events.js';
import type { PlanIndex } from '../../runtime/engine/plan-index.js';
import { buildReport, type RunInfo } from '../../runtime/report.js';
import { renderReportHtml } from '../../runtime/report/html.js';

const RUN: RunInfo = { events: 'events.jsonl', from: null, until: '', lines: 0, accepted: 0, rejected: 0, duplicates: 0, late: 0, afterUntil: 0, actions: { total: 0, send: 0, handoff: 0, stage: 0, set: 0 } };

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const YEAR = 365 * 86_400_000;

/** The example's measures and actions over its events, the clock run to a year after the last one. */
function simulate(name: string): { m: Measures; actions: RuntimeAction[]; audit: AuditRecord[]; stages: string[]; ix: PlanIndex } {
  const dir = join(REPO, 'examples', name);
  const files = nurtureFiles(dir).map((p) => ({ path: relative(REPO, p), text: readFileSync(p, 'utf8') }));
  const plan = compilePlan(checkSources(files).model, files);
  const events = readFileSync(join(dir, 'events.jsonl'), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { at: string });
  const rt = createRuntime(plan, { audit: 'stream' });
  rt.ingestBatch(events);
  rt.advanceTo(Math.max(...events.map((e) => Date.parse(e.at))) + YEAR);
  return { m: rt.measures(), actions: rt.drainActions(), audit: rt.drainAudit(), stages: plan.stages.map((s) => s.name), ix: rt.index };
}

const runs = new Map<string, ReturnType<typeof simulate>>();
const of = (name: string) => runs.get(name) ?? runs.set(name, simulate(name)).get(name)!;

describe.each(Object.keys(EXAMPLE_SEEDS))('examples/%s measures', (name) => {
  it('reports each split side by side, with a winner only when the difference is significant', () => {
    const { m, audit } = of(name);
    for (const x of m.splits) {
      const entered = x.branches.reduce((t, b) => t + b.entered, 0);
      expect(entered).toBeLessThanOrEqual(m.journeys[x.journey]!.nurtured.entered);
      expect(x.branches.reduce((t, b) => t + b.converted, 0)).toBeLessThanOrEqual(m.journeys[x.journey]!.nurtured.converted);
      if (x.winner !== null) {
        expect(x.test.p).toBeLessThan(0.05);
        const best = Math.max(...x.branches.map((b) => b.rate ?? 0));
        expect(x.branches.find((b) => b.name === x.winner)!.rate).toBe(best);
      } else if (x.test.p !== null) expect(x.test.p).toBeGreaterThanOrEqual(0.05);
    }
    if (name === 'events') {
      // The A/B-tested invitation: as many runs per branch as the audit's branch records of nurtured runs.
      const [x] = m.splits;
      expect(x).toMatchObject({ journey: 'invitation', goal: 'on webinar_registered', test: { method: 'two-proportions', adjusted: false } });
      const took = (b: string) => audit.filter((r) => r.kind === 'branch' && r.subject === b && r.note === null).length;
      expect(x!.branches.map((b) => [b.name, b.entered])).toEqual([
        ['invitation_a', took('invitation_a')],
        ['invitation_b', took('invitation_b')],
      ]);
      expect(x!.branches[0]!.entered).toBeGreaterThan(500);
      // 24.4% vs 27.5% on ~900 runs each: p ≈ 0.13, not significant — the report says so, and names no winner
      expect(x!.test.p).toBeGreaterThan(0.05);
      expect(x!.winner).toBeNull();
      // the report: exactly this shape in JSON, a table in HTML that says there is no winner
      const { ix } = of(name);
      const r = buildReport(ix, m, RUN);
      const json = r.measures.splits[0]!;
      expect(Object.keys(json)).toEqual(['journey', 'step', 'loc', 'goal', 'branches', 'test', 'winner']);
      expect(json.loc).toEqual({ file: 'examples/events/journeys/webinar.nurture', line: 10, column: 3 });
      expect(Object.keys(json.branches[0]!)).toEqual(['name', 'entered', 'converted', 'rate']);
      expect(Object.keys(json.test)).toEqual(['method', 'p', 'adjusted']);
      const html = renderReportHtml(r);
      expect(html).toContain('<h2>Experiments</h2>');
      expect(html).toMatch(/two-proportion z test, p = 0\.\d{3}: no significant difference/);
    } else expect(m.splits).toEqual([]);
  });

  it('has a funnel of the stage moves that happened, consistent with its MQL count', () => {
    const { m, actions, stages } = of(name);
    // the oracle: every lead starts at the first stage; each stage action puts it at another
    const at = new Map(stages.map((st) => [st, new Set<string>()]));
    const leads = new Set(actions.map((a) => a.lead));
    for (const a of actions) if (a.type === 'stage') at.get(a.to)!.add(a.lead);
    expect(m.funnel.stages[0]!.reached).toBe(m.leads);
    expect(m.leads).toBeGreaterThanOrEqual(leads.size);
    for (const s of m.funnel.stages.slice(1)) expect([s.stage, s.reached]).toEqual([s.stage, at.get(s.stage)!.size]);
    const mql = m.funnel.stages.find((s) => s.stage === 'mql');
    if (mql !== undefined) {
      const moves = actions.filter((a) => a.type === 'stage' && a.to === 'mql').length;
      expect(m.mqls).toBe(moves);
      expect(mql.reached).toBeLessThanOrEqual(m.mqls);
      expect(mql.reached === 0).toBe(m.mqls === 0);
    }
    expect(m.funnel.moves.reduce((t, x) => t + x.count, 0)).toBe(actions.filter((a) => a.type === 'stage').length);
  });
});
