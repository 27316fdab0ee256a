// `nurture graph` end to end, with the built CLI (`npm run build` first): the golden pictures from
// sources and from a plan .json, --journey and its did-you-mean, -o and the format it implies, exit
// statuses, errors on stderr with nothing on stdout, the same bytes every time, and the help.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanWorkspaces, makeWorkspace, runCli } from '../cli/helpers.js';
import { ACME, GOLDEN, REPO, STEPS } from './helpers.js';
import { checkMermaid } from './mermaid-check.js';

afterAll(cleanWorkspaces);

const golden = (name: string) => readFileSync(join(GOLDEN, name), 'utf8');
const fixture = readFileSync(STEPS, 'utf8');

describe('nurture graph', () => {
  it('draws every journey of a file as Mermaid by default, exactly the golden picture', async () => {
    const r = await runCli(['graph', STEPS]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(golden('steps.mmd'));
  });

  it('draws dot and SVG, and the example of the reference', async () => {
    for (const [args, name] of [
      [['graph', STEPS, '--format', 'dot'], 'steps.dot'],
      [['graph', '--format=svg', STEPS], 'steps.svg'],
      [['graph', ACME], 'acme.mmd'],
      [['graph', 'examples/acme', '--format', 'dot'], 'acme.dot'],
      [['graph', 'examples/acme/', '--format', 'svg'], 'acme.svg'],
    ] as const) {
      const r = await runCli([...args], { cwd: REPO });
      expect(r.stderr, name).toBe('');
      expect(r.status, name).toBe(0);
      expect(r.stdout, name).toBe(golden(name));
    }
  });

  it('draws the same from a plan .json as from the sources', async () => {
    const ws = makeWorkspace({ 'journeys.nurture': fixture });
    const compiled = await runCli(['compile', '.', '-o', 'plan.json'], { cwd: ws });
    expect(compiled.status).toBe(0);
    const fromPlan = await runCli(['graph', 'plan.json', '--format', 'dot'], { cwd: ws });
    expect(fromPlan.status).toBe(0);
    expect(fromPlan.stdout).toBe(golden('steps.dot'));
  });

  it('gives the same bytes every time, wherever it is run from', async () => {
    const ws = makeWorkspace({ 'a/steps.nurture': fixture });
    const runs = await Promise.all([
      runCli(['graph', 'a', '--format', 'svg'], { cwd: ws }),
      runCli(['graph', join(ws, 'a', 'steps.nurture'), '--format', 'svg'], { cwd: REPO }),
      runCli(['graph', '.', '--format', 'svg'], { cwd: join(ws, 'a') }),
    ]);
    for (const r of runs) expect(r.stdout).toBe(golden('steps.svg'));
  });

  it('draws one journey with --journey', async () => {
    const r = await runCli(['graph', STEPS, '--journey', 'accueil_été']);
    expect(r.status).toBe(0);
    const chart = checkMermaid(r.stdout);
    expect([...chart.subgraphs.values()]).toEqual(['journey accueil_été']);
    expect([...chart.nodes.keys()]).toEqual(['j0_start', 'j0_s0', 'j0_done']);
  });

  it('refuses an unknown journey with exit 2, a did-you-mean and the list of journeys', async () => {
    const r = await runCli(['graph', STEPS, '--journey', 'renewal']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('nurture: no journey `renewal` (did you mean `renewals`?); the journeys are: onboarding, renewals, accueil_été\n');
    const far = await runCli(['graph', STEPS, '--journey', 'zzz']);
    expect(far.status).toBe(2);
    expect(far.stderr).toBe('nurture: no journey `zzz`; the journeys are: onboarding, renewals, accueil_été\n');
    const ws = makeWorkspace({ 'a.nurture': 'event e\n' });
    const none = await runCli(['graph', '.', '--journey', 'x'], { cwd: ws });
    expect([none.status, none.stderr]).toEqual([2, 'nurture: no journey `x`: the workspace has no journey\n']);
  });

  it('draws an empty picture for a workspace with no journey, and says so on stderr', async () => {
    const ws = makeWorkspace({ 'a.nurture': 'event e\n' });
    const r = await runCli(['graph', '.'], { cwd: ws });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('flowchart TD\n  %% no journey in this plan\n');
    expect(r.stderr).toBe('nurture: the workspace has no journey: the picture is empty\n');
  });

  it('reports the errors of a workspace like check, exit 1, nothing on stdout', async () => {
    const ws = makeWorkspace({ 'bad.nurture': 'journey j {\n  entry on nothing\n  send nope\n}\n' });
    const r = await runCli(['graph', '.'], { cwd: ws });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const check = await runCli(['check', '.'], { cwd: ws });
    expect(r.stderr).toBe(check.stderr + check.stdout);
    expect(r.stderr).toContain('bad.nurture:2:');
    const invalidPlan = makeWorkspace({ 'plan.json': '{"format": "nurture-plan"}' });
    const p = await runCli(['graph', 'plan.json'], { cwd: invalidPlan });
    expect([p.status, p.stdout]).toEqual([1, '']);
    expect(p.stderr).toMatch(/^plan\.json: invalid plan: /);
  });

  it('writes to -o FILE, in the format its name implies unless --format says otherwise', async () => {
    const ws = makeWorkspace({ 'steps.nurture': fixture });
    for (const [args, file, name] of [
      [['-o', 'out.svg'], 'out.svg', 'steps.svg'],
      [['-o', 'out.gv'], 'out.gv', 'steps.dot'],
      [['-o', 'out.dot'], 'out.dot', 'steps.dot'],
      [['-o', 'out.mmd'], 'out.mmd', 'steps.mmd'],
      [['-o', 'out.md'], 'out.md', 'steps.mmd'],
      [['--output', 'x.svg', '--format', 'dot'], 'x.svg', 'steps.dot'],
    ] as const) {
      const r = await runCli(['graph', 'steps.nurture', ...args], { cwd: ws });
      expect([r.status, r.stdout, r.stderr], file).toEqual([0, '', '']);
      expect(readFileSync(join(ws, file), 'utf8'), file).toBe(golden(name));
    }
  });

  it('refuses an -o extension it cannot write (.png) with a hint, and an -o naming an input; nothing written', async () => {
    const ws = makeWorkspace({ 'steps.nurture': fixture });
    const png = await runCli(['graph', 'steps.nurture', '-o', 'x.png'], { cwd: ws });
    expect([png.status, png.stdout]).toEqual([2, '']);
    expect(png.stderr).toBe(
      'nurture: cannot tell which picture to write to `x.png` from its extension: graph writes .mmd/.mermaid (Mermaid), .dot/.gv (Graphviz) and .svg ' +
        '(for a PNG: `nurture graph … --format dot | dot -Tpng -o x.png`); or give --format\n',
    );
    const pdf = await runCli(['graph', 'steps.nurture', '-o', 'x.tex'], { cwd: ws });
    expect(pdf.status).toBe(2);
    expect(pdf.stderr).toMatch(/^nurture: cannot tell which picture to write to `x\.tex` from its extension: .*; or give --format\n$/);
    expect(existsSync(join(ws, 'x.png')) || existsSync(join(ws, 'x.tex'))).toBe(false);
    const forced = await runCli(['graph', 'steps.nurture', '-o', 'x.png', '--format', 'svg'], { cwd: ws });
    expect(forced.status).toBe(0);
    expect(readFileSync(join(ws, 'x.png'), 'utf8')).toBe(golden('steps.svg'));
    const bare = await runCli(['graph', 'steps.nurture', '-o', 'graph'], { cwd: ws });
    expect(bare.status).toBe(0);
    expect(readFileSync(join(ws, 'graph'), 'utf8')).toBe(golden('steps.mmd'));
    const source = await runCli(['graph', 'steps.nurture', '-o', 'steps.nurture', '--format', 'dot'], { cwd: ws });
    expect(source.status).toBe(2);
    expect(source.stderr).toBe('nurture: `-o steps.nurture` names the same file as the input `steps.nurture`: writing it would destroy that input; give `-o` another file\n');
    expect(readFileSync(join(ws, 'steps.nurture'), 'utf8')).toBe(fixture);
  });

  it('exits 2 on usage and I/O problems', async () => {
    const none = await runCli(['graph']);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^nurture: `graph` needs a PLAN \(\.json\) or at least one PATH/);
    const format = await runCli(['graph', STEPS, '--format', 'png']);
    expect(format.status).toBe(2);
    expect(format.stderr).toBe('nurture: invalid value `png` for `--format` (allowed: mermaid, dot, svg)\n');
    const flag = await runCli(['graph', STEPS, '--jurney', 'x']);
    expect([flag.status, flag.stderr]).toEqual([2, 'nurture: unknown flag `--jurney` for `graph` (did you mean `--journey`?)\n']);
    const missing = await runCli(['graph', 'no/such/dir']);
    expect(missing.status).toBe(2);
    const ws = makeWorkspace({ 'steps.nurture': fixture });
    const unwritable = await runCli(['graph', 'steps.nurture', '-o', 'no/such/dir/out.svg'], { cwd: ws });
    expect(unwritable.status).toBe(2);
    expect(unwritable.stderr).toMatch(/^nurture: cannot write `no\/such\/dir\/out\.svg`: /);
    expect(existsSync(join(ws, 'no'))).toBe(false);
  });

  it('has help with the usage, the formats, the exit statuses and examples, and is listed in nurture --help', async () => {
    const r = await runCli(['graph', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: nurture graph PATH…\|PLAN\.json \[--journey NAME\] \[--format mermaid\|dot\|svg\] \[-o FILE\]\n/);
    for (const s of ['--journey NAME', '--format FORMAT', '-o, --output FILE', 'Exit status: 0 drawn, 1', 'Examples:']) expect(r.stdout).toContain(s);
    const top = await runCli(['--help']);
    expect(top.stdout).toMatch(/\n {2}graph +draw the journeys/);
  });
});
