// End-to-end test of the VS Code extension in real VS Code: installs the packaged
// vscode-extension/nurture.vsix into code-server, opens a copy of examples/b2b in headless Chromium
// driven by Playwright, and checks, as a user sees them:
//   (a) highlighting: a .nurture file is coloured by the TextMate grammar (a keyword, a name and a
//       comment in three different colours);
//   (b) diagnostics: a mistake typed in the file (`send welcome_emial`) gets an error squiggle, and the
//       Problems panel shows NUR100 "unknown content `welcome_emial`";
//   (c) completion: after `send ` the suggest widget lists the workspace's contents (declared in
//       another file, model.nurture);
//   (d) the command "nurture: Show a Journey's Graph", run from the command palette, opens a webview
//       whose page contains the journey's <svg>.
// code-server, Node 24 and playwright-core come from the npm registry into a cache folder outside the
// repository, Chromium from Debian (tests/e2e/setup.mjs installs what is missing).
//
// Usage: node tests/e2e/run.mjs [--screenshot [FILE]]   (npm run test:e2e)
//   --screenshot [FILE]   also save the editor with highlighting, a squiggle and the completion list
//                         (default docs/images/editor.png); NURTURE_E2E_SCREENSHOT=FILE does the same.
//   NURTURE_E2E_VSIX      the .vsix to test (default vscode-extension/nurture.vsix, built by
//                         `npm run vscode:package`).
//   NURTURE_E2E_CACHE     the cache folder (default ~/.cache/nurture-e2e).
//   NURTURE_E2E_KEEP=1    keep the temporary folder (workspace, logs) even when the test passes.
// On failure: a screenshot per failed check and the logs stay in the temporary folder printed.
// Exit status 0 when every check passed (or the test was skipped: `SKIPPED: reason`), 1 otherwise.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromiumPath, ensureAll, node24Env, PATHS, SkipError, VERSIONS } from './setup.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const EXAMPLE = join(REPO, 'examples', 'b2b');
const FILE = 'journeys/welcome.nurture';
const VSIX = resolve(process.env.NURTURE_E2E_VSIX || join(REPO, 'vscode-extension', 'nurture.vsix'));
const TOTAL_TIMEOUT_MS = 6 * 60_000; // the test itself, after the installs
const VIEWPORT = { width: 1280, height: 800 };

// ---------------------------------------------------------------- arguments

function screenshotTarget() {
  const args = process.argv.slice(2);
  const i = args.findIndex((a) => a === '--screenshot' || a.startsWith('--screenshot='));
  if (i >= 0) {
    const a = args[i];
    if (a.includes('=')) return resolve(a.slice(a.indexOf('=') + 1));
    const next = args[i + 1];
    return resolve(next && !next.startsWith('--') ? next : join(REPO, 'docs', 'images', 'editor.png'));
  }
  return process.env.NURTURE_E2E_SCREENSHOT ? resolve(process.env.NURTURE_E2E_SCREENSHOT) : undefined;
}
const SCREENSHOT = screenshotTarget();

// ---------------------------------------------------------------- helpers

