// An unexpected failure inside the checker: exit 2, one line naming it as an internal error, no stack
// unless NURTURE_DEBUG=1. Runs `main` in process with the workspace module replaced.
import { describe, expect, it, vi } from 'vitest';

vi.mock('../../compiler/workspace.js', () => ({
  Workspace: class {
    setFile(): void {}
    check(): never {
      throw new TypeError('boom in the checker');
    }
    plan(): never {
      return this.check();
    }
  },
}));

const { main } = await import('../../cli/main.js');

function capture() {
  let text = '';
  return { write: (s: string) => void (text += s), get text() { return text; }, isTTY: false };
}

describe('internal errors', () => {
  it('are reported in one line with a hint, and exit 2', async () => {
    const out = capture();
    const err = capture();
    const status = await main(['check', 'tests/fixtures/valid/spec-example.nurture'], {
      stdout: out,
      stderr: err,
      env: {},
      cwd: process.cwd(),
    });
    expect(status).toBe(2);
    expect(out.text).toBe('');
    expect(err.text.trimEnd().split('\n')).toHaveLength(1);
    expect(err.text).toMatch(/^nurture: internal error: boom in the checker \(this is a bug in nurture; please report it/);
    expect(err.text).toContain('NURTURE_DEBUG=1');
    expect(err.text).not.toMatch(/\n\s+at /);
  });

  it('show the stack with NURTURE_DEBUG=1', async () => {
    const err = capture();
    const status = await main(['check', 'tests/fixtures/valid/spec-example.nurture'], {
      stdout: capture(),
      stderr: err,
      env: { NURTURE_DEBUG: '1' },
      cwd: process.cwd(),
    });
    expect(status).toBe(2);
    expect(err.text).toMatch(/\n\s+at /);
  });
});
