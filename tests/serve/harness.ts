// `nurture serve` in a test: the real CLI (dist/) in a child process on a free loopback port, its JSON
// log collected, requests over real HTTP; a plan and events near the wall clock.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { createRuntime } from '../../runtime/engine/index.js';
import type { Plan } from '../../runtime/plan-types.js';
import { buildPlan, S } from '../runtime/helpers.js';
import { storeSpec } from '../store/fixture.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = here.includes(join('dist', 'tests')) ? resolve(here, '../../..') : resolve(here, '../..');
export const CLI = join(root, 'bin/nurture.js');
export const haveCli = existsSync(join(root, 'dist/nurture.mjs'));
export const REPO = root;

export const TOKENS = {
  all: 'all-scopes-token-0123456789',
  ingest: 'ingest-only-token-0123456789',
  read: 'read-only-token-0123456789',
  admin: 'admin-only-token-0123456789',
};
export const TOKENS_FILE_TEXT = [
  '# test tokens',
  `ingest,read,admin ${TOKENS.all}`,
  `ingest ${TOKENS.ingest}`,
  `read ${TOKENS.read}`,
  `admin ${TOKENS.admin}`,
  '',
].join('\n');

/** The store fixture's plan with a short journey, no pressure and no holdout: welcome, a wait (2 s), tip1. */
export function quickPlan(waitMs = 2000): Plan {
  const spec = storeSpec([S.send('welcome'), S.wait(waitMs), S.send('tip1')]);
  delete spec.pressure;
  spec.journeys!['onboarding']!.holdout = 0;
  return buildPlan(spec);
}

export class Served {
  readonly dir = mkdtempSync(join(tmpdir(), 'nurture-serve-'));
  readonly planFile = join(this.dir, 'plan.json');
  readonly tokensFile = join(this.dir, 'tokens');
  db: string;
  proc: ChildProcess | null = null;
  url = '';
  log = '';
  stderr = '';
  exit: Promise<number | null> = Promise.resolve(null);

  constructor(
    plan: Plan,
    readonly extra: string[] = [],
    db?: string,
  ) {
    writeFileSync(this.planFile, JSON.stringify(plan));
    writeFileSync(this.tokensFile, TOKENS_FILE_TEXT);
    this.db = db ?? join(this.dir, 'state.db');
  }

  /** Starts the server and waits until it listens. */
  async start(): Promise<this> {
    this.log = '';
    this.stderr = '';
    const proc = spawn(process.execPath, [CLI, 'serve', this.planFile, '--db', this.db, '--port', '0', '--tokens', this.tokensFile, ...this.extra], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = proc;
    this.exit = new Promise((done) => proc.on('exit', (code) => done(code)));
    proc.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.url = await new Promise<string>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`serve did not start:\n${this.log}\n${this.stderr}`)), 60_000);
      proc.stdout!.on('data', (d: Buffer) => {
        this.log += d.toString();
        const m = /"url":"(http:\/\/[^"]+)"/.exec(this.log);
        if (m) {
          clearTimeout(timer);
          ok(m[1]!);
        }
      });
      proc.on('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`serve exited (${code}) before listening:\n${this.log}\n${this.stderr}`));
      });
    });
    return this;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (!this.proc || this.proc.exitCode !== null || this.proc.signalCode !== null) return this.proc?.exitCode ?? null;
    this.proc.kill(signal);
    return this.exit;
  }

  cleanup(): void {
    if (this.proc && this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A request with a token (`null`: none). The answer's status, headers and parsed JSON body (or text). */
  async call(method: string, path: string, o: { token?: string | null; body?: unknown; type?: string; raw?: string | Buffer } = {}): Promise<Answer> {
    const token = o.token === undefined ? TOKENS.all : o.token;
    const headers: Record<string, string> = {};
    if (token !== null) headers['authorization'] = `Bearer ${token}`;
    let body: string | Buffer | undefined;
    if (o.raw !== undefined) body = o.raw;
    else if (o.body !== undefined) body = JSON.stringify(o.body);
    if (body !== undefined) headers['content-type'] = o.type ?? 'application/json';
    const r = await fetch(this.url + path, { method, headers, body });
    const text = await r.text();
    let json: unknown = undefined;
    try {
      json = JSON.parse(text);
    } catch {
      // text answers (metrics)
    }
    return { status: r.status, headers: r.headers, json: json as any, text };
  }

  /** Every action pulled (from the oldest, page by page; the entries' `action`), acknowledged when `ack`. */
  async pullAll(ack = true, token = TOKENS.all): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    let after = 0;
    for (;;) {
      const r = await this.call('GET', `/v1/actions?limit=1000&after=${after}`, { token });
      if (r.status !== 200) throw new Error(`GET /v1/actions: ${r.status} ${r.text}`);
      const page = (r.json.actions as { action: Record<string, unknown> }[]).map((e) => e.action);
      if (page.length === 0) return out;
      out.push(...page);
      after = r.json.next;
      if (ack) {
        const a = await this.call('POST', '/v1/actions/ack', { token, body: { ids: page.map((x) => x['id']) } });
        if (a.status !== 200) throw new Error(`POST /v1/actions/ack: ${a.status} ${a.text}`);
      }
    }
  }
}