const t0 = Date.now();
const secs = (from = t0) => ((Date.now() - from) / 1000).toFixed(1);
const log = (msg) => console.log(`e2e [${secs().padStart(5)} s] ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value; throws "timed out … waiting for WHAT" (plus `detail()`). */
async function waitFor(what, fn, { timeout = 20_000, interval = 250, detail } = {}) {
  const start = Date.now();
  let lastError;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() - start > timeout) {
      let extra = '';
      if (detail) {
        try {
          extra = `; ${await detail()}`;
        } catch {
          // nothing more to say
        }
      }
      if (lastError) extra += `; last error: ${String(lastError.message ?? lastError).split('\n')[0]}`;
      throw new Error(`timed out after ${(timeout / 1000).toFixed(0)} s waiting for ${what}${extra}`);
    }
    await sleep(interval);
  }
}

/** A path relative to the repository when inside it. */
function show(p) {
  const r = relative(REPO, p);
  return r.startsWith('..') ? p : r;
}

/** An error's message without Playwright's browser logs, at most 15 lines. */
function short(err) {
  const msg = String(err?.message ?? err).replace(/\n\s*Browser logs:[\s\S]*?(?=\n\s*Call log:|$)/, '');
  const lines = msg.split('\n');
  return lines.length > 15 ? `${lines.slice(0, 15).join('\n')}\n…` : msg;
}

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

function tail(file, lines = 40) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Files below `dir` whose name matches `re` (for the extension host's log). */
function findFiles(dir, re, found = []) {
  let entries = [];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) findFiles(p, re, found);
    else if (re.test(e.name)) found.push(p);
  }
  return found;
}

/** The first file below the repository's `paths` modified after `mtime` (a .vsix older than its sources). */
function newerThan(mtime, paths) {
  for (const p of paths) {
    const full = join(REPO, p);
    let st;
    try {
      st = statSync(full);
    } catch {
      continue;
    }
    if (st.isDirectory()) {
      for (const f of findFiles(full, /./)) if (statSync(f).mtimeMs > mtime) return relative(REPO, f);
    } else if (st.mtimeMs > mtime) return p;
  }
  return undefined;
}

// ---------------------------------------------------------------- code-server process

let server; // { child, pid (= its process group), log, exited }
let browser;
let tmp;
let keepTmp = !!process.env.NURTURE_E2E_KEEP;

function killServer(signal) {
  // even when code-server itself has exited: its extension host may still be running in the group
  if (!server) return;
  try {
    process.kill(-server.pid, signal); // the whole process group: code-server, its extension host, the language server
  } catch {
    // already gone
  }
}

/** Leftover processes of code-server's process group (should be none after the cleanup). */
function groupLeftovers(pgid) {
  const r = spawnSync('ps', ['-o', 'pid=,args=', '-g', String(pgid)], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '';
}

async function stopServer() {
  if (!server) return;
  const s = server;
  killServer('SIGTERM');
  const start = Date.now();
  while (Date.now() - start < 5000 && groupLeftovers(s.pid)) await sleep(100);
  if (groupLeftovers(s.pid)) {
    killServer('SIGKILL');
    await sleep(300);
  }
  const left = groupLeftovers(s.pid);
  if (left) console.error(`e2e: warning: processes of code-server's group ${s.pid} still running:\n${left}`);
  server = undefined;
}

let cleaning;
async function cleanup() {
  cleaning ??= (async () => {
    if (browser) {
      await Promise.race([browser.close().catch(() => {}), sleep(5000)]);
      browser = undefined;
    }
    await stopServer();
    if (tmp && !keepTmp) rmSync(tmp, { recursive: true, force: true });
  })();
  return cleaning;
}

// last resort: never leave code-server behind, whatever happens
process.on('exit', () => killServer('SIGKILL'));
let aborted = false;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (aborted) return;
    aborted = true;
    console.log(`e2e: ${sig}: stopping code-server and Chromium`);
    cleanup().finally(() => {
      console.log('e2e: interrupted');
      process.exit(1);
    });
  });
}

function codeServerArgs(dirs) {
  return [
    join(PATHS.codeServer, 'out', 'node', 'entry.js'),
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
  ];
}

function codeServerEnv(dirs) {
  return {
    ...node24Env(),
    HOME: dirs.home,
    XDG_CONFIG_HOME: join(dirs.home, '.config'),
    XDG_DATA_HOME: join(dirs.home, '.local', 'share'),
    XDG_STATE_HOME: join(dirs.home, '.local', 'state'),
    XDG_CACHE_HOME: join(dirs.home, '.cache'),
    TMPDIR: dirs.tmp, // VS Code's IPC sockets and temporary files, removed with the rest
    PASSWORD: '',
    // no proxy settings from the machine leak into the test
    VSCODE_PROXY_URI: '',
  };
}

