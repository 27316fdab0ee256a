// The extension's manifest (vscode-extension/package.json) against what the extension does: every
// contributed command is registered on activation (and nothing else is), every activation event names
// something real, every contributed file exists and parses, every setting read is contributed.
// Activation runs src/extension.ts with stand-ins for `vscode` and the language client.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { EXTENSION } from './textmate.js';

interface Manifest {
  name: string;
  main: string;
  engines: { vscode: string };
  activationEvents: string[];
  icon?: string;
  contributes: {
    languages: { id: string; extensions: string[]; configuration: string; icon?: { light: string; dark: string } }[];
    grammars: { language: string; scopeName: string; path: string }[];
    snippets: { language: string; path: string }[];
    commands: { command: string; title: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    configuration: { properties: Record<string, { type: string; default: unknown }> };
  };
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

const manifest = JSON.parse(readFileSync(join(EXTENSION, 'package.json'), 'utf8')) as Manifest;
const json = (rel: string) => JSON.parse(readFileSync(join(EXTENSION, rel), 'utf8')) as Record<string, unknown>;

// ---- stand-ins for the editor, recording what activation registers ----
const registered = new Map<string, (...args: unknown[]) => unknown>();
const clientStarts: { id: string; server: unknown }[] = [];
const disposable = { dispose() {} };
const event = () => () => disposable;

vi.mock('vscode', () => ({
  commands: {
    registerCommand: (id: string, fn: (...args: unknown[]) => unknown) => {
      if (registered.has(id)) throw new Error(`command ${id} registered twice`);
      registered.set(id, fn);
      return disposable;
    },
  },
  window: {
    createOutputChannel: () => ({ append() {}, appendLine() {}, show() {}, dispose() {} }),
    showErrorMessage: async () => undefined,
    showInformationMessage: async () => undefined,
    activeTextEditor: undefined,
  },
  languages: { createDiagnosticCollection: () => ({ clear() {}, set() {}, delete() {}, has: () => false, dispose() {} }) },
  workspace: {
    workspaceFolders: undefined,
    getConfiguration: () => ({ get: () => undefined }),
    onDidChangeConfiguration: event(),
    onDidChangeTextDocument: event(),
    createFileSystemWatcher: () => disposable,
  },
  Uri: { file: (p: string) => ({ fsPath: p }) },
}));
vi.mock('../../vscode-extension/src/language-client.js', () => ({
  TransportKind: { stdio: 0, ipc: 1, pipe: 2, socket: 3 },
  LanguageClient: class {
    constructor(id: string, _name: string, server: unknown) {
      clientStarts.push({ id, server });
    }
    async start() {}
    async stop() {}
  },
}));

async function activate(): Promise<void> {
  // a computed specifier: the root type-check does not follow it into the extension's sources
  const entry = join(EXTENSION, 'src', 'extension.ts');
  const ext = (await import(/* @vite-ignore */ entry)) as { activate(ctx: unknown): Promise<void> };
  const context = { subscriptions: [] as unknown[], asAbsolutePath: (p: string) => join(EXTENSION, p) };
  await ext.activate(context);
}

describe('the extension manifest', () => {
  it('registers exactly the contributed commands on activation', async () => {
    await activate();
    const contributed = manifest.contributes.commands.map((c) => c.command).sort();
    expect([...registered.keys()].sort()).toEqual(contributed);
    expect(contributed).toEqual(
      expect.arrayContaining(['nurture.compile', 'nurture.runTests', 'nurture.showJourneyGraph']),
    );
  });

  it('starts the bundled server as `nurture lsp` over stdio with the client id of the trace setting', () => {
    expect(clientStarts).toHaveLength(1);
    const { id, server } = clientStarts[0]!;
    expect(id).toBe('nurture');
    expect(manifest.contributes.configuration.properties[`${id}.trace.server`]).toBeDefined();
    // an executable (Node running the bundled CLI), not a forked module: the client would add
    // `--clientProcessId=PID`, which `nurture lsp` refuses (seen in code-server)
    const run = (server as { run: { command: string; args: string[]; transport: number; options: { env: Record<string, string> } } }).run;
    expect(run.command).toBe(process.execPath);
    expect(run.args).toEqual([join(EXTENSION, 'dist', 'nurture.mjs'), 'lsp']);
    expect(run.transport).toBe(0);
    expect(run.options.env['ELECTRON_RUN_AS_NODE']).toBe('1');
  });

  it('has activation events that all name something real', () => {
    const languages = new Set(manifest.contributes.languages.map((l) => l.id));
    const commands = new Set(manifest.contributes.commands.map((c) => c.command));
    // code-server needs onLanguage explicitly (REAL-CLIENTS.md), vsce refuses a main without events
    expect(manifest.activationEvents).toContain('onLanguage:nurture');
    for (const ev of manifest.activationEvents) {
      const [kind, arg] = [ev.slice(0, ev.indexOf(':')), ev.slice(ev.indexOf(':') + 1)];
      if (kind === 'onLanguage') expect(languages.has(arg), ev).toBe(true);
      else if (kind === 'onCommand') expect(commands.has(arg), ev).toBe(true);
      else if (kind === 'workspaceContains') expect(arg).toMatch(/\*\.nurture$/);
      else throw new Error(`unexpected activation event ${ev}`);
    }
  });

  it('names only contributed commands in its menus, each with a title', () => {
    const commands = new Set(manifest.contributes.commands.map((c) => c.command));
    for (const c of manifest.contributes.commands) expect(c.title.length).toBeGreaterThan(0);
    for (const items of Object.values(manifest.contributes.menus)) {
      for (const item of items) expect(commands.has(item.command), item.command).toBe(true);
    }
  });

  it('contributes every setting the extension reads', () => {
    const source = readFileSync(join(EXTENSION, 'src', 'extension.ts'), 'utf8');
    const props = manifest.contributes.configuration.properties;
    const read = [...source.matchAll(/get<[^>]+>\('([\w.]+)'\)/g)].map((m) => `nurture.${m[1]}`);
    expect(read.length).toBeGreaterThan(0);
    for (const key of read) expect(props[key], key).toBeDefined();
    expect(props['nurture.server.path']).toBeDefined();
    expect(props['nurture.trace.server']).toMatchObject({ default: 'off' });
  });

  it('registers the language with its configuration, icon, grammar and snippets', () => {
    const [lang] = manifest.contributes.languages;
    expect(lang).toMatchObject({ id: 'nurture', extensions: ['.nurture'] });
    for (const rel of [lang!.configuration, lang!.icon!.light, lang!.icon!.dark, manifest.icon!]) {
      expect(existsSync(join(EXTENSION, rel)), rel).toBe(true);
    }
    const [grammar] = manifest.contributes.grammars;
    expect(grammar).toMatchObject({ language: 'nurture', scopeName: 'source.nurture' });
    expect(json(grammar!.path)['scopeName']).toBe('source.nurture');
    expect(manifest.contributes.snippets[0]).toMatchObject({ language: 'nurture' });
    expect(manifest.main).toBe('./dist/extension.js');
    expect(manifest.scripts['package']).toMatch(/vsce package/);
    expect(manifest.devDependencies['@vscode/vsce']).toMatch(/^3\./);
  });

  it('has a language configuration for `#` comments, brackets, quotes, indentation and Unicode words', () => {
    const conf = json(manifest.contributes.languages[0]!.configuration) as {
      comments: { lineComment: string };
      brackets: string[][];
      autoClosingPairs: { open: string; close: string }[];
      indentationRules: { increaseIndentPattern: string; decreaseIndentPattern: string };
      wordPattern: string;
    };
    expect(conf.comments.lineComment).toBe('#');
    expect(conf.brackets).toEqual([['{', '}'], ['[', ']'], ['(', ')']]);
    expect(conf.autoClosingPairs.map((p) => p.open)).toEqual(['{', '[', '(', '"']);
    const inc = new RegExp(conf.indentationRules.increaseIndentPattern, 'u');
    const dec = new RegExp(conf.indentationRules.decreaseIndentPattern, 'u');
    expect(inc.test('journey welcome {')).toBe(true);
    expect(inc.test('  } timeout {  # comment')).toBe(true);
    expect(inc.test('  send x # {')).toBe(false);
    expect(inc.test('  template: "{"')).toBe(false);
    expect(dec.test('  } else {')).toBe(true);
    const word = new RegExp(`^(?:${conf.wordPattern})$`, 'u');
    for (const w of ['livre_blanc_été', 'c_level', '10%', '+30', '2.5']) expect(word.test(w), w).toBe(true);
  });

  it('has a snippet for every declaration kind', () => {
    const snippets = json(manifest.contributes.snippets[0]!.path) as Record<string, { prefix: string; body: string[] }>;
    const starts = Object.values(snippets).map((s) => s.body[0]!.split(/[\s{]/)[0]);
    for (const kind of ['timezone', 'lead', 'event', 'channel', 'topics', 'content', 'stream', 'stages', 'segment', 'score', 'threshold', 'on', 'pressure', 'journey', 'test']) {
      expect(starts, kind).toContain(kind);
    }
  });
});
