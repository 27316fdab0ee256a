// `nurture check` end to end: the real executable on temporary workspaces.
// Tests marked [checker] need the checker (names, types…); the others only the parser or nothing.
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLEAN, REPO, cleanWorkspaces, makeWorkspace, runCli } from './helpers.js';

afterAll(cleanWorkspaces);

const REQUIRED = ['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'message'];

interface JsonDiag {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
  help?: string;
  related?: { file: string; line: number; column: number; message: string }[];
}

function json(run: { stdout: string; stderr: string }): JsonDiag[] {
  let parsed: { diagnostics: JsonDiag[] };
  try {
    parsed = JSON.parse(run.stdout) as { diagnostics: JsonDiag[] };
  } catch {
    throw new Error(`not JSON on stdout: ${JSON.stringify(run.stdout)}; stderr: ${run.stderr}`);
  }
  expect(Object.keys(parsed)).toEqual(['diagnostics']);
  return parsed.diagnostics;
}

/** The `|  ^^^` line following the source line `N | …` in text output; returns [caret start, width]. */
function caretsUnder(stdout: string, lineNo: number): { source: string; start: number; width: number } {
  const lines = stdout.split('\n');
  const i = lines.findIndex((l) => new RegExp(`^\\s*${lineNo} \\| `).test(l));
  expect(i, `source line ${lineNo} in:\n${stdout}`).toBeGreaterThanOrEqual(0);
  const caretLine = lines[i + 1]!;
  const start = caretLine.indexOf('^');
  const width = caretLine.slice(start).match(/^\^+/)![0].length;
  return { source: lines[i]!, start, width };
}

describe.concurrent('nurture check: clean input', { timeout: 120_000 }, () => {
  it('exits 0 on the acme example (the spec example without its redundant cap) and says so', async () => {
    const r = await runCli(['check', 'examples/acme']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('checked 1 file: no problems\n');
    expect(r.status).toBe(0);
  });

  it('exits 0 on the spec example: a warning is not an error', async () => {
    const r = await runCli(['check', 'tests/fixtures/valid/spec-example.nurture']);
    expect(r.stdout).toMatch(/^warning\[NUR305\]: `max 1 message per day on email` is redundant/);
    expect(r.stdout).toMatch(/checked 1 file: 1 warning\n$/);
    expect(r.status).toBe(0);
  });

  it('prints an empty json list, an empty github output and an empty SARIF run', async () => {
    const dir = makeWorkspace({ 'a.nurture': CLEAN });
    const j = await runCli(['check', 'a.nurture', '--format', 'json'], { cwd: dir });
    expect(j.status).toBe(0);
    expect(json(j)).toEqual([]);
    const g = await runCli(['check', 'a.nurture', '--format=github'], { cwd: dir });
    expect(g.status).toBe(0);
    expect(g.stdout).toBe('');
    const s = await runCli(['check', 'a.nurture', '--format', 'sarif'], { cwd: dir });
    expect(s.status).toBe(0);
    const log = JSON.parse(s.stdout);
    expect(log.runs[0].results).toEqual([]);
    expect(log.runs[0].tool.driver.rules).toEqual([]);
  });
});

describe.concurrent('nurture check: errors from the parser', { timeout: 120_000 }, () => {
  it('reports an invalid character (NUR002) with exit 1, in every format', async () => {
    const dir = makeWorkspace({ 'flows/bad.nurture': CLEAN + 'event oops @\n' });
    const lineNo = CLEAN.split('\n').length; // the appended line
    const t = await runCli(['check', 'flows'], { cwd: dir });
    expect(t.status).toBe(1);
    expect(t.stdout).toContain('error[NUR002]');
    expect(t.stdout).toContain(`--> flows/bad.nurture:${lineNo}:12\n`);
    const c = caretsUnder(t.stdout, lineNo);
    expect(c.source.slice(c.start, c.start + c.width)).toBe('@');
    expect(t.stdout.trimEnd().split('\n').at(-1)).toMatch(/^checked 1 file: \d+ errors?/);

    const j = json(await runCli(['check', 'flows', '--format', 'json'], { cwd: dir }));
    const d = j.find((x) => x.code === 'NUR002')!;
    expect(Object.keys(d).slice(0, 8)).toEqual(REQUIRED);
    expect(d).toMatchObject({ file: 'flows/bad.nurture', line: lineNo, column: 12, endLine: lineNo, endColumn: 13, severity: 'error' });

    const g = await runCli(['check', 'flows', '--format', 'github'], { cwd: dir });
    expect(g.status).toBe(1);
    expect(g.stdout).toContain(`::error file=flows/bad.nurture,line=${lineNo},col=12,endLine=${lineNo},endColumn=13,title=NUR002::`);
    for (const line of g.stdout.trimEnd().split('\n')) {
      expect(line).toMatch(/^::(error|warning) file=[^,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=NUR\d{3}::\S/);
    }

    const s = JSON.parse((await runCli(['check', 'flows', '--format', 'sarif'], { cwd: dir })).stdout);
    const res = s.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'NUR002');
    expect(res.level).toBe('error');
    expect(res.locations[0].physicalLocation.artifactLocation.uri).toBe('flows/bad.nurture');
    expect(res.locations[0].physicalLocation.region).toEqual({ startLine: lineNo, startColumn: 12, endLine: lineNo, endColumn: 13 });
    expect(s.runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toContain('NUR002');
  });

  it('strips a UTF-8 byte order mark (columns count from the first real character)', async () => {
    const dir = makeWorkspace({ 'bom.nurture': Buffer.from('\uFEFF@ event x\n', 'utf8') });
    const j = json(await runCli(['check', 'bom.nurture', '--format', 'json'], { cwd: dir }));
    expect(j[0]).toMatchObject({ code: 'NUR002', line: 1, column: 1 });
    expect(j.filter((d) => d.code === 'NUR002')).toHaveLength(1);
  });

  it('colours only when forced (stdout is not a TTY here), and NO_COLOR does not colour', async () => {
    const dir = makeWorkspace({ 'a.nurture': '@\n' });
    expect((await runCli(['check', 'a.nurture'], { cwd: dir })).stdout).not.toContain('\x1b[');
    expect((await runCli(['check', 'a.nurture'], { cwd: dir, env: { NO_COLOR: '1' } })).stdout).not.toContain('\x1b[');
    expect((await runCli(['check', 'a.nurture'], { cwd: dir, env: { FORCE_COLOR: '1' } })).stdout).toContain('\x1b[');
    expect((await runCli(['check', 'a.nurture'], { cwd: dir, env: { FORCE_COLOR: '0' } })).stdout).not.toContain('\x1b[');
  });
});

describe.concurrent('nurture check: diagnostics from the checker [checker]', { timeout: 120_000 }, () => {
  it('reports an unknown content (NUR100) with carets under the name', async () => {
    const src = CLEAN.replace('  send hello\n', '  send hello\n  send nothing_declared\n');
    const dir = makeWorkspace({ 'journeys/welcome.nurture': src });
    const r = await runCli(['check', 'journeys/welcome.nurture'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^error\[NUR100\]: .*nothing_declared/m);
    const lineNo = src.split('\n').indexOf('  send nothing_declared') + 1;
    expect(r.stdout).toContain(`--> journeys/welcome.nurture:${lineNo}:8\n`);
    const c = caretsUnder(r.stdout, lineNo);
    expect(c.source.slice(c.start, c.start + c.width)).toBe('nothing_declared');
    const j = json(await runCli(['check', 'journeys/welcome.nurture', '--format', 'json'], { cwd: dir }));
    expect(j).toContainEqual(
      expect.objectContaining({ code: 'NUR100', line: lineNo, column: 8, endLine: lineNo, endColumn: 24, severity: 'error' }),
    );
  });

  it('suggests a close name (did you mean)', async () => {
    const src = CLEAN.replace('  send hello\n', '  send hello\n  send helo\n');
    const dir = makeWorkspace({ 'a.nurture': src });
    const r = await runCli(['check', 'a.nurture'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/= help: .*`hello`/);
  });

  it('shows both places of a name declared twice (NUR101), across files', async () => {
    const dir = makeWorkspace({ 'a.nurture': CLEAN, 'b.nurture': 'content hello { channel: email, topic: news }\n' });
    const r = await runCli(['check', '.'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('[NUR101]');
    expect(r.stdout).toMatch(/^note: /m);
    const j = json(await runCli(['check', '.', '--format', 'json'], { cwd: dir }));
    const d = j.find((x) => x.code === 'NUR101')!;
    expect(d.related?.length).toBeGreaterThan(0);
    expect(['./a.nurture', './b.nurture']).toContain(d.related![0]!.file);
    const s = JSON.parse((await runCli(['check', '.', '--format', 'sarif'], { cwd: dir })).stdout);
    const res = s.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'NUR101');
    expect(res.relatedLocations[0].physicalLocation.region.startLine).toBeGreaterThan(0);
  });

  it('counts warnings against --max-warnings (NUR106 typo of a content key)', async () => {
    const src = CLEAN.replace('content hello { channel: email, topic: news }', 'content hello { channel: email, topic: news, templat: "x" }');
    const dir = makeWorkspace({ 'w.nurture': src });
    const plain = await runCli(['check', 'w.nurture'], { cwd: dir });
    expect(plain.status).toBe(0); // warnings alone do not fail
    expect(plain.stdout).toContain('warning[NUR106]');
    expect(plain.stdout).toMatch(/checked 1 file: \d+ warnings?\n$/);
    const warnings = json(await runCli(['check', 'w.nurture', '--format', 'json'], { cwd: dir })).filter(
      (d) => d.severity === 'warning',
    ).length;
    expect(warnings).toBeGreaterThan(0);
    const ok = await runCli(['check', 'w.nurture', '--max-warnings', String(warnings)], { cwd: dir });
    expect(ok.status).toBe(0);
    const tooMany = await runCli(['check', 'w.nurture', '--max-warnings', String(warnings - 1)], { cwd: dir });
    expect(tooMany.status).toBe(1);
    expect(tooMany.stdout).toContain(`too many warnings: ${warnings} (--max-warnings ${warnings - 1})`);
    const tooManyJson = await runCli(['check', 'w.nurture', '--max-warnings=0', '--format', 'json'], { cwd: dir });
    expect(tooManyJson.status).toBe(1);
    expect(() => JSON.parse(tooManyJson.stdout)).not.toThrow(); // stdout stays pure JSON
    expect(tooManyJson.stderr).toMatch(/^nurture: too many warnings/);
    const g = await runCli(['check', 'w.nurture', '--format', 'github'], { cwd: dir });
    expect(g.stdout).toMatch(/^::warning file=w\.nurture,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=NUR106::/m);
  });

  it('sorts diagnostics by file then position', async () => {
    const dir = makeWorkspace({ 'b.nurture': CLEAN.replace('send hello', 'send nope_b'), 'a.nurture': 'content spare_a { channel: nowhere }\n' });
    const j = json(await runCli(['check', '.', '--format', 'json'], { cwd: dir }));
    const keys = j.map((d) => [d.file, d.line, d.column] as const);
    const sorted = [...keys].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] - y[1] || x[2] - y[2]));
    expect(keys).toEqual(sorted);
  });
});

describe.concurrent('nurture check: files and folders', { timeout: 120_000 }, () => {
  it('finds every .nurture below a folder, skipping node_modules and dot-folders, paths as typed', async () => {
    const dir = makeWorkspace({
      'ws/a.nurture': '@\n',
      'ws/sub/deeper/b.nurture': '@\n',
      'ws/notes.txt': '@\n',
      'ws/node_modules/pkg/c.nurture': '@\n',
      'ws/.git/d.nurture': '@\n',
      'ws/.hidden/e.nurture': '@\n',
    });
    const files = async (args: string[]) =>
      [...new Set(json(await runCli(['check', ...args, '--format', 'json'], { cwd: dir })).map((d) => d.file))];
    expect(await files(['ws'])).toEqual(['ws/a.nurture', 'ws/sub/deeper/b.nurture']);
    expect(await files(['ws/'])).toEqual(['ws/a.nurture', 'ws/sub/deeper/b.nurture']);
    expect(await files(['./ws'])).toEqual(['./ws/a.nurture', './ws/sub/deeper/b.nurture']);
    expect(await files(['ws/sub'])).toEqual(['ws/sub/deeper/b.nurture']);
    expect(await files([join(dir, 'ws', 'sub')])).toEqual([join(dir, 'ws', 'sub', 'deeper', 'b.nurture').replace(/\\/g, '/')]);
    // A file given explicitly is checked whatever its name; the same file twice counts once.
    expect(await files(['ws/notes.txt', 'ws/a.nurture', './ws/a.nurture'])).toEqual(['ws/a.nurture', 'ws/notes.txt']);
    const r = await runCli(['check', 'ws'], { cwd: dir });
    expect(r.stdout).toMatch(/checked 2 files: 2 errors\n$/);
  });

  it('exits 2 with one line for a missing path', async () => {
    const dir = makeWorkspace({ 'a.nurture': CLEAN });
    const r = await runCli(['check', 'a.nurture', 'nope/x.nurture'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('nurture: cannot read `nope/x.nurture`: no such file or folder\n');
  });

  it('exits 2 for a folder without .nurture files', async () => {
    const dir = makeWorkspace({ 'empty/readme.md': '# nothing', 'empty/node_modules/x.nurture': CLEAN });
    const r = await runCli(['check', 'empty'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('nurture: no .nurture files in folder `empty`\n');
  });

  it('exits 2 when no PATH is given', async () => {
    const r = await runCli(['check']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^nurture: `check` needs at least one PATH/);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it.skipIf(typeof process.getuid === 'function' && process.getuid() === 0)('exits 2 on an unreadable file', async () => {
    const dir = makeWorkspace({ 'locked.nurture': CLEAN });
    chmodSync(join(dir, 'locked.nurture'), 0o000);
    const r = await runCli(['check', 'locked.nurture'], { cwd: dir });
    chmodSync(join(dir, 'locked.nurture'), 0o644);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('nurture: cannot read `locked.nurture`: permission denied\n');
  });
});

describe.concurrent('nurture: usage', { timeout: 120_000 }, () => {
  const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

  it('prints help and version', async () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const r = await runCli(args);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('Usage: nurture <command>');
      expect(r.stdout).toMatch(/^\s+check\s+/m);
    }
    const v = await runCli(['--version']);
    expect(v.status).toBe(0);
    expect(v.stdout).toBe(`nurture ${version}\n`);
  });

  it('prints a command help', async () => {
    for (const args of [['check', '--help'], ['help', 'check'], ['check', 'x', '-h', '--bogus']]) {
      const r = await runCli(args);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^Usage: nurture check PATH…/);
      expect(r.stdout).toContain('--format FORMAT');
      expect(r.stdout).toContain('--max-warnings N');
    }
  });

  it('exits 2 with help on stderr when called without a command', async () => {
    const r = await runCli([]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Usage: nurture <command>');
  });

  it('rejects an unknown command with a suggestion', async () => {
    const r = await runCli(['chek', '.']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('nurture: unknown command `chek` (did you mean `check`?); run `nurture --help` to see the commands\n');
    const far = await runCli(['frobnicate']);
    expect(far.status).toBe(2);
    expect(far.stderr).toBe('nurture: unknown command `frobnicate`; run `nurture --help` to see the commands\n');
    expect((await runCli(['help', 'chek'])).status).toBe(2);
    const path = await runCli(['examples']);
    expect(path.status).toBe(2);
    expect(path.stderr).toBe('nurture: unknown command `examples` (to check it: `nurture check examples`); run `nurture --help` to see the commands\n');
  });

  it('rejects unknown flags, missing and bad values with one line and exit 2', async () => {
    const cases: [string[], string][] = [
      [['check', '--formt', 'json', '.'], 'nurture: unknown flag `--formt` for `check` (did you mean `--format`?)\n'],
      [['check', '.', '--format'], 'nurture: flag `--format` needs a value (allowed: text, json, sarif, github, gitlab)\n'],
      [['check', '.', '--format', 'xml'], 'nurture: invalid value `xml` for `--format` (allowed: text, json, sarif, github, gitlab)\n'],
      [['check', '.', '--max-warnings', '-3'], 'nurture: invalid value `-3` for `--max-warnings` (allowed: a whole number, 0 or more)\n'],
      [['check', '.', '--max-warnings'], 'nurture: flag `--max-warnings` needs a value (allowed: a whole number, 0 or more)\n'],
      [['--verison'], 'nurture: unknown flag `--verison` (did you mean `--version`?)\n'],
    ];
    for (const [args, stderr] of cases) {
      const r = await runCli(args);
      expect(r.stderr, args.join(' ')).toBe(stderr);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
    }
  });

  it('treats everything after `--` as paths', async () => {
    const dir = makeWorkspace({ '--weird.nurture': '@\n' });
    const r = await runCli(['check', '--format', 'json', '--', '--weird.nurture'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(json(r)[0]!.file).toBe('--weird.nurture');
  });

  it('refuses a plan .json as a source and names the commands that run plans (was: parsed as source)', async () => {
    const dir = makeWorkspace({ 'a.nurture': CLEAN, 'plan.json': '{"format": "nurture-plan"}\n' });
    const cases: [string[], string][] = [
      [['check', 'plan.json'], 'nurture: `plan.json` is a plan (JSON), not a .nurture source: plans are run by `nurture test plan.json` and `nurture simulate plan.json`\n'],
      [['compile', 'a.nurture', 'plan.json'], 'nurture: `plan.json` is a plan (JSON), not a .nurture source: plans are run by `nurture test plan.json` and `nurture simulate plan.json`\n'],
      [['fmt', '--check', 'plan.json'], 'nurture: `plan.json` is a plan (JSON), not a .nurture source: plans are run by `nurture test plan.json` and `nurture simulate plan.json`\n'],
      [['test', 'a.nurture', 'plan.json'], 'nurture: `plan.json` is a plan (JSON): give it alone (`nurture test plan.json`), not with source files\n'],
    ];
    for (const [args, stderr] of cases) {
      const r = await runCli(args, { cwd: dir });
      expect(r.stderr, args.join(' ')).toBe(stderr);
      expect(r.status, args.join(' ')).toBe(2);
    }
  });
});
