// `nurture compile`: exit statuses, stdout vs -o, nothing written on errors, same text as `check`.
// Runs `main` in process (the code under test, not the bundle).
import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { loadPlan } from '../../runtime/load-plan.js';
import { REPO } from './helpers.js';

function capture() {
  let text = '';
  return { write: (s: string) => void (text += s), get text() { return text; }, isTTY: false };
}

async function run(args: string[], cwd: string): Promise<{ status: number; stdout: string; stderr: string }> {
  const stdout = capture();
  const stderr = capture();
  const status = await main(args, { stdout, stderr, env: {}, cwd, version: '9.9.9' });
  return { status, stdout: stdout.text, stderr: stderr.text };
}

const made: string[] = [];
function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'nurture-compile-'));
  made.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

const GOOD = `lead {
  email_consent: bool
}
event signed_up
channel email { consent: email_consent }
content hello { channel: email }
journey greet {
  entry on signed_up
  send hello
}
`;
const WARNING = GOOD.replace('content hello { channel: email }', 'content hello { channel: email, tempalte: "tpl" }'); // NUR106
const BROKEN = GOOD.replace('send hello', 'send helo');

describe('nurture compile', () => {
  it('writes the plan to stdout and exits 0', async () => {
    const dir = workspace({ 'a.nurture': GOOD });
    const r = await run(['compile', 'a.nurture'], dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const loaded = loadPlan(r.stdout);
    expect(loaded.ok).toBe(true);
    expect(r.stdout.endsWith('}\n')).toBe(true);
    const plan = JSON.parse(r.stdout);
    expect(plan.source.compiler).toBe('nurture 9.9.9');
    expect(plan.source.files.map((f: { path: string }) => f.path)).toEqual(['a.nurture']);
  });

  it('writes to -o FILE, and to --output FILE, with the same bytes as stdout', async () => {
    const dir = workspace({ 'src/a.nurture': GOOD });
    const out = await run(['compile', 'src'], dir);
    expect(out.status).toBe(0);
    const r1 = await run(['compile', 'src', '-o', 'plan.json'], dir);
    expect(r1).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(readFileSync(join(dir, 'plan.json'), 'utf8')).toBe(out.stdout);
    const r2 = await run(['compile', '--output', 'out/plan2.json', 'src'], dir);
    // The folder of FILE must exist: an I/O problem is exit 2.
    expect(r2.status).toBe(2);
    expect(r2.stderr).toMatch(/^nurture: cannot write `out\/plan2.json`: no such file or folder/);
    // No temporary file is left behind.
    expect(readdirSync(dir).sort()).toEqual(['plan.json', 'src']);
  });

  it('paths in the plan are relative to the workspace root, whatever the cwd', async () => {
    const dir = workspace({ 'ws/a.nurture': GOOD, 'ws/sub/b.nurture': '# empty\n' });
    const fromInside = await run(['compile', '.'], join(dir, 'ws'));
    const fromOutside = await run(['compile', 'ws'], dir);
    expect(fromInside.status).toBe(0);
    expect(fromOutside.stdout).toBe(fromInside.stdout);
    expect(JSON.parse(fromInside.stdout).source.files.map((f: { path: string }) => f.path)).toEqual(['a.nurture', 'sub/b.nurture']);
  });

  it('the order of the PATH arguments does not matter', async () => {
    const dir = workspace({ 'b.nurture': GOOD, 'a.nurture': 'stages one, two\n' });
    const ab = await run(['compile', 'a.nurture', 'b.nurture'], dir);
    const ba = await run(['compile', 'b.nurture', 'a.nurture'], dir);
    expect(ab.status).toBe(0);
    expect(ba.stdout).toBe(ab.stdout);
  });

  it('on errors: prints the diagnostics like `check` on stderr, exits 1 and writes nothing', async () => {
    const dir = workspace({ 'a.nurture': BROKEN, 'plan.json': 'old plan\n' });
    const r = await run(['compile', 'a.nurture', '-o', 'plan.json'], dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const checked = await run(['check', 'a.nurture'], dir);
    expect(checked.status).toBe(1);
    expect(r.stderr).toBe(checked.stdout + 'nurture: nothing written: the workspace has errors\n');
    expect(r.stderr).toContain('NUR100');
    expect(readFileSync(join(dir, 'plan.json'), 'utf8')).toBe('old plan\n');

    const toStdout = await run(['compile', 'a.nurture'], dir);
    expect(toStdout.status).toBe(1);
    expect(toStdout.stdout).toBe('');
  });

  it('warnings are printed on stderr and do not stop compilation', async () => {
    const dir = workspace({ 'a.nurture': WARNING });
    const r = await run(['compile', 'a.nurture', '-o', 'plan.json'], dir);
    const checked = await run(['check', 'a.nurture'], dir);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('warning[NUR106]');
    expect(r.stderr).toBe(checked.stdout);
    expect(loadPlan(readFileSync(join(dir, 'plan.json'), 'utf8')).ok).toBe(true);
  });

  it('what plan version 1 cannot express is a checker error: check, compile, test, simulate and graph agree (exit 1, located)', async () => {
    const dir = workspace({
      'a.nurture': 'lead { x: number }\nstages a, b\ntest "t" {\n  lead { stage: b, x: 1 }\n  expect stage is b\n}\n',
      'events.jsonl': '',
    });
    const checked = await run(['check', 'a.nurture'], dir);
    expect(checked.status).toBe(1);
    expect(checked.stdout).toMatch(/^error\[NUR102\]: `stage` is not an attribute: a test lead starts in the first stage, `a`/);
    expect(checked.stdout).toContain('a.nurture:4:10');
    for (const args of [['compile', 'a.nurture', '-o', 'plan.json'], ['test', 'a.nurture'], ['simulate', 'a.nurture', '--events', 'events.jsonl'], ['graph', 'a.nurture']]) {
      const r = await run(args, dir);
      expect([args[0], r.status]).toEqual([args[0], 1]);
      expect(r.stderr.startsWith(checked.stdout), `${args[0]} reports what check reports`).toBe(true);
      expect(r.stdout).toBe('');
    }
    expect(existsSync(join(dir, 'plan.json'))).toBe(false);
  });

  it('-o naming one of the sources is refused before anything is written (symlinks, ./x, hard links)', async () => {
    const dir = workspace({ 'src/a.nurture': GOOD, 'src/notes.txt': 'x' });
    symlinkSync(join(dir, 'src/a.nurture'), join(dir, 'alias.json'));
    linkSync(join(dir, 'src/a.nurture'), join(dir, 'hard.json'));
    for (const [args, shown] of [
      [['src', '-o', 'src/a.nurture'], 'src/a.nurture'],
      [['src/a.nurture', '-o', './src/../src/a.nurture'], './src/../src/a.nurture'],
      [['src', '-o', 'alias.json'], 'alias.json'],
      [['src', '--output', 'hard.json'], 'hard.json'],
    ] as const) {
      const r = await run(['compile', ...args], dir);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^nurture: \`-o ${shown.replace(/[.*]/g, '\\$&')}\` names the same file as the input \`src/a\\.nurture\`: writing it would destroy that input; give \`-o\` another file\n$`));
    }
    expect(readFileSync(join(dir, 'src/a.nurture'), 'utf8')).toBe(GOOD);
    expect(readdirSync(join(dir, 'src')).sort()).toEqual(['a.nurture', 'notes.txt']); // no temporary file either
    const ok = await run(['compile', 'src', '-o', 'src/notes.txt'], dir); // not a source: replaced
    expect(ok.status).toBe(0);
  });

  it('usage and I/O problems exit 2', async () => {
    const dir = workspace({ 'a.nurture': GOOD });
    const none = await run(['compile'], dir);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/`compile` needs at least one PATH/);
    const missing = await run(['compile', 'nope.nurture'], dir);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/cannot read `nope.nurture`: no such file or folder/);
    const badFlag = await run(['compile', 'a.nurture', '--format', 'json'], dir);
    expect(badFlag.status).toBe(2);
    expect(existsSync(join(dir, 'plan.json'))).toBe(false);
  });

  it('compiles the spec example to the golden plan (paths relative to its folder)', async () => {
    const r = await run(['compile', 'tests/fixtures/valid/spec-example.nurture'], REPO);
    expect(r.status).toBe(0);
    const golden = readFileSync(join(REPO, 'tests/compile/golden/spec-example.plan.json'), 'utf8');
    expect(r.stdout).toBe(golden.replace('"compiler": "nurture 0.1.0"', '"compiler": "nurture 9.9.9"'));
  });

  it('is listed in --help', async () => {
    const r = await run(['--help'], REPO);
    expect(r.stdout).toMatch(/compile/);
    const help = await run(['compile', '--help'], REPO);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('nurture compile PATH… [-o FILE]');
  });
});
