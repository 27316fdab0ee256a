// The nurture extension: starts the language server (the `nurture lsp --stdio` bundled in
// dist/nurture.mjs, or the one of the `nurture.server.path` setting) and contributes the commands
// compile, run tests and show a journey's graph.
import { dirname, isAbsolute, join, relative } from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from './language-client.js';
import { nurtureCommand, runNurture, type NurtureCommand } from './cli.js';
import { journeyAtLine, journeyNames, renderJourneySvg, type Plan } from './graph.js';
import { formatTestRun, parseTestRun, testProblems } from './test-results.js';

/** Every command the extension registers (the manifest contributes exactly these). */
export const COMMANDS = {
  compile: 'nurture.compile',
  runTests: 'nurture.runTests',
  showJourneyGraph: 'nurture.showJourneyGraph',
  restartServer: 'nurture.restartServer',
} as const;

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;
let graphPanel: vscode.WebviewPanel | undefined;

function bundledCli(context: vscode.ExtensionContext): string {
  return context.asAbsolutePath(join('dist', 'nurture.mjs'));
}

function firstFolder(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

function currentCommand(context: vscode.ExtensionContext): NurtureCommand {
  const setting = vscode.workspace.getConfiguration('nurture').get<string>('server.path');
  return nurtureCommand(setting, bundledCli(context), firstFolder());
}

function serverOptions(context: vscode.ExtensionContext): ServerOptions {
  const cmd = currentCommand(context);
  // Started as a plain executable (the editor's own Node for a script, ELECTRON_RUN_AS_NODE in VS Code
  // desktop), not as a forked "module": the client adds `--clientProcessId=PID` to modules, which
  // `nurture lsp` does not take. The client appends `--stdio`.
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (cmd.node) env['ELECTRON_RUN_AS_NODE'] = '1';
  const run = { command: cmd.command, args: [...cmd.prefix, 'lsp'], transport: TransportKind.stdio, options: { env } };
  return { run, debug: run };
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'nurture' }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.nurture') },
  };
  // the id `nurture` makes the `nurture.trace.server` setting trace the protocol
  client = new LanguageClient('nurture', 'nurture language server', serverOptions(context), clientOptions);
  try {
    await client.start();
  } catch (err) {
    void vscode.window.showErrorMessage(`nurture: the language server did not start: ${(err as Error).message}`);
  }
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) {
    try {
      await c.stop();
    } catch {
      // already stopped or never started
    }
  }
}

/** The workspace folder of the active .nurture file, else the only (or a chosen) workspace folder. */
async function pickFolder(): Promise<string | undefined> {
  const active = vscode.window.activeTextEditor?.document;
  if (active) {
    const folder = vscode.workspace.getWorkspaceFolder(active.uri);
    if (folder) return folder.uri.fsPath;
    if (active.languageId === 'nurture' && active.uri.scheme === 'file') return dirname(active.uri.fsPath);
  }
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 1) return folders[0]!.uri.fsPath;
  if (folders.length > 1) {
    const chosen = await vscode.window.showWorkspaceFolderPick({ placeHolder: 'The nurture workspace' });
    return chosen?.uri.fsPath;
  }
  void vscode.window.showErrorMessage('nurture: open a folder (or a .nurture file) first.');
  return undefined;
}

function log(text: string): void {
  output?.append(text.endsWith('\n') ? text : `${text}\n`);
}

async function compileCommand(context: vscode.ExtensionContext): Promise<string | undefined> {
  const folder = await pickFolder();
  if (!folder) return undefined;
  await vscode.workspace.saveAll(false);
  const target = vscode.workspace.getConfiguration('nurture', vscode.Uri.file(folder)).get<string>('plan.output') || 'plan.json';
  const planPath = isAbsolute(target) ? target : join(folder, target);
  log(`$ nurture compile . -o ${relative(folder, planPath) || planPath}   (in ${folder})`);
  const r = await runNurture(currentCommand(context), ['compile', '.', '-o', planPath], folder);
  log(r.stdout + r.stderr);
  if (r.code === 0) {
    const open = await vscode.window.showInformationMessage(`nurture: plan written to ${relative(folder, planPath)}`, 'Open Plan');
    if (open) await vscode.window.showTextDocument(vscode.Uri.file(planPath));
    return planPath;
  }
  output?.show(true);
  void vscode.window.showErrorMessage(
    r.code === 1 ? 'nurture: the workspace has errors, no plan was written (see Problems).' : `nurture compile failed: ${(r.stderr || r.stdout).trim().split('\n')[0]}`,
  );
  return undefined;
}

