// A deeply nested file in the language server (issue 20): it used to overflow the parser's stack, and
// then no file of the workspace got diagnostics. Now it gets a located NUR001 and the others are checked.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Client } from './client.js';

let c: Client;
let dir: string;
const DEEP = 'event e\nchannel c\ncontent x { channel: c, transactional: true }\njourney j {\n  entry on e\n' + '  wait for e up to 1 day {\n'.repeat(89);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nurture-lsp-deep-'));
  writeFileSync(join(dir, 'deep.nurture'), DEEP);
  writeFileSync(join(dir, 'other.nurture'), 'content y { channel: nope }\n');
  c = await Client.start(dir);
});
afterAll(async () => {
  await c.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('the deep file gets a located NUR001 and the other file is still checked', async () => {
  const deep = await c.open('deep.nurture');
  const d = await c.diagnosticsFor(deep, (ds) => ds.some((x) => /levels deep/.test(x.message)));
  expect(d.find((x) => /levels deep/.test(x.message))).toMatchObject({ code: 'NUR001', range: { start: { line: 54 } } });
  const other = await c.open('other.nurture');
  const o = await c.diagnosticsFor(other, (ds) => ds.some((x) => x.code === 'NUR100'));
  expect(o.some((x) => x.code === 'NUR100')).toBe(true);
});
