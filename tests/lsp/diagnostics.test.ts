// The language server over stdio: start-up, diagnostics of files that are not open, cross-file
// re-checks, a burst of rapid edits, and robustness against bad requests.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Client, FIXTURES, positionOf, type LspDiagnostic } from './client.js';

const brief = (ds: LspDiagnostic[]) =>
  ds.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} ${d.code} ${d.message.split('\n')[0]}`);

describe('start-up', () => {
  test('loads every file of the folder and publishes diagnostics for files that are not open', async () => {
    const c = await Client.start(join(FIXTURES, 'broken'));
    try {
      expect(c.capabilities).toMatchObject({
        textDocumentSync: { openClose: true, change: 2 },
        hoverProvider: true, definitionProvider: true, referencesProvider: true, renameProvider: { prepareProvider: true },
        documentSymbolProvider: true, workspaceSymbolProvider: true, foldingRangeProvider: true,
        documentFormattingProvider: true, codeActionProvider: { codeActionKinds: ['quickfix'] },
      });
      const diags = await c.diagnosticsFor(c.uri('journey.nurture'));
      expect(brief(diags)).toEqual(['2:12-2:21 NUR100 unknown event `signed_up`', '3:8-3:12 NUR100 unknown content `helo`']);
      expect(diags[1]).toMatchObject({ severity: 1, source: 'nurture', message: 'unknown content `helo`\ndid you mean `hello`?' });
      expect(await c.diagnosticsFor(c.uri('model.nurture'))).toEqual([]);
      expect(await c.stop()).toBe(0);
    } finally {
      await c.stop();
    }
  });
});

describe('editing', () => {
  let c: Client;
  beforeAll(async () => {
    c = await Client.start(join(FIXTURES, 'basic'));
    await c.diagnosticsFor(c.uri('journeys.nurture'));
    await c.diagnosticsFor(c.uri('model.nurture'));
  });
  afterAll(async () => {
    await c.stop();
  });

  test('the fixture is clean', () => {
    expect(c.diagnostics.get(c.uri('journeys.nurture'))).toEqual([]);
    expect(c.diagnostics.get(c.uri('model.nurture'))).toEqual([]);
  });

  test('an edit in one file re-checks the others, open or not', async () => {
    const model = c.uri('model.nurture');
    const journeys = c.uri('journeys.nurture');
    const original = readFileSync(c.path('model.nurture'), 'utf8');
    await c.open('model.nurture');
    // remove the declaration of case_study: journeys.nurture (not open) is affected
    const without = original.replace('content case_study { channel: email, topic: product }\n', '');
    await c.change(model, without);
    const jd = await c.diagnosticsFor(journeys, (d) => d.length > 0, 'journeys after the removal');
    expect(brief(jd)).toEqual(['8:10-8:20 NUR100 unknown content `case_study`']);
    const md = await c.diagnosticsFor(model, (d) => d.length > 0);
    expect(brief(md)).toEqual(['20:34-20:44 NUR100 unknown content `case_study`']);
    // put it back: both files are clean again
    await c.change(model, original);
    await c.diagnosticsFor(journeys, (d) => d.length === 0, 'journeys clean again');
    await c.diagnosticsFor(model, (d) => d.length === 0, 'model clean again');
    await c.close(model);
  });

  test('a burst of 50 rapid edits ends in the right diagnostics', async () => {
    const uri = await c.open('journeys.nurture');
    const text = readFileSync(c.path('journeys.nurture'), 'utf8');
    const end = positionOf(text + '\u0000', '\u0000');
    const typed = '\njourney bu {\n  entry on demo_requested\n  send ab}';
    expect(typed.length).toBe(50);
    const before = c.publications.length;
    let line = end.line;
    let character = end.character;
    let version = 1;
    for (const ch of typed) {
      const at = { line, character };
      version = await c.edit(uri, { start: at, end: at }, ch);
      if (ch === '\n') { line++; character = 0; } else character++;
    }
    expect(version).toBe(51);
    await c.until(() => c.publications.some((p) => p.uri === uri && p.version === 51), 'the publication of version 51');
    const final = c.publications.filter((p) => p.uri === uri).at(-1)!;
    expect(final.version).toBe(51);
    expect(brief(final.diagnostics)).toEqual(['22:8-22:10 NUR100 unknown content `ab`']);
    const during = c.publications.slice(before).filter((p) => p.uri === uri).length;
    expect(during).toBeLessThan(10); // debounced: not one check per keystroke
    // nothing stale arrives later
    await new Promise((r) => setTimeout(r, 300));
    expect(brief(c.diagnostics.get(uri)!)).toEqual(['22:8-22:10 NUR100 unknown content `ab`']);
    await c.change(uri, text);
    await c.diagnosticsFor(uri, (d) => d.length === 0);
    await c.close(uri);
  });

  test('an error does not hide the analyses elsewhere: NUR003 and the NUR310 of the next line, in the editor', async () => {
    const uri = await c.open('scores-only.nurture', 'score heat {\n  +5 on demo_requested\n  decay 150% every 7 days idle\n  range 80 to 10\n}\n');
    const diags = await c.diagnosticsFor(uri, (d) => d.length >= 2, 'both diagnostics');
    expect(brief(diags)).toEqual([
      '3:9-3:13 NUR003 invalid percentage `150%`: a percentage is between 0% and 100%',
      '4:3-4:17 NUR310 the range of score `heat` goes from 80 down to 10: its minimum is above its maximum',
    ]);
    await c.close(uri);
    await c.diagnosticsFor(uri, (d) => d.length === 0, 'cleared diagnostics');
  });

  test('closing a document that is not on disk clears its diagnostics', async () => {
    const uri = await c.open('scratch-only.nurture', 'journey x {\n  send nothing_here\n}\n');
    await c.diagnosticsFor(uri, (d) => d.length > 0);
    await c.close(uri);
    await c.diagnosticsFor(uri, (d) => d.length === 0, 'cleared diagnostics');
  });
});

describe('files changed on disk', () => {
  test('created, changed and deleted files (workspace/didChangeWatchedFiles) are checked', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nurture-lsp-watch-'));
    cpSync(join(FIXTURES, 'basic'), root, { recursive: true });
    const c = await Client.start(root, { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } });
    try {
      await c.diagnosticsFor(c.uri('journeys.nurture'));
      const extra = c.uri('extra.nurture');
      writeFileSync(c.path('extra.nurture'), 'journey extra {\n  entry on demo_requested\n  send unknown_thing\n}\n');
      await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: extra, type: 1 }] });
      expect(brief(await c.diagnosticsFor(extra))).toEqual(['3:8-3:21 NUR100 unknown content `unknown_thing`']);
      // a change on disk that affects another file: case_study disappears from the model
      const model = readFileSync(c.path('model.nurture'), 'utf8');
      writeFileSync(c.path('model.nurture'), model.replace('content case_study { channel: email, topic: product }\n', ''));
      await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: c.uri('model.nurture'), type: 2 }] });
      expect(brief(await c.diagnosticsFor(c.uri('journeys.nurture'), (d) => d.length > 0))).toEqual(['8:10-8:20 NUR100 unknown content `case_study`']);
      rmSync(c.path('extra.nurture'));
      await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: extra, type: 3 }] });
      await c.diagnosticsFor(extra, (d) => d.length === 0, 'the deleted file cleared');
    } finally {
      await c.stop();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('robustness', () => {
  let c: Client;
  beforeAll(async () => {
    c = await Client.start(join(FIXTURES, 'basic'));
  });
  afterAll(async () => {
    await c.stop();
  });

  test('bad requests get neutral answers and the server keeps serving', async () => {
    const nowhere = { textDocument: { uri: 'file:///nowhere/x.nurture' }, position: { line: 3, character: 4 } };
    expect(await c.request('textDocument/hover', nowhere)).toBeNull();
    expect(await c.request('textDocument/definition', nowhere)).toBeNull();
    expect(await c.request('textDocument/completion', nowhere)).toEqual([]);
    expect(await c.request('textDocument/documentSymbol', { textDocument: { uri: 'file:///nowhere/x.nurture' } })).toEqual([]);
    // malformed parameters: refused before any handler runs, with InvalidParams naming the field
    await expect(c.request('textDocument/hover', {})).rejects.toMatchObject({ code: -32602, message: '`textDocument/hover`: `textDocument.uri` is missing or malformed' });
    await expect(c.request('textDocument/references', { textDocument: {} })).rejects.toMatchObject({ code: -32602 });
    await expect(c.request('textDocument/semanticTokens/full', {})).rejects.toMatchObject({ code: -32602 });
    await expect(c.request('textDocument/codeAction', { textDocument: { uri: c.uri('model.nurture') } })).rejects.toMatchObject({ code: -32602, message: '`textDocument/codeAction`: `range` is missing or malformed' });
    // positions past the end of a line or of the file
    const uri = await c.open('journeys.nurture');
    expect(await c.request('textDocument/hover', { textDocument: { uri }, position: { line: 999, character: 999 } })).toBeNull();
    expect(Array.isArray(await c.request('textDocument/completion', { textDocument: { uri }, position: { line: 2, character: 500 } }))).toBe(true);
    await expect(c.request('nurture/unknownMethod', {})).rejects.toThrow();
    // still alive
    const hover = await c.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 9 } });
    expect(hover.contents.value).toContain('**content** `welcome_email`');
  });

  test('a half-typed file still gets completion at every position, and an outline', async () => {
    const text = 'journey half {\n  entry on form_submitted where form is "x"\n  send welcome_email\n  if fit >= \n  send \n  wait 2 \n';
    const uri = await c.open('half.nurture', text);
    for (let offset = 0; offset <= text.length; offset++) {
      const pos = positionOf(text + '\u0000', '\u0000');
      const before = text.slice(0, offset);
      const line = before.split('\n').length - 1;
      const position = offset === text.length ? pos : { line, character: offset - (before.lastIndexOf('\n') + 1) };
      const items = await c.request<unknown[]>('textDocument/completion', { textDocument: { uri }, position });
      expect(Array.isArray(items)).toBe(true);
    }
    const at = positionOf(text, '  send \n', 0, 7);
    const labels = (await c.request<{ label: string }[]>('textDocument/completion', { textDocument: { uri }, position: at })).map((i) => i.label).sort();
    expect(labels).toEqual(['case_study', 'next from', 'welcome_email']);
    const symbols = await c.request<{ name: string }[]>('textDocument/documentSymbol', { textDocument: { uri } });
    expect(symbols.map((s) => s.name)).toEqual(['half']);
    const folding = await c.request<unknown[]>('textDocument/foldingRange', { textDocument: { uri } });
    expect(Array.isArray(folding)).toBe(true);
    await c.close(uri);
  });
});
