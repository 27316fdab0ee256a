// The pure parts of the extension's commands: the journey graph drawn from a compiled plan (by the
// root's compiler/graph, re-exported by the extension's graph.ts; tests/graph tests it in depth), the test
// report and its failures located on `expect` lines, and how `nurture` is run.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nurtureCommand } from '../../vscode-extension/src/cli.js';
import { formatDuration, journeyAtLine, journeyGraph, journeyNames, layoutGraph, renderJourneySvg, type Plan } from '../../vscode-extension/src/graph.js';
import { formatTestRun, parseTestRun, testProblems } from '../../vscode-extension/src/test-results.js';
import { ROOT } from './textmate.js';

const SPEC = join(ROOT, 'tests', 'fixtures', 'valid', 'spec-example.nurture');

function compileSpec(): Plan {
  // stdio 'pipe': the spec example's warning goes to the captured stderr, not into vitest's output
  const out = execFileSync(process.execPath, [join(ROOT, 'bin', 'nurture.js'), 'compile', SPEC], { encoding: 'utf8', stdio: 'pipe' });
  return JSON.parse(out) as Plan;
}

describe('journey graph', () => {
  const plan = compileSpec();

  it('has a node per step, the entry and the end, and an edge per transition', () => {
    const g = journeyGraph(plan, 'welcome');
    const steps = plan.journeys['welcome']!.steps.length;
    expect(g.nodes).toHaveLength(steps + 1); // + start; `move to` ends the journey, so no end node
    const start = g.nodes.find((n) => n.key === 'start')!;
    expect(start.header[0]).toBe('entry on form_submitted where form is "newsletter"');
    const label = (from: string) => g.edges.filter((e) => e.from === from).map((e) => e.label);
    const byTitle = (t: string) => g.nodes.find((n) => n.title === t)!.key;
    expect(g.nodes.find((n) => n.title === 'if')!.detail).toBe('engagement >= 10');
    expect(label(byTitle('if'))).toEqual(['then', 'else']);
    expect(label(byTitle('wait for webinar_attended'))).toEqual(['webinar_attended', 'timeout']);
    expect(label(byTitle('split'))).toEqual(['50%', '50%']);
    expect(g.nodes.find((n) => n.title === 'wait')!.detail).toBe('2 days');
    expect(g.nodes.find((n) => n.kind === 'setStage')!.detail).toBe('stage = lead');
    expect(g.nodes.find((n) => n.title === 'move to')!.detail).toBe('long_term');
    // layered top to bottom: every forward edge goes down
    const at = layoutGraph(g, { size: () => ({ width: 100, height: 40 }), gapX: 10, gapY: 10, margin: 0, laneGap: 10, laneStep: 5 }).boxes;
    for (const e of g.edges) if (!e.back) expect(at.get(e.to)!.y).toBeGreaterThan(at.get(e.from)!.y);
  });

  it('draws a repeat as a loop back, with the end of the journey', () => {
    const g = journeyGraph(plan, 'long_term');
    expect(g.nodes.map((n) => n.title)).toEqual(['journey long_term', 'repeat every 1 week', 'send next from', 'end of journey']);
    expect(g.nodes[0]!.header[0]).toBe('entered by move to / enroll');
    expect(g.nodes[1]!.detail).toBe('max 10 times');
    expect(g.edges.filter((e) => e.back)).toEqual([{ from: 's1', to: 's0', label: 'loop', back: true }]);
    expect(g.edges.find((e) => e.label === 'done')).toMatchObject({ from: 's0', to: 'end' });
  });

  it('renders well-formed SVG with escaped text and source locations', () => {
    const svg = renderJourneySvg(plan, 'welcome');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('engagement &gt;= 10');
    expect(svg).not.toMatch(/>[^<]*>=/);
    expect(svg).toMatch(/data-file="0" data-line="92" data-column="3"/);
    expect((svg.match(/<g /g) ?? []).length).toBe((svg.match(/<\/g>/g) ?? []).length);
    expect(() => renderJourneySvg(plan, 'nope')).toThrow(/no journey `nope`/);
  });

  it('draws every journey of every example', () => {
    const examples = join(ROOT, 'examples');
    let drawn = 0;
    for (const name of readdirSync(examples)) {
      if (!statSync(join(examples, name)).isDirectory()) continue;
      let out: string;
      try {
        out = execFileSync(process.execPath, [join(ROOT, 'bin', 'nurture.js'), 'compile', join(examples, name)], { encoding: 'utf8', stdio: 'pipe' });
      } catch {
        continue; // an example that does not compile is the checker's tests' business, not the graph's
      }
      const p = JSON.parse(out) as Plan;
      drawn++;
      for (const j of journeyNames(p)) {
        const g = journeyGraph(p, j);
        expect(g.nodes.length, `${name}/${j}`).toBe(p.journeys[j]!.steps.length + 1 + (g.nodes.some((n) => n.key === 'end') ? 1 : 0));
        for (const e of g.edges) expect(g.nodes.some((n) => n.key === e.to), `${name}/${j} ${e.from}->${e.to}`).toBe(true);
        expect(renderJourneySvg(p, j)).toMatch(/<\/svg>$/);
      }
    }
    expect(drawn).toBeGreaterThan(0);
  });

  it('formats durations and finds the journey around a line', () => {
    expect(formatDuration(172800000)).toBe('2 days');
    expect(formatDuration(604800000)).toBe('1 week');
    expect(formatDuration(90 * 60000)).toBe('90 minutes');
    const text = readFileSync(SPEC, 'utf8');
    const line = (s: string) => text.split('\n').findIndex((l) => l.includes(s)) + 1;
    expect(journeyAtLine(text, line('split {'))).toBe('welcome');
    expect(journeyAtLine(text, line('send next from education'))).toBe('long_term');
    expect(journeyAtLine(text, line('score fit {') + 1)).toBeUndefined();
  });
});

