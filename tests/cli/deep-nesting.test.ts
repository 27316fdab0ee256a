// Deep nesting in a fresh process (issue 20): the first parse runs in cold, interpreted code whose frames
// are larger, and 89 unclosed `wait for … {` blocks (or 100 closed ones) overflowed the stack in the
// parser's error recovery: every command said "internal error". Now each gets a located NUR001.
import { afterAll, describe, expect, it } from 'vitest';
import { cleanWorkspaces, makeWorkspace, runCli } from './helpers.js';

afterAll(cleanWorkspaces);

const HEAD = 'event e\nchannel c\ncontent x { channel: c, transactional: true }\njourney j {\n  entry on e\n';
const UNCLOSED = HEAD + '  wait for e up to 1 day {\n'.repeat(89);
const CLOSED = HEAD + '  wait for e up to 1 day {\n'.repeat(100) + '  send x\n' + '  } timeout {\n    send x\n  }\n'.repeat(100) + '}\n';
const PARENS = 'lead { a: number }\nsegment s = ' + '('.repeat(95) + 'a > 1\n';

describe('deep nesting through the CLI', () => {
  for (const [name, text] of [['89 unclosed blocks', UNCLOSED], ['100 closed blocks', CLOSED], ['95 unclosed parentheses', PARENS]] as const) {
    it(`${name}: a located NUR001 from check, compile, fmt and graph, never an internal error`, async () => {
      const ws = makeWorkspace({ 'deep.nurture': text });
      for (const args of [['check', '--format', 'json'], ['compile'], ['fmt'], ['graph']]) {
        const r = await runCli([...args, 'deep.nurture'], { cwd: ws });
        expect(r.status, `${args[0]}: ${r.stderr}`).toBe(1);
        expect(r.stderr + r.stdout).not.toContain('internal error');
        expect(r.stderr + r.stdout).toMatch(/nested more than 50 levels deep/);
      }
    });
  }
});
