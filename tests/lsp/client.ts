// A minimal LSP client for the tests: spawns the real server (`node bin/nurture.js lsp --stdio`, the
// bundled CLI, as an editor would) and talks JSON-RPC to it over the child's stdio.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import rpc from 'vscode-jsonrpc/node.js';
import type { MessageConnection } from 'vscode-jsonrpc';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = join(REPO, 'bin', 'nurture.js');
export const BUNDLE = join(REPO, 'dist', 'nurture.mjs');
export const FIXTURES = join(REPO, 'tests', 'lsp', 'fixtures');

export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }
export interface LspDiagnostic { range: Range; severity?: number; code?: string | number; source?: string; message: string; relatedInformation?: unknown[] }
export interface Publish { uri: string; version?: number; diagnostics: LspDiagnostic[] }

export function uriOf(path: string): string {
  return pathToFileURL(path).href;
}

export function requireBundle(): void {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`npm run build\` before the language-server tests`);
}

export class Client {
  readonly conn: MessageConnection;
  /** The latest diagnostics published per URI. */
  readonly diagnostics = new Map<string, LspDiagnostic[]>();
  /** Every publication, in order. */
  readonly publications: Publish[] = [];
  readonly logs: string[] = [];
  private readonly waiters: { check: () => boolean; resolve: () => void }[] = [];
  private readonly versions = new Map<string, number>();
  private stderr = '';

  private constructor(readonly child: ChildProcess, readonly root: string) {
    this.conn = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout!), new rpc.StreamMessageWriter(child.stdin!));
    child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: Publish) => {
      this.diagnostics.set(p.uri, p.diagnostics);
      this.publications.push(p);
      this.poke();
    });
    this.conn.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
      this.poke();
    });
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('workspace/configuration', () => []);
    this.conn.listen();
  }

  /**
   * Starts the server on a workspace folder and completes the initialize handshake. `command` runs
   * another `nurture` (an installed package's `npx nurture`), with `env` added to the environment.
   */
  static async start(root: string, capabilities: object = {}, command: string[] = [process.execPath, BIN], env: Record<string, string> = {}): Promise<Client> {
    if (command[1] === BIN) requireBundle();
    const child = spawn(command[0]!, [...command.slice(1), 'lsp', '--stdio'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    const client = new Client(child, root);
    const result = await client.request('initialize', {
      processId: process.pid, rootUri: uriOf(root), workspaceFolders: [{ uri: uriOf(root), name: 'ws' }],
      capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } }, ...capabilities },
    });
    client.capabilities = (result as { capabilities: Record<string, unknown> }).capabilities;
    await client.conn.sendNotification('initialized', {});
    return client;
  }

  capabilities: Record<string, unknown> = {};

  private poke(): void {
    for (const w of [...this.waiters]) {
      if (w.check()) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }

  /** Resolves when `check` holds (checked at every notification), or fails after `ms`. */
  until(check: () => boolean, what: string, ms = 10000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; stderr: ${this.stderr}`)), ms);
      this.waiters.push({ check, resolve: () => { clearTimeout(timer); resolvePromise(); } });
    });
  }

  request<R = unknown>(method: string, params: unknown): Promise<R> {
    return this.conn.sendRequest(method, params) as Promise<R>;
  }

  path(rel: string): string {
    return join(this.root, rel);
  }

  uri(rel: string): string {
    return uriOf(this.path(rel));
  }

  /** Opens a file of the workspace (its disk text unless `text` is given); returns its URI. */
  async open(rel: string, text?: string): Promise<string> {
    const uri = this.uri(rel);
    this.versions.set(uri, 1);
    await this.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'nurture', version: 1, text: text ?? readFileSync(this.path(rel), 'utf8') },
    });
    return uri;
  }

  /** Replaces the whole text of an open document. */
  async change(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  /** An incremental change: `text` replaces `range`. */
  async edit(uri: string, range: Range, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
    return version;
  }

  async close(uri: string): Promise<void> {
    await this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Waits until a publication for `uri` satisfies `check` (the latest one). */
  async diagnosticsFor(uri: string, check: (d: LspDiagnostic[]) => boolean = () => true, what = uri): Promise<LspDiagnostic[]> {
    await this.until(() => this.diagnostics.has(uri) && check(this.diagnostics.get(uri)!), `diagnostics of ${what}`);
    return this.diagnostics.get(uri)!;
  }

  private stopped: Promise<number | null> | undefined;

  /** Shuts the server down (shutdown + exit) and resolves with its exit status; idempotent. */
  stop(): Promise<number | null> {
    this.stopped ??= this.doStop();
    return this.stopped;
  }

  private async doStop(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    const exited = new Promise<number | null>((r) => this.child.once('exit', (code) => r(code)));
    try {
      await this.request('shutdown', null);
      await this.conn.sendNotification('exit');
    } catch {
      this.child.kill();
    }
    const code = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 3000))]);
    if (this.child.exitCode === null) this.child.kill();
    this.conn.dispose();
    return code;
  }
}

/** `{ line, character }` of the `n`th occurrence (0-based) of `needle` in `text`, plus `delta` characters. */
export function positionOf(text: string, needle: string, n = 0, delta = 0): Position {
  let at = -1;
  for (let i = 0; i <= n; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`\`${needle}\` not found (${n})`);
  }
  at += delta;
  const before = text.slice(0, at);
  const line = before.split('\n').length - 1;
  return { line, character: at - (before.lastIndexOf('\n') + 1) };
}
