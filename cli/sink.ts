// Buffered line output of a command, to a Context stream (stdout) or a file. `flush()` resolves once the
// bytes are handed to the operating system — written into the file, or into the pipe that the reader
// then has even if this process is killed — which is what `simulate --db` waits for before it
// acknowledges the actions it printed (docs/host-api.md, the outbox contract).
import { closeSync, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { Writable } from 'node:stream';
import { CliError, type Context, type Output } from './context.js';
import { ioReason } from './files.js';

/** Buffered text beyond which `add` writes without waiting (the next `flush` waits for it). */
const HIGH_WATER = 1 << 20;

export class Sink {
  private buf: string[] = [];
  private size = 0;
  /** The last write to a Node stream, resolved once the stream has written it (writes complete in order). */
  private written: Promise<void> = Promise.resolve();

  private constructor(
    private readonly out: Output | null,
    private readonly fd: number | null,
    /** The name shown in messages: the path as typed, or "stdout". */
    readonly shown: string,
  ) {}

  static stream(out: Output, shown = 'stdout'): Sink {
    return new Sink(out, null, shown);
  }

  /**
   * Opens `path` for writing: emptied, or with `append` kept, after cutting an incomplete last line (the
   * tail of a write that a crash interrupted, never acknowledged: it is written again in full).
   */
  static file(ctx: Context, path: string, append = false): Sink {
    try {
      const fd = openSync(resolve(ctx.cwd, path), append ? 'a+' : 'w');
      if (append) dropPartialLine(fd);
      return new Sink(null, fd, path);
    } catch (e) {
      throw new CliError(`cannot write \`${path}\`: ${ioReason(e)}`);
    }
  }

  add(text: string, newline = true): void {
    this.buf.push(newline ? text + '\n' : text);
    this.size += text.length + 1;
    if (this.size > HIGH_WATER) this.write();
  }

  /** Writes what is buffered and waits until every byte written so far is with the operating system. */
  async flush(): Promise<void> {
    this.write();
    await this.written;
  }

  async close(): Promise<void> {
    await this.flush();
    this.closeNow();
  }

  /** Closes the file without writing what is buffered (when the command stops on an error). */
  closeNow(): void {
    if (this.fd !== null) closeSync(this.fd);
  }

  private write(): void {
    if (this.buf.length === 0) return;
    const chunk = this.buf.join('');
    this.buf = [];
    this.size = 0;
    if (this.fd !== null) return writeAll(this.fd, chunk, this.shown);
    const out = this.out!;
    if (out instanceof Writable) {
      const done = new Promise<void>((res, rej) => out.write(chunk, (e) => (e ? rej(new CliError(`cannot write to ${this.shown}: ${ioReason(e)}`)) : res())));
      done.catch(() => {}); // reported by the next flush
      this.written = done;
    } else out.write(chunk); // a test's capture: taken at once
  }
}

/** `writeSync` until every byte is written (a FIFO or a device may take part of a chunk). */
function writeAll(fd: number, text: string, shown: string): void {
  const bytes = Buffer.from(text);
  try {
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
  } catch (e) {
    throw new CliError(`cannot write \`${shown}\`: ${ioReason(e)}`);
  }
}

/** Cuts a regular file after its last newline (nothing when it is empty or ends with one). */
function dropPartialLine(fd: number): void {
  const st = fstatSync(fd);
  if (!st.isFile() || st.size === 0) return;
  const block = Buffer.alloc(64 * 1024);
  for (let end = st.size; end > 0; ) {
    const start = Math.max(0, end - block.length);
    const n = readSync(fd, block, 0, end - start, start);
    const nl = block.subarray(0, n).lastIndexOf(0x0a);
    if (nl >= 0) {
      if (start + nl + 1 !== st.size) ftruncateSync(fd, start + nl + 1);
      return;
    }
    end = start;
  }
  ftruncateSync(fd, 0); // no newline at all: one incomplete line
}
