// Checks a packaged .vsix (CI runs it after `npm run package`): the manifest is the extension's
// package.json, the bundles, grammar, language configuration, snippets and icons are in it, nothing
// else is (no sources, no node_modules), and the bundled CLI runs on its own — outside the
// repository, with no node_modules around — and answers as a language server.
// Usage: node scripts/check-vsix.mjs [nurture.vsix]
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const extensionDir = join(here, '..');
const vsixPath = process.argv[2] ?? join(extensionDir, 'nurture.vsix');

/** The entries of a zip file: name → content (stored or deflated). */
function readZip(buf) {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a zip file');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = new Map();
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory');
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + size);
    entries.set(name, method === 0 ? raw : inflateRawSync(raw));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

const problems = [];
let checks = 0;
const check = (ok, message) => {
  checks++;
  if (!ok) problems.push(message);
};

const entries = readZip(readFileSync(vsixPath));
const manifest = JSON.parse(readFileSync(join(extensionDir, 'package.json'), 'utf8'));
const packed = JSON.parse(entries.get('extension/package.json')?.toString('utf8') ?? '{}');

check(packed.name === manifest.name && packed.version === manifest.version, 'extension/package.json is the manifest');
check(packed.main === './dist/extension.js', 'main is ./dist/extension.js');
check(JSON.stringify(packed.activationEvents) === JSON.stringify(manifest.activationEvents), 'activation events are packed');
check(entries.get('extension.vsixmanifest')?.toString('utf8').includes(`Id="${manifest.name}"`), 'extension.vsixmanifest names the extension');
const required = [
  'extension/dist/extension.js',
  'extension/dist/nurture.mjs',
  'extension/syntaxes/nurture.tmLanguage.json',
  'extension/language-configuration.json',
  'extension/snippets/nurture.json',
  'extension/images/icon.png',
  'extension/images/nurture-file.svg',
];
for (const name of required) check(entries.has(name), `${name} is in the package`);
for (const name of entries.keys()) {
  check(!/\/(?:src|node_modules|scripts)\//.test(name) && !name.endsWith('.ts'), `${name} should not be in the package`);
}
const grammar = JSON.parse(entries.get('extension/syntaxes/nurture.tmLanguage.json')?.toString('utf8') ?? '{}');
check(grammar.scopeName === 'source.nurture', 'the grammar is source.nurture');
check(entries.get('extension/dist/extension.js')?.toString('utf8').includes('require("vscode")'), 'the client bundle loads vscode from the editor');

// the bundled CLI, alone in a temporary folder (with the packed package.json beside it, as installed)
const dir = mkdtempSync(join(tmpdir(), 'nurture-vsix-'));
try {
  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'package.json'), entries.get('extension/package.json'));
  // the CLI bundle is split (dist/nurture.mjs + dist/chunks/): the runs below fail if a chunk it loads is not packed
  const bundle = [...entries.keys()].filter((name) => name.startsWith('extension/dist/') && name.endsWith('.mjs'));
  check(bundle.some((name) => name.startsWith('extension/dist/chunks/')), 'the CLI bundle\'s chunks are in the package');
  for (const name of bundle) {
    const to = join(dir, name.slice('extension/'.length));
    mkdirSync(dirname(to), { recursive: true });
    writeFileSync(to, entries.get(name));
  }
  const version = spawnSync(process.execPath, [join(dir, 'dist', 'nurture.mjs'), '--version'], { cwd: dir, encoding: 'utf8' });
  check(version.status === 0 && version.stdout.trim() === `nurture ${manifest.version}`, `the bundled CLI runs alone (got: ${version.stdout}${version.stderr})`);
  writeFileSync(join(dir, 'a.nurture'), 'journey j {\n  send nothing\n}\n');
  const checked = spawnSync(process.execPath, [join(dir, 'dist', 'nurture.mjs'), 'check', 'a.nurture', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
  check(checked.status === 1 && checked.stdout.includes('NUR100'), `the bundled checker reports NUR100 (got: ${checked.stdout}${checked.stderr})`);
  // the formatter (prettier) and the compiler with the plan loader's validator live in chunks of their own
  writeFileSync(join(dir, 'c.nurture'), 'journey j {\n      end\n}\n');
  const fmt = spawnSync(process.execPath, [join(dir, 'dist', 'nurture.mjs'), 'fmt', '--check', 'c.nurture'], { cwd: dir, encoding: 'utf8' });
  check(fmt.status === 1 && fmt.stdout.includes('would reformat c.nurture'), `the bundled formatter runs (got: ${fmt.stdout}${fmt.stderr})`);
  const compiled = spawnSync(process.execPath, [join(dir, 'dist', 'nurture.mjs'), 'compile', 'c.nurture'], { cwd: dir, encoding: 'utf8' });
  check(compiled.status === 0 && compiled.stdout.includes('"nurture-plan"'), `the bundled compiler writes a plan (got: ${compiled.stdout.slice(0, 200)}${compiled.stderr})`);
  const diagnostics = await lspDiagnostics(join(dir, 'dist', 'nurture.mjs'), dir);
  check(diagnostics.some((d) => d.code === 'NUR100'), `the bundled language server publishes NUR100 (got: ${JSON.stringify(diagnostics)})`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** Starts `nurture lsp --stdio`, opens a document with an unknown content, returns the diagnostics published. */
function lspDiagnostics(cli, cwd) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, 'lsp', '--stdio'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stderr.on('data', (d) => process.env.NURTURE_DEBUG_VSIX && process.stderr.write(d));
    const timer = setTimeout(() => {
      child.kill();
      resolve([]);
    }, 20000);
    const send = (m) => {
      const s = JSON.stringify({ jsonrpc: '2.0', ...m });
      child.stdin.write(`Content-Length: ${Buffer.byteLength(s)}\r\n\r\n${s}`);
    };
    let buf = Buffer.alloc(0);
    let result = [];
    child.stdout.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const h = buf.indexOf('\r\n\r\n');
        if (h < 0) return;
        const len = Number(/Content-Length: (\d+)/i.exec(buf.subarray(0, h).toString())?.[1]);
        if (buf.length < h + 4 + len) return;
        const msg = JSON.parse(buf.subarray(h + 4, h + 4 + len).toString());
        if (process.env.NURTURE_DEBUG_VSIX) console.error(JSON.stringify(msg).slice(0, 300));
        buf = buf.subarray(h + 4 + len);
        if (msg.id === 1) {
          send({ method: 'initialized', params: {} });
          const uri = `file://${join(cwd, 'b.nurture')}`;
          send({ method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'nurture', version: 1, text: 'journey k {\n  send missing_one\n}\n' } } });
        } else if (msg.method === 'textDocument/publishDiagnostics' && msg.params.uri.endsWith('/b.nurture') && msg.params.diagnostics.length > 0) {
          result = msg.params.diagnostics;
          send({ id: 2, method: 'shutdown' });
        } else if (msg.id === 2) {
          send({ method: 'exit' });
        }
      }
    });
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(result);
    });
    send({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
  });
}

for (const p of problems) console.error(`✗ ${p}`);
console.log(`vsix: ${checks - problems.length} passed, ${problems.length} failed`);
process.exitCode = problems.length > 0 ? 1 : 0;
