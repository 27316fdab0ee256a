// Random damage to a valid plan: one value, anywhere in it, replaced by another JSON value or removed.
import fc from 'fast-check';
import { richPlan } from './rich-plan.js';

type Node = Record<string | number, unknown>;

/** Every JSON pointer of a value (objects and arrays), as key lists. */
function pointers(root: unknown): (string | number)[][] {
  const out: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    if (typeof v !== 'object' || v === null) return;
    for (const [k, x] of Array.isArray(v) ? v.entries() : Object.entries(v)) {
      const p = [...path, k];
      out.push(p);
      walk(x, p);
    }
  };
  walk(root, []);
  return out;
}

/** `path` and `replacement` are what fast-check prints of a failing case. */
export interface PlanMutation {
  path: (string | number)[];
  /** undefined: removed. */
  replacement: unknown;
  /** Changes `plan` in place and returns it. */
  apply(plan: object): object;
}

/** One value of `richPlan()` replaced (by random JSON or a likely troublemaker) or removed. */
export function planMutation(): fc.Arbitrary<PlanMutation> {
  const paths = pointers(richPlan());
  return fc
    .tuple(
      fc.constantFrom(...paths),
      fc.option(fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(-1, 1e308, 1.5, '', 'x', null, [], {}, 99)), { nil: undefined }),
    )
    .map(([path, replacement]) => ({
      path,
      replacement,
      apply(plan: object): object {
        let parent = plan as Node;
        for (const key of path.slice(0, -1)) parent = parent[key] as Node;
        const last = path[path.length - 1]!;
        if (replacement === undefined) {
          if (Array.isArray(parent)) parent.splice(Number(last), 1);
          else delete parent[last];
        } else parent[last] = replacement;
        return plan;
      },
    }));
}
