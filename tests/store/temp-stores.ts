// A temporary folder per store test file, removed after its tests: `tempStores('x')()` is a new file name.
// (Not in fixture.ts: the store bench and the crash child import that one outside vitest.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export function tempStores(prefix: string): () => string {
  const dir = mkdtempSync(join(tmpdir(), `nurture-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  return () => join(dir, `${prefix}${n++}.db`);
}
