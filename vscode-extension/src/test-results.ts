// The results of `nurture test PATH --format json`, as a report for the output channel and as
// failures located on their `expect` lines (diagnostics). Pure (no `vscode` import).
import { isAbsolute, join } from 'node:path';
import type { ExpectFailure } from '../../runtime/test-runner.js';

/** One failed `expect`, as the runner reports it (the JSON of `nurture test` carries it unchanged). */
export type TestFailure = ExpectFailure;

export interface TestResult {
  name: string;
  file: string;
  line: number;
  column: number;
  passed: boolean;
  expects?: number;
  failures: TestFailure[];
  error: string | null;
}

export interface TestRun {
  tests: TestResult[];
  passed: number;
  failed: number;
}

/** Parses the JSON printed by `nurture test --format json`; throws with the reason when it is not that. */
export function parseTestRun(stdout: string): TestRun {
  const data = JSON.parse(stdout) as Partial<TestRun>;
  if (!data || !Array.isArray(data.tests) || typeof data.passed !== 'number' || typeof data.failed !== 'number') {
    throw new Error('not the output of `nurture test --format json`');
  }
  return data as TestRun;
}

/** The text report: one line per test, each failure with its place and what was seen, then `N passed, N failed`. */
export function formatTestRun(run: TestRun): string {
  const out: string[] = [];
  for (const t of run.tests) {
    out.push(`${t.passed ? '✓' : '✗'} ${t.name}  (${t.file}:${t.line})`);
    for (const f of t.failures) {
      out.push(`    ${f.file}:${f.line}:${f.column} expect ${f.expect.replace(/^expect\s+/, '')}`);
      out.push(`      at ${f.at}:`);
      for (const a of f.actual) out.push(`        ${a}`);
    }
    if (t.error !== null) out.push(`    error: ${t.error}`);
  }
  if (run.tests.length === 0) out.push('no tests in this workspace');
  out.push(`${run.passed} passed, ${run.failed} failed`);
  return out.join('\n') + '\n';
}

export interface LocatedProblem {
  /** Absolute path of the file. */
  file: string;
  /** 0-based line and column. */
  line: number;
  column: number;
  message: string;
}

/** Every failure (and test error) of a run, located: failures on their `expect` line, errors on the test. */
export function testProblems(run: TestRun, cwd: string): LocatedProblem[] {
  const abs = (f: string) => (isAbsolute(f) ? f : join(cwd, f));
  const problems: LocatedProblem[] = [];
  for (const t of run.tests) {
    for (const f of t.failures) {
      const seen = f.actual.length > 0 ? `\nat ${f.at}:\n${f.actual.join('\n')}` : '';
      problems.push({
        file: abs(f.file),
        line: Math.max(0, f.line - 1),
        column: Math.max(0, f.column - 1),
        message: `test "${t.name}" failed: ${f.expect.startsWith('expect') ? f.expect : `expect ${f.expect}`}${seen}`,
      });
    }
    if (t.error !== null) {
      problems.push({
        file: abs(t.file),
        line: Math.max(0, t.line - 1),
        column: Math.max(0, t.column - 1),
        message: `test "${t.name}" could not run: ${t.error}`,
      });
    }
  }
  return problems;
}
