// A lowering failure on a workspace the checker accepted is a compiler bug: the plan phase
// (`Workspace.plan()`) reports it as NUR900 at its place, and every command says the same (exit 1),
// where `compile` once gave a location and `test`/`simulate`/`graph` exited 2 with none.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

vi.mock('../../compiler/lower/index.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../compiler/lower/index.js')>();
  return {
    ...real,
    // A lowering with a bug: it refuses the send of the journey.
    compilePlan: (...args: Parameters<typeof real.compilePlan>) => {
      const send = { start: 60, end: 70, line: 4, column: 3, endLine: 4, endColumn: 13 };
      throw new real.LowerError('`send` is not supported', 'a.nurture', send);
    },
  };
});

const { main } = await import('../../cli/main.js');
const { checkSources, Workspace } = await import('../../compiler/workspace.js');

const SOURCE = 'event signed_up\nchannel email\ncontent hello { channel: email, transactional: true }\njourney welcome {\n  entry on signed_up\n  send hello\n}\n';
const dir = mkdtempSync(join(tmpdir(), 'nurture-lowering-bug-'));
writeFileSync(join(dir, 'a.nurture'), SOURCE);
writeFileSync(join(dir, 'events.jsonl'), '');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture() {
  let text = '';
  return { write: (s: string) => void (text += s), get text() { return text; }, isTTY: false };
}

describe('a lowering bug', () => {
  it('is NUR900 at its place in the plan phase, and no plan', () => {
    expect(checkSources([{ path: 'a.nurture', text: SOURCE }]).diagnostics).toEqual([]);
    const ws = new Workspace();
    ws.setFile('a.nurture', SOURCE);
    const { diagnostics, plan } = ws.plan();
    expect(plan).toBeUndefined();
    expect(diagnostics.map((d) => [d.code, d.severity, d.file, d.span.line, d.span.column])).toEqual([['NUR900', 'error', 'a.nurture', 4, 3]]);
    expect(diagnostics[0]!.message).toBe('internal compiler error: the checker accepted this, but it cannot be compiled: `send` is not supported');
    expect(ws.check().diagnostics).toEqual([]); // the check alone does not lower
  });

  it('is reported alike by check, compile, test, simulate and graph: exit 1, located, nothing on stdout', async () => {
    const outputs: string[] = [];
    for (const args of [['check', 'a.nurture'], ['compile', 'a.nurture'], ['test', 'a.nurture'], ['simulate', 'a.nurture', '--events', 'events.jsonl'], ['graph', 'a.nurture']]) {
      const stdout = capture();
      const stderr = capture();
      const status = await main(args, { stdout, stderr, env: {}, cwd: dir, version: '9.9.9' });
      expect([args[0], status]).toEqual([args[0], 1]);
      const report = args[0] === 'check' ? stdout.text : stderr.text;
      if (args[0] !== 'check') expect(stdout.text).toBe('');
      expect(report).toContain('error[NUR900]: internal compiler error');
      expect(report).toContain('a.nurture:4:3');
      outputs.push(report.slice(0, report.indexOf('\n\n')));
    }
    expect(new Set(outputs).size).toBe(1);
  });
});
