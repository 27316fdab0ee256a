// The package as a user gets it: `npm pack` of this checkout (its dist/ as `npm test` built it),
// installed into a fresh git repository holding a workspace, then every command run there through
// `npx nurture` — which must resolve to the local install, never fetch (npm runs offline here).
//
// Offline install: npm's cache holds the dependencies' tarballs (`npm ci` of this checkout put them
// there) but not their registry documents, so the temporary repository gets a lock file made from this
// checkout's (the runtime dependencies' resolved URLs and integrity) and is installed with `npm ci
// --offline`. Install scripts are not run: better-sqlite3's downloads its native build, so the test
// copies this checkout's (same Node, same machine) — `simulate --db` then proves the store loads.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../lsp/client.js';
import { REPO } from '../cli/helpers.js';

const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  name: string; version: string; license: string; dependencies: Record<string, string>; bin: Record<string, string>; engines: object;
};
const OFFLINE = { npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

let work: string; // holds the tarball and the user's repository
let repo: string;
let tarball: string;
let packed: { size: number; files: { path: string }[] };

function run(cmd: string, args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...OFFLINE }, timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The user's lock file: the package from the tarball, its dependencies as this checkout resolved them. */
function lockFor(tgz: string): object {
  const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; devOptional?: boolean }> };
  const integrity = 'sha512-' + createHash('sha512').update(readFileSync(join(repo, tgz))).digest('base64');
  const packages: Record<string, object> = {
    '': { name: 'my-journeys', devDependencies: { [pkg.name]: `file:${tgz}` } },
    [`node_modules/${pkg.name}`]: {
      version: pkg.version, resolved: `file:${tgz}`, integrity, dev: true, license: pkg.license,
      dependencies: pkg.dependencies, bin: pkg.bin, engines: pkg.engines,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path.startsWith('node_modules/') && !entry.dev && !entry.devOptional) packages[path] = { ...entry, dev: true };
  }
  return { name: 'my-journeys', lockfileVersion: 3, requires: true, packages };
}

const npx = (args: string[]) => run('npx', ['nurture', ...args], repo);

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'nurture-package-'));
  // --ignore-scripts: pack the dist/ already built, without rebuilding it under the other test files
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: REPO, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, ...OFFLINE } });
  const info = (JSON.parse(out) as { filename: string; size: number; files: { path: string }[] }[])[0]!;
  packed = info;
  tarball = join(work, info.filename);

  repo = join(work, 'my-journeys');
  mkdirSync(repo);
  execFileSync('git', ['init', '-q'], { cwd: repo, stdio: 'pipe' });
  cpSync(join(REPO, 'examples', 'b2b'), join(repo, 'journeys'), { recursive: true });
  // test data a walk of the root must skip, as in this repository
  mkdirSync(join(repo, 'fixtures'));
  writeFileSync(join(repo, 'fixtures', 'broken.nurture'), 'journey {\n');
  writeFileSync(join(repo, '.nurtureignore'), '/fixtures/\n');
  writeFileSync(join(repo, '.gitignore'), 'node_modules/\n*.db\n');
  cpSync(tarball, join(repo, 'nurture.tgz'));
  writeFileSync(join(repo, 'package.json'), JSON.stringify({ name: 'my-journeys', private: true, devDependencies: { [pkg.name]: 'file:nurture.tgz' } }, null, 2));
  writeFileSync(join(repo, 'package-lock.json'), JSON.stringify(lockFor('nurture.tgz'), null, 2));
  const ci = run('npm', ['ci', '--offline', '--ignore-scripts'], repo);
  if (ci.status !== 0) throw new Error(`npm ci --offline failed (are the dependencies in npm's cache? run \`npm ci\` in the checkout):\n${ci.stderr}`);
  cpSync(join(REPO, 'node_modules', 'better-sqlite3', 'build'), join(repo, 'node_modules', 'better-sqlite3', 'build'), { recursive: true });
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the package', { timeout: 60_000 }, () => {
  it('has a name of its own and ships only what runs', () => {
    expect(pkg.name).toBe('@nurture-lang/nurture');
    expect(pkg.bin).toEqual({ nurture: 'bin/nurture.js' });
    const paths = packed.files.map((f) => f.path);
    for (const needed of ['bin/nurture.js', 'dist/nurture.mjs', 'dist/formatter/plugin.js', 'dist/runtime/load-plan.js', 'dist/runtime/plan-validator.generated.js', 'dist/runtime/store/index.js', 'runtime/plan.schema.json', 'README.md', 'LICENSE', 'package.json']) {
      expect(paths, needed).toContain(needed);
    }
    expect(paths.some((p) => p.startsWith('dist/chunks/'))).toBe(true);
    const stray = paths.filter((p) => /^(tests|examples|bench|cli|lsp|compiler|grammar|docs|vscode-extension)\/|^dist\/(tests|bench|cli|lsp|compiler|vscode-extension)\/|\.ts$|write-[a-z-]+\.js$/.test(p));
    expect(stray).toEqual([]);
  });

  it("is the size the README states (within 10%)", () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const stated = /a ~(\d+) kB tarball/.exec(readme);
    expect(stated, 'README: "a ~N kB tarball"').not.toBeNull();
    const kB = statSync(tarball).size / 1000;
    expect(Math.abs(kB - Number(stated![1])) / kB, `tarball ${kB.toFixed(0)} kB, README ${stated![1]} kB`).toBeLessThan(0.1);
  });
});

