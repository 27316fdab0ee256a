// The benchmark's workspace generator: deterministic, and (once the parser and checker exist) VALID.
// The validity test is meaningful only with the real parser: it first asserts that the parser built
// declarations (the placeholder parser returns none), then that the whole check reports 0 errors.
import { describe, expect, it } from 'vitest';
import { generateWorkspace } from '../../bench/generate-workspace.js';
import { generateJson } from '../../bench/generate-json.js';
import { checkSources } from '../../compiler/workspace.js';
import { parseFile } from '../../grammar/parse.js';

describe('bench workspace generator', () => {
  it('is deterministic and reaches the wanted size over several files', () => {
    const a = generateWorkspace({ lines: 2000 });
    const b = generateWorkspace({ lines: 2000 });
    expect(a).toEqual(b);
    expect(a.lines).toBeGreaterThanOrEqual(2000);
    expect(a.lines).toBeLessThan(2300);
    expect(a.files.length).toBeGreaterThan(5);
    expect(new Set(a.files.map((f) => f.path)).size).toBe(a.files.length);
    expect(generateWorkspace({ lines: 2000, seed: 2 })).not.toEqual(a);
  });

  it('[parser + checker] produces a workspace with 0 errors', () => {
    const ws = generateWorkspace({ lines: 2000 });
    const declarations = ws.files.reduce((n, f) => n + parseFile(f.text, f.path).file.declarations.length, 0);
    expect(declarations, 'the real parser must be in place for this test to mean anything').toBeGreaterThan(100);
    const errors = checkSources(ws.files).diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => `${d.file}:${d.span.line}:${d.span.column} ${d.code} ${d.message}`)).toEqual([]);
  });

  it('sizes the comparison JSON to the workspace within a few %', () => {
    const ws = generateWorkspace({ lines: 2000 });
    const json = generateJson(ws.bytes);
    expect(() => JSON.parse(json)).not.toThrow();
    expect(Math.abs(Buffer.byteLength(json) - ws.bytes) / ws.bytes).toBeLessThan(0.03);
  });
});
