// Latency of the language server, measured as an editor sees it: the real server
// (`node bin/nurture.js lsp --stdio`, the bundled CLI) spawned as a child process, JSON-RPC over stdio.
//
//   (1) a 10,000-line workspace of 20 files (the generator of bench/generate-workspace.ts);
//   (2) a 50,000-line workspace of 100 files;
//   (3) one 5,000-line file.
// For each: the time from a one-character edit (didChange) to the publishDiagnostics of that version
// (200 edits, alternately breaking and repairing a name, so the diagnostics change every time; edits
// 120 ms apart — a fast typist's pace — so each is measured alone), and the completion response time
// (200 requests, cycling through contexts: contents after `send`, events after `on`, step keywords).
// Reports median and p95. Aims: diagnostics p95 < 50 ms (both workspaces), < 100 ms (single file);
// completion p95 < 16 ms.
//
//   npm run build && node dist/bench/lsp-bench.js [--runs 200] [--gap 120]
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import rpc from 'vscode-jsonrpc/node.js';
import { generateWorkspace, type GeneratedFile } from './generate-workspace.js';

const HERE = dirname(fileURLToPath(import.meta.url));
// dist/bench/lsp-bench.js or bench/lsp-bench.ts: the repository is the first parent with bin/nurture.js
const REPO = [resolve(HERE, '..'), resolve(HERE, '../..')].find((d) => existsSync(join(d, 'bin', 'nurture.js'))) ?? resolve(HERE, '../..');

interface Stats { median: number; p95: number; min: number; max: number; n: number }

function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { median: q(0.5), p95: q(0.95), min: s[0], max: s[s.length - 1], n: s.length };
}

const fmt = (s: Stats) => `median ${s.median.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms (min ${s.min.toFixed(1)}, max ${s.max.toFixed(1)}, n=${s.n})`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Merges the shortest files until `count` remain (one namespace: any grouping is the same workspace). */
function regroup(files: GeneratedFile[], count: number): GeneratedFile[] {
  const list = files.map((f) => ({ ...f }));
  while (list.length > count) {
    list.sort((a, b) => a.text.length - b.text.length);
    const [a, b] = list.splice(0, 2);
    list.push({ path: b.path, text: b.text + '\n' + a.text });
  }
  return list.sort((a, b) => (a.path < b.path ? -1 : 1));
}

