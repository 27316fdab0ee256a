// The self-check of `nurture compile`: a plan the loader refuses is never written (exit 2, internal error).
import { describe, expect, it, vi } from 'vitest';

vi.mock('../../compiler/lower/index.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../compiler/lower/index.js')>();
  return {
    ...real,
    compilePlan: (...args: Parameters<typeof real.compilePlan>) => {
      const plan = real.compilePlan(...args);
      // A step that goes nowhere valid: the loader must refuse it.
      return { ...plan, journeys: { ...plan.journeys, welcome: { ...plan.journeys['welcome']!, steps: plan.journeys['welcome']!.steps.map((s) => (s.id === 0 ? { ...s, next: 99 } : s)) } } };
    },
  };
});

const { main } = await import('../../cli/main.js');

function capture() {
  let text = '';
  return { write: (s: string) => void (text += s), get text() { return text; }, isTTY: false };
}

describe('nurture compile self-check', () => {
  it('refuses to write a plan the loader rejects: exit 2, internal error', async () => {
    const out = capture();
    const err = capture();
    const status = await main(['compile', 'examples/acme/acme.nurture'], { stdout: out, stderr: err, env: {}, cwd: process.cwd() });
    expect(status).toBe(2);
    expect(out.text).toBe('');
    expect(err.text).toMatch(/^nurture: internal error: the compiled plan does not pass the plan loader/);
    expect(err.text).toContain('/journeys/welcome/steps/0/next');
  });
});
