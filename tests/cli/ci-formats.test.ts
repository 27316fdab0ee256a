// The CI report formats: `nurture test --format junit` (JUnit XML) and `nurture check --format gitlab`
// (GitLab Code Quality JSON), checked against what their readers require.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderJunit } from '../../cli/render-junit.js';
import type { TestOutcome } from '../../runtime/test-runner.js';
import { REPO, runCli } from './helpers.js';
import { parseXml, type XmlElement } from './xml.js';

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** examples/acme with the demo request of its test taken out: the tour's failing test. */
function failingAcme(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nurture-junit-'));
  made.push(dir);
  cpSync(join(REPO, 'examples/acme'), join(dir, 'acme'), { recursive: true });
  const file = join(dir, 'acme/acme.nurture');
  const lines = readFileSync(file, 'utf8').split('\n');
  const at = lines.findIndex((l, i) => l.trim() === 'demo_requested' && lines[i + 1]?.includes('expect stage is mql'));
  expect(at).toBeGreaterThan(0);
  lines.splice(at, 1);
  writeFileSync(file, lines.join('\n'));
  return dir;
}

const attr = (el: XmlElement, name: string): string => {
  expect(el.attrs, `<${el.name} ${name}>`).toHaveProperty(name);
  return el.attrs[name]!;
};

/** What JUnit readers (the Ant/Jenkins schema GitLab and the others follow) need, counts consistent. */
function expectJunit(xml: string): XmlElement {
  const root = parseXml(xml);
  expect(root.name).toBe('testsuites');
  let tests = 0, failures = 0, errors = 0;
  for (const suite of root.children) {
    expect(suite.name).toBe('testsuite');
    expect(attr(suite, 'name')).not.toBe('');
    const cases = suite.children;
    expect(cases.every((c) => c.name === 'testcase')).toBe(true);
    expect(Number(attr(suite, 'tests'))).toBe(cases.length);
    const failed = cases.filter((c) => c.children.some((k) => k.name === 'failure')).length;
    const errored = cases.filter((c) => c.children.some((k) => k.name === 'error')).length;
    expect(Number(attr(suite, 'failures'))).toBe(failed);
    expect(Number(attr(suite, 'errors'))).toBe(errored);
    for (const c of cases) {
      expect(attr(c, 'name')).not.toBe('');
      expect(attr(c, 'classname')).toBe(attr(suite, 'name'));
      for (const k of c.children) {
        expect(['failure', 'error']).toContain(k.name);
        expect(attr(k, 'message')).not.toBe('');
      }
    }
    tests += cases.length;
    failures += failed;
    errors += errored;
  }
  expect(Number(attr(root, 'tests'))).toBe(tests);
  expect(Number(attr(root, 'failures'))).toBe(failures);
  expect(Number(attr(root, 'errors'))).toBe(errors);
  return root;
}

/** An independent parser, when Python is here: expat, as strict as XML gets. */
function expatAccepts(xml: string): boolean | undefined {
  const r = spawnSync('python3', ['-c', 'import sys, xml.etree.ElementTree as E; E.fromstring(sys.stdin.buffer.read())'], { input: xml });
  if (r.error) return undefined;
  return r.status === 0;
}

