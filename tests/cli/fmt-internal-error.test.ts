// A formatter failure that is not the file's fault (a formatter bug, or a bundle missing a chunk) is
// reported as an internal error, not counted as a syntax error; the file is left as it is and fmt exits 1.
// Runs `main` in process with the formatter's entry point replaced.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { cleanWorkspaces, makeWorkspace } from './helpers.js';

vi.mock('../../formatter/format.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../formatter/format.js')>();
  return {
    ...real,
    tryFormatSource: async (text: string, path: string) =>
      path.endsWith('boom.nurture')
        ? { ok: false, error: new real.FormatError('internal', `${path}: internal formatter error, file left unchanged: boom`, path) }
        : real.tryFormatSource(text, path),
  };
});

const { main } = await import('../../cli/main.js');

function capture() {
  let text = '';
  return { write: (s: string) => void (text += s), get text() { return text; }, isTTY: false };
}

afterAll(cleanWorkspaces);

describe('nurture fmt, internal formatter errors', () => {
  it('names them as such, leaves the file, and exits 1', async () => {
    const ugly = 'event   signed_up\n';
    const ws = makeWorkspace({ 'boom.nurture': ugly, 'a.nurture': ugly });
    const out = capture();
    const err = capture();
    const status = await main(['fmt', '--check', '.'], { stdout: out, stderr: err, env: {}, cwd: ws });
    expect(status).toBe(1);
    expect(err.text).toBe('./boom.nurture: internal formatter error, file left unchanged: boom\n');
    expect(out.text).toBe('would reformat ./a.nurture\n1 file would be reformatted, 0 already formatted, 1 not formatted (internal formatter error)\n');
    expect(readFileSync(join(ws, 'boom.nurture'), 'utf8')).toBe(ugly);
  });
});
