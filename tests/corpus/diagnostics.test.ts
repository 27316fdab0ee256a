// Golden diagnostics for the corpus of invalid programs (tests/fixtures/invalid): each file is checked
// as its own workspace, and its diagnostics (code, severity, span, message, help) must match the
// `.expected` file beside it exactly. Regenerate after a deliberate change with
// `UPDATE_GOLDEN=1 npx vitest run tests/corpus`, then review the diff.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../grammar/diagnostic.js';
import { checkSources } from '../../compiler/workspace.js';
import { decodeSource } from '../../grammar/encoding.js';

const DIR = new URL('../fixtures/invalid/', import.meta.url);
const FIXTURES = readdirSync(DIR).filter((f) => f.endsWith('.nurture')).sort();
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** Codes issue #2 must exercise (front end and checker). */
const FRONT_END_CODES = [
  'NUR001', 'NUR002', 'NUR003', 'NUR004', 'NUR100', 'NUR101', 'NUR102', 'NUR103', 'NUR104', 'NUR105', 'NUR106', 'NUR107',
  'NUR200', 'NUR201', 'NUR202', 'NUR203', 'NUR204', 'NUR312', 'NUR400',
];

function render(d: Diagnostic): string {
  const s = d.span;
  let line = `${d.code} ${d.severity} ${s.line}:${s.column}-${s.endLine}:${s.endColumn} ${d.message}`;
  if (d.help) line += `\n    help: ${d.help}`;
  for (const r of d.related ?? []) line += `\n    related ${r.span.line}:${r.span.column}: ${r.message}`;
  return line;
}

function diagnose(name: string): Diagnostic[] {
  const text = decodeSource(readFileSync(new URL(name, DIR))); // as the CLI reads files: invalid UTF-8 is reported
  return checkSources([{ path: name, text }]).diagnostics;
}

describe('corpus of invalid programs', () => {
  it('has at least 40 programs', () => {
    expect(FIXTURES.length).toBeGreaterThanOrEqual(40);
  });

  for (const name of FIXTURES) {
    it(name, () => {
      const diagnostics = diagnose(name);
      expect(diagnostics.some((d) => d.severity === 'error' || d.code === 'NUR106' || d.code === 'NUR107')).toBe(true);
      const actual = diagnostics.map(render).join('\n') + '\n';
      const golden = new URL(name.replace(/\.nurture$/, '.expected'), DIR);
      if (UPDATE) writeFileSync(golden, actual);
      expect(existsSync(golden), `missing golden ${golden.pathname}: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
      expect(actual).toBe(readFileSync(golden, 'utf8'));
    });
  }

  it('exercises every front-end diagnostic code', () => {
    const seen = new Set<string>(FIXTURES.flatMap((f) => diagnose(f).map((d) => d.code)));
    expect(FRONT_END_CODES.filter((c) => !seen.has(c))).toEqual([]);
  });
});

describe('valid programs', () => {
  const VALID = new URL('../fixtures/valid/', import.meta.url);
  /** The spec's example, verbatim, has one redundant pressure rule (tested in tests/analysis/). */
  const EXPECTED: Record<string, string[]> = { 'spec-example.nurture': ['NUR305'] };
  for (const name of readdirSync(VALID).filter((f) => f.endsWith('.nurture'))) {
    it(`${name} checks with no errors and no warnings${EXPECTED[name] ? ` but ${EXPECTED[name].join(', ')}` : ''}`, () => {
      const text = readFileSync(new URL(name, VALID), 'utf8');
      expect(checkSources([{ path: name, text }]).diagnostics.map((d) => d.code)).toEqual(EXPECTED[name] ?? []);
    });
  }
});
