// Every example and valid fixture: formatting is idempotent and keeps the meaning and every comment.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSource } from '../../formatter/format.js';
import { layoutProblems, meaning, nurtureFiles, prettierFormat, ROOT } from './helpers.js';

// invalid programs too, as long as they parse: their mistakes are about names and types, and the
// formatter must keep those programs exactly as meaningful (or meaningless) as they were
const parsing = (f: string) => meaning(readFileSync(f, 'utf8')).errors.length === 0;
const files = [
  ...nurtureFiles(join(ROOT, 'examples')),
  ...nurtureFiles(join(ROOT, 'tests', 'fixtures', 'valid')),
  ...nurtureFiles(join(ROOT, 'tests', 'fixtures', 'invalid')).filter(parsing),
];

describe('examples and fixtures', () => {
  it('include the spec example', () => {
    expect(files.map((f) => relative(ROOT, f))).toContain('tests/fixtures/valid/spec-example.nurture');
  });

  for (const file of files) {
    const name = relative(ROOT, file);
    it(`${name}: idempotent, same tree, same comments`, async () => {
      const text = readFileSync(file, 'utf8');
      const before = meaning(text);
      expect(before.errors).toEqual([]);
      const once = await formatSource(text, name);
      const twice = await formatSource(once, name);
      expect(twice).toBe(once);
      const after = meaning(once);
      expect(after.errors).toEqual([]);
      expect(after.tree).toEqual(before.tree);
      expect(after.comments).toEqual(before.comments);
      expect(layoutProblems(once)).toEqual([]);
      expect(await prettierFormat(text, name)).toBe(once);
    });
  }

  it('formats the spec example in the canonical style', async () => {
    const text = readFileSync(join(ROOT, 'tests', 'fixtures', 'valid', 'spec-example.nurture'), 'utf8');
    const out = await formatSource(text);
    // The points column is right-aligned; the 86-column content line is broken at printWidth 80.
    expect(out).toContain('score engagement {\n   +1 on email_opened max 5 per 7 days\n   +3 on email_clicked\n  +10 on');
    expect(out).toContain('content welcome_email {\n  channel: email,\n  topic: onboarding,\n  template: "tpl-welcome"\n}\n');
    expect(out).toContain('content ebook_finance  { channel: email, topic: education, cost: 0.05 }\n');
    expect(out).toContain('    50% { send case_study_a }\n    50% { send case_study_b }\n');
  });
});