export interface Answer {
  status: number;
  headers: Headers;
  json: any;
  text: string;
}

/** Events of the store fixture's kinds for `leads` leads, `n` of them, at `start` + i × `spacingMs`. */
export function liveEvents(n: number, leads: number, start: number, spacingMs = 1, tag = 'e'): Record<string, unknown>[] {
  const kinds = ['signup', 'visit', 'click', 'click', 'profile', 'demo'];
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const lead = `L${(i * 7919) % leads}`;
    const type = kinds[(i * 31 + (i >> 3)) % kinds.length]!;
    const at = new Date(start + i * spacingMs).toISOString();
    const ev: Record<string, unknown> = { lead, type, at, id: `${tag}${i}` };
    if (type === 'visit') ev['data'] = { page: `/p${i % 5}` };
    if (type === 'profile') ev['data'] = { email_consent: i % 3 !== 0, country: 'FR' };
    out.push(ev);
  }
  return out;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Posts `batches` one after another; a batch that fails (server gone or draining) is posted again every 50 ms until taken. */
export async function feed(served: Served, batches: Record<string, unknown>[][], onBatch: (i: number) => Promise<void> | void = () => undefined): Promise<number> {
  let retried = 0;
  for (let i = 0; i < batches.length; i++) {
    for (;;) {
      try {
        const r = await served.call('POST', '/v1/events', { token: TOKENS.ingest, body: batches[i] });
        if (r.status === 200) {
          expect(r.json.accepted.length + r.json.duplicates.length).toBe(batches[i]!.length);
          break;
        }
        expect(r.status).toBe(503); // draining
      } catch {
        // connection refused or reset: the server is down
      }
      retried++;
      await sleep(50);
    }
    await onBatch(i);
  }
  return retried;
}

/** The action ids of one in-process run over the same batches (no timer of theirs becomes due). */
export function simulate(batches: Record<string, unknown>[][]): string[] {
  const rt = createRuntime(quickPlan(86_400_000));
  for (const b of batches) rt.ingestBatch(b);
  return rt.drainActions().map((a) => a.id);
}

/** `n` batches of `size` events for `leads` leads, a day ahead of now. */
export function batchesOf(n: number, size: number, leads: number): Record<string, unknown>[][] {
  // a day ahead: the wall clock runs no timer of these leads during the test
  const events = liveEvents(n * size, leads, Date.now() + 86_400_000, 10);
  return Array.from({ length: n }, (_, i) => events.slice(i * size, (i + 1) * size));
}

/**
 * A `feed` hook that SIGKILLs the server `kills` times, right after randomly chosen batches (so under
 * load: the next POST meets a dead server), and starts it again; `done()` waits for the last restart.
 */
export function killer(served: Served, batches: number, kills: number): { onBatch: (i: number) => void; done: () => Promise<number> } {
  const at = new Set<number>();
  while (at.size < kills) at.add(Math.floor(Math.random() * (batches - 1)));
  let last = Promise.resolve();
  let n = 0;
  return {
    onBatch(i) {
      if (!at.has(i)) return;
      last = last.then(async () => {
        await sleep(Math.random() * 20);
        served.proc!.kill('SIGKILL');
        await served.exit;
        n++;
        await served.start();
      });
    },
    done: async () => {
      await last;
      return n;
    },
  };
}
