// A raw LSP peer for the tests: spawns the real server (`node bin/nurture.js lsp --stdio`) and writes
// bytes to its stdin as they are (garbage included); reads its answers with a framing parser of its own
// (not the server's, which is under test).
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN, requireBundle } from './client.js';

export interface RpcResponse {
  jsonrpc: string;
  id: number | string | null;
  result?: unknown;
  error?: { code: number; message: string };
}

/** `Content-Length` framing of a JSON value (or of a string taken as the body's text). */
export function frame(body: unknown): Buffer {
  const bytes = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\n\r\n`, 'ascii'), bytes]);
}

export function request(id: number | string, method: string, params?: unknown): Buffer {
  return frame(params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params });
}

export function notification(method: string, params?: unknown): Buffer {
  return frame(params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params });
}

export const INITIALIZE_PARAMS = { processId: null, rootUri: null, capabilities: {} };

export { STACK_FRAME } from '../fuzz/sane.js';

export class RawServer {
  readonly messages: Record<string, unknown>[] = [];
  stderr = '';
  private pending = Buffer.alloc(0);
  private readonly waiters: (() => void)[] = [];
  readonly exited: Promise<number | null>;

  private constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (d: Buffer) => this.read(d));
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (this.stderr += s));
    child.stdin!.on('error', () => undefined); // the server may be gone: writes then fail quietly
    this.exited = new Promise((resolve) => child.on('exit', (code) => {
      resolve(code);
      this.poke();
    }));
  }

  static start(cwd: string, args: string[] = ['lsp', '--stdio']): RawServer {
    requireBundle();
    return new RawServer(spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] }));
  }

  /** Starts a server and completes `initialize` + `initialized`. */
  static async initialized(cwd: string): Promise<RawServer> {
    const s = RawServer.start(cwd);
    s.write(request('init', 'initialize', INITIALIZE_PARAMS));
    await s.response('init');
    s.write(notification('initialized', {}));
    return s;
  }

  write(bytes: Buffer | string): void {
    if (this.child.stdin!.writable) this.child.stdin!.write(bytes);
  }

  end(): void {
    this.child.stdin!.end();
  }

  private read(d: Buffer): void {
    this.pending = Buffer.concat([this.pending, d]);
    for (;;) {
      const sep = this.pending.indexOf('\r\n\r\n');
      if (sep < 0) break;
      const m = /Content-Length: (\d+)/i.exec(this.pending.subarray(0, sep).toString('ascii'));
      if (!m) throw new Error(`the server wrote a header without Content-Length: ${this.pending.subarray(0, sep).toString()}`);
      const length = Number(m[1]);
      if (this.pending.length < sep + 4 + length) break;
      this.messages.push(JSON.parse(this.pending.subarray(sep + 4, sep + 4 + length).toString('utf8')) as Record<string, unknown>);
      this.pending = this.pending.subarray(sep + 4 + length);
    }
    this.poke();
  }

  private poke(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves with the response to `id`; rejects after `ms` or when the server exits without it. */
  async response(id: number | string | null, ms = 10000): Promise<RpcResponse> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.messages.find((m) => 'id' in m && m['id'] === id && !('method' in m));
      if (found) return found as unknown as RpcResponse;
      if (this.child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`no response to ${JSON.stringify(id)} (exit ${this.child.exitCode}); stderr: ${this.stderr}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The exit status, or null after `ms` (the process is then killed). */
  async exit(ms = 5000): Promise<number | null> {
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms).unref());
    const r = await Promise.race([this.exited, timeout]);
    if (r === 'timeout') {
      this.child.kill('SIGKILL');
      return null;
    }
    return r;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
