// Which files a folder walk takes: .gitignore and .nurtureignore (git's syntax and scoping), a PATH named
// on the command line always taken, and this repository's root, whose workspace is the examples only.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverFiles } from '../../cli/files.js';
import { ignoredBelow, IgnoreScope, parseRule } from '../../cli/ignore-files.js';
import { findSources } from '../../lsp/documents.js';
import { cleanWorkspaces, CLEAN, makeWorkspace, REPO, runCli } from './helpers.js';

afterAll(cleanWorkspaces);

function matches(pattern: string, path: string, isDir = false): boolean {
  const rule = parseRule(pattern, '/r')!;
  return rule.regex.test(path) && (!rule.dirOnly || isDir);
}

describe('an ignore pattern', () => {
  it.each([
    // pattern, path, is a folder, matches
    ['*.nurture', 'a.nurture', false, true],
    ['*.nurture', 'deep/down/a.nurture', false, true],
    ['draft', 'x/draft', true, true],
    ['draft/', 'x/draft', true, true],
    ['draft/', 'x/draft', false, false],
    ['/draft', 'draft', true, true],
    ['/draft', 'x/draft', true, false],
    ['tests/fixtures', 'tests/fixtures', true, true],
    ['tests/fixtures', 'x/tests/fixtures', true, false],
    ['**/fixtures', 'a/b/fixtures', true, true],
    ['**/fixtures', 'fixtures', true, true],
    ['a/**/b.nurture', 'a/b.nurture', false, true],
    ['a/**/b.nurture', 'a/x/y/b.nurture', false, true],
    ['a/**', 'a/x/y.nurture', false, true],
    ['a/**', 'a', true, false],
    ['?.nurture', 'x.nurture', false, true],
    ['?.nurture', 'xy.nurture', false, false],
    ['[ab].nurture', 'b.nurture', false, true],
    ['[!ab].nurture', 'b.nurture', false, false],
    ['a*b', 'a/b', false, false],
    ['\\#x', '#x', false, true],
    ['a.b', 'axb', false, false],
  ])('%s on %s (folder: %s) -> %s', (pattern, path, isDir, expected) => {
    expect(matches(pattern, path, isDir)).toBe(expected);
  });

  it('blank lines and comments are no rules; `!` negates', () => {
    expect(parseRule('', '/r')).toBeUndefined();
    expect(parseRule('   ', '/r')).toBeUndefined();
    expect(parseRule('# note', '/r')).toBeUndefined();
    expect(parseRule('!keep.nurture', '/r')!.negated).toBe(true);
  });
});

describe('a folder walk', () => {
  const git = (files: Record<string, string>): string => {
    const root = makeWorkspace(files);
    mkdirSync(join(root, '.git'));
    return root;
  };

  it('skips what .gitignore and .nurtureignore ignore, with nested files and `!`', () => {
    const root = git({
      '.gitignore': 'build/\n*.tmp.nurture\n',
      '.nurtureignore': '# not the workspace\n/fixtures/\n!keep.tmp.nurture\n',
      'a.nurture': CLEAN,
      'x.tmp.nurture': '',
      'keep.tmp.nurture': '',
      'build/out.nurture': '',
      'fixtures/bad.nurture': '',
      'sub/fixtures/good.nurture': '', // `/fixtures/` is anchored to the root
      'sub/.nurtureignore': 'local.nurture\n',
      'sub/local.nurture': '',
      'local.nurture': '', // the sub-folder's rule does not apply above it
    });
    const found = discoverFiles(['.'], root).map((f) => f.display);
    expect(found).toEqual(['./a.nurture', './keep.tmp.nurture', './local.nurture', './sub/fixtures/good.nurture']);
    expect(findSources(root).map((p) => p.slice(root.length + 1))).toEqual(['a.nurture', 'keep.tmp.nurture', 'local.nurture', 'sub/fixtures/good.nurture']);
  });

  it("reads the ignore files of the folders above, up to the repository's root", () => {
    const root = git({ '.nurtureignore': 'journeys/drafts/\n', 'journeys/a.nurture': CLEAN, 'journeys/drafts/b.nurture': '' });
    expect(discoverFiles(['journeys'], root).map((f) => f.display)).toEqual(['journeys/a.nurture']);
    // from a folder inside the workspace too
    expect(discoverFiles(['.'], join(root, 'journeys')).map((f) => f.display)).toEqual(['./a.nurture']);
  });

  it('outside a repository, reads them from the current folder down, not above it', () => {
    const root = makeWorkspace({ '.nurtureignore': 'drafts/\n', 'ws/a.nurture': CLEAN, 'ws/drafts/b.nurture': '' });
    expect(discoverFiles(['ws'], root).map((f) => f.display)).toEqual(['ws/a.nurture']);
    expect(discoverFiles(['.'], join(root, 'ws')).map((f) => f.display)).toEqual(['./a.nurture', './drafts/b.nurture']);
  });

  it('takes a folder or a file named on the command line even when it is ignored', () => {
    const root = git({ '.nurtureignore': '/fixtures/\n', 'a.nurture': CLEAN, 'fixtures/bad.nurture': '', 'fixtures/more/c.nurture': '' });
    expect(discoverFiles(['fixtures'], root).map((f) => f.display)).toEqual(['fixtures/bad.nurture', 'fixtures/more/c.nurture']);
    expect(discoverFiles(['fixtures/bad.nurture'], root).map((f) => f.display)).toEqual(['fixtures/bad.nurture']);
  });

  it('says so when a folder has .nurture files but all are ignored', async () => {
    const root = git({ '.gitignore': '*.nurture\n', 'a.nurture': CLEAN });
    const r = await runCli(['check', '.'], { cwd: root });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('nurture: no .nurture files in folder `.` that is not ignored (by `.gitignore` or `.nurtureignore`)\n');
  });

  it('the language server takes a new file on disk only where a walk of its folders would', () => {
    const root = git({ '.nurtureignore': 'drafts/\n', 'a.nurture': CLEAN });
    writeFileSync(join(root, 'b.nurture'), '');
    expect(ignoredBelow(root, join(root, 'b.nurture'))).toBe(false);
    expect(ignoredBelow(root, join(root, 'drafts', 'c.nurture'))).toBe(true);
    expect(IgnoreScope.forFolder(root).ignores(join(root, 'drafts'), true)).toBe(true);
  });
});

describe("this repository's root", () => {
  it('is the examples: the test data below tests/ is not part of it', () => {
    const found = discoverFiles(['.'], REPO).map((f) => f.display);
    expect(found.length).toBeGreaterThan(10);
    expect(found.every((p) => p.startsWith('./examples/'))).toBe(true);
  });

  it('`fmt --check .` looks at the examples only, and they are formatted', async () => {
    const r = await runCli(['fmt', '--check', '.'], { cwd: REPO });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^0 files would be reformatted, \d+ already formatted\n$/);
    expect(Number(/(\d+) already/.exec(r.stdout)![1])).toBe(discoverFiles(['examples'], REPO).length);
  }, 60_000);
});
