// The server's incremental checking (compiler/incremental-check.ts) gives exactly what a fresh whole
// check gives — diagnostics, references, symbol tables, handlers — after any sequence of edits on a
// multi-file workspace, and re-checks only the edited file and the files that use it when it can.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { generateWorkspace } from '../../bench/generate-workspace.js';
import { IncrementalChecker } from '../../compiler/incremental-check.js';
import type { Model } from '../../compiler/model.js';
import { checkSources, type CheckResult } from '../../compiler/workspace.js';
import { incrementalWorkspace } from '../../lsp/incremental.js';
import { fuzzParams } from '../fuzz/budget.js';

const BASE = generateWorkspace({ lines: 1500, campaignsPerFile: 2 }).files;

/** What a reader sees of a check: every diagnostic, and the model's references, tables and handlers in order. */
function view(r: CheckResult): unknown {
  const m: Model = r.model;
  const tables = [m.attributes, m.events, m.channels, m.topics, m.contents, m.streams, m.stages, m.segments, m.scores, m.thresholds, m.journeys, m.tests];
  return {
    diagnostics: r.diagnostics,
    references: m.references.references().map((x) => [x.file, x.span.start, x.span.end, x.symbol.kind, x.symbol.name, x.symbol.file, x.symbol.span.start, x.declaration]),
    tables: tables.map((t) => [...t.values()].map((s) => [s.name, s.file, s.span.start, s.declSpan.end])),
    handlers: m.handlers.map((h) => [h.file, h.decl.span.start, h.event?.name]),
    timezone: m.timezone.name,
    types: m.exprTypes.size,
  };
}

describe('incremental checking', () => {
  test('after random edits, the same output as a fresh whole check', { timeout: 300000 }, () => {
    let partial = 0;
    fc.assert(
      fc.property(
        fc.array(fc.record({
          file: fc.nat({ max: BASE.length - 1 }),
          at: fc.double({ min: 0, max: 1, noNaN: true }),
          del: fc.nat({ max: 8 }),
          insert: fc.constantFrom('', 'x', ' ', '\n', '\n\n', '{', '}', '"', '# c ', 'and ', 'send ', '\ncontent c9 { channel: email }\n',
            '\nsegment s9 = budget >= 5\n', '\nevent e9\n', ' or fit >= 3', '\ntimezone "Europe/Paris"\n', '1'),
        }), { minLength: 1, maxLength: 8 }),
        (edits) => {
          const checker = new IncrementalChecker();
          const ws = incrementalWorkspace(checker);
          const files = BASE.map((f) => ({ ...f }));
          for (const f of files) ws.setFile(f.path, f.text);
          ws.check();
          for (const e of edits) {
            const f = files[e.file]!;
            const pos = Math.floor(e.at * f.text.length);
            f.text = f.text.slice(0, pos) + e.insert + f.text.slice(pos + e.del);
            ws.setFile(f.path, f.text);
            const got = ws.check();
            if (checker.lastChecked.length < files.length) partial++;
            expect(JSON.stringify(view(got))).toBe(JSON.stringify(view(checkSources(files))));
          }
        },
      ),
      fuzzParams(8),
    );
    expect(partial).toBeGreaterThan(0); // the incremental path was taken, not only whole checks
  });

  test('an edit in a journey re-checks its file and the files that use it, not the workspace', () => {
    const checker = new IncrementalChecker();
    const ws = incrementalWorkspace(checker);
    for (const f of BASE) ws.setFile(f.path, f.text);
    const warnings = ws.check().diagnostics.filter((d) => d.severity !== 'error').map((d) => d.code);
    const target = BASE.find((f) => f.path === 'campaigns/batch_002.nurture')!;
    const at = target.text.indexOf('\n  send ') + 8;
    const broken = target.text.slice(0, at) + 'x' + target.text.slice(at);
    ws.setFile(target.path, broken);
    const r = ws.check();
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['NUR100']);
    // the analyses still judge the declarations free of errors: the workspace's warnings stay
    expect(r.diagnostics.filter((d) => d.severity !== 'error').map((d) => d.code)).toEqual(warnings);
    expect(checker.lastChecked).toContain(target.path);
    expect(checker.lastChecked.length).toBeLessThan(BASE.length / 4);
    expect(checker.lastChecked.every((p) => p === target.path || p.startsWith('tests/'))).toBe(true);
    // renaming a declaration changes what other files read: the whole workspace is checked
    const rename = broken.replace(/\njourney ([a-z_0-9]+)/, '\njourney $1_renamed');
    ws.setFile(target.path, rename);
    ws.check();
    expect(checker.lastChecked.length).toBe(BASE.length);
  });
});
