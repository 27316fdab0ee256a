// Cyclic definitions: a segment or a score whose definition (segment condition, fit rule, derived
// expression) depends on itself, directly or through others. Reported as NUR303 ("no progress"):
// evaluating such a definition would never finish.
import type { Context } from './context.js';
import type { Sym } from './model.js';

export function checkCycles(ctx: Context): void {
  const graph = ctx.dependencies;
  // Tarjan's strongly connected components, iterative.
  const index = new Map<Sym, number>();
  const low = new Map<Sym, number>();
  const onStack = new Set<Sym>();
  const stack: Sym[] = [];
  const components: Sym[][] = [];
  let counter = 0;
  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    const work: { node: Sym; children: Iterator<Sym> }[] = [];
    const visit = (node: Sym) => {
      index.set(node, counter);
      low.set(node, counter++);
      stack.push(node);
      onStack.add(node);
      work.push({ node, children: (graph.get(node) ?? new Set<Sym>()).values() });
    };
    visit(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const next = frame.children.next();
      if (!next.done) {
        const child = next.value;
        if (!index.has(child)) visit(child);
        else if (onStack.has(child)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(child)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: Sym[] = [];
        let member: Sym;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const selfLoop = component.length === 1 && graph.get(component[0])?.has(component[0]);
        if (component.length > 1 || selfLoop) components.push(component);
      }
    }
  }
  for (const component of components) reportCycle(ctx, component);
}

function reportCycle(ctx: Context, component: Sym[]): void {
  const members = new Set(component);
  for (const sym of component) {
    const path = cyclePath(ctx, sym, members);
    const chain = path.map((s) => s.name).join(' → ');
    ctx.report.error('NUR303', sym.file, sym.span, `the ${sym.kind} \`${sym.name}\` is defined in terms of itself: ${chain}`, {
      help: 'break the cycle: a segment or a score cannot depend on itself',
      related: path.slice(1, -1).map((s) => ({ file: s.file, span: s.span, message: `\`${s.name}\` is declared here` })),
    });
  }
}

/** The shortest path start → … → start inside the component (breadth-first). */
function cyclePath(ctx: Context, start: Sym, members: Set<Sym>): Sym[] {
  const previous = new Map<Sym, Sym>();
  const queue: Sym[] = [start];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i];
    for (const next of ctx.dependencies.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [start];
        for (let n: Sym | undefined = node; n && n !== start; n = previous.get(n)) path.unshift(n);
        path.unshift(start);
        return path;
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}
