// `nurture test --format junit`: the results as JUnit XML, the report every CI shows (GitLab
// artifacts:reports:junit, Jenkins, Azure, CircleCI, GitHub through a reporter action). One
// <testsuite> per source file, one <testcase> per `test` block (classname: its file); a failed
// `expect` is a <failure> (all of a test's failed expects in its one element, the first in `message`),
// a test that could not run to its end is an <error>. No times: the simulated clock is not the wall's,
// and the same sources give the same report.
import type { TestOutcome } from '../runtime/test-runner.js';

/** Text for XML content and attributes: the five escapes, and no character XML 1.0 forbids. */
export function xmlText(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;');
}

function attrs(pairs: Record<string, string | number>): string {
  return Object.entries(pairs)
    .map(([k, v]) => ` ${k}="${xmlText(String(v)).replace(/\n/g, '&#10;').replace(/\t/g, '&#9;')}"`)
    .join('');
}

function testcase(t: TestOutcome): string {
  let out = `    <testcase${attrs({ name: t.name, classname: t.file, file: t.file, line: t.line, assertions: t.expects })}`;
  const body: string[] = [];
  if (t.failures.length > 0) {
    const details = t.failures
      .map((f) => [`${f.file}:${f.line}:${f.column} ${f.expect}`, `  at ${f.at}:`, ...f.actual.map((a) => `    ${a}`)].join('\n'))
      .join('\n');
    const first = t.failures[0]!;
    const message = t.failures.length === 1 ? first.expect : `${first.expect} (and ${t.failures.length - 1} more)`;
    body.push(`      <failure${attrs({ message, type: 'expect' })}>${xmlText(details)}</failure>`);
  }
  if (t.error !== null) body.push(`      <error${attrs({ message: t.error, type: 'error' })}>${xmlText(t.error)}</error>`);
  out += body.length === 0 ? '/>\n' : `>\n${body.join('\n')}\n    </testcase>\n`;
  return out;
}

export function renderJunit(results: readonly TestOutcome[]): string {
  const byFile = new Map<string, TestOutcome[]>();
  for (const r of results) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
  const count = (ts: readonly TestOutcome[]) => ({
    tests: ts.length,
    failures: ts.filter((t) => t.failures.length > 0).length,
    errors: ts.filter((t) => t.error !== null).length,
    skipped: 0,
  });
  let out = '<?xml version="1.0" encoding="UTF-8"?>\n';
  out += `<testsuites${attrs({ name: 'nurture test', ...count(results) })}>\n`;
  for (const [file, tests] of byFile) {
    out += `  <testsuite${attrs({ name: file, ...count(tests) })}>\n`;
    out += tests.map(testcase).join('');
    out += '  </testsuite>\n';
  }
  return out + '</testsuites>\n';
}
