// The common mistakes of issue 26 get a hint and, where the right text is known, a quick fix (the
// corpus files tests/fixtures/invalid/{syntax-duration-without-unit,syntax-percentage-without-sign,
// syntax-twelve-hour-time,enum-member-abbreviated-or-elsewhere,type-bool-written-as-text} hold the goldens).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkSources } from '../../compiler/workspace.js';

const DIR = new URL('../fixtures/invalid/', import.meta.url);

/** Each diagnostic as `line:column message -> fix text` (the text its first fix puts in place). */
function fixes(name: string): string[] {
  const text = readFileSync(new URL(name, DIR), 'utf8');
  return checkSources([{ path: name, text }]).diagnostics.map((d) => {
    const edit = d.fixes?.[0]?.edits[0];
    const replaced = edit ? text.slice(edit.span.start, edit.span.end) : '';
    return `${d.span.line}:${d.span.column} ${edit ? `\`${replaced}\` -> \`${edit.newText}\`` : 'no fix'}`;
  });
}

describe('hints for common mistakes', () => {
  it('`wait 2`: the caret under the number, on its own line, no guessed unit', () => {
    expect(fixes('syntax-duration-without-unit.nurture')).toEqual(['18:8 no fix']);
  });

  it('`holdout 10` is fixed to `10%`', () => {
    expect(fixes('syntax-percentage-without-sign.nurture')).toEqual(['17:11 `10` -> `10%`']);
  });

  it('`9pm` and `8am` are fixed to 24-hour times, the whole `9pm` replaced', () => {
    expect(fixes('syntax-twelve-hour-time.nurture')).toEqual(['16:15 `9pm` -> `21:00`', '16:22 `8am` -> `08:00`']);
  });

  it('`exec` is fixed to the member it abbreviates; a member of another attribute is only named', () => {
    expect(fixes('enum-member-abbreviated-or-elsewhere.nurture')).toEqual(['18:14 `exec` -> `executive`', '21:14 no fix']);
  });

  it('`"yes"` and `"no"` for a bool are fixed to `true` and `false`; another text is not guessed', () => {
    expect(fixes('type-bool-written-as-text.nurture')).toEqual(['17:22 `"yes"` -> `true`', '21:36 `"no"` -> `false`', '22:31 no fix']);
  });
});
