// The server's workspace gives the CLI's diagnostics, and its incremental parsing exactly the
// whole-file parse: same trees (spans included), same diagnostics — on the examples, on a generated
// workspace, and after random edits.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { generateWorkspace } from '../../bench/generate-workspace.js';
import { compareDiagnostics, type Diagnostic } from '../../grammar/diagnostic.js';
import { parseFile, type ParseResult } from '../../grammar/parse.js';
import { checkSources, type CheckResult } from '../../compiler/workspace.js';
import { findSources } from '../../lsp/documents.js';
import { incrementalWorkspace, splitDeclarations } from '../../lsp/incremental.js';
import { fuzzParams } from '../fuzz/budget.js';
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

describe('a published model never changes', () => {
  // What a reader of an old check result sees: the syntax trees of its files, its diagnostics, the
  // spans of its references and symbols (all read through the live objects, so a change shows).
  type Kept = { trees: ParseResult[]; result: CheckResult; snapshot: unknown };
  const view = (k: Omit<Kept, 'snapshot'>) => ({
    trees: k.trees,
    diagnostics: k.result.diagnostics,
    references: k.result.model.references.references().map((r) => ({ file: r.file, span: r.span, name: r.symbol.name, declaration: r.declaration })),
    symbols: [k.result.model.events, k.result.model.contents, k.result.model.journeys, k.result.model.segments, k.result.model.scores]
      .flatMap((m) => [...m.values()].map((s) => ({ name: s.name, span: s.span, declSpan: s.declSpan }))),
  });

  test('old trees and models stay as they were across random edits', { timeout: 120000 }, () => {
    const second = 'segment big = budget >= 500\n\ncontent extra { channel: email }\n\njourney later {\n  entry on signed_up\n  send extra\n}\n';
    fc.assert(
      fc.property(
        fc.array(fc.record({
          file: fc.constantFrom('acme.nurture', 'more.nurture'),
          at: fc.double({ min: 0, max: 1, noNaN: true }),
          del: fc.nat({ max: 12 }),
          insert: fc.constantFrom('', 'x', '\n', '\n\n', '{', '}', '"', '# c\n', 'journey j {\n', 'and ', '\ncontent c { channel: email }\n', 'send '),
        }), { minLength: 1, maxLength: 6 }),
        (edits) => {
          const ws = incrementalWorkspace();
          const texts = new Map([['acme.nurture', acme], ['more.nurture', second]]);
          const kept: Kept[] = [];
          const keep = () => {
            for (const [p, t] of texts) ws.setFile(p, t);
            const k = { trees: ws.files().map((p) => ws.parseResult(p)!), result: ws.check() };
            kept.push({ ...k, snapshot: structuredClone(view(k)) });
          };
          keep();
          for (const e of edits) {
            const text = texts.get(e.file)!;
            const pos = Math.floor(e.at * text.length);
            texts.set(e.file, text.slice(0, pos) + e.insert + text.slice(pos + e.del));
            keep();
          }
          for (const k of kept) expect(view(k)).toEqual(k.snapshot);
        },
      ),
      fuzzParams(40),
    );
  });
});
