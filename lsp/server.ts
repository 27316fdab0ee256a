// The language server: wiring of the LSP requests to the modules of this folder, over one
// `Documents` (the workspace as the editor sees it) and the checker the CLI uses.
//
// Checking: an edit re-parses its file only (the other files' trees are cached) and the checked
// model is rebuilt from the trees. Edits are debounced: an edit after a quiet period is checked at
// once (next turn of the event loop, so edits already queued are taken together); edits in a burst
// are checked DEBOUNCE_MS after the last one; the plan phase follows once they pause (PLAN_DELAY_MS).
// Requests that need the model (hover, definition…) check first if edits are pending; completion never
// waits (it reads the current text and the last model).
// Every handler is guarded: an exception is logged and a neutral result returned.
import './require-shim.js';
import type { Readable, Writable } from 'node:stream';
import {
  createConnection, DidChangeWatchedFilesNotification, FileChangeType, ResponseError, StreamMessageWriter, TextDocuments, TextDocumentSyncKind, type Connection, type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CheckResult } from '../compiler/workspace.js';
import { codeActions } from './code-actions.js';
import { complete, resolveCompletion } from './completion.js';
import { DiagnosticPublisher } from './diagnostics.js';
import { Documents, uriToPath } from './documents.js';
import { foldingRanges } from './folding.js';
import { GuardedReader } from './reader.js';
import { hoverAt, keywordHover } from './hover.js';
import { definition, prepareRename, references, rename } from './navigation.js';
import { LEGEND, semanticTokens } from './semantic-tokens.js';
import { documentSymbols, workspaceSymbols } from './symbols.js';

export const DEBOUNCE_MS = 50;
/**
 * The plan phase (lowering) runs once edits pause this long after a check without errors: it only
 * finds compiler bugs (NUR900; the checker is the gate), so it stays off the edit → diagnostics path.
 */
export const PLAN_DELAY_MS = 1000;

export interface ServerOptions {
  input: Readable;
  output: Writable;
  /** Where malformed input and abnormal ends are reported, one line each (stderr). */
  errors: Writable;
  version: string;
}

/**
 * Starts the server on the streams; resolves with the exit status when the client asks it to exit or
 * the input ends: 0 after a `shutdown` request, 1 otherwise (with a line on `errors` saying why).
 */
export function startServer(options: ServerOptions): Promise<number> {
  const report = (line: string) => void options.errors.write(`nurture lsp: ${line}\n`);
  const writer = new StreamMessageWriter(options.output);
  const reader = new GuardedReader(options.input, { reply: (m) => void writer.write(m).catch(() => undefined), report });
  const connection = createConnection(reader, writer);
  return new Promise((resolve) => {
    let done = false;
    const finish = (code: number, why?: string) => {
      if (done) return;
      done = true;
      if (why !== undefined) report(`${why} (exit status ${code})`);
      resolve(code);
    };
    reader.onClose(() => {
      if (reader.lifecycle.shutdown) finish(0);
      else finish(1, 'the client closed the connection without `shutdown` and `exit`');
    });
    new Server(connection, options.version, finish).listen();
  });
}

class Server {
  private readonly docs = new Documents();
  private readonly editor = new TextDocuments(TextDocument);
  private readonly publisher: DiagnosticPublisher;
  private roots: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private planTimer: NodeJS.Timeout | undefined;
  private lastEdit = 0;
  private last: CheckResult | undefined;
  private shutdown = false;
  private watchRegistration = false;

  constructor(
    private readonly connection: Connection,
    private readonly version: string,
    private readonly exit: (code: number, why?: string) => void,
  ) {
    this.publisher = new DiagnosticPublisher(this.docs, (p) => void this.connection.sendDiagnostics(p));
  }

  private log(message: string): void {
    try {
      this.connection.console.log(message);
    } catch {
      // the connection is gone
    }
  }

