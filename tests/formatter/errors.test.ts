// Files with syntax errors are refused with located messages and never rewritten; comments in
// awkward places are kept.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError, formatSource, tryFormatSource } from '../../formatter/format.js';
import { languages, NurtureSyntaxError, parsers, printers } from '../../formatter/plugin.js';
import { meaning, prettierFormat, ROOT } from './helpers.js';

const BROKEN = 'event a { x: text }\njourney j {\n  send\n}\n';

describe('syntax errors', () => {
  it('formatSource rejects with a located NUR001 message', async () => {
    const error = await formatSource(BROKEN, 'broken.nurture').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FormatError);
    const e = error as FormatError;
    expect(e.kind).toBe('syntax');
    expect(e.message).toMatch(/^broken\.nurture:4:1: NUR001 /);
    expect(e.diagnostics.map((d) => d.code)).toEqual(['NUR001']);
  });

  it('tryFormatSource returns the error instead of text', async () => {
    const result = await tryFormatSource(BROKEN, 'broken.nurture');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.kind).toBe('syntax');
  });

  it.each([
    ['NUR002', 'timezone "Europe/Paris\n', /^bad\.nurture:1:10: NUR002 /],
    ['NUR002', 'event a $ { x: text }\n', /^bad\.nurture:1:9: NUR002 /],
    ['NUR003', 'pressure {\n  quiet hours 25:00 to 08:00\n}\n', /^bad\.nurture:2:15: NUR003 /],
    ['NUR003', 'journey j {\n  wait 3 dayz\n}\n', /^bad\.nurture:2:10: NUR003 /],
  ])('refuses a file with %s', async (_code, text, message) => {
    const error = (await formatSource(text, 'bad.nurture').catch((e: unknown) => e)) as FormatError;
    expect(error).toBeInstanceOf(FormatError);
    expect(error.kind).toBe('syntax');
    expect(error.message).toMatch(message);
  });

  it('the prettier parser throws a located error (prettier then writes nothing)', async () => {
    const error = await prettierFormat(BROKEN, 'broken.nurture').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NurtureSyntaxError);
    expect((error as NurtureSyntaxError).located).toBe(
      'broken.nurture:4:1: NUR001 ' + (error as NurtureSyntaxError).diagnostics[0]!.message,
    );
    expect((error as NurtureSyntaxError).loc.start).toEqual({ line: 4, column: 1 });
  });

  const built = join(ROOT, 'dist', 'formatter', 'plugin.js');
  it.skipIf(!existsSync(built))('prettier --write leaves a broken file untouched and fails', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nurture-fmt-'));
    try {
      const file = join(dir, 'broken.nurture');
      writeFileSync(file, BROKEN);
      const bin = join(ROOT, 'node_modules', 'prettier', 'bin', 'prettier.cjs');
      let status = 0;
      let stderr = '';
      try {
        execFileSync(process.execPath, [bin, '--plugin', built, '--write', file], { stdio: 'pipe' });
      } catch (e) {
        status = (e as { status: number }).status;
        stderr = String((e as { stderr: Buffer }).stderr);
      }
      expect(status).not.toBe(0);
      expect(stderr).toContain('NUR001');
      expect(readFileSync(file, 'utf8')).toBe(BROKEN);
      // and a valid file is formatted through the CLI with the language found by extension
      const good = join(dir, 'good.nurture');
      writeFileSync(good, 'event  a{x:text}\n');
      execFileSync(process.execPath, [bin, '--plugin', built, '--write', good], { stdio: 'pipe' });
      expect(readFileSync(good, 'utf8')).toBe('event a { x: text }\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the plugin object', () => {
  it('declares the language, parser and printer', () => {
    expect(languages).toEqual([expect.objectContaining({ name: 'nurture', parsers: ['nurture'], extensions: ['.nurture'] })]);
    expect(parsers['nurture']!.astFormat).toBe('nurture-ast');
    expect(printers['nurture-ast']).toBeDefined();
  });

  it('formats an empty file and a file of comments only', async () => {
    expect(await formatSource('')).toBe('');
    expect(await formatSource('\n\n  \n')).toBe('');
    expect(await formatSource('  # one\n\n\n# two   \n')).toBe('# one\n\n# two\n');
  });

  it('normalizes CRLF line ends', async () => {
    expect(await formatSource('event a # x\r\nevent b\r\n')).toBe('event a # x\nevent b\n');
  });
});

describe('comments stay in place', () => {
  const cases: [string, string, string][] = [
    ['trailing comment on a step', 'on e {\n  send a   # why\n  send b\n}\n', 'on e {\n  send a # why\n  send b\n}\n'],
    ['comment after `{`', 'on e { # handler\n send a }\n', 'on e { # handler\n  send a\n}\n'],
    ['comment in an empty block', 'on e {\n  # todo\n}\n', 'on e {\n  # todo\n}\n'],
    ['comment after the last item', 'on e {\n  send a\n\n  # later\n}\n', 'on e {\n  send a\n\n  # later\n}\n'],
    [
      'comment inside a one-line property list breaks it',
      'content c { channel: email, # the channel\n topic: t }\n',
      'content c {\n  channel: email, # the channel\n  topic: t\n}\n',
    ],
    [
      'comment inside a condition moves to the end of the joined line',
      'segment s = a is b # first part\n  and c is d\n',
      'segment s = a is b and c is d # first part\n',
    ],
    [
      'two comments inside a joined line: the inner one moves above',
      'segment s = a is b # first part\n  and c is d # second part\n',
      '# first part\nsegment s = a is b and c is d # second part\n',
    ],
    [
      'comment between `}` and `timeout`',
      'journey j {\n  wait for e up to 1 day {\n    end\n  } # no\n  timeout {\n    end\n  }\n}\n',
      'journey j {\n  wait for e up to 1 day {\n    end\n  } timeout { # no\n    end\n  }\n}\n',
    ],
    [
      'comment in a split branch',
      'journey j {\n  split {\n    50% { send a # A\n    }\n    50% { send b }\n  }\n}\n',
      'journey j {\n  split {\n    50% {\n      send a # A\n    }\n    50% { send b }\n  }\n}\n',
    ],
    ['comment before the first declaration, and at the end', '\n\n# top\n\nevent a\n# bottom', '# top\n\nevent a\n# bottom\n'],
    ['comment text with braces and quotes', 'event a # {"x": [1]} }\n', 'event a # {"x": [1]} }\n'],
  ];
  it.each(cases)('%s', async (_name, input, expected) => {
    const out = await formatSource(input);
    expect(out).toBe(expected);
    expect(await formatSource(out)).toBe(out);
    expect(meaning(out).comments).toEqual(meaning(input).comments);
  });
});
