// A journey of the plan as a graph: a header node (the journey and its settings), one node per step,
// an "end of journey" node when a transition completes it, and one edge per transition with its
// branch label. Every renderer (Mermaid, dot, SVG; the CLI and the VS Code extension) draws this.
import type { Loc, Plan, Step, Target } from '../../runtime/plan-types.js';
import { conditionText, journeyHeader, stepWords } from './words.js';

/** What a node is, for its shape and colour. */
export type NodeRole = 'start' | 'send' | 'wait' | 'branch' | 'action' | 'exit';

export interface GraphNode {
  /** `start`, `s<step id>`, or `end` (the journey is complete). */
  key: string;
  /** The step's kind; `start` and `done` for the two nodes that are not steps. */
  kind: string;
  role: NodeRole;
  /** `send`, `wait for webinar_attended`, `journey welcome`. */
  title: string;
  /** `welcome_email`, `up to 14 days`; empty when the title says it all. */
  detail: string;
  /** The header node's settings (entries, audience, exits, goal, holdout…); empty for the others. */
  header: string[];
  loc: Loc | null;
}

export interface GraphEdge {
  from: string;
  to: string;
  /** `then`, `else`, `timeout`, `50%`, `loop`…; empty for a plain sequence. */
  label: string;
  /** Goes back to an earlier step (a `repeat` loop): drawn apart, it is not part of the layering. */
  back: boolean;
}

export interface JourneyGraph {
  journey: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

const ROLES: Record<string, NodeRole> = {
  send: 'send', sendNext: 'send',
  wait: 'wait', waitFor: 'wait', waitUntil: 'wait',
  if: 'branch', split: 'branch', repeat: 'branch',
  moveTo: 'exit', end: 'exit',
};

/** The journeys of a plan, in declaration order. */
export function journeyNames(plan: Plan): string[] {
  return Object.keys(plan.journeys);
}

/** One node's text on a single line: `send welcome_email`, `wait 2 days`. */
export function nodeText(node: GraphNode): string {
  return node.detail ? `${node.title} ${node.detail}` : node.title;
}

/** The transitions of a step: target and label, in the order the branches are written. */
function transitions(plan: Plan, step: Step): [Target, string][] {
  switch (step.kind) {
    case 'sendNext':
      return step.exhausted === step.next ? [[step.next, '']] : [[step.next, ''], [step.exhausted, 'none left']];
    case 'waitFor':
      return [[step.onEvent, step.event], [step.onTimeout, 'timeout']];
    case 'waitUntil':
      return [[step.onTrue, 'true'], [step.onTimeout, 'timeout']];
    case 'if':
      return [
        ...step.branches.map((b, i): [Target, string] => [b.target, i === 0 ? 'then' : `else if ${conditionText(plan, b.condition)}`]),
        [step.else, 'else'],
      ];
    case 'split':
      return step.branches.map((b) => [b.target, `${b.percent}%`]);
    case 'repeat':
      return [[step.body, 'each time'], [step.next, 'done']];
    case 'moveTo':
    case 'end':
      return [];
    default:
      return [[step.next, '']];
  }
}

/** The graph of one journey of the plan. Throws for a name the plan does not have. */
export function journeyGraph(plan: Plan, name: string): JourneyGraph {
  if (!Object.hasOwn(plan.journeys, name)) throw new Error(`no journey \`${name}\` in the plan`);
  const journey = plan.journeys[name]!;
  const nodes: GraphNode[] = [
    { key: 'start', kind: 'start', role: 'start', title: `journey ${name}`, detail: '', header: journeyHeader(plan, journey), loc: journey.loc },
  ];
  const edges: GraphEdge[] = [];
  const edge = (from: string, fromId: number, to: Target, label: string) => {
    // step ids are in pre-order, so a transition to the same or an earlier step closes a loop
    const back = to !== null && to <= fromId;
    edges.push({ from, to: to === null ? 'end' : `s${to}`, label: label || (back ? 'loop' : ''), back });
  };
  edge('start', -1, journey.steps.length > 0 ? 0 : null, '');
  for (const step of journey.steps) {
    const key = `s${step.id}`;
    const { title, detail } = stepWords(plan, step);
    nodes.push({ key, kind: step.kind, role: ROLES[step.kind] ?? 'action', title, detail, header: [], loc: step.loc });
    for (const [to, label] of transitions(plan, step)) edge(key, step.id, to, label);
  }
  if (edges.some((e) => e.to === 'end')) {
    nodes.push({ key: 'end', kind: 'done', role: 'exit', title: 'end of journey', detail: '', header: [], loc: null });
  }
  return { journey: name, nodes, edges };
}
