// Golden files: each `name.input.nurture` under golden/ formats to `name.output.nurture`, one file
// per style rule (see formatter/STYLE.md). The outputs are fixed points.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSource } from '../../formatter/format.js';
import { layoutProblems, meaning, prettierFormat } from './helpers.js';

const GOLDEN = join(import.meta.dirname, 'golden');
const names = readdirSync(GOLDEN)
  .filter((f) => f.endsWith('.input.nurture'))
  .map((f) => f.slice(0, -'.input.nurture'.length))
  .sort();

describe('golden before/after files', () => {
  it('has a golden pair for each style rule', () => {
    expect(names).toEqual(
      expect.arrayContaining([
        'blank-lines', 'comments', 'conditions', 'content-properties', 'event-fields', 'indentation',
        'journey-settings', 'lead-fields', 'literals', 'name-lists', 'pressure', 'score-points', 'steps', 'tests',
      ]),
    );
  });

  for (const name of names) {
    describe(name, () => {
      const input = readFileSync(join(GOLDEN, `${name}.input.nurture`), 'utf8');
      const expected = readFileSync(join(GOLDEN, `${name}.output.nurture`), 'utf8');

      it('formats the input to the golden output', async () => {
        expect(meaning(input).errors).toEqual([]);
        expect(await formatSource(input, `${name}.input.nurture`)).toBe(expected);
      });

      it('gives the same through prettier.format', async () => {
        expect(await prettierFormat(input)).toBe(expected);
      });

      it('leaves the golden output unchanged', async () => {
        expect(await formatSource(expected)).toBe(expected);
      });

      it('keeps the meaning and every comment', () => {
        const before = meaning(input);
        const after = meaning(expected);
        expect(after.errors).toEqual([]);
        expect(after.tree).toEqual(before.tree);
        expect(after.comments).toEqual(before.comments);
        expect(layoutProblems(expected)).toEqual([]);
      });
    });
  }
});
