// The machine formats (json, sarif, github) on synthetic diagnostics.
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../grammar/diagnostic.js';
import { ALL_CODES, CODES, codeInfo } from '../../cli/codes.js';
import { escapeData, escapeProperty, githubCommand, renderGithub } from '../../cli/render-github.js';
import { renderJson } from '../../cli/render-json.js';
import { artifactUri, toSarif } from '../../cli/render-sarif.js';

const unknown: Diagnostic = {
  code: 'NUR100',
  severity: 'error',
  file: 'journeys/welcome.nurture',
  span: { start: 100, end: 112, line: 12, column: 8, endLine: 12, endColumn: 20 },
  message: 'unknown content `welcom_email`',
  help: 'did you mean `welcome_email`?',
};
const dup: Diagnostic = {
  code: 'NUR101',
  severity: 'error',
  file: 'b.nurture',
  span: { start: 8, end: 13, line: 1, column: 9, endLine: 1, endColumn: 14 },
  message: 'content `hello` is declared twice',
  related: [{ file: 'a.nurture', span: { start: 8, end: 13, line: 1, column: 9, endLine: 1, endColumn: 14 }, message: 'first declared here' }],
};
const unused: Diagnostic = {
  code: 'NUR307',
  severity: 'warning',
  file: 'a.nurture',
  span: { start: 0, end: 5, line: 3, column: 1, endLine: 3, endColumn: 6 },
  message: 'content `spare` is never used',
};

describe('codes table', () => {
  it('covers every code of the language with its severity and meaning', () => {
    expect(ALL_CODES).toHaveLength(32); // NUR004 and NUR204: issue 20; NUR900: issue 22
    expect(CODES.NUR106.severity).toBe('warning');
    expect(CODES.NUR100.severity).toBe('error');
    for (const code of ALL_CODES) {
      expect(CODES[code].summary.length).toBeGreaterThan(5);
      expect(CODES[code].name).toMatch(/^[A-Z][A-Za-z0-9]+$/);
    }
    expect(new Set(ALL_CODES.map((c) => CODES[c].name)).size).toBe(ALL_CODES.length);
    expect(codeInfo('NUR999').code).toBe('NUR999');
  });
});

describe('json', () => {
  it('has the required keys first, in order, then help and related', () => {
    const out = JSON.parse(renderJson([unknown, dup, unused])) as { diagnostics: Record<string, unknown>[] };
    expect(Object.keys(out)).toEqual(['diagnostics']);
    const required = ['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'message'];
    expect(Object.keys(out.diagnostics[0]!)).toEqual([...required, 'help']);
    expect(Object.keys(out.diagnostics[1]!)).toEqual([...required, 'related']);
    expect(Object.keys(out.diagnostics[2]!)).toEqual(required);
    expect(out.diagnostics[0]).toEqual({
      file: 'journeys/welcome.nurture',
      line: 12,
      column: 8,
      endLine: 12,
      endColumn: 20,
      severity: 'error',
      code: 'NUR100',
      message: 'unknown content `welcom_email`',
      help: 'did you mean `welcome_email`?',
    });
    expect(out.diagnostics[1]!['related']).toEqual([
      { file: 'a.nurture', line: 1, column: 9, endLine: 1, endColumn: 14, message: 'first declared here' },
    ]);
  });
  it('prints an empty list when there is nothing to say', () => {
    expect(JSON.parse(renderJson([]))).toEqual({ diagnostics: [] });
  });
});

describe('sarif', () => {
  it('is a SARIF 2.1.0 log with rules for the codes used and located results', () => {
    const log = toSarif([unknown, dup, unused], '1.2.3') as any;
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe('nurture');
    expect(run.tool.driver.version).toBe('1.2.3');
    expect(run.tool.driver.rules.map((r: any) => r.id)).toEqual(['NUR100', 'NUR101', 'NUR307']);
    expect(run.tool.driver.rules[2]).toEqual({
      id: 'NUR307',
      name: CODES.NUR307.name,
      shortDescription: { text: CODES.NUR307.summary },
      defaultConfiguration: { level: 'warning' },
    });
    expect(run.results).toHaveLength(3);
    const [r0, r1, r2] = run.results;
    expect(r0.ruleId).toBe('NUR100');
    expect(r0.ruleIndex).toBe(0);
    expect(r0.level).toBe('error');
    expect(r0.message.text).toBe('unknown content `welcom_email`\nhelp: did you mean `welcome_email`?');
    expect(r0.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'journeys/welcome.nurture' },
      region: { startLine: 12, startColumn: 8, endLine: 12, endColumn: 20 },
    });
    expect(r1.relatedLocations).toEqual([
      {
        id: 0,
        physicalLocation: { artifactLocation: { uri: 'a.nurture' }, region: { startLine: 1, startColumn: 9, endLine: 1, endColumn: 14 } },
        message: { text: 'first declared here' },
      },
    ]);
    expect(r2.level).toBe('warning');
    expect(r2.ruleIndex).toBe(2);
    expect(r2.relatedLocations).toBeUndefined();
  });
  it('makes valid URIs from paths', () => {
    expect(artifactUri('a b/c#1.nurture')).toBe('a%20b/c%231.nurture');
    expect(artifactUri('./x/y.nurture')).toBe('./x/y.nurture');
    expect(artifactUri('/tmp/w/x.nurture')).toBe('file:///tmp/w/x.nurture');
  });
});

describe('github', () => {
  it('writes one workflow command per diagnostic', () => {
    expect(githubCommand(unused)).toBe(
      '::warning file=a.nurture,line=3,col=1,endLine=3,endColumn=6,title=NUR307::content `spare` is never used',
    );
    expect(githubCommand(unknown)).toBe(
      '::error file=journeys/welcome.nurture,line=12,col=8,endLine=12,endColumn=20,title=NUR100::' +
        'unknown content `welcom_email`%0Ahelp: did you mean `welcome_email`?',
    );
    expect(githubCommand(dup)).toMatch(/%0Anote: first declared here \(a\.nurture:1:9\)$/);
    expect(renderGithub([unused, unknown]).split('\n')).toHaveLength(3);
  });
  it('escapes data and properties', () => {
    expect(escapeData('50% off\r\nnow: a, b')).toBe('50%25 off%0D%0Anow: a, b');
    expect(escapeProperty('dir,x/a:b%.nurture\n')).toBe('dir%2Cx/a%3Ab%25.nurture%0A');
    const d: Diagnostic = { ...unused, file: 'odd,name:1.nurture', message: 'split sums to 90%\nnot 100%' };
    expect(githubCommand(d)).toBe(
      '::warning file=odd%2Cname%3A1.nurture,line=3,col=1,endLine=3,endColumn=6,title=NUR307::split sums to 90%25%0Anot 100%25',
    );
  });
});
