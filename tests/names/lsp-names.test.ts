// Names are data in the language server too (issue 20): on workspaces named with `__proto__`,
// `constructor`, … every feature answers about the name under the cursor and diagnostics stay clean.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Client, positionOf } from '../lsp/client.js';
import { ROLES, rotation, workspace } from './hostile-workspace.js';

const WORKSPACES = [0, 3, 7, 12].map((r) => ({ names: rotation(r), text: workspace(rotation(r)) }));
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nurture-lsp-names-'));
  WORKSPACES.forEach((w, i) => {
    mkdirSync(join(dir, `w${i}`));
    writeFileSync(join(dir, `w${i}`, 'names.nurture'), w.text);
  });
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('language server with prototype names', () => {
  WORKSPACES.forEach((w, i) => {
    test(`workspace ${i}: diagnostics, hover, definition, references, rename, symbols, completion`, async () => {
      const c = await Client.start(join(dir, `w${i}`));
      try {
        const uri = await c.open('names.nurture');
        const diags = await c.diagnosticsFor(uri);
        expect(diags.filter((d) => d.severity === 1).map((d) => d.message)).toEqual([]);
        const n = w.names;
        // `send <content>` in the journey: hover, definition, references and rename name the content
        const at = positionOf(w.text, `send ${n.content}`, 0, 5);
        const hover = await c.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri }, position: at });
        expect(hover?.contents.value).toContain(n.content);
        const def = await c.request<{ range: { start: { line: number } } } | null>('textDocument/definition', { textDocument: { uri }, position: at });
        expect(def?.range.start.line).toBe(positionOf(w.text, `content ${n.content} `).line);
        const refs = await c.request<unknown[]>('textDocument/references', { textDocument: { uri }, position: at, context: { includeDeclaration: true } });
        expect(refs.length).toBeGreaterThanOrEqual(3);
        const rename = await c.request<{ changes: Record<string, unknown[]> }>('textDocument/rename', { textDocument: { uri }, position: at, newName: 'renamed' });
        expect(Object.values(rename.changes).flat().length).toBeGreaterThanOrEqual(3);
        const symbols = JSON.stringify(await c.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri } }));
        for (const role of ROLES) if (role !== 'member' && role !== 'other' && role !== 'meta') expect(symbols).toContain(JSON.stringify(n[role]));
        const completion = await c.request<{ label: string }[]>('textDocument/completion', { textDocument: { uri }, position: at });
        expect(completion.map((x) => x.label)).toContain(n.content);
      } finally {
        await c.stop();
      }
    });
  });
});