async function runTestsCommand(context: vscode.ExtensionContext, diagnostics: vscode.DiagnosticCollection): Promise<void> {
  const folder = await pickFolder();
  if (!folder) return;
  await vscode.workspace.saveAll(false);
  log(`$ nurture test . --format json   (in ${folder})`);
  const r = await runNurture(currentCommand(context), ['test', '.', '--format', 'json'], folder);
  diagnostics.clear();
  let run;
  try {
    run = parseTestRun(r.stdout);
  } catch {
    log(r.stdout + r.stderr);
    output?.show(true);
    void vscode.window.showErrorMessage(`nurture test failed: ${(r.stderr || r.stdout).trim().split('\n')[0] || `exit status ${r.code}`}`);
    return;
  }
  log(formatTestRun(run));
  if (r.stderr) log(r.stderr);
  const byFile = new Map<string, vscode.Diagnostic[]>();
  for (const p of testProblems(run, folder)) {
    let end = p.column + 1;
    try {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(p.file));
      end = doc.lineAt(p.line).range.end.character;
    } catch {
      // the file is gone: mark the column only
    }
    const d = new vscode.Diagnostic(new vscode.Range(p.line, p.column, p.line, Math.max(end, p.column + 1)), p.message, vscode.DiagnosticSeverity.Error);
    d.source = 'nurture test';
    byFile.set(p.file, [...(byFile.get(p.file) ?? []), d]);
  }
  for (const [file, ds] of byFile) diagnostics.set(vscode.Uri.file(file), ds);
  output?.show(true);
  const summary = `${run.passed} passed, ${run.failed} failed`;
  if (run.failed > 0) void vscode.window.showErrorMessage(`nurture tests: ${summary}`);
  else void vscode.window.showInformationMessage(`nurture tests: ${summary}`);
}

function nonce(): string {
  let s = '';
  for (let i = 0; i < 32; i++) s += 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'.charAt(Math.floor(Math.random() * 62));
  return s;
}

