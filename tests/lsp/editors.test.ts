// Real, independent LSP clients against the server: Neovim's built-in client (headless) and Emacs's
// eglot (batch), each opening a fixture, receiving its diagnostics and a completion list.
// Skipped, with a message, when `nvim` / `emacs` (with eglot) is not installed; `.ci/run` installs them
// (Debian: `apt-get install -y neovim` and `apt-get install -y --no-install-recommends emacs-nox elpa-eglot`).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { BIN, FIXTURES, REPO, requireBundle } from './client.js';

function has(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20000 });
  return r.status === 0;
}

const hasNvim = has('nvim', ['--version']);
const hasEglot = has('emacs', ['-q', '--batch', '--eval', "(require 'eglot)"]);
if (!hasNvim) console.warn('SKIPPED: Neovim LSP client test — `nvim` is not installed (apt-get install -y neovim)');
if (!hasEglot) console.warn('SKIPPED: Emacs/eglot LSP client test — `emacs` with eglot is not installed (apt-get install -y --no-install-recommends emacs-nox elpa-eglot)');

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

/** A copy of the `broken` fixture outside the repository (so no editor finds a larger project). */
function workspace(): { root: string; env: NodeJS.ProcessEnv } {
  requireBundle();
  const root = mkdtempSync(join(tmpdir(), 'nurture-editor-'));
  const home = mkdtempSync(join(tmpdir(), 'nurture-editor-home-'));
  temps.push(root, home);
  cpSync(join(FIXTURES, 'broken'), root, { recursive: true });
  return {
    root,
    env: {
      ...process.env, HOME: home, XDG_CONFIG_HOME: home, XDG_DATA_HOME: home, XDG_STATE_HOME: home, XDG_CACHE_HOME: home,
      NURTURE_NODE: process.execPath, NURTURE_BIN: BIN, NURTURE_ROOT: root, NURTURE_FILE: join(root, 'journey.nurture'),
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
    const { root, env } = workspace();
    const r = spawnSync('nvim', ['--headless', '--clean', '-c', `luafile ${join(REPO, 'tests/lsp/clients/probe.lua')}`], {
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
    const { root, env } = workspace();
    const r = spawnSync('emacs', ['-q', '--batch', '-l', join(REPO, 'tests/lsp/clients/probe.el')], {
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
