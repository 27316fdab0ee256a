// The README's commands, run: every `console` and `sh` block of README.md is either run here — its
// `$ nurture …` commands with this checkout's bin/nurture.js, their output compared with the output the
// block shows — or named below with the reason it is not (a long install, a benchmark). A new block
// must be one or the other, so the README stays true.
//
// Comparison: tests/docs/markdown.ts (`…` elides lines, a line ending in ` …` elides its end). The quick
// start's transcript of the demo is compared in tests/examples/demo.test.ts, which runs the demo.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, REPO } from '../cli/helpers.js';
import { fencedBlocks, isDemoBlock, matchesShown, type Block } from './markdown.js';

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nurture-readme-'));
  made.push(dir);
  return dir;
}

/** Runs one shell command line of the README, `nurture` being this checkout's bin. */
function sh(command: string, cwd: string): { status: number | null; output: string } {
  const line = command.replace(/(^|&& |; )nurture /g, `$1"${process.execPath}" "${BIN}" `);
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' };
  delete env['FORCE_COLOR']; // vitest sets it
  const r = spawnSync('bash', ['-c', line], { cwd, encoding: 'utf8', env, timeout: 120_000 });
  return { status: r.status, output: (r.stdout + r.stderr).replace(/\n$/, '') };
}

/** `$ command` lines and the output shown under each. */
function transcript(lines: readonly string[]): { command: string; shown: string[] }[] {
  const out: { command: string; shown: string[] }[] = [];
  for (const line of lines) {
    if (line.startsWith('$ ')) out.push({ command: line.slice(2), shown: [] });
    else if (out.length > 0) out[out.length - 1]!.shown.push(line);
  }
  for (const t of out) while (t.shown.at(-1) === '') t.shown.pop(); // the blank line between commands
  return out;
}

/** Where a block's commands run; most run in the checkout, some need files made first. */
const SETUPS: Record<string, () => string> = {
  // tour step 3: examples/acme with the demo request of its test taken out
  'nurture test examples/acme': () => {
    const dir = tempDir();
    cpSync(join(REPO, 'examples/acme'), join(dir, 'examples/acme'), { recursive: true });
    const file = join(dir, 'examples/acme/acme.nurture');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.splice(lines.findIndex((l, i) => l === '  demo_requested' && lines[i + 1] === '  expect stage is mql'), 1);
    writeFileSync(file, lines.join('\n'));
    return dir;
  },
  // tour step 6: the examples, plus a plan and a month of events for the second command
  'nurture simulate examples/saas': () => {
    const dir = tempDir();
    symlinkSync(join(REPO, 'examples'), join(dir, 'examples'));
    expect(sh('nurture compile examples/saas -o plan.json', dir).status).toBe(0);
    cpSync(join(REPO, 'examples/saas/events.jsonl'), join(dir, 'january.jsonl'));
    return dir;
  },
};

/** Blocks not run, each with its reason (matched by the start of the block's first line). */
const NOT_RUN: Record<string, string> = {
  'npm ci && npm run demo': 'installs; the demo itself is run below (`node examples/demo.mjs`)',
  'npm install --save-dev ../nurture/': 'installs a package: tests/package/install.test.ts does this offline',
  'npm ci ': 'the development set-up: installs, runs every test, builds the .vsix, installs VS Code',
  'npm run bench:check': 'benchmarks: minutes each, figures vary by machine',
  'npm run build\nexport NURTURE_TOKENS': 'a server in the background: tests/serve/readme.test.ts runs it as written (without the build)',
};

const README = readFileSync(join(REPO, 'README.md'), 'utf8');
const blocks = fencedBlocks(README).filter((b) => b.lang === 'console' || b.lang === 'sh');

describe('README.md, run', { timeout: 120_000 }, () => {
  it('has no console or sh block that is neither run nor named as not run', () => {
    const unknown = blocks.filter((b) => !isDemoBlock(b) && !notRun(b) && !b.lines.some((l) => l.startsWith('$ nurture ') || l.startsWith('nurture ')));
    expect(unknown.map((b) => `README.md:${b.line}: ${b.lines[0]}`)).toEqual([]);
  });

  for (const block of blocks.filter((b) => !notRun(b) && !isDemoBlock(b))) {
    it(`README.md:${block.line} (${block.section}): ${block.lines[0]}`, () => {
      if (block.lang === 'sh') {
        const commands = block.lines.map((l) => l.replace(/\s+#.*$/, '')).filter((l) => l.trim() !== '');
        const cwd = setupFor(commands[0]!);
        for (const command of commands) {
          const r = sh(command, cwd);
          expect(r.status, `${command}\n${r.output}`).toBe(0);
        }
        return;
      }
      const commands = transcript(block.lines);
      expect(commands.length, 'a console block shows `$ command` lines and their output').toBeGreaterThan(0);
      for (const { command, shown } of commands) {
        const r = sh(command, setupFor(command));
        const actual = r.output.split('\n');
        expect(matchesShown(shown, actual), `$ ${command}\n--- shown\n${shown.join('\n')}\n--- printed\n${r.output}`).toBe(true);
      }
    });
  }

  it('the matcher fails on a difference (so that the checks above can fail)', () => {
    expect(matchesShown(['a', '…', 'd'], ['a', 'b', 'c', 'd'])).toBe(true);
    expect(matchesShown(['a', 'b …'], ['a', 'b and more'])).toBe(true);
    expect(matchesShown(['a', 'd'], ['a', 'b', 'd'])).toBe(false);
    expect(matchesShown(['a', 'x …'], ['a', 'b and more'])).toBe(false);
    expect(matchesShown(['  …', 'c'], ['a', 'b', 'c'])).toBe(true);
    expect(matchesShown(['a'], ['a', 'b'])).toBe(false);
  });
});

function notRun(b: Block): boolean {
  const head = b.lines.slice(0, 2).join('\n');
  return Object.keys(NOT_RUN).some((start) => head.startsWith(start));
}

function setupFor(command: string): string {
  const key = Object.keys(SETUPS).find((k) => command.startsWith(k));
  return key ? SETUPS[key]!() : REPO;
}

