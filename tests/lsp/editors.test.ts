// Real, independent LSP clients against the server: Neovim's built-in client (headless) and Emacs's
// eglot (batch), each configured exactly as docs/editors.md (and the README) say — the configuration is
// taken from the page — and opening a fixture in a project whose node_modules/.bin/nurture launches
// this checkout's bin, receiving its diagnostics and a completion list.
// Skipped, with a message, when `nvim` / `emacs` (with eglot) is not installed; `.ci/run` installs them
// (Debian: `apt-get install -y neovim` and `apt-get install -y --no-install-recommends emacs-nox elpa-eglot`).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { linkNurture } from '../cli/helpers.js';
import { fencedBlocks } from '../docs/markdown.js';
import { FIXTURES, REPO, requireBundle } from './client.js';

function has(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20000 });
  return r.status === 0;
}

const hasNvim = has('nvim', ['--version']);
const hasEglot = has('emacs', ['-q', '--batch', '--eval', "(require 'eglot)"]);
if (!hasNvim) console.warn('SKIPPED: Neovim LSP client test — `nvim` is not installed (apt-get install -y neovim)');
if (!hasEglot) console.warn('SKIPPED: Emacs/eglot LSP client test — `emacs` with eglot is not installed (apt-get install -y --no-install-recommends emacs-nox elpa-eglot)');

/** The one `lang` block of a `## heading…` section of a Markdown text. */
function configIn(markdown: string, section: string, lang: string): string {
  const found = fencedBlocks(markdown).filter((b) => b.lang === lang && b.section.startsWith(section));
  expect(found, `one ${lang} block under "## ${section}"`).toHaveLength(1);
  return found[0]!.lines.join('\n') + '\n';
}

const DOCS = readFileSync(join(REPO, 'docs/editors.md'), 'utf8');
const NEOVIM = configIn(DOCS, 'Neovim', 'lua');
const EMACS = configIn(DOCS, 'Emacs', 'elisp');

test('the README shows the configurations of docs/editors.md, which run the project\'s own nurture', () => {
  const readme = fencedBlocks(readFileSync(join(REPO, 'README.md'), 'utf8')).filter((b) => b.section === 'Editors');
  expect(readme.filter((b) => b.lang === 'lua').map((b) => b.lines.join('\n') + '\n')).toEqual([NEOVIM]);
  expect(readme.filter((b) => b.lang === 'elisp').map((b) => b.lines.join('\n') + '\n')).toEqual([EMACS]);
  for (const config of [NEOVIM, EMACS]) {
    expect(config).toContain('node_modules/.bin/nurture');
    expect(config).not.toMatch(/["']npx["']/); // not run through npx
  }
});

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

/** A copy of the `broken` fixture outside the repository (so no editor finds a larger project). */
function workspace(): { root: string; home: string; env: NodeJS.ProcessEnv } {
  requireBundle();
  const root = mkdtempSync(join(tmpdir(), 'nurture-editor-'));
  const home = mkdtempSync(join(tmpdir(), 'nurture-editor-home-'));
  temps.push(root, home);
  cpSync(join(FIXTURES, 'broken'), root, { recursive: true });
  // the project's own nurture, as `npm install --save-dev @nurture-lang/nurture` would link it
  linkNurture(root);
  writeFileSync(join(home, 'init.lua'), NEOVIM);
  writeFileSync(join(home, 'init.el'), EMACS);
  return {
    root,
    home,
    env: {
      ...process.env, HOME: home, XDG_CONFIG_HOME: home, XDG_DATA_HOME: home, XDG_STATE_HOME: home, XDG_CACHE_HOME: home,
      NURTURE_ROOT: root, NURTURE_FILE: join(root, 'journey.nurture'),
      // completion after `  send ` on line 3
      NURTURE_LINE: '2', NURTURE_COL: '7',
    },
  };
}

function outputLines(stdout: string): string[] {
  return stdout.split('\n').filter((l) => /^(diagnostic|completion|FAIL) /.test(l));
}

describe.skipIf(!hasNvim)('Neovim (built-in LSP client, headless)', () => {
  test('opens a fixture, receives its diagnostics and a completion list', () => {
    const { root, home, env } = workspace();
    const r = spawnSync('nvim', ['--headless', '--clean', '-c', `luafile ${join(home, 'init.lua')}`, '-c', `luafile ${join(REPO, 'tests/lsp/clients/probe.lua')}`], {
      cwd: root, env, encoding: 'utf8', timeout: 30000,
    });
    expect(outputLines(r.stdout), r.stderr).toEqual([
      'diagnostic 2:12 NUR100 unknown event `signed_up`',
      'diagnostic 3:8 NUR100 unknown content `helo`',
      'completion hello',
      'completion next from',
    ]);
    expect(r.status).toBe(0);
  });
});

describe.skipIf(!hasEglot)('Emacs (eglot, batch)', () => {
  test('opens a fixture, receives its diagnostics and a completion list', () => {
    const { root, home, env } = workspace();
    const r = spawnSync('emacs', ['-q', '--batch', '-l', join(home, 'init.el'), '-l', join(REPO, 'tests/lsp/clients/probe.el')], {
      cwd: root, env, encoding: 'utf8', timeout: 30000,
    });
    expect(outputLines(r.stdout), r.stderr).toEqual([
      'diagnostic 2:12 nurture [NUR100]: unknown event `signed_up`',
      'diagnostic 3:8 nurture [NUR100]: unknown content `helo`',
      'completion hello',
      'completion next from',
    ]);
    expect(r.status).toBe(0);
  });
});
