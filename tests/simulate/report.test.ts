import { describe, expect, it } from 'vitest';
import { createRuntime } from '../../runtime/engine/index.js';
import { buildReport, type RunInfo } from '../../runtime/report.js';
import { renderReportHtml } from '../../runtime/report/html.js';
import { A, buildPlan, DAY, entryOn, ev, goalOn, profile, S } from '../runtime/helpers.js';

const RUN: RunInfo = {
  events: 'events.jsonl',
  from: '2026-01-05T09:00:00.000Z',
  until: '2027-01-05T09:00:00.000Z',
  lines: 0,
  accepted: 0,
  rejected: 2,
  duplicates: 0,
  late: 0,
  afterUntil: 0,
  actions: { total: 0, send: 0, handoff: 0, stage: 0, set: 0 },
};

describe('report', () => {
  const planSpec = {
    attributes: { email_consent: 'bool' as const },
    events: { signup: {}, buy: {} },
    contents: { hello: { cost: 0.5 } },
    stages: ['lead', 'mql'],
    thresholds: {},
    handlers: [{ event: 'buy', do: [A.stage(1)] }],
    journeys: { welcome: { entries: [entryOn('signup')], goal: goalOn('buy', 30 * DAY), holdout: 50, steps: [S.send('hello')] } },
  };
  const plan = buildPlan(planSpec);

  it('has every measure, the lift with its 95% interval, locations as file/line/column', () => {
    const rt = createRuntime(plan);
    const events: unknown[] = [];
    for (let i = 0; i < 200; i++) {
      events.push(profile(`L${i}`, '2026-01-05 09:00', { email_consent: i % 10 !== 0 }));
      events.push(ev(`L${i}`, 'signup', '2026-01-05 10:00'));
      if (i % 3 === 0) events.push(ev(`L${i}`, 'buy', '2026-01-10 10:00'));
    }
    rt.ingestBatch(events);
    rt.countRejected(2); // the host's malformed lines (RUN.rejected) count in the measures
    const r = buildReport(rt.index, rt.measures(), RUN);
    expect(r.format).toBe('nurture-report');
    const j = r.measures.journeys['welcome']!;
    expect(j.nurtured.entered + j.holdout.entered).toBe(200);
    expect(j.nurtured.entered).toBeGreaterThan(50);
    expect(j.holdout.entered).toBeGreaterThan(50);
    const lift = j.lift;
    if (lift === null || 'tooFew' in lift) throw new Error(`expected a measured lift, got ${JSON.stringify(lift)}`);
    expect(lift.confidence).toBe(0.95);
    expect(lift.low).toBeLessThanOrEqual(lift.points);
    expect(lift.high).toBeGreaterThanOrEqual(lift.points);
    expect(r.measures.suppressed[0]!.loc).toEqual({ file: 'test.nurture', line: expect.any(Number), column: 1 });
    expect(r.measures.rejectedEvents).toBe(2);
    expect(r.measures.mqls).toBe(67);
    expect(r.measures.costPerMql).not.toBeNull();
  });

  it('puts the program (nurtured vs control group) first, with its lift; null without a control group', () => {
    const rt = createRuntime(buildPlan({ ...planSpec, controlGroup: 30 }));
    const events: unknown[] = [];
    for (let i = 0; i < 200; i++) {
      events.push(ev(`L${i}`, 'signup', '2026-01-05 10:00'));
      if (i % 3 === 0) events.push(ev(`L${i}`, 'buy', '2026-01-10 10:00'));
    }
    rt.ingestBatch(events);
    const r = buildReport(rt.index, rt.measures(), RUN);
    expect(Object.keys(r.measures).slice(0, 3)).toEqual(['leads', 'program', 'journeys']);
    const p = r.measures.program!;
    expect(p.control.leads + p.nurtured.leads).toBe(200);
    expect(p.control.mqls + p.nurtured.mqls).toBe(67);
    if (p.control.leads < 30) expect(p.lift).toEqual({ tooFew: true, minimum: 30 });
    else expect(p.lift).toMatchObject({ confidence: 0.95 });
    const html = renderReportHtml(r);
    expect(html.indexOf('Program: nurtured vs control group')).toBeGreaterThan(0);
    expect(html.indexOf('Program: nurtured vs control group')).toBeLessThan(html.indexOf('<h2>Journeys'));
    expect(buildReport(createRuntime(plan).index, createRuntime(plan).measures(), RUN).measures.program).toBeNull();
  });

  it('renders self-contained, escaped HTML', () => {
    const rt = createRuntime(plan);
    const html = renderReportHtml(buildReport(rt.index, rt.measures(), { ...RUN, events: 'a<b>&"c".jsonl' }));
    expect(html).toContain('a&lt;b&gt;&amp;&quot;c&quot;.jsonl');
    expect(html).not.toContain('<b>&"c"');
    expect(html).not.toMatch(/<script|<link|src=/);
  });
});
