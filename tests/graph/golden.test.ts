// Golden pictures of the focused fixture and of examples/acme in the three formats, compared byte for
// byte; every output checked for what each format needs (Mermaid syntax, dot syntax, well-formed SVG);
// the same plan always gives the same bytes; every example workspace is drawable.
// Regenerate with UPDATE_GOLDEN=1 npx vitest run tests/graph/golden.test.ts (then review the diff).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GRAPH_FORMATS, journeyNames, renderGraph, renderJourneySvg, type GraphFormat } from '../../compiler/graph/index.js';
import type { Plan } from '../../runtime/plan-types.js';
import { checkDot } from './dot-check.js';
import { ACME, GOLDEN, planOf, planOfFile, REPO, STEPS } from './helpers.js';
import { checkMermaid } from './mermaid-check.js';
import { elements, parseXml } from './xml.js';

const UPDATE = process.env['UPDATE_GOLDEN'] === '1';
const EXTENSION: Record<GraphFormat, string> = { mermaid: 'mmd', dot: 'dot', svg: 'svg' };
const CASES = [
  { name: 'steps', file: STEPS },
  { name: 'acme', file: ACME },
];

/** Checks one output for its format's syntax; returns the number of nodes drawn. */
function checkFormat(text: string, format: GraphFormat): number {
  switch (format) {
    case 'mermaid':
      return checkMermaid(text).nodes.size;
    case 'dot':
      return checkDot(text).nodes.size;
    case 'svg': {
      const root = parseXml(text);
      expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')).toBe(true);
      expect(root.name).toBe('svg');
      expect(root.attrs['xmlns']).toBe('http://www.w3.org/2000/svg');
      expect(Number(root.attrs['width'])).toBeGreaterThan(0);
      expect(root.attrs['viewBox']).toBe(`0 0 ${root.attrs['width']} ${root.attrs['height']}`);
      // standalone: explicit font and colours, no stylesheet to depend on
      expect(root.attrs['font-family']).toMatch(/sans-serif/);
      const all = elements(root);
      expect(all.some((e) => e.name === 'style')).toBe(false);
      for (const e of all.filter((x) => x.name === 'rect')) expect(e.attrs['fill'], 'rect fill').toMatch(/^#[0-9a-f]{6}$/);
      for (const e of all.filter((x) => x.name === 'text')) expect(e.attrs['fill'], 'text fill').toMatch(/^#[0-9a-f]{6}$/);
      const ids = all.map((e) => e.attrs['id']).filter((id) => id !== undefined);
      expect(new Set(ids).size).toBe(ids.length);
      return all.filter((e) => e.name === 'g' && e.attrs['class']?.startsWith('node ')).length;
    }
  }
}

/** Steps + the header + "end of journey" when some transition completes the journey (an independent count). */
function nodeCount(plan: Plan): number {
  return journeyNames(plan).reduce((n, j) => {
    const steps = plan.journeys[j]!.steps;
    const targets = steps.flatMap((s) => {
      const r = s as unknown as Record<string, unknown>;
      const branches = (r['branches'] as { target: unknown }[] | undefined) ?? [];
      return [...['next', 'exhausted', 'onEvent', 'onTimeout', 'onTrue', 'else'].filter((k) => k in r).map((k) => r[k]), ...branches.map((b) => b.target)];
    });
    return n + steps.length + 1 + (steps.length === 0 || targets.includes(null) ? 1 : 0);
  }, 0);
}

describe('golden graphs', () => {
  for (const c of CASES) {
    const plan = planOfFile(c.file);
    for (const format of GRAPH_FORMATS) {
      it(`${c.name} as ${format}`, () => {
        const text = renderGraph(plan, journeyNames(plan), format);
        const goldenPath = join(GOLDEN, `${c.name}.${EXTENSION[format]}`);
        if (UPDATE) writeFileSync(goldenPath, text);
        expect(existsSync(goldenPath), `missing ${goldenPath}: run with UPDATE_GOLDEN=1`).toBe(true);
        expect(text).toBe(readFileSync(goldenPath, 'utf8'));
        expect(checkFormat(text, format)).toBe(nodeCount(plan));
      });
    }
  }
});

describe('determinism', () => {
  it('gives the same bytes for the same input: twice, from a fresh compilation, from the plan as JSON', () => {
    for (const format of GRAPH_FORMATS) {
      const a = planOfFile(STEPS);
      const b = planOfFile(STEPS);
      const viaJson = JSON.parse(JSON.stringify(a)) as Plan;
      const first = renderGraph(a, journeyNames(a), format);
      expect(renderGraph(a, journeyNames(a), format)).toBe(first);
      expect(renderGraph(b, journeyNames(b), format)).toBe(first);
      expect(renderGraph(viaJson, journeyNames(viaJson), format)).toBe(first);
    }
  });

  it('draws one journey exactly as it is drawn among the others (mermaid and dot ids aside)', () => {
    const plan = planOfFile(STEPS);
    const one = renderGraph(plan, ['renewals'], 'mermaid');
    const all = renderGraph(plan, journeyNames(plan), 'mermaid');
    const body = (s: string) => s.split('\n').filter((l) => l.startsWith('    ')).map((l) => l.replace(/\bj\d+_/g, 'J_'));
    expect(body(one).every((l) => body(all).includes(l))).toBe(true);
    expect(one).not.toContain('onboarding');
  });
});

describe('every format for every example', () => {
  const examples = join(REPO, 'examples');
  const workspaces = readdirSync(examples).filter((d) => statSync(join(examples, d)).isDirectory());

  const sourcesOf = (dir: string) => {
    const out: { path: string; text: string }[] = [];
    const walk = (d: string): void => {
      for (const name of readdirSync(d).sort()) {
        const p = join(d, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (name.endsWith('.nurture')) out.push({ path: relative(dir, p), text: readFileSync(p, 'utf8') });
      }
    };
    walk(dir);
    return out;
  };

  for (const w of workspaces) {
    it(w, () => {
      // every example compiles (npm test checks them); one that stops compiling fails here with its errors
      // rather than passing having drawn nothing
      const plan: Plan = planOf(sourcesOf(join(examples, w)));
      for (const format of GRAPH_FORMATS) {
        expect(checkFormat(renderGraph(plan, journeyNames(plan), format), format), `${w} ${format}`).toBe(nodeCount(plan));
      }
      // the webview's fragment: one journey, no XML declaration, the same well-formed SVG
      for (const j of journeyNames(plan)) expect(parseXml(renderJourneySvg(plan, j)).name).toBe('svg');
    });
  }
});

describe('a plan with no journey', () => {
  const plan = planOf([{ path: 'a.nurture', text: 'event e\n' }]);
  it('is still a valid picture in every format', () => {
    expect(renderGraph(plan, [], 'mermaid')).toBe('flowchart TD\n  %% no journey in this plan\n');
    expect(checkMermaid(renderGraph(plan, [], 'mermaid')).nodes.size).toBe(0);
    expect(checkDot(renderGraph(plan, [], 'dot')).nodes.size).toBe(0);
    expect(elements(parseXml(renderGraph(plan, [], 'svg'))).find((e) => e.name === 'text')?.text).toBe('no journey in this plan');
  });
});

// Graphviz is not a dependency: when it is installed, it must accept the dot and render it.
const hasDot = spawnSync('dot', ['-V'], { encoding: 'utf8' }).status === 0;
describe.skipIf(!hasDot)('with Graphviz installed', () => {
  for (const c of CASES) {
    it(`dot -Tsvg accepts ${basename(c.file)}`, () => {
      const plan = planOfFile(c.file);
      const r = spawnSync('dot', ['-Tsvg'], { input: renderGraph(plan, journeyNames(plan), 'dot'), encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      parseXml(r.stdout.replace(/<!DOCTYPE[^>]*>/, ''));
    });
  }
});