  /** Runs a handler; an exception is logged and `fallback` returned (a ResponseError goes to the client). */
  private guard<P, R>(name: string, fallback: R, fn: (params: P) => R | Promise<R>): (params: P) => Promise<R | ResponseError<void>> {
    return async (params: P) => {
      try {
        return await fn(params);
      } catch (err) {
        if (err instanceof ResponseError) return err as ResponseError<void>;
        try {
          this.connection.console.error(`nurture: ${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        } catch {
          // nothing more to do
        }
        return fallback;
      }
    };
  }

  private notify<P>(name: string, fn: (params: P) => void): (params: P) => void {
    const g = this.guard<P, void>(name, undefined, fn);
    return (params: P) => void g(params);
  }

  /** The checked workspace, up to date with every edit (publishing if edits were pending). */
  private checked(): CheckResult {
    if (this.timer || this.docs.dirty || !this.last) this.runCheck();
    return this.last!;
  }

  private runCheck(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const touched = this.docs.takeChanged();
    this.last = this.docs.check();
    this.publisher.publish(this.last.diagnostics, touched);
    this.schedulePlan();
  }

  /** The plan phase once edits pause; its diagnostics (NUR900) join the check's. */
  private schedulePlan(): void {
    if (this.planTimer) clearTimeout(this.planTimer);
    this.planTimer = undefined;
    if (this.last!.diagnostics.some((d) => d.severity === 'error')) return; // no plan is made
    this.planTimer = setTimeout(() => {
      this.planTimer = undefined;
      if (this.timer || this.docs.dirty) return; // a newer check is coming, and schedules again
      try {
        const planned = this.docs.plan();
        if (planned.diagnostics.length !== this.last?.diagnostics.length) this.publisher.publish(planned.diagnostics, []);
      } catch (err) {
        this.log(`nurture: plan phase failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      }
    }, PLAN_DELAY_MS);
    this.planTimer.unref(); // never what keeps the server alive
  }

  private schedule(): void {
    const now = performance.now();
    const quiet = now - this.lastEdit > DEBOUNCE_MS;
    this.lastEdit = now;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      try {
        this.runCheck();
      } catch (err) {
        this.log(`nurture: check failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      }
    }, quiet ? 0 : DEBOUNCE_MS);
  }

  private offset(uri: string, pos: { line: number; character: number }): { path: string; offset: number } | undefined {
    const path = this.docs.pathOf(uri);
    const idx = this.docs.lineIndex(path);
    return idx ? { path, offset: idx.offsetAt(pos) } : undefined;
  }

  private refAt(uri: string, pos: { line: number; character: number }) {
    const at = this.offset(uri, pos);
    if (!at) return undefined;
    const model = this.checked().model;
    return { model, ref: model.references.at(at.path, at.offset) };
  }

  listen(): void {
    const c = this.connection;
    c.onInitialize((p: InitializeParams) => this.initialize(p));
    c.onInitialized(this.notify('initialized', () => this.initialized()));
    c.onShutdown(() => {
      this.shutdown = true;
      if (this.timer) clearTimeout(this.timer);
      if (this.planTimer) clearTimeout(this.planTimer);
      this.timer = undefined;
      this.planTimer = undefined;
    });
    // the library exits the process right after this handler
    c.onExit(() => (this.shutdown ? this.exit(0) : this.exit(1, '`exit` without a `shutdown` request first')));

    this.editor.onDidOpen(this.notify('didOpen', (e) => {
      this.docs.didOpen(e.document.uri, e.document.version, e.document.getText());
      this.schedule();
    }));
    this.editor.onDidChangeContent(this.notify('didChange', (e) => {
      this.docs.didChange(e.document.uri, e.document.version, e.document.getText());
      this.schedule();
    }));
    this.editor.onDidClose(this.notify('didClose', (e) => {
      this.docs.didClose(e.document.uri);
      this.schedule();
    }));
    c.onDidChangeWatchedFiles(this.notify('didChangeWatchedFiles', (p) => {
      for (const ch of p.changes) this.docs.diskChanged(ch.uri, ch.type === FileChangeType.Deleted);
      if (this.docs.dirty) this.schedule();
    }));

    c.onCompletion(this.guard('completion', [], (p) => {
      const at = this.offset(p.textDocument.uri, p.position);
      if (!at) return [];
      const text = this.docs.text(at.path) ?? '';
      const model = this.last?.model ?? this.checked().model;
      return complete({ text, offset: at.offset, path: at.path, model, docs: this.docs });
    }));
    c.onCompletionResolve((item) => {
      try {
        const model = this.last?.model;
        return model ? resolveCompletion(item, model, this.docs) : item;
      } catch (err) {
        this.log(`nurture: completionItem/resolve failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        return item; // the item as it was
      }
    });
    c.onHover(this.guard('hover', null, (p) => {
      const r = this.refAt(p.textDocument.uri, p.position);
      if (!r) return null;
      if (r.ref) return hoverAt(r.model, r.ref, this.docs, this.roots);
      const at = this.offset(p.textDocument.uri, p.position)!;
      return keywordHover(r.model, this.docs.parseResult(at.path)?.file, at.offset);
    }));
    c.onDefinition(this.guard('definition', null, (p) => {
      const r = this.refAt(p.textDocument.uri, p.position);
      return r ? definition(r.ref, this.docs) : null;
    }));
    c.onReferences(this.guard('references', [], (p) => {
      const r = this.refAt(p.textDocument.uri, p.position);
      return r ? references(r.model, r.ref, p.context.includeDeclaration, this.docs) : [];
    }));
    c.onPrepareRename(this.guard('prepareRename', null, (p) => prepareRename(this.refAt(p.textDocument.uri, p.position)?.ref)));
    c.onRenameRequest(this.guard('rename', null, (p) => {
      const r = this.refAt(p.textDocument.uri, p.position);
      return r ? rename(r.model, r.ref, p.newName, this.docs) : null;
    }));
    c.onDocumentSymbol(this.guard('documentSymbol', [], (p) => {
      const path = this.docs.pathOf(p.textDocument.uri);
      return documentSymbols(this.docs.parseResult(path)?.file);
    }));
    c.onWorkspaceSymbol(this.guard('workspaceSymbol', [], (p) => workspaceSymbols(this.checked().model, p.query, this.docs)));
    c.onFoldingRanges(this.guard('foldingRange', [], (p) => {
      const path = this.docs.pathOf(p.textDocument.uri);
      return foldingRanges(this.docs.parseResult(path)?.file, this.docs.text(path) ?? '');
    }));
    c.languages.semanticTokens.on(this.guard('semanticTokens', { data: [] }, (p) => {
      const path = this.docs.pathOf(p.textDocument.uri);
      const text = this.docs.text(path);
      return text === undefined ? { data: [] } : semanticTokens(text, path, this.checked().model);
    }));
    c.onDocumentFormatting(this.guard('formatting', null, async (p) => {
      const path = this.docs.pathOf(p.textDocument.uri);
      const idx = this.docs.lineIndex(path);
      if (!idx) return null;
      const { tryFormatSource } = await import('../formatter/format.js');
      const result = await tryFormatSource(idx.text, path);
      if (!result.ok) {
        this.log(`nurture: not formatted: ${result.error.message}`);
        return null;
      }
      return result.changed ? [{ range: idx.fullRange(), newText: result.formatted }] : [];
    }));
    c.onCodeAction(this.guard('codeAction', [], (p) => {
      const path = this.docs.pathOf(p.textDocument.uri);
      const { diagnostics, model } = this.checked();
      return codeActions(diagnostics, path, p.range, model, this.docs);
    }));

    this.editor.listen(c);
    c.listen();
  }

  private initialize(p: InitializeParams): InitializeResult {
    const folders = p.workspaceFolders?.map((f) => uriToPath(f.uri)) ?? [];
    if (folders.length === 0 && p.rootUri) folders.push(uriToPath(p.rootUri));
    if (folders.length === 0 && p.rootPath) folders.push(p.rootPath);
    this.roots = folders.filter((f) => f.startsWith('/') || /^[A-Za-z]:/.test(f));
    this.watchRegistration = p.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    return {
      capabilities: {
        positionEncoding: 'utf-16',
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: [' ', ':', '[', ','], resolveProvider: true },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        foldingRangeProvider: true,
        semanticTokensProvider: { legend: LEGEND, full: true },
        documentFormattingProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
      },
      serverInfo: { name: 'nurture', version: this.version },
    };
  }

  private initialized(): void {
    const n = this.docs.loadFolders(this.roots);
    this.log(`nurture ${this.version}: ${n} file(s) in ${this.roots.join(', ') || '(no folder)'}`);
    this.runCheck();
    if (this.watchRegistration) {
      void this.connection.client
        .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.nurture' }] })
        .catch(() => undefined);
    }
  }
}