describe('installed in a repository, `npx nurture`', { timeout: 60_000 }, () => {
  it('is the installed package (offline: nothing fetched)', () => {
    const r = npx(['--version']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`nurture ${pkg.version}\n`);
  });

  it('checks, tests and format-checks the workspace from the root, skipping the ignored test data', () => {
    const check = npx(['check', '.', '--max-warnings', '0']);
    expect(check.stdout).toBe('checked 6 files: no problems\n');
    expect(check.status).toBe(0);
    const test = npx(['test', '.']);
    expect(test.stdout).toMatch(/\n8 passed, 0 failed\n$/);
    expect(test.status).toBe(0);
    const fmt = npx(['fmt', '--check', '.']);
    expect(fmt.stdout).toBe('0 files would be reformatted, 6 already formatted\n');
    expect(fmt.status).toBe(0);
  });

  it('compiles a plan, simulates it with the SQLite store, and tests the plan', () => {
    const compile = npx(['compile', '.', '-o', 'plan.json']);
    expect(compile.stderr).toBe('');
    expect(compile.status).toBe(0);
    expect(JSON.parse(readFileSync(join(repo, 'plan.json'), 'utf8'))).toHaveProperty('journeys');
    const sim = npx(['simulate', 'plan.json', '--events', 'journeys/events.jsonl', '--until', '2026-06-30', '--db', 'state.db', '--out', 'actions.jsonl']);
    expect(sim.stderr).toMatch(/^simulated 400 leads: 8641 events accepted, 0 rejected/);
    expect(sim.status).toBe(0);
    expect(statSync(join(repo, 'state.db')).size).toBeGreaterThan(0);
    expect(readFileSync(join(repo, 'actions.jsonl'), 'utf8').split('\n').length).toBeGreaterThan(1000);
    const planTest = npx(['test', 'plan.json']);
    expect(planTest.stdout).toMatch(/\n8 passed, 0 failed\n$/);
    expect(planTest.status).toBe(0);
  });

  it('is a library for a host: the README\'s imports load the plan into the SQLite store', () => {
    const script = [
      "import { readFileSync } from 'node:fs';",
      "import { loadPlan } from '@nurture-lang/nurture/dist/runtime/load-plan.js';",
      "import { openSqliteRuntime } from '@nurture-lang/nurture/dist/runtime/store/index.js';",
      "const loaded = loadPlan(readFileSync('plan.json', 'utf8'));",
      "if (!loaded.ok) throw new Error('plan rejected');",
      "const rt = openSqliteRuntime(loaded.plan, 'host.db', { queueActions: false });",
      "rt.close();",
      "console.log('loaded', Object.keys(loaded.plan.journeys).length, 'journeys');",
    ].join('\n');
    writeFileSync(join(repo, 'host.mjs'), script);
    const r = run(process.execPath, ['host.mjs'], repo);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^loaded \d+ journeys\n$/);
  });

  it('serves the language server over stdio (initialize, diagnostics, shutdown, exit 0)', async () => {
    const client = await Client.start(repo, {}, ['npx', 'nurture'], OFFLINE);
    expect((client.capabilities as { textDocumentSync?: unknown }).textDocumentSync).toBeDefined();
    const uri = await client.open('journeys/model.nurture', readFileSync(join(repo, 'journeys/model.nurture'), 'utf8') + '\nsegment oops = job_level is nonsense\n');
    const diagnostics = await client.diagnosticsFor(uri, (d) => d.length > 0);
    expect(diagnostics.map((d) => d.code)).toContain('NUR104');
    expect(await client.stop()).toBe(0);
  });
});