function installExtension(dirs) {
  const r = spawnSync(PATHS.node, [...codeServerArgs(dirs), '--install-extension', VSIX], {
    env: codeServerEnv(dirs),
    encoding: 'utf8',
    timeout: 120_000,
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  if (r.status !== 0 || !/successfully installed/i.test(out)) {
    throw new Error(`code-server --install-extension ${VSIX} failed (status ${r.status}${r.error ? `, ${r.error.message}` : ''}):\n${out}`);
  }
  const installed = readdirSync(dirs.extensions).filter((n) => n.startsWith('nurture.nurture-'));
  if (installed.length !== 1) throw new Error(`expected one nurture.nurture-* folder in ${dirs.extensions}, found: ${installed.join(', ') || 'none'}`);
  return installed[0];
}

async function startServer(dirs, workspace) {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const logFile = join(dirs.root, `code-server-${attempt}.log`);
    const fd = openSync(logFile, 'w');
    const args = [
      ...codeServerArgs(dirs),
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--disable-proxy',
      '--ignore-last-opened',
      workspace,
    ];
    // no shell in between: the PID is code-server's, and `detached` makes it the leader of a new
    // process group, which cleanup() kills as a whole
    const child = spawn(PATHS.node, args, { env: codeServerEnv(dirs), stdio: ['ignore', fd, fd], detached: true });
    server = { child, pid: child.pid, log: logFile, exited: false };
    const s = server;
    child.on('exit', () => (s.exited = true));
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitFor(`code-server to answer on ${url}/healthz`, async () => {
        if (s.exited) throw new Error('code-server exited');
        const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
        return r.ok;
      }, { timeout: 30_000, interval: 200 });
      return url;
    } catch (err) {
      const portTaken = /EADDRINUSE/.test(tail(logFile));
      await stopServer();
      if (portTaken && attempt < 3) continue;
      throw new Error(`${err.message}\ncode-server log (${logFile}):\n${tail(logFile)}`);
    }
  }
}

// ---------------------------------------------------------------- the workbench

const EDITOR = '.monaco-editor[data-uri$="welcome.nurture"]';

