// The server's workspace gives the CLI's diagnostics, and its incremental parsing exactly the
// whole-file parse: same trees (spans included), same diagnostics — on the examples, on a generated
// workspace, and after random edits.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { generateWorkspace } from '../../bench/generate-workspace.js';
import { compareDiagnostics, type Diagnostic } from '../../grammar/diagnostic.js';
import { parseFile } from '../../grammar/parse.js';
import { checkSources } from '../../compiler/workspace.js';
import { findSources } from '../../lsp/documents.js';
import { incrementalWorkspace, splitDeclarations } from '../../lsp/incremental.js';
import { FIXTURES, REPO } from './client.js';

function same(text: string, ws = incrementalWorkspace(), path = 'f.nurture'): void {
  ws.setFile(path, text);
  const whole = parseFile(text, path);
  const inc = ws.parseResult(path)!;
  expect(JSON.parse(JSON.stringify(inc.file))).toEqual(JSON.parse(JSON.stringify(whole.file)));
  // (in any order: the workspace sorts every diagnostic)
  const sorted = (ds: Diagnostic[]) => JSON.parse(JSON.stringify([...ds].sort(compareDiagnostics)));
  expect(sorted(inc.diagnostics)).toEqual(sorted(whole.diagnostics));
}

const acme = readFileSync(join(REPO, 'examples/acme/acme.nurture'), 'utf8');
const basic = readFileSync(join(FIXTURES, 'basic/model.nurture'), 'utf8') + '\n' + readFileSync(join(FIXTURES, 'basic/journeys.nurture'), 'utf8');

describe('the same diagnostics as the CLI', () => {
  test('on every example workspace and every fixture', () => {
    const sources = (paths: string[]) => paths.map((p) => ({ path: p, text: readFileSync(p, 'utf8') }));
    const workspaces: { path: string; text: string }[][] = [];
    for (const dir of readdirSync(join(REPO, 'examples'), { withFileTypes: true })) {
      if (dir.isDirectory()) workspaces.push(sources(findSources(join(REPO, 'examples', dir.name))));
    }
    for (const kind of ['valid', 'invalid']) {
      for (const f of findSources(join(REPO, 'tests/fixtures', kind))) workspaces.push(sources([f]));
    }
    workspaces.push(sources(findSources(join(FIXTURES, 'basic'))), sources(findSources(join(FIXTURES, 'broken'))));
    expect(workspaces.length).toBeGreaterThan(10);
    for (const files of workspaces) {
      const ws = incrementalWorkspace();
      for (const f of files) ws.setFile(f.path, f.text);
      expect(JSON.stringify(ws.check().diagnostics), files[0]?.path).toBe(JSON.stringify(checkSources(files).diagnostics));
    }
  });
});

describe('incremental parsing', () => {
  test('cuts at top-level declarations only', () => {
    const text = 'segment a = fit >= 3 and\nscore > 2\n\njourney j {\non x {\n}\n}\nevent e # c\nstream s: a,\ncontent\n';
    expect(splitDeclarations(text).map((p) => [p.line, p.text.split('\n')[0]])).toEqual([
      [1, 'segment a = fit >= 3 and'], [4, 'journey j {'], [8, 'event e # c'], [9, 'stream s: a,'],
    ]);
  });

  test('same trees and diagnostics as the whole-file parse', { timeout: 60000 }, () => {
    same(acme);
    same(basic);
    const ws = incrementalWorkspace();
    const big = generateWorkspace({ lines: 3000 }).files.map((f) => f.text).join('\n');
    same(big, ws, 'big.nurture');
    // an edit in the middle, then undone: the reused pieces are shifted back and forth
    const at = big.indexOf('\n  send ', big.length / 2) + 8;
    same(big.slice(0, at) + 'xyz' + big.slice(at), ws, 'big.nurture');
    same(big.slice(0, at) + '\n\n' + big.slice(at), ws, 'big.nurture');
    same(big, ws, 'big.nurture');
  });

  test('after random edits (insertions and deletions, syntax errors included)', { timeout: 120000 }, () => {
    const ws = incrementalWorkspace();
    let current = acme;
    fc.assert(
      fc.property(
        fc.nat({ max: acme.length }), fc.nat({ max: 12 }),
        fc.constantFrom('', 'x', ' ', '\n', '{', '}', '"', '#', 'journey j {\n', 'on ', ',', 'and ', '\ncontent c { channel: email }\n', 'send '),
        (at, del, insert) => {
          const pos = Math.min(at, current.length);
          current = current.slice(0, pos) + insert + current.slice(pos + del);
          same(current, ws);
        },
      ),
      { numRuns: 120 },
    );
  });
});
