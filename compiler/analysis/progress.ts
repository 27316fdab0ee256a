// NUR303 (journeys): no progress.
// - A chain of `move to` that comes back to where it started without waiting: journey `a` moves to
//   `b` and `b` moves back to `a` (or `a` moves to itself) on a path with no `wait`, `wait for`,
//   `wait until` and no `repeat` iteration in between — a lead would go round forever at one instant.
//   Any path counts (an `if` branch, a `split` branch): when it is taken, nothing ever changes.
//   `enroll` is not followed (it is subject to `reentry`, `never` by default).
// - A `repeat every 0 …` whose body never waits, with no `max`, no `until` and no `send next from` (which
//   ends the repeat when the stream runs out): it would run its body endlessly at one instant
//   (`repeat every D` with D > 0 waits D between runs, so its body needs no wait of its own).
// The checker's NUR303 for cyclic segment and score definitions is separate (compiler/dependencies.ts).
import type { Span, Step } from '../../grammar/ast.js';
import type { Diagnostic } from '../../grammar/diagnostic.js';
import type { JourneySymbol, Model } from '../model.js';
import { error, journeySteps, keywordSpan } from './common.js';
import type { Soundness } from './soundness.js';

interface Move {
  target: JourneySymbol;
  span: Span;
}

export function analyzeProgress(model: Model, sound: Soundness): Diagnostic[] {
  const out: Diagnostic[] = [];
  const moves = new Map<JourneySymbol, Move[]>();
  for (const j of model.journeys.values()) {
    if (!sound.clean(j.file, j.declSpan)) continue; // its moves are unknown: no cycle through it is claimed
    const found: Move[] = [];
    walk(model, j.file, journeySteps(j.decl), true, found, out);
    moves.set(j, found);
  }
  reportCycles(model, moves, out);
  return out;
}

/**
 * Walks a block entered with `noWait` (some path reaches it without waiting); records the `move to`
 * reachable without waiting; returns whether some path leaves the block without having waited
 * (undefined: no path leaves the block normally — every one moves or ends).
 */
function walk(model: Model, file: string, steps: readonly Step[], noWait: boolean, moves: Move[], out: Diagnostic[]): boolean | undefined {
  let state: boolean | undefined = noWait;
  for (const step of steps) {
    if (state === undefined) return undefined;
    switch (step.kind) {
      case 'wait':
        state = false;
        break;
      case 'waitFor':
      case 'waitUntil': {
        const a = step.then ? walk(model, file, step.then, false, moves, out) : false;
        const b = step.timeout ? walk(model, file, step.timeout, false, moves, out) : false;
        state = a === undefined && b === undefined ? undefined : false;
        break;
      }
      case 'if': {
        const results = step.branches.map((b) => walk(model, file, b.body, state!, moves, out));
        results.push(step.otherwise ? walk(model, file, step.otherwise, state, moves, out) : state);
        state = merge(results);
        break;
      }
      case 'split':
        state = merge(step.branches.map((b) => walk(model, file, b.body, state!, moves, out)));
        break;
      case 'repeat': {
        const after = walk(model, file, step.body, state, moves, out);
        if (step.every.ms <= 0 && !step.max && !step.until && after !== false && bodyNeverWaits(step.body)
          && !step.body.some((s) => s.kind === 'sendNext')) {
          out.push(error('NUR303', file, keywordSpan(step.span, 'repeat'.length),
            `this \`repeat every ${step.every.raw}\` never waits: its body would run again and again at the same instant`, {
              help: 'repeat every positive duration (`repeat every 7 days`), or add a `wait` to its body',
            }));
        }
        // After its last run the repeat goes on at once; it has waited if its body always waits.
        state = after === undefined ? state : after;
        break;
      }
      case 'moveTo': {
        const target = model.journeys.get(step.journey.text);
        if (state && target) moves.push({ target, span: step.span });
        state = undefined;
        break;
      }
      case 'end':
        state = undefined;
        break;
      default:
        break;
    }
  }
  return state;
}

function merge(results: (boolean | undefined)[]): boolean | undefined {
  if (results.some((r) => r === true)) return true;
  if (results.some((r) => r === false)) return false;
  return undefined;
}

function bodyNeverWaits(steps: readonly Step[]): boolean {
  for (const step of steps) {
    if (step.kind === 'wait' || step.kind === 'waitFor' || step.kind === 'waitUntil') return false;
    if (step.kind === 'if' && !step.branches.every((b) => bodyNeverWaits(b.body))) return false;
    if (step.kind === 'if' && step.otherwise && !bodyNeverWaits(step.otherwise)) return false;
    if (step.kind === 'split' && !step.branches.every((b) => bodyNeverWaits(b.body))) return false;
  }
  return true;
}

/** Cycles in the graph "moves to, without waiting": one NUR303 per cycle, at its first journey. */
function reportCycles(model: Model, moves: Map<JourneySymbol, Move[]>, out: Diagnostic[]): void {
  // Iterative DFS with colours; each back edge closes a cycle. Journeys of a reported cycle are not
  // reported again.
  const colour = new Map<JourneySymbol, 0 | 1 | 2>();
  const reported = new Set<JourneySymbol>();
  for (const root of model.journeys.values()) {
    if (colour.get(root)) continue;
    const path: { node: JourneySymbol; via?: Move; next: number }[] = [{ node: root, next: 0 }];
    colour.set(root, 1);
    while (path.length > 0) {
      const frame = path[path.length - 1];
      const edges = moves.get(frame.node) ?? [];
      if (frame.next >= edges.length) {
        colour.set(frame.node, 2);
        path.pop();
        continue;
      }
      const move = edges[frame.next++];
      const c = colour.get(move.target) ?? 0;
      if (c === 0) {
        colour.set(move.target, 1);
        path.push({ node: move.target, via: move, next: 0 });
      } else if (c === 1) {
        const start = path.findIndex((f) => f.node === move.target);
        const cycle = path.slice(start);
        if (cycle.some((f) => reported.has(f.node))) continue;
        for (const f of cycle) reported.add(f.node);
        report(cycle.map((f) => f.node), [...cycle.slice(1).map((f) => f.via!), move], out);
      }
    }
  }
}

function report(journeys: JourneySymbol[], edges: Move[], out: Diagnostic[]): void {
  const first = journeys[0];
  const chain = [...journeys.map((j) => j.name), first.name].map((n) => `\`${n}\``).join(' → ');
  const message = journeys.length === 1
    ? `journey \`${first.name}\` moves to itself without waiting: a lead would go round forever`
    : `journeys ${chain} move to each other without waiting: a lead would go round forever`;
  out.push(error('NUR303', first.file, edges[0].span, message, {
    help: 'add a `wait` (or a `wait for`/`wait until`) before one of these `move to` steps',
    related: edges.slice(1).map((e, i) => ({ file: journeys[i + 1].file, span: e.span, message: `\`${journeys[i + 1].name}\` moves to \`${e.target.name}\` here` })),
  }));
}
