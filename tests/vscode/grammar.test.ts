// The TextMate grammar of the VS Code extension, tokenised by vscode-textmate + vscode-oniguruma (the
// engine VS Code itself uses): golden scope snapshots of the spec's example and of tricky lines, and
// targeted checks of the scopes that give each construct its colour.
// Regenerate the snapshots with `UPDATE_GOLDEN=1 npx vitest run tests/vscode`.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { nurtureFiles } from '../files.js';
import { describe, expect, it } from 'vitest';
import { EXTENSION, GRAMMAR_PATH, ROOT, scopesOf, snapshot, tokenize } from './textmate.js';

const HERE = join(ROOT, 'tests', 'vscode');
const GOLDEN = join(HERE, 'golden');
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

function golden(name: string, actual: string): void {
  const path = join(GOLDEN, name);
  if (UPDATE || !existsSync(path)) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(path, actual);
  }
  expect(actual).toBe(readFileSync(path, 'utf8'));
}


/** The innermost scope of a token, without the `.nurture` suffix. */
async function scope(source: string, line: number, text: string): Promise<string> {
  const scopes = await scopesOf(source, line, text);
  return scopes[scopes.length - 1]!.replace(/\.nurture$/, '');
}

describe('TextMate grammar', () => {
  it('is the output of its generator (scripts/grammar.mjs)', async () => {
    const mod = (await import(pathToFileURL(join(EXTENSION, 'scripts', 'grammar.mjs')).href)) as { grammarJson(): string };
    expect(readFileSync(GRAMMAR_PATH, 'utf8')).toBe(mod.grammarJson());
  });

  it('matches the golden snapshot of the spec example', async () => {
    const source = readFileSync(join(ROOT, 'tests', 'fixtures', 'valid', 'spec-example.nurture'), 'utf8');
    golden('spec-example.nurture.snap', await snapshot(source));
  });

  it('matches the golden snapshot of the tricky lines', async () => {
    const source = readFileSync(join(HERE, 'fixtures', 'tricky.nurture'), 'utf8');
    golden('tricky.nurture.snap', await snapshot(source));
  });

  it('gives every non-blank character of every example and fixture a scope', async () => {
    const files = [
      ...nurtureFiles(join(ROOT, 'examples')),
      ...nurtureFiles(join(ROOT, 'tests', 'fixtures')),
      ...nurtureFiles(join(HERE, 'fixtures')),
    ];
    expect(files.length).toBeGreaterThan(5);
    const bare: string[] = [];
    // A fixture that is not UTF-8 on purpose (NUR004) is left out: the checker reports it, and an editor
    // shows it only after a re-decode, so the grammar never sees its bytes as written.
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    const readable = files.filter((f) => {
      try {
        utf8.decode(readFileSync(f));
        return true;
      } catch {
        return false;
      }
    });
    expect(files.length - readable.length).toBeLessThanOrEqual(1);
    for (const f of readable) {
      for (const t of await tokenize(readFileSync(f, 'utf8'))) {
        if (t.text.trim() !== '' && t.scopes.length === 1) bare.push(`${f}:${t.line} ${JSON.stringify(t.text)}`);
      }
    }
    expect(bare).toEqual([]);
  });

  it('colours literals of every kind', async () => {
    const src = [
      'score s {',
      '  +30 if a >= 3.5',
      '  -15 on e max 2 per week',
      '  decay 2.5% every 30 days idle',
      '}',
      'pressure {',
      '  quiet hours 20:00 to 08:00',
      '  quiet days saturday, sunday',
      '}',
      'test "t" {',
      '  at 2026-01-05 09:00',
      '  e { s: "a\\"b\\\\c\\n\\t\\u{1F600}\\x", b: true, n: -4 }',
      '}',
    ].join('\n');
    expect(await scope(src, 2, '+30')).toBe('constant.numeric.points');
    expect(await scope(src, 2, '3.5')).toBe('constant.numeric');
    expect(await scope(src, 3, '-15')).toBe('constant.numeric.points');
    expect(await scope(src, 3, 'week')).toBe('keyword.other.unit.duration');
    expect(await scope(src, 4, '2.5')).toBe('constant.numeric.percent');
    expect(await scope(src, 4, '%')).toBe('keyword.other.unit.percent');
    expect(await scope(src, 4, '30')).toBe('constant.numeric.duration');
    expect(await scope(src, 4, 'days')).toBe('keyword.other.unit.duration');
    expect(await scope(src, 7, '20:00')).toBe('constant.numeric.time');
    expect(await scope(src, 8, 'sunday')).toBe('constant.language.weekday');
    expect(await scope(src, 11, '2026-01-05')).toBe('constant.numeric.date');
    expect(await scope(src, 11, '09:00')).toBe('constant.numeric.time');
    expect(await scope(src, 12, '\\"')).toBe('constant.character.escape');
    expect(await scope(src, 12, '\\\\')).toBe('constant.character.escape');
    expect(await scope(src, 12, '\\n')).toBe('constant.character.escape');
    expect(await scope(src, 12, '\\t')).toBe('constant.character.escape');
    expect(await scope(src, 12, '\\u{1F600}')).toBe('constant.character.escape.unicode');
    expect(await scope(src, 12, '\\x')).toBe('invalid.illegal.escape');
    expect(await scope(src, 12, 'true')).toBe('constant.language.boolean');
  });

  it('colours `control group`: the declaration and the test statement, not events called `control`', async () => {
    const src = ['control group 5%', 'event control', 'test "t" {', '  control group # in it', '  control', '}'].join('\n');
    expect(await scopesOf(src, 1, 'control group')).toEqual(['source.nurture', 'storage.type.control-group.nurture']);
    expect(await scope(src, 1, '5')).toBe('constant.numeric.percent');
    expect(await scope(src, 2, 'control')).toBe('entity.name.type.event');
    expect(await scope(src, 4, 'control group')).toBe('keyword.other.test');
    expect(await scope(src, 5, 'control')).toBe('entity.name.type.event');
  });

  it('colours keywords by role and declared names by kind', async () => {
    const src = [
      'event e { f: text }', // 1
      'content c { channel: email }', // 2
      'segment s = has e and not received c', // 3
      'journey j {', // 4
      '  entry on e where f is "x"', // 5
      '  wait for e up to 2 days {', // 6
      '    send c', // 7
      '  } timeout {', // 8
      '    move to k', // 9
      '  }', // 10
      '}', // 11
      'threshold t when s { handoff "q" }', // 12
    ].join('\n');
    expect(await scope(src, 1, 'event')).toBe('storage.type.event');
    expect(await scope(src, 1, 'e')).toBe('entity.name.type.event');
    expect(await scope(src, 1, 'f')).toBe('entity.name.variable.field');
    expect(await scope(src, 1, 'text')).toBe('support.type.primitive');
    expect(await scope(src, 2, 'c')).toBe('entity.name.constant.content');
    expect(await scope(src, 2, 'channel')).toBe('support.type.property-name');
    expect(await scope(src, 3, 's')).toBe('entity.name.function.segment');
    expect(await scope(src, 3, 'has')).toBe('keyword.other.predicate');
    expect(await scope(src, 3, 'and')).toBe('keyword.operator.logical');
    expect(await scope(src, 3, 'not')).toBe('keyword.operator.logical');
    expect(await scope(src, 4, 'j')).toBe('entity.name.function.journey');
    expect(await scope(src, 5, 'entry')).toBe('keyword.other.setting');
    expect(await scope(src, 5, 'where')).toBe('keyword.other.clause');
    expect(await scope(src, 5, 'is')).toBe('keyword.operator.word');
    expect(await scope(src, 6, 'wait')).toBe('keyword.control.wait');
    expect(await scope(src, 6, 'e')).toBe('entity.name.type.event');
    expect(await scope(src, 7, 'send')).toBe('keyword.other.action');
    expect(await scope(src, 7, 'c')).toBe('variable.other.constant.content');
    expect(await scope(src, 8, 'timeout')).toBe('keyword.control.wait');
    expect(await scope(src, 9, 'move')).toBe('keyword.control.flow');
    expect(await scope(src, 9, 'k')).toBe('entity.name.function.journey');
    expect(await scope(src, 12, 'threshold')).toBe('storage.type.threshold');
    expect(await scope(src, 12, 't')).toBe('entity.name.function.threshold');
    expect(await scope(src, 12, 'handoff')).toBe('keyword.other.action');
  });

  it('treats contextual keywords as names where a name is expected', async () => {
    const src = ['lead { score: number, topic: text }', 'event topic { content: content }', 'segment send = topic is "x"'].join('\n');
    expect(await scope(src, 1, 'score')).toBe('entity.name.variable.attribute');
    expect(await scope(src, 2, 'topic')).toBe('entity.name.type.event');
    expect(await scope(src, 3, 'send')).toBe('entity.name.function.segment');
    expect(await scope(src, 3, 'topic')).toBe('variable.other');
  });

  it('reads Unicode names as one name', async () => {
    const src = 'content livre_blanc_été { channel: email }\nstream s: livre_blanc_été';
    expect(await scope(src, 1, 'livre_blanc_été')).toBe('entity.name.constant.content');
    expect(await scope(src, 2, 'livre_blanc_été')).toBe('variable.other.constant.content');
  });

  it('recovers at the next declaration after an unterminated text or a missing `}`', async () => {
    const src = ['content c { channel: email, template: "oops', 'journey j {', '  send c', 'event e'].join('\n');
    expect(await scope(src, 1, 'oops')).toBe('string.quoted.double');
    expect(await scope(src, 2, 'journey')).toBe('storage.type.journey');
    expect(await scope(src, 3, 'send')).toBe('keyword.other.action');
    expect(await scope(src, 4, 'event')).toBe('storage.type.event');
    expect(await scope(src, 4, 'e')).toBe('entity.name.type.event');
  });

  it('marks characters that are not part of the language as invalid', async () => {
    expect(await scope('segment s = a && b', 1, '&&')).toBe('invalid.illegal.character');
  });
});