describe('nurture test --format junit', { timeout: 60_000 }, () => {
  it('reports a passing workspace: one suite per file, one case per test, exit 0', async () => {
    const r = await runCli(['test', 'examples/b2b', '--format', 'junit']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const root = expectJunit(r.stdout);
    expect(root.attrs).toMatchObject({ tests: '8', failures: '0', errors: '0' });
    expect(root.children.map((s) => s.attrs['name'])).toEqual(['examples/b2b/tests/qualification.test.nurture', 'examples/b2b/tests/welcome.test.nurture']);
    const first = root.children[0]!.children[0]!;
    expect(first.attrs['file']).toBe('examples/b2b/tests/qualification.test.nurture');
    expect(Number(first.attrs['line'])).toBeGreaterThan(0);
    expect(expatAccepts(r.stdout) ?? true).toBe(true);
  });

  it('reports a failed expect as a <failure> with the place and the state, exit 1', async () => {
    const dir = failingAcme();
    const r = await runCli(['test', 'acme', '--format', 'junit'], { cwd: dir });
    expect(r.status).toBe(1);
    const root = expectJunit(r.stdout);
    expect(root.attrs).toMatchObject({ tests: '1', failures: '1', errors: '0' });
    const failure = root.children[0]!.children[0]!.children[0]!;
    expect(failure.attrs['message']).toBe('expect stage is mql (and 2 more)');
    expect(failure.text).toMatch(/^acme\/acme\.nurture:\d+:3 expect stage is mql\n  at 2026-01-06 09:00:\n    stage is subscriber\n/);
    expect(failure.text).toContain('`fit >= 40 and engagement >= 60 and stage < mql` is false now'); // unescaped again
    expect(expatAccepts(r.stdout) ?? true).toBe(true);
  });

  it('escapes what XML must, and replaces what it cannot hold', () => {
    const name = 'a <b> & "c" \'d\'\u0001\ud800 end';
    const outcome: TestOutcome = {
      name, file: 'x.nurture', line: 1, column: 1, passed: false, expects: 1,
      failures: [{ file: 'x.nurture', line: 2, column: 3, expect: 'expect score > 1 & <2>', at: '2026-01-01 00:00', actual: ['line\r\nbreak\u001b[0m'] }],
      error: 'rejected: "x" <y>',
    };
    const xml = renderJunit([outcome]);
    const root = expectJunit(xml);
    const tc = root.children[0]!.children[0]!;
    expect(tc.attrs['name']).toBe('a <b> & "c" \'d\'\ufffd\ufffd end');
    expect(tc.children.map((k) => k.name)).toEqual(['failure', 'error']);
    expect(tc.children[0]!.attrs['message']).toBe('expect score > 1 & <2>');
    expect(tc.children[0]!.text).toContain('line\r\nbreak\ufffd[0m');
    expect(tc.children[1]!.attrs['message']).toBe('rejected: "x" <y>');
    expect(expatAccepts(xml) ?? true).toBe(true);
    expect(renderJunit([])).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="nurture test" tests="0" failures="0" errors="0" skipped="0">\n</testsuites>\n');
  });

  it('the little parser rejects what is not well-formed (so that the checks above can fail)', () => {
    for (const bad of ['<a>', '<a></b>', '<a>x & y</a>', '<a b="1" b="2"/>', '<a/><b/>', '<a>\u0001</a>', '<a b="<"/>']) {
      expect(() => parseXml(bad), bad).toThrow();
    }
  });
});

describe('nurture check --format gitlab', { timeout: 60_000 }, () => {
  const FIXTURE = 'tests/fixtures/invalid/several-mistakes-in-one-file.nurture';

  it('is a Code Quality report: the keys GitLab reads, one issue per diagnostic, exit 1 on errors', async () => {
    const [gl, json] = await Promise.all([runCli(['check', `./${FIXTURE}`, '--format', 'gitlab']), runCli(['check', FIXTURE, '--format', 'json'])]);
    expect(gl.status).toBe(1);
    expect(gl.stderr).toBe('');
    const issues = JSON.parse(gl.stdout) as Record<string, unknown>[];
    const diagnostics = (JSON.parse(json.stdout) as { diagnostics: { line: number; code: string; message: string; severity: string }[] }).diagnostics;
    expect(issues).toHaveLength(diagnostics.length);
    issues.forEach((issue, i) => {
      expect(Object.keys(issue)).toEqual(['description', 'check_name', 'fingerprint', 'severity', 'location']);
      const d = diagnostics[i]!;
      expect(issue['description']).toContain(d.message);
      expect(issue['check_name']).toBe(d.code);
      expect(issue['fingerprint']).toMatch(/^[0-9a-f]{64}$/);
      expect(issue['severity']).toBe(d.severity === 'error' ? 'major' : 'minor');
      expect(issue['location']).toEqual({ path: FIXTURE, lines: { begin: d.line } }); // `./` dropped
      expect(existsSync(join(REPO, FIXTURE))).toBe(true);
    });
    expect(new Set(issues.map((i) => i['fingerprint'])).size).toBe(issues.length);
    expect(issues[0]!['description']).toBe('unknown topic `produt` (help: did you mean `product`?)');
  });

  it('keeps the fingerprints when an unrelated edit moves the lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nurture-gitlab-'));
    made.push(dir);
    const text = readFileSync(join(REPO, FIXTURE), 'utf8');
    writeFileSync(join(dir, 'a.nurture'), text);
    const before = JSON.parse((await runCli(['check', 'a.nurture', '--format', 'gitlab'], { cwd: dir })).stdout) as { fingerprint: string; location: { lines: { begin: number } } }[];
    writeFileSync(join(dir, 'a.nurture'), '# a new comment\n\n' + text);
    const after = JSON.parse((await runCli(['check', join(dir, 'a.nurture'), '--format', 'gitlab'], { cwd: dir })).stdout) as typeof before;
    expect(after.map((i) => i.fingerprint)).toEqual(before.map((i) => i.fingerprint));
    expect(after.map((i) => i.location.lines.begin)).toEqual(before.map((i) => i.location.lines.begin + 2));
  });

  it('prints an empty report for a clean workspace, exit 0', async () => {
    const r = await runCli(['check', 'examples/acme', '--format', 'gitlab']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('[]\n');
  });
});
