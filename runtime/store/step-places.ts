// A lead's place in a journey across plan versions (LANGUAGE.md §8.6): the step's path through the blocks
// (the n-th step, in the m-th branch, …) and its kind — not its parameters.
//
// The plan numbers steps in pre-order (compiler/lower/journey.ts), so the block structure is recovered
// from the numbers and transitions (`journeyTree`). The old and new journeys are then aligned block by
// block, like a diff: within a block, steps are matched in order by kind (a weighted longest common
// subsequence that prefers steps whose parameters are equal too), so that inserting or removing a step does
// not move the leads at the other ones; a matched compound step has its m-th block matched with the new
// m-th block. A step with no match no longer exists: its leads leave the journey.
import type { Journey, Step, Target } from '../plan-types.js';
import { formatDuration } from '../engine/time.js';

interface Node {
  id: number;
  step: Step;
  blocks: Node[][];
}

/** The journey's steps as a tree of blocks (the top-level sequence). */
export function journeyTree(j: Journey): Node[] {
  const steps = j.steps;
  const memo = new Map<string, Node[] | null>();
  const seq = (start: number, end: number, cont: Target): Node[] | null => {
    if (start === end) return [];
    const key = `${start}|${end}|${cont}`;
    if (memo.has(key)) return memo.get(key)!;
    let out: Node[] | null = null;
    for (let e = start + 1; e <= end && out === null; e++) {
      const blocks = blocksOf(start, e, e < end ? e : cont);
      if (blocks === null) continue;
      const rest = seq(e, end, cont);
      if (rest !== null) out = [{ id: start, step: steps[start]!, blocks }, ...rest];
    }
    memo.set(key, out);
    return out;
  };
  /** The blocks of step `a` spanning (a, e), when consistent with `a` continuing at `next`. */
  const blocksOf = (a: number, e: number, next: Target): Node[][] | null => {
    const s = steps[a]!;
    let targets: Target[];
    let cont: Target = next;
    switch (s.kind) {
      case 'waitFor':
        targets = [s.onEvent, s.onTimeout];
        break;
      case 'waitUntil':
        targets = [s.onTrue, s.onTimeout];
        break;
      case 'if':
        targets = [...s.branches.map((b) => b.target), s.else];
        break;
      case 'split':
        targets = s.branches.map((b) => b.target);
        break;
      case 'repeat':
        if (s.next !== next) return null;
        targets = [s.body === a ? next : s.body];
        cont = a; // the body loops back
        break;
      case 'moveTo':
      case 'end':
        return e === a + 1 ? [] : null;
      default:
        return e === a + 1 && s.next === next ? [] : null;
    }
    // Each target: an empty block (the continuation) or a block starting inside (a, e), in order, contiguous.
    const starts = targets.filter((t) => t !== next) as number[];
    if (starts.some((t) => t === null || t <= a || t >= e)) return null;
    if (starts.length === 0 ? e !== a + 1 : starts[0] !== a + 1) return null;
    for (let i = 1; i < starts.length; i++) if (starts[i]! <= starts[i - 1]!) return null;
    const blocks: Node[][] = [];
    for (const t of targets) {
      if (t === next || t === null) {
        blocks.push([]);
        continue;
      }
      const k = starts.indexOf(t);
      const block = seq(t, k + 1 < starts.length ? starts[k + 1]! : e, cont);
      if (block === null) return null;
      blocks.push(block);
    }
    return blocks;
  };
  return seq(0, steps.length, null) ?? [];
}

/** The step's parameters, to prefer an exact match among steps of the same kind. */
function params(s: Step): string {
  const { id: _id, loc: _loc, ...rest } = s as Step & { next?: unknown };
  void _id;
  void _loc;
  return JSON.stringify(rest, (k, v) => (k === 'next' || k === 'target' || k === 'onEvent' || k === 'onTimeout' || k === 'onTrue' || k === 'else' || k === 'body' || k === 'exhausted' || k === 'loc' ? undefined : v));
}

/** Old step id → new step id (or absent: the place no longer exists). */
export function matchSteps(oldJ: Journey, newJ: Journey): Map<number, number> {
  const map = new Map<number, number>();
  const align = (a: Node[], b: Node[]): void => {
    // weighted LCS: same kind 2, same kind and parameters 3
    const w = (x: Node, y: Node) => (x.step.kind !== y.step.kind ? 0 : params(x.step) === params(y.step) ? 3 : 2);
    const n = a.length;
    const m = b.length;
    const dp: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
    for (let i = n - 1; i >= 0; i--) {
      for (let k = m - 1; k >= 0; k--) {
        const wk = w(a[i]!, b[k]!);
        dp[i]![k] = Math.max(dp[i + 1]![k]!, dp[i]![k + 1]!, wk > 0 ? wk + dp[i + 1]![k + 1]! : 0);
      }
    }
    let i = 0;
    let k = 0;
    while (i < n && k < m) {
      const wk = w(a[i]!, b[k]!);
      if (wk > 0 && dp[i]![k] === wk + dp[i + 1]![k + 1]!) {
        map.set(a[i]!.id, b[k]!.id);
        const ab = a[i]!.blocks;
        const bb = b[k]!.blocks;
        for (let x = 0; x < Math.min(ab.length, bb.length); x++) align(ab[x]!, bb[x]!);
        i++;
        k++;
      } else if (dp[i]![k] === dp[i + 1]![k]) i++;
      else k++;
    }
  };
  align(journeyTree(oldJ), journeyTree(newJ));
  return map;
}

/** Do two steps of the same kind have the same parameters? */
export function sameParams(a: Step, b: Step): boolean {
  return params(a) === params(b);
}

/** The step in words, for the migration report: `wait 3 days`, `send welcome`, `wait for demo up to 2 days`. */
export function stepWords(s: Step): string {
  switch (s.kind) {
    case 'send':
      return `send ${s.content}`;
    case 'sendNext':
      return `send next from ${s.stream}`;
    case 'wait':
      return `wait ${formatDuration(s.durationMs)}`;
    case 'waitFor':
      return `wait for ${s.event} up to ${formatDuration(s.upToMs)}`;
    case 'waitUntil':
      return `wait until … up to ${formatDuration(s.upToMs)}`;
    case 'repeat':
      return `repeat every ${formatDuration(s.everyMs)}`;
    case 'moveTo':
      return `move to ${s.journey}`;
    default:
      return s.kind;
  }
}