async function scenario(name: string, files: GeneratedFile[], runs: number, gap: number): Promise<{ diagnostics: Stats; completion: Stats }> {
  const root = mkdtempSync(join(tmpdir(), 'nurture-lsp-bench-'));
  for (const f of files) {
    mkdirSync(dirname(join(root, f.path)), { recursive: true });
    writeFileSync(join(root, f.path), f.text);
  }
  const lines = files.reduce((n, f) => n + f.text.split('\n').length - (f.text.endsWith('\n') ? 1 : 0), 0);
  // the edited file: the largest one with a `send` step
  const target = [...files].filter((f) => /\n\s+send [a-z_0-9]+\n/.test(f.text)).sort((a, b) => b.text.length - a.text.length)[0];
  const uri = pathToFileURL(join(root, target.path)).href;
  const text = target.text;

  const child = spawn(process.execPath, [join(REPO, 'bin', 'nurture.js'), 'lsp', '--stdio'], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  const waiting = new Map<number, (t: number) => void>();
  let published = 0;
  conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number }) => {
    published++;
    if (p.uri === uri && p.version !== undefined) waiting.get(p.version)?.(performance.now());
  });
  conn.onNotification('window/logMessage', () => undefined);
  conn.onRequest('client/registerCapability', () => null);
  conn.listen();
  const t0 = performance.now();
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(root).href, capabilities: {}, workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'bench' }] });
  await conn.sendNotification('initialized', {});
  while (published < files.length) await sleep(5);
  const startup = performance.now() - t0;

  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'nurture', version: 1, text } });
  // the place to edit: the end of the name in the first `send NAME` step
  const m = /\n(\s+send )([a-z_0-9]+)\n/.exec(text)!;
  const offset = m.index + 1 + m[1].length + m[2].length;
  const before = text.slice(0, offset);
  const pos = { line: before.split('\n').length - 1, character: offset - (before.lastIndexOf('\n') + 1) };
  const sendPos = { line: pos.line, character: pos.character - m[2].length };
  // an `on NAME` handler or `entry on NAME`, and a blank line in a journey for keywords
  let version = 1;
  const edit = async (): Promise<number> => {
    version++;
    const insert = version % 2 === 0; // even: break the name ("welcomex"), odd: repair it
    const change = insert
      ? { range: { start: pos, end: pos }, text: 'x' }
      : { range: { start: pos, end: { line: pos.line, character: pos.character + 1 } }, text: '' };
    const done = new Promise<number>((r) => waiting.set(version, r));
    const start = performance.now();
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
    const end = await done;
    waiting.delete(version);
    return end - start;
  };
  for (let i = 0; i < 20; i++) { await edit(); await sleep(gap); } // warm-up
  const diag: number[] = [];
  const cpu0 = serverCpuMs(child.pid);
  for (let i = 0; i < runs; i++) {
    diag.push(await edit());
    await sleep(gap);
  }
  const cpuPerEdit = cpu0 === undefined ? undefined : (serverCpuMs(child.pid)! - cpu0) / runs;
  if (version % 2 === 0) { await edit(); await sleep(gap); }

  const contexts = [
    sendPos, // contents after `send `
    { line: pos.line, character: 2 + 0 }, // step keywords at the start of a step line
  ];
  const onLine = /\n(\s*)(entry on |on )([a-z_0-9]+)/.exec(text);
  if (onLine) {
    const at = onLine.index + 1 + onLine[1].length + onLine[2].length;
    const b = text.slice(0, at);
    contexts.push({ line: b.split('\n').length - 1, character: at - (b.lastIndexOf('\n') + 1) });
  }
  let items = 0;
  const completion: number[] = [];
  let cpu1: number | undefined;
  for (let i = 0; i < 20 + runs; i++) {
    if (i === 20) cpu1 = serverCpuMs(child.pid);
    const position = contexts[i % contexts.length];
    const start = performance.now();
    const res = await conn.sendRequest('textDocument/completion', { textDocument: { uri }, position });
    const t = performance.now() - start;
    if (i >= 20) completion.push(t);
    items = Math.max(items, (res as unknown[]).length);
  }
  const cpuPerCompletion = cpu1 === undefined ? undefined : (serverCpuMs(child.pid)! - cpu1) / runs;
  await conn.sendRequest('shutdown', null);
  await conn.sendNotification('exit');
  await new Promise((r) => child.once('exit', r));
  conn.dispose();
  rmSync(root, { recursive: true, force: true });

  const result = { diagnostics: stats(diag), completion: stats(completion) };
  process.stdout.write(
    `\n${name}: ${files.length} file(s), ${lines} lines; edited ${target.path} (${text.split('\n').length} lines); start-up to first diagnostics ${startup.toFixed(0)} ms\n` +
      `  edit -> diagnostics  ${fmt(result.diagnostics)}${cpuNote(cpuPerEdit)}\n` +
      `  completion           ${fmt(result.completion)} (largest list: ${items} items)${cpuNote(cpuPerCompletion)}\n`,
  );
  return result;
}

/** The server process's CPU time so far (user + system, Linux /proc), to tell its work from machine load. */
function serverCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in 1/100 s
  } catch {
    return undefined;
  }
}

function cpuNote(ms: number | undefined): string {
  return ms === undefined ? '' : `; server CPU ${ms.toFixed(1)} ms per request`;
}

async function main(argv: string[]): Promise<number> {
  let runs = 200;
  let gap = 120;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') runs = Number(argv[++i]);
    else if (argv[i] === '--gap') gap = Number(argv[++i]);
  }
  process.stdout.write(
    `nurture language server latency (node ${process.version}, ${runs} samples each, edits ${gap} ms apart; ` +
      `load average ${loadavg()[0].toFixed(1)})\n`,
  );
  const ws = regroup(generateWorkspace({ lines: 10_000, campaignsPerFile: 8 }).files, 20);
  const a = await scenario('workspace', ws, runs, gap);
  const large = regroup(generateWorkspace({ lines: 50_000, campaignsPerFile: 11 }).files, 100);
  const l = await scenario('large workspace', large, runs, gap);
  const one = generateWorkspace({ lines: 5_000 }).files;
  const single: GeneratedFile[] = [{ path: 'all.nurture', text: one.map((f) => f.text).join('\n') }];
  const b = await scenario('single file', single, runs, gap);
  const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  process.stdout.write(
    `\naims: workspace diagnostics p95 < 50 ms: ${verdict(a.diagnostics.p95 < 50)}; large workspace: ${verdict(l.diagnostics.p95 < 50)}; ` +
      `single-file diagnostics p95 < 100 ms: ${verdict(b.diagnostics.p95 < 100)}; ` +
      `completion p95 < 16 ms: ${verdict(a.completion.p95 < 16 && l.completion.p95 < 16 && b.completion.p95 < 16)}\n`,
  );
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
