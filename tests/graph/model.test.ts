// The journey graph model (compiler/graph/model.ts): a node per step with its words, the header, the
// edges and their branch labels; and the layered layout.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { journeyGraph, journeyNames, layoutGraph, nodeText, type JourneyGraph } from '../../compiler/graph/index.js';
import type { StepKind } from '../../runtime/plan-types.js';
import { planOf, planOfFile, STEPS } from './helpers.js';

const ALL_KINDS: StepKind[] = [
  'send', 'sendNext', 'wait', 'waitFor', 'waitUntil', 'if', 'split', 'repeat', 'moveTo', 'end',
  'setAttr', 'setStage', 'setScore', 'handoff', 'enroll', 'removeFrom',
];

describe('journey graph model', () => {
  const plan = planOfFile(STEPS);
  const graphs = journeyNames(plan).map((j) => journeyGraph(plan, j));
  const onboarding = graphs[0]!;
  const byKind = (g: JourneyGraph, kind: string) => g.nodes.filter((n) => n.kind === kind);
  const labels = (g: JourneyGraph, kind: string) => {
    const key = byKind(g, kind)[0]!.key;
    return g.edges.filter((e) => e.from === key).map((e) => e.label);
  };

  it('lists the journeys in declaration order', () => {
    expect(journeyNames(plan)).toEqual(['onboarding', 'renewals', 'accueil_été']);
  });

  it('has every step kind in the focused fixture', () => {
    const kinds = new Set(graphs.flatMap((g) => g.nodes.map((n) => n.kind)));
    for (const k of ALL_KINDS) expect(kinds, k).toContain(k);
  });

  it('words each step as it is written', () => {
    const texts = graphs.flatMap((g) => g.nodes.filter((n) => n.key !== 'start').map(nodeText));
    expect(texts).toEqual([
      'send hello',
      'wait 1 day',
      'wait for clicked where url contains "<pricing>" up to 3 days',
      'set stage = lead',
      'send relance',
      'wait until engagement > 20 up to 2 days',
      'if engagement >= 40',
      'handoff "sales & \\"success\\""',
      'set company = "A&B <Co>"',
      'set engagement = 5',
      'split 20% / 30% / 50%',
      'send offer_a',
      'send offer_b',
      'send offer_c',
      'repeat every 1 week max 3 times until has replied',
      'send next from drip',
      'enroll renewals',
      'remove from accueil_été',
      'end',
      'send hello',
      'move to accueil_été',
      'send guide_été',
      'end of journey',
    ]);
  });

  it('puts the journey settings in the header', () => {
    expect(onboarding.nodes[0]).toMatchObject({ key: 'start', role: 'start', title: 'journey onboarding' });
    expect(onboarding.nodes[0]!.header).toEqual([
      'entry on signed_up where source is "say \\"hi\\" <b> & #1 | `x` \\\\ end"',
      'entry when plan is pro',
      'audience email_consent is true',
      'reentry after 30 days',
      'exit on unsubscribed',
      'goal engagement >= 50 within 2 weeks',
      'holdout 5%',
      'priority 3',
    ]);
    expect(graphs[1]!.nodes[0]!.header).toEqual(['entry 30 days before renewal yearly', 'exit when stage is customer']);
    expect(graphs[2]!.nodes[0]!.header).toEqual(['entered by move to / enroll']);
  });

  it('labels the branches', () => {
    expect(labels(onboarding, 'waitFor')).toEqual(['clicked', 'timeout']);
    expect(labels(onboarding, 'waitUntil')).toEqual(['true', 'timeout']);
    expect(labels(onboarding, 'if')).toEqual(['then', 'else if plan is pro and company is known', 'else']);
    expect(labels(onboarding, 'split')).toEqual(['20%', '30%', '50%']);
    expect(labels(onboarding, 'repeat')).toEqual(['each time', 'done']);
    expect(labels(onboarding, 'sendNext')).toEqual(['loop', 'none left']);
    expect(labels(onboarding, 'send')).toEqual(['']);
  });

  it('draws the loop of a repeat as the only back edge', () => {
    const repeat = byKind(onboarding, 'repeat')[0]!.key;
    const drip = byKind(onboarding, 'sendNext')[0]!.key;
    expect(onboarding.edges.filter((e) => e.back)).toEqual([{ from: drip, to: repeat, label: 'loop', back: true }]);
  });

  it('ends with an end-of-journey node only when a transition completes the journey', () => {
    // onboarding stops at `end`, renewals at `move to`: no transition to "complete"
    expect(onboarding.nodes.some((n) => n.key === 'end')).toBe(false);
    expect(graphs[1]!.nodes.some((n) => n.key === 'end')).toBe(false);
    expect(graphs[2]!.nodes.at(-1)).toMatchObject({ key: 'end', kind: 'done', role: 'exit', title: 'end of journey' });
    expect(byKind(onboarding, 'end')[0]!.role).toBe('exit');
    expect(byKind(graphs[1]!, 'moveTo')[0]!.role).toBe('exit');
  });

  it('keeps the source location of every step for click-to-source', () => {
    for (const n of onboarding.nodes) expect(n.loc?.[0], n.key).toBe(0);
    const line = readFileSync(STEPS, 'utf8').split('\n').indexOf('  send hello') + 1;
    expect(byKind(onboarding, 'send')[0]!.loc).toEqual([0, line, 3]);
  });

  it('draws a journey with no step as its header straight to the end', () => {
    const p = planOf([{ path: 'a.nurture', text: 'event e\njourney empty {\n  entry on e\n}\n' }]);
    const g = journeyGraph(p, 'empty');
    expect(g.nodes.map((n) => n.key)).toEqual(['start', 'end']);
    expect(g.edges).toEqual([{ from: 'start', to: 'end', label: '', back: false }]);
  });

  it('refuses a journey the plan does not have (even one named like an Object property)', () => {
    expect(() => journeyGraph(plan, 'nope')).toThrow(/no journey `nope`/);
    expect(() => journeyGraph(plan, 'constructor')).toThrow(/no journey `constructor`/);
  });
});