describe('test results', () => {
  const run = parseTestRun(
    JSON.stringify({
      tests: [
        { name: 'ok', file: './a.nurture', line: 3, column: 1, passed: true, expects: 1, failures: [], error: null },
        {
          name: 'vp becomes mql', file: './a.nurture', line: 10, column: 1, passed: false, expects: 2,
          failures: [{ file: './a.nurture', line: 14, column: 3, expect: 'expect stage is sql', at: '2026-01-06 09:00', actual: ['stage is mql'] }],
          error: null,
        },
      ],
      passed: 1,
      failed: 1,
    }),
  );

  it('reports each test, each failure with what was seen, and the closing count', () => {
    const text = formatTestRun(run);
    expect(text).toContain('✓ ok');
    expect(text).toContain('✗ vp becomes mql');
    expect(text).toContain('./a.nurture:14:3 expect stage is sql');
    expect(text).toContain('stage is mql');
    expect(text.trimEnd().split('\n').pop()).toBe('1 passed, 1 failed');
  });

  it('locates failures on their expect line (0-based, absolute paths)', () => {
    expect(testProblems(run, '/ws')).toEqual([
      { file: '/ws/a.nurture', line: 13, column: 2, message: 'test "vp becomes mql" failed: expect stage is sql\nat 2026-01-06 09:00:\nstage is mql' },
    ]);
  });

  it('refuses output that is not a test run', () => {
    expect(() => parseTestRun('{"diagnostics": []}')).toThrow(/not the output/);
    expect(() => parseTestRun('nurture: oops')).toThrow();
  });

  it('reads the real output of `nurture test --format json`', () => {
    let out: string;
    try {
      out = execFileSync(process.execPath, [join(ROOT, 'bin', 'nurture.js'), 'test', SPEC, '--format', 'json'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      out = (err as { stdout: string }).stdout;
    }
    const real = parseTestRun(out);
    expect(real.tests.length).toBeGreaterThan(0);
    expect(formatTestRun(real)).toMatch(/\d+ passed, \d+ failed\n$/);
  });
});

describe('running nurture', () => {
  it('uses the bundled CLI unless a server path is set', () => {
    expect(nurtureCommand('', '/ext/dist/nurture.mjs', '/ws', '/node')).toEqual({ command: '/node', prefix: ['/ext/dist/nurture.mjs'], node: true, script: '/ext/dist/nurture.mjs' });
    expect(nurtureCommand('  ', '/b.mjs', undefined, '/node').script).toBe('/b.mjs');
  });

  it('runs a configured script with Node and an executable as is, relative paths from the workspace', () => {
    expect(nurtureCommand('node_modules/nurture/bin/nurture.js', '/b.mjs', '/ws', '/node')).toEqual({
      command: '/node', prefix: ['/ws/node_modules/nurture/bin/nurture.js'], node: true, script: '/ws/node_modules/nurture/bin/nurture.js',
    });
    expect(nurtureCommand('/usr/local/bin/nurture', '/b.mjs', '/ws', '/node')).toEqual({ command: '/usr/local/bin/nurture', prefix: [], node: false });
    expect(nurtureCommand('nurture', '/b.mjs', '/ws', '/node')).toEqual({ command: 'nurture', prefix: [], node: false });
  });
});