/** Text of the rendered editor lines, in order (the DOM keeps them in render order, not line order). */
async function editorLines(page) {
  return page.$$eval(`${EDITOR} .view-lines .view-line`, (els) =>
    els
      .map((el) => ({ top: parseFloat(el.style.top || '0'), text: el.textContent.replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text),
  );
}

async function runCommand(page, label) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${label}`);
  const first = page.locator('.quick-input-widget .monaco-list-row').first();
  await waitFor(`the command palette to offer "${label}" first`, async () => (await first.innerText({ timeout: 1_000 })).includes(label), {
    timeout: 10_000,
    detail: async () => `it lists: ${(await page.locator('.quick-input-widget .monaco-list-row').allInnerTexts()).slice(0, 6).join(' | ').replace(/\n/g, ' ') || 'nothing'}`,
  });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {
    throw new Error(`the command palette stayed open after choosing "${label}"`);
  });
}

async function gotoLine(page, line) {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
}

/** The text of the Problems panel (opened with Ctrl+Shift+M when it is not showing). */
async function problemsText(page) {
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible())) {
    await page.keyboard.press('Control+Shift+M');
    await panel.waitFor({ state: 'visible', timeout: 10_000 });
  }
  return panel.innerText({ timeout: 2_000 });
}

const suggestRows = (page) => page.locator('.editor-widget.suggest-widget.visible .monaco-list-row');

// ---------------------------------------------------------------- main

const results = [];

async function check(page, name, fn) {
  const start = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    log(`ok    ${name} (${secs(start)} s)`);
  } catch (err) {
    if (aborted) return;
    results.push({ name, ok: false });
    keepTmp = true;
    let shot = '';
    if (page && tmp) {
      const file = join(tmp, `failure-${results.length}.png`);
      try {
        await page.screenshot({ path: file, timeout: 10_000 });
        shot = `\n      screenshot: ${file}`;
      } catch {
        // the page is gone
      }
    }
    log(`FAIL  ${name} (${secs(start)} s)\n      ${short(err).replace(/\n/g, '\n      ')}${shot}`);
  }
}

function finish() {
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  if (failed > 0 && tmp) {
    console.log(`e2e: logs kept in ${tmp} (code-server-*.log, user-data/logs/…/exthost*.log, failure-*.png)`);
    for (const f of findFiles(join(tmp, 'user-data', 'logs'), /^(\d+-nurture.*|remoteexthost|exthost)\.log$/)) console.log(`      ${f}`);
    // the extension's own output channels ("nurture", "nurture language server"): their last lines
    for (const f of findFiles(join(tmp, 'user-data', 'logs'), /^\d+-nurture.*\.log$/)) {
      const text = tail(f, 12);
      if (text.trim()) console.log(`e2e: the end of ${f.slice(f.lastIndexOf('/') + 1)}:\n      ${text.replace(/\n/g, '\n      ')}`);
    }
  }
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

async function main() {
  if (!existsSync(VSIX)) throw new Error(`no ${VSIX}: build it first (npm run vscode:package)`);
  const stale = newerThan(statSync(VSIX).mtimeMs, ['vscode-extension/src', 'vscode-extension/syntaxes', 'vscode-extension/package.json', 'cli', 'lsp', 'compiler']);
  if (stale) log(`warning: ${stale} is newer than ${show(VSIX)}: this tests the .vsix as built (rebuild: npm run vscode:package)`);
  log(`installing what is missing (code-server ${VERSIONS.codeServer}, Node ${VERSIONS.node}, playwright-core ${VERSIONS.playwright}, Chromium)`);
  const installStart = Date.now();
  ensureAll();
  const installSecs = secs(installStart);
  log(`installs ready (${installSecs} s)`);
  const testStart = Date.now();
  const watchdog = setTimeout(() => {
    console.error(`e2e: the test took more than ${TOTAL_TIMEOUT_MS / 1000} s: stopping`);
    keepTmp = true;
    results.push({ name: `the test finishes within ${TOTAL_TIMEOUT_MS / 1000} s`, ok: false });
    cleanup().finally(() => process.exit(finish()));
  }, TOTAL_TIMEOUT_MS);
  watchdog.unref();

  const { chromium } = await import(pathToFileURL(join(PATHS.playwright, 'index.mjs')).href);

  tmp = mkdtempSync(join(tmpdir(), 'nurture-e2e-'));
  const dirs = {
    root: tmp,
    home: join(tmp, 'home'),
    userData: join(tmp, 'user-data'),
    extensions: join(tmp, 'extensions'),
    tmp: join(tmp, 'tmp'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify({
    'workbench.colorTheme': 'Default Dark Modern',
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'chat.disableAIFeatures': true,
    'chat.commandCenter.enabled': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'security.workspace.trust.enabled': false,
    'git.enabled': false,
    'files.hotExit': 'off',
    'files.autoSave': 'off', // on by default in VS Code for the Web: the edits must stay unsaved
    'editor.minimap.enabled': false,
    'editor.fontSize': 14,
    'window.zoomLevel': 0,
  }, null, 2));
  const workspace = join(tmp, 'b2b');
  cpSync(EXAMPLE, workspace, { recursive: true });
  const original = readFileSync(join(workspace, FILE), 'utf8').split('\n');
  const contents = [...readFileSync(join(workspace, 'model.nurture'), 'utf8').matchAll(/^content\s+(\w+)/gm)].map((m) => m[1]);

  const installed = installExtension(dirs);
  log(`installed ${show(VSIX)} into code-server (${installed})`);
  const url = await startServer(dirs, workspace);
  log(`code-server ${VERSIONS.codeServer} on ${url} (pid ${server.pid})`);

  browser = await chromium.launch({
    executablePath: chromiumPath(),
    env: { ...process.env, HOME: dirs.home, XDG_CONFIG_HOME: join(dirs.home, '.config'), XDG_CACHE_HOME: join(dirs.home, '.cache'), TMPDIR: dirs.tmp },
    headless: true,
    timeout: 60_000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const consoleErrors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));

  let ready = false;
  await check(page, 'the workbench opens the example workspace and the file', async () => {
    await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`, { waitUntil: 'domcontentloaded', timeout: 30_000 });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 45_000 }).catch(() => {
      throw new Error(`the workbench (.monaco-workbench) did not show within 45 s; console errors: ${consoleErrors.slice(-5).join(' | ') || 'none'}`);
    });
    // the Explorer: open journeys/welcome.nurture
    const explorer = page.locator('.explorer-folders-view');
    await waitFor('the Explorer to list the workspace (a "journeys" folder)', async () => {
      if (!(await explorer.isVisible())) await page.keyboard.press('Control+Shift+E');
      return explorer.locator('.monaco-list-row[aria-label^="journeys"]').first().isVisible();
    }, { timeout: 30_000 });
    await explorer.locator('.monaco-list-row[aria-label^="journeys"]').first().click();
    const file = explorer.locator('.monaco-list-row[aria-label^="welcome.nurture"]').first();
    await file.waitFor({ state: 'visible', timeout: 10_000 });
    await file.dblclick();
    await page.locator(`${EDITOR} .view-line`).first().waitFor({ state: 'visible', timeout: 20_000 }).catch(() => {
      throw new Error('no editor for journeys/welcome.nurture opened after double-clicking it in the Explorer');
    });
    await waitFor('the status bar to show the language "nurture"', async () =>
      (await page.locator('.statusbar-item[id$="status.editor.mode"]').textContent())?.trim() === 'nurture', {
      timeout: 15_000,
      detail: async () => `it shows "${(await page.locator('.statusbar-item[id$="status.editor.mode"]').textContent())?.trim()}"`,
    });
    ready = true;
  });

  if (ready) {
    await check(page, '(a) the .nurture file is highlighted (keyword, name and comment in different colours)', async () => {
      const colours = await waitFor('the line `journey welcome {` tokenised into coloured spans', async () => {
        const r = await page.$$eval(`${EDITOR} .view-lines .view-line`, (lines) => {
          const colour = (span) => getComputedStyle(span).color;
          const out = {};
          for (const line of lines) {
            const spans = [...line.querySelectorAll('span[class*="mtk"]')];
            const text = line.textContent.replace(/\u00a0/g, ' ');
            if (/^journey welcome \{/.test(text)) {
              const kw = spans.find((s) => s.textContent === 'journey');
              const name = spans.find((s) => s.textContent === 'welcome');
              if (kw && name) out.journey = { keyword: [kw.className, colour(kw)], name: [name.className, colour(name)] };
            }
            if (/^#/.test(text) && spans[0]) out.comment = [spans[0].className, colour(spans[0])];
            if (/^\s*send welcome_1/.test(text)) {
              const kw = spans.find((s) => s.textContent.trim() === 'send');
              if (kw) out.send = [kw.className, colour(kw)];
            }
          }
          return out.journey && out.comment && out.send ? out : null;
        });
        return r;
      }, {
        timeout: 15_000,
        detail: async () => `rendered lines: ${JSON.stringify((await editorLines(page)).slice(0, 5))}`,
      });
      const { keyword, name } = colours.journey;
      const distinct = new Set([keyword[1], name[1], colours.comment[1]]);
      if (distinct.size !== 3) {
        throw new Error(`expected the keyword \`journey\`, the name \`welcome\` and a comment in three different colours; got ${JSON.stringify(colours)}`);
      }
      if (colours.send[1] !== keyword[1]) {
        throw new Error(`expected the step keyword \`send\` coloured as the keyword \`journey\`; got ${JSON.stringify(colours)}`);
      }
      log(`      journey ${keyword[1]} (${keyword[0]}), welcome ${name[1]} (${name[0]}), comment ${colours.comment[1]} (${colours.comment[0]})`);
    });

    // the lines of the edit: after `  send welcome_1` (a line of the welcome journey)
    const sendLine = original.findIndex((l) => /^\s*send welcome_1\s*$/.test(l)) + 1; // 1-based

    await check(page, '(b) a mistake typed in the file gets an error squiggle and NUR100 in the Problems panel', async () => {
      if (sendLine < 1) throw new Error(`no \`send welcome_1\` line in ${FILE}`);
      await page.locator(`${EDITOR} .view-lines`).click();
      await gotoLine(page, sendLine);
      await page.keyboard.press('End');
      await page.keyboard.press('Enter'); // the new line is indented like the previous one
      await page.keyboard.type('send welcome_emial', { delay: 15 });
      await page.keyboard.press('Escape'); // closes the suggestions of the word being typed
      await waitFor(`the typed line \`send welcome_emial\` on line ${sendLine + 1}`, async () =>
        (await editorLines(page)).some((l) => /^\s+send welcome_emial\s*$/.test(l)), {
        timeout: 5_000,
        detail: async () => `lines: ${JSON.stringify((await editorLines(page)).slice(sendLine - 2, sendLine + 2))}`,
      });
      // an error squiggle within the vertical extent of the typed line (polled: while the language
      // server's diagnostics arrive and the editor re-renders, squiggles come and go)
      const squiggleOnTypedLine = () => page.$$eval(`${EDITOR} .view-line, ${EDITOR} .squiggly-error`, (els) => {
        const lines = els.filter((e) => e.classList.contains('view-line'));
        const typed = lines.find((l) => /send\s+welcome_emial/.test(l.textContent.replace(/\u00a0/g, ' ')));
        const squiggles = els.filter((e) => e.classList.contains('squiggly-error')).map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0);
        const mid = (r) => (r.top + r.bottom) / 2;
        const line = typed?.getBoundingClientRect();
        return {
          ok: !!line && squiggles.some((r) => mid(r) >= line.top - 1 && mid(r) <= line.bottom + 1),
          line: line ? [line.top, line.bottom] : null,
          squiggles: squiggles.map((r) => [r.top, r.bottom]),
        };
      });
      await waitFor('an error squiggle (.squiggly-error) on the line `send welcome_emial`', async () => (await squiggleOnTypedLine()).ok, {
        timeout: 30_000,
        detail: async () => {
          const w = await squiggleOnTypedLine();
          return w.squiggles.length === 0
            ? 'there is no error squiggle at all: the language server did not report the mistake (see the logs below)'
            : `the squiggles are elsewhere: ${JSON.stringify(w)}`;
        },
      });
      const expected = 'unknown content `welcome_emial`';
      await waitFor(`the Problems panel to show "${expected}" with the code NUR100`, async () => {
        const text = await problemsText(page);
        return text.includes(expected) && text.includes('NUR100');
      }, {
        timeout: 15_000,
        detail: async () => `the panel shows: ${JSON.stringify((await problemsText(page).catch(() => '(no Problems panel)')).slice(0, 300))}`,
      });
    });

    await check(page, "(c) completion after `send ` lists the workspace's contents", async () => {
      // a new line below the mistake (or below `send welcome_1` when (b) typed nothing)
      const typed = (await editorLines(page)).some((l) => /^\s+send welcome_emial\s*$/.test(l));
      await gotoLine(page, typed ? sendLine + 1 : sendLine);
      await page.keyboard.press('End');
      await page.keyboard.press('Enter');
      await page.keyboard.type('send ', { delay: 15 });
      // the space is a trigger character of the server; Ctrl+Space if the widget did not open by itself
      const opened = await suggestRows(page).first().waitFor({ state: 'visible', timeout: 4_000 }).then(() => true, () => false);
      if (!opened) {
        await page.keyboard.press('Control+Space');
        await suggestRows(page).first().waitFor({ state: 'visible', timeout: 15_000 }).catch(() => {
          throw new Error('no suggest widget after `send ` (neither by itself nor with Ctrl+Space)');
        });
      }
      // each row: its label and its kind (the icon's codicon-symbol-KIND)
      const readRows = () => suggestRows(page).evaluateAll((els) => els.map((e) => ({
        label: (e.querySelector('.label-name')?.textContent ?? e.textContent).trim(),
        kind: /codicon-symbol-(\w+)/.exec(e.querySelector('.suggest-icon')?.className ?? '')?.[1] ?? '?',
      })));
      const rows = await waitFor(`the suggest widget to list at least 3 contents of model.nurture (${contents.slice(0, 4).join(', ')}, …)`, async () => {
        const r = await readRows();
        return r.filter((x) => contents.includes(x.label)).length >= 3 ? r : null;
      }, {
        timeout: 15_000,
        detail: async () => `it lists: ${(await readRows()).map((x) => `${x.label} (${x.kind})`).join(', ') || 'nothing'}`,
      });
      // the language server's items are contents (and `next from`); the editor's own snippets and
      // words may come along when the list was opened with Ctrl+Space
      const labels = rows.map((x) => x.label);
      const unknown = rows.filter((x) => !contents.includes(x.label) && x.label !== 'next from' && !['snippet', 'text'].includes(x.kind));
      if (unknown.length > 0) throw new Error(`the suggest widget lists more than contents after \`send \`: ${unknown.map((x) => `${x.label} (${x.kind})`).join(', ')}`);
      log(`      suggestions: ${labels.join(', ')}`);
      await page.keyboard.press('Escape');
      // remove the `send ` line again (it makes the next line's `wait` a content name): one error left
      await page.keyboard.press('Control+Shift+K');
      await waitFor(typed ? 'the Problems panel back to the one error of `welcome_emial`' : 'the Problems panel back to no error', async () => {
        const text = await problemsText(page);
        return (text.match(/NUR\d{3}/g) ?? []).length === (typed ? 1 : 0) && (!typed || text.includes('welcome_emial'));
      }, {
        timeout: 15_000,
        detail: async () => `the panel shows: ${JSON.stringify((await problemsText(page)).slice(0, 300))}`,
      });
    });

    if (SCREENSHOT) {
      await check(page, `the screenshot (${show(SCREENSHOT)})`, async () => {
        // a lower Problems panel (it has one line), more editor: drag the sash above the panel down
        const panel = await page.locator('.part.panel.bottom').boundingBox().catch(() => null);
        const sash = panel && (await page.$$eval('.monaco-sash.horizontal:not(.disabled)', (els, top) =>
          els.map((e) => e.getBoundingClientRect()).find((r) => r.width > 100 && Math.abs(r.bottom - top) < 6)?.toJSON(), panel.y));
        if (sash) {
          const x = sash.x + sash.width / 2;
          const y = sash.y + sash.height / 2;
          await page.mouse.move(x, y);
          await page.mouse.down();
          await page.mouse.move(x, y + 20, { steps: 4 });
          await page.mouse.move(x, panel.y + panel.height - 110, { steps: 8 });
          await page.mouse.up();
        }
        // completion at the mistake: the cursor after `send ` of the squiggled line, Ctrl+Space
        await gotoLine(page, `${sendLine + 1}:8`);
        await page.keyboard.press('Control+Space');
        await waitFor('the suggest widget with the contents at the mistake', async () =>
          (await suggestRows(page).allInnerTexts()).filter((r) => contents.some((c) => r.startsWith(c))).length >= 3, { timeout: 15_000 });
        await page.mouse.move(VIEWPORT.width - 5, VIEWPORT.height - 5);
        await sleep(800); // the widget's detail of the focused item
        mkdirSync(dirname(SCREENSHOT), { recursive: true });
        await page.screenshot({ path: SCREENSHOT, timeout: 10_000 });
        log(`      saved ${SCREENSHOT} (${Math.round(statSync(SCREENSHOT).size / 1024)} KB)`);
        await page.keyboard.press('Escape');
      });
    }

    await check(page, "(d) \"nurture: Show a Journey's Graph\" opens a webview with the journey's <svg>", async () => {
      // undo the edits (a workspace with errors has no graph); the cursor stays in journey welcome
      await runCommand(page, 'File: Revert File');
      await waitFor(`${FILE} back to its saved text`, async () => !(await editorLines(page)).some((l) => /welcome_emial/.test(l)), {
        timeout: 10_000,
      });
      await gotoLine(page, sendLine);
      await runCommand(page, "nurture: Show a Journey's Graph");
      const found = await waitFor('a webview frame containing an <svg> with the journey\'s nodes', async () => {
        for (const frame of page.frames()) {
          if (frame === page.mainFrame()) continue;
          const r = await frame.evaluate(() => {
            const svg = document.querySelector('svg');
            if (!svg) return null;
            return { nodes: svg.querySelectorAll('.node').length, text: svg.textContent, title: document.querySelector('h1')?.textContent ?? '' };
          }).catch(() => null);
          if (r) return r;
        }
        return null;
      }, {
        timeout: 30_000,
        detail: async () => {
          const notice = (await page.locator('.notifications-toasts .notification-toast').allInnerTexts().catch(() => [])).join(' | ');
          return `frames: ${page.frames().length - 1}${notice ? `; notifications: ${JSON.stringify(notice.slice(0, 300))}` : ''}`;
        },
      });
      if (!/welcome/.test(found.title) || !found.text.includes('welcome_1') || found.nodes < 3) {
        throw new Error(`expected the graph of journey welcome (a heading "journey welcome", nodes with welcome_1); got ${JSON.stringify({ ...found, text: found.text.slice(0, 200) })}`);
      }
      log(`      webview: "${found.title}", ${found.nodes} nodes`);
    });
  }

  if (aborted) return;
  log(`test done in ${secs(testStart)} s (after ${installSecs} s of installs)`);
  clearTimeout(watchdog);
}

let status = 1;
try {
  await main();
  if (aborted) await new Promise(() => {}); // the signal handler exits
  status = finish();
} catch (err) {
  if (err instanceof SkipError) {
    console.log(`SKIPPED: end-to-end test in code-server — ${err.message}`);
    status = 0;
  } else {
    keepTmp = true;
    results.push({ name: 'setup', ok: false });
    if (aborted) await new Promise(() => {}); // the signal handler exits
    console.log(`e2e: FAIL  ${short(err)}`);
    if (!/^no .*\.vsix: build it first/.test(err.message ?? '')) console.error(err.stack ?? err);
    if (server?.log) console.error(`code-server log (${server.log}):\n${tail(server.log, 20)}`);
    status = finish();
  }
} finally {
  await cleanup();
}
process.exit(status);