describe('layout', () => {
  const plan = planOfFile(STEPS);
  const g = journeyGraph(plan, 'onboarding');
  const size = () => ({ width: 100, height: 40 });
  const options = { size, gapX: 20, gapY: 30, margin: 10, laneGap: 20, laneStep: 5 };
  const l = layoutGraph(g, options);

  it('places every forward edge downwards and the back edges upwards', () => {
    for (const e of g.edges) {
      const [a, b] = [l.boxes.get(e.from)!, l.boxes.get(e.to)!];
      if (e.back) expect(b.y).toBeLessThanOrEqual(a.y);
      else expect(b.y, `${e.from} -> ${e.to}`).toBeGreaterThan(a.y);
    }
  });

  it('never overlaps two nodes and keeps them inside the picture', () => {
    const boxes = [...l.boxes.values()];
    for (const a of boxes) {
      expect(a.x).toBeGreaterThanOrEqual(0);
      expect(a.x + a.width).toBeLessThanOrEqual(l.width);
      expect(a.y + a.height).toBeLessThanOrEqual(l.height);
      for (const b of boxes) {
        if (a === b) continue;
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        expect(apart).toBe(true);
      }
    }
  });

  it('gives the loops lanes on the right and the edges that skip rows lanes on the left, outside every node', () => {
    const keyOf = (kind: string) => g.nodes.find((n) => n.kind === kind)!.key;
    // `done` skips the repeat's body; the body loops back
    const done = `${keyOf('repeat')} ${keyOf('enroll')}`;
    const loop = `${keyOf('sendNext')} ${keyOf('repeat')}`;
    expect([...l.lanes.keys()].sort()).toEqual([done, loop].sort());
    const boxes = [...l.boxes.values()];
    const minX = Math.min(...boxes.map((b) => b.x));
    const maxX = Math.max(...boxes.map((b) => b.x + b.width));
    expect(l.lanes.get(done)).toBe(10);
    expect(l.lanes.get(done)!).toBeLessThan(minX);
    expect(l.lanes.get(loop)!).toBeGreaterThan(maxX);
    expect(l.width).toBe(l.lanes.get(loop)! + 10);
    const plain = layoutGraph(journeyGraph(plan, 'renewals'), options);
    expect([plain.lanes.size, plain.width]).toEqual([0, 10 + 100 + 10]);
  });

  it('records each row as the span of its nodes', () => {
    for (const b of l.boxes.values()) {
      expect(b.y).toBeGreaterThanOrEqual(l.rows[b.layer]!.top);
      expect(b.y + b.height).toBeLessThanOrEqual(l.rows[b.layer]!.bottom);
    }
  });
});