function graphHtml(svg: string, journey: string): string {
  const n = nonce();
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${n}';">
<title>journey ${journey}</title>
<style>
  body { font-family: var(--vscode-font-family); color: var(--vscode-editor-foreground); background: var(--vscode-editor-background); }
  h1 { font-size: 1.1em; font-weight: 600; }
  .nurture-graph text { font-family: var(--vscode-font-family); fill: var(--vscode-editor-foreground); }
  .nurture-graph .node text { text-anchor: middle; }
  .nurture-graph .title { font-weight: 600; font-size: 12px; }
  .nurture-graph .detail { font-size: 11px; opacity: .85; }
  .nurture-graph .edge-label { font-size: 10px; fill: var(--vscode-descriptionForeground); paint-order: stroke; stroke: var(--vscode-editor-background); stroke-width: 3px; }
  .nurture-graph .edge { fill: none; stroke: var(--vscode-editorIndentGuide-activeBackground, #888); stroke-width: 1.4; }
  .nurture-graph .edge.back { stroke-dasharray: 5 4; }
  .nurture-graph .arrowhead { fill: var(--vscode-editorIndentGuide-activeBackground, #888); }
  .nurture-graph rect { fill: var(--vscode-editorWidget-background, #252526); stroke: var(--vscode-editorWidget-border, #555); stroke-width: 1.2; }
  .nurture-graph .start rect { stroke: var(--vscode-charts-green, #3fa66b); stroke-width: 2; }
  .nurture-graph .exit rect { stroke: var(--vscode-charts-red, #d16969); }
  .nurture-graph .send rect { stroke: var(--vscode-charts-blue, #4fc1ff); }
  .nurture-graph .wait rect { stroke: var(--vscode-charts-yellow, #dcdcaa); }
  .nurture-graph .branch rect { stroke: var(--vscode-charts-purple, #c586c0); }
  .nurture-graph .node[data-line] { cursor: pointer; }
  .nurture-graph .node[data-line]:hover rect { stroke-width: 2.5; }
</style></head>
<body><h1>journey ${journey}</h1>
${svg}
<script nonce="${n}">
  const vscode = acquireVsCodeApi();
  for (const node of document.querySelectorAll('.node[data-line]')) {
    node.addEventListener('click', () => vscode.postMessage({
      type: 'reveal', file: Number(node.dataset.file), line: Number(node.dataset.line), column: Number(node.dataset.column),
    }));
  }
</script></body></html>`;
}

async function showGraphCommand(context: vscode.ExtensionContext, journeyArg?: string): Promise<void> {
  const folder = await pickFolder();
  if (!folder) return;
  await vscode.workspace.saveAll(false);
  const r = await runNurture(currentCommand(context), ['compile', '.'], folder);
  let plan: Plan;
  try {
    if (r.code !== 0) throw new Error();
    plan = JSON.parse(r.stdout) as Plan;
  } catch {
    log(`$ nurture compile .   (in ${folder})\n${r.stderr || r.stdout}`);
    output?.show(true);
    void vscode.window.showErrorMessage('nurture: the workspace does not compile, so there is no graph (see Problems).');
    return;
  }
  const names = journeyNames(plan);
  if (names.length === 0) {
    void vscode.window.showInformationMessage('nurture: this workspace has no journey.');
    return;
  }
  const editor = vscode.window.activeTextEditor;
  let journey = typeof journeyArg === 'string' && names.includes(journeyArg) ? journeyArg : undefined;
  if (!journey && editor?.document.languageId === 'nurture') {
    const here = journeyAtLine(editor.document.getText(), editor.selection.active.line + 1);
    if (here && names.includes(here)) journey = here;
  }
  if (!journey) journey = names.length === 1 ? names[0] : await vscode.window.showQuickPick(names, { placeHolder: 'The journey to draw' });
  if (!journey) return;

  // the graph's words come from the plan itself; the sources are only opened on a click
  const files = plan.source.files.map((f) => (isAbsolute(f.path) ? f.path : join(folder, f.path)));
  const svg = renderJourneySvg(plan, journey);
  if (!graphPanel) {
    graphPanel = vscode.window.createWebviewPanel('nurture.journeyGraph', `journey ${journey}`, vscode.ViewColumn.Beside, {
      enableScripts: true,
      localResourceRoots: [],
    });
    graphPanel.onDidDispose(() => (graphPanel = undefined), null, context.subscriptions);
  }
  graphPanel.title = `journey ${journey}`;
  graphPanel.webview.html = graphHtml(svg, journey);
  const panel = graphPanel;
  const sub = panel.webview.onDidReceiveMessage(async (m: { type?: string; file?: number; line?: number; column?: number }) => {
    if (m.type !== 'reveal' || typeof m.file !== 'number' || typeof m.line !== 'number' || !files[m.file]) return;
    const pos = new vscode.Position(m.line - 1, Math.max(0, (m.column ?? 1) - 1));
    await vscode.window.showTextDocument(vscode.Uri.file(files[m.file]!), {
      viewColumn: vscode.ViewColumn.One,
      selection: new vscode.Range(pos, pos),
    });
  });
  panel.onDidDispose(() => sub.dispose());
  panel.reveal(undefined, true);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('nurture');
  const testDiagnostics = vscode.languages.createDiagnosticCollection('nurture-tests');
  context.subscriptions.push(output, testDiagnostics);

  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.compile, () => compileCommand(context)),
    vscode.commands.registerCommand(COMMANDS.runTests, () => runTestsCommand(context, testDiagnostics)),
    vscode.commands.registerCommand(COMMANDS.showJourneyGraph, (journey?: string) => showGraphCommand(context, journey)),
    vscode.commands.registerCommand(COMMANDS.restartServer, async () => {
      await stopClient();
      await startClient(context);
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration('nurture.server.path')) {
        await stopClient();
        await startClient(context);
      }
    }),
    // a test failure shown on an `expect` line goes away when its file changes
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length > 0 && testDiagnostics.has(e.document.uri)) testDiagnostics.delete(e.document.uri);
    }),
  );
  await startClient(context);
}

export async function deactivate(): Promise<void> {
  await stopClient();
}
