// Property: any nesting of journey steps compiles to steps numbered in pre-order (one step per
// source line here, so the lines of `steps` increase), every target inside the journey or null, every
// `repeat` body looping back to its repeat, and a plan the loader accepts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadPlan } from '../../runtime/load-plan.js';
import type { Step } from '../../runtime/plan-types.js';
import { compileSources } from './helpers.js';

type Node =
  | { kind: 'leaf'; text: string }
  | { kind: 'if'; branches: Node[][]; otherwise: Node[] | null }
  | { kind: 'split'; branches: Node[][] }
  | { kind: 'repeat'; body: Node[] }
  | { kind: 'waitFor'; then: Node[] | null; timeout: Node[] | null };

const LEAVES = ['send a', 'send b', 'send next from s', 'wait 1 day', 'set n = 1', 'handoff "q"', 'enroll other', 'end', 'move to other'];

const { block } = fc.letrec<{ block: Node[]; node: Node }>((tie) => ({
  block: fc.array(tie('node'), { minLength: 0, maxLength: 4 }),
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...LEAVES).map((text): Node => ({ kind: 'leaf', text })),
    fc.record({ branches: fc.array(tie('block'), { minLength: 1, maxLength: 3 }), otherwise: fc.option(tie('block')) })
      .map((r): Node => ({ kind: 'if', ...r })),
    fc.array(tie('block'), { minLength: 2, maxLength: 2 }).map((branches): Node => ({ kind: 'split', branches })),
    tie('block').map((body): Node => ({ kind: 'repeat', body })),
    fc.record({ then: fc.option(tie('block')), timeout: fc.option(tie('block')) })
      .map((r): Node => ({ kind: 'waitFor', then: r.then, timeout: r.then ? r.timeout : null })),
  ),
}));

function render(nodes: Node[], indent: string, out: string[]): void {
  for (const n of nodes) {
    switch (n.kind) {
      case 'leaf':
        out.push(indent + n.text);
        break;
      case 'if':
        n.branches.forEach((b, i) => {
          out.push(`${indent}${i === 0 ? '' : '} else '}if n >= ${i} {`);
          render(b, indent + '  ', out);
        });
        if (n.otherwise) {
          out.push(`${indent}} else {`);
          render(n.otherwise, indent + '  ', out);
        }
        out.push(`${indent}}`);
        break;
      case 'split':
        out.push(`${indent}split {`);
        n.branches.forEach((b) => {
          out.push(`${indent}  50% {`);
          render(b, indent + '    ', out);
          out.push(`${indent}  }`);
        });
        out.push(`${indent}}`);
        break;
      case 'repeat':
        out.push(`${indent}repeat every 1 day max 3 times {`);
        render(n.body, indent + '  ', out);
        out.push(`${indent}}`);
        break;
      case 'waitFor':
        out.push(`${indent}wait for go up to 2 days${n.then ? ' {' : ''}`);
        if (n.then) {
          render(n.then, indent + '  ', out);
          out.push(`${indent}}${n.timeout ? ' timeout {' : ''}`);
          if (n.timeout) {
            render(n.timeout, indent + '  ', out);
            out.push(`${indent}}`);
          }
        }
        break;
    }
  }
}

const HEADER = `lead {
  ok: bool
  n: number
}
event go
channel email { consent: ok }
content a { channel: email }
content b { channel: email }
stream s: a, b
journey other {
  wait 1 day
}
journey j {
  entry on go
`;

function targets(s: Step): (number | null)[] {
  switch (s.kind) {
    case 'if': return [...s.branches.map((b) => b.target), s.else];
    case 'split': return s.branches.map((b) => b.target);
    case 'waitFor': return [s.onEvent, s.onTimeout];
    case 'waitUntil': return [s.onTrue, s.onTimeout];
    case 'repeat': return [s.body, s.next];
    case 'sendNext': return [s.next, s.exhausted];
    case 'moveTo':
    case 'end': return [];
    default: return [s.next];
  }
}

describe('journey steps (property)', () => {
  it('are numbered in pre-order with explicit, in-range transitions, and load', () => {
    fc.assert(
      fc.property(block, (body) => {
        const lines: string[] = [];
        render(body, '  ', lines);
        const text = HEADER + lines.join('\n') + (lines.length ? '\n' : '') + '}\n';
        const { plan, text: json } = compileSources([{ path: 'p.nurture', text }]);
        const steps = plan.journeys['j']!.steps;
        const leaves = lines.filter((l) => !/^\s*(\}|50% \{)/.test(l)).length;
        expect(steps.length).toBe(leaves);
        steps.forEach((s, i) => {
          expect(s.id).toBe(i);
          if (i > 0) expect(s.loc[1]).toBeGreaterThan(steps[i - 1]!.loc[1]);
          for (const t of targets(s)) if (t !== null) expect(t >= 0 && t < steps.length).toBe(true);
        });
        const loaded = loadPlan(json);
        expect(loaded.ok ? [] : loaded.errors).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
