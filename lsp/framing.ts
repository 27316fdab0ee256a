// The LSP base protocol on a byte stream, strictly and without ever getting stuck: `Content-Length: N`
// (plus optional headers), a blank line, N bytes of JSON. vscode-jsonrpc's own reader trusts the header:
// `Content-Length: -5` corrupts its buffer and it never reads another message (issue 20). This parser
// reports every malformed part and resynchronises:
// - a malformed header (a length that is not a byte count or over MAX_MESSAGE_BYTES, a line that is not
//   `Name: value`, no Content-Length, a charset other than UTF-8) skips to the next `Content-Length:`;
// - a body cut short by a new header (a line starting with `Content-Length:` inside the declared
//   length) is dropped and reading resumes at that header. This never drops a valid message: a JSON
//   body cannot hold that text after a raw line break (JSON strings cannot hold raw line breaks).
// A body that is complete but not a JSON-RPC message is `decodeMessage`'s business (the server answers
// it with an error).

/** The largest message accepted: a didOpen of a source file this big is already absurd. */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** The longest header line accepted (real ones are ~20 bytes). */
export const MAX_HEADER_LINE = 8192;

export type Frame = { kind: 'body'; body: Buffer } | { kind: 'problem'; message: string };

const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]*:[ \t]*(.*?)[ \t]*$/;
const RESYNC = 'content-length:';
/** `Content-Length:` at the start of a line: the `\n` before it is part of the match. */
const HEADER_IN_BODY = /[\r\n]content-length:/i;

function preview(text: string): string {
  const shown = text.length > 40 ? text.slice(0, 40) + '…' : text;
  return JSON.stringify(shown).slice(1, -1);
}

export class FrameParser {
  /** Header and skip modes: the bytes not yet consumed (bounded by MAX_HEADER_LINE). */
  private buf: Buffer = Buffer.alloc(0);
  private mode: 'header' | 'skip' | 'body' = 'header';
  /** The current header block: its Content-Length (-1: none yet) and how many lines it has. */
  private length = -1;
  private lines = 0;
  /** Body mode: the chunks received so far and their total size. */
  private chunks: Buffer[] = [];
  private size = 0;
  /** How many of those bytes were searched for a header already. */
  private scanned = 0;

  /** Feeds bytes; returns the complete bodies and the problems found, in order. */
  push(chunk: Buffer): Frame[] {
    const out: Frame[] = [];
    let input: Buffer | undefined = chunk;
    while (input !== undefined) {
      if (this.mode === 'body') {
        input = this.pushBody(input, out);
        continue;
      }
      this.buf = this.buf.length === 0 ? input : Buffer.concat([this.buf, input]);
      input = this.mode === 'skip' ? this.skip() : this.headers(out);
    }
    return out;
  }

  /** At the end of the input: what was left unfinished, if anything. */
  end(): string | undefined {
    if (this.mode === 'body') return `the input ended inside a message (${this.size} of ${this.length} bytes)`;
    if (this.mode === 'header' && (this.lines > 0 || this.buf.toString('latin1').trim() !== '')) return 'the input ended inside a message header';
    return undefined;
  }

  private reset(mode: 'header' | 'skip'): void {
    this.mode = mode;
    this.length = -1;
    this.lines = 0;
  }

  private fail(out: Frame[], why: string): void {
    out.push({ kind: 'problem', message: `malformed message header: ${why}; skipping to the next \`Content-Length:\`` });
    this.reset('skip');
  }

  /** Skip mode: drops bytes up to the next `Content-Length:`; returns the bytes from there (header mode). */
  private skip(): Buffer | undefined {
    const at = this.buf.toString('latin1').toLowerCase().indexOf(RESYNC);
    if (at < 0) {
      this.buf = this.buf.subarray(Math.max(0, this.buf.length - (RESYNC.length - 1)));
      return undefined;
    }
    const rest = this.buf.subarray(at);
    this.buf = Buffer.alloc(0);
    this.reset('header');
    return rest;
  }

  /** Header mode: reads whole lines; returns the bytes after the header block when it is complete. */
  private headers(out: Frame[]): Buffer | undefined {
    for (;;) {
      const nl = this.buf.indexOf(10);
      if (nl < 0) {
        if (this.buf.length > MAX_HEADER_LINE) {
          this.fail(out, `a line longer than ${MAX_HEADER_LINE} bytes`);
          this.buf = this.buf.subarray(1); // so that skipping does not find this line's own start again
          return this.takeBuf();
        }
        return undefined;
      }
      let line = this.buf.subarray(0, nl).toString('latin1');
      this.buf = this.buf.subarray(nl + 1);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (line === '') {
        if (this.lines === 0) continue; // blank lines between messages are harmless
        if (this.length < 0) {
          this.fail(out, 'no Content-Length header');
          return this.takeBuf();
        }
        this.mode = 'body';
        if (this.length === 0) {
          // nothing to wait for (an empty body is not JSON: decodeMessage answers it)
          out.push({ kind: 'body', body: Buffer.alloc(0) });
          this.reset('header');
        }
        return this.takeBuf();
      }
      if (!this.headerLine(line, out)) return this.takeBuf();
    }
  }

  private takeBuf(): Buffer | undefined {
    const rest = this.buf;
    this.buf = Buffer.alloc(0);
    return rest.length > 0 ? rest : undefined;
  }

  /** One `Name: value` line of the current block; false when it made the block malformed. */
  private headerLine(line: string, out: Frame[]): boolean {
    const m = HEADER_LINE.exec(line);
    if (!m) {
      this.fail(out, `\`${preview(line)}\` is not a \`Name: value\` header`);
      return false;
    }
    const name = m[1]!.toLowerCase();
    const value = m[2]!;
    if (name === 'content-length') {
      if (this.length >= 0) {
        // a header block that never ended: the client (or the garbage before) started over here
        out.push({ kind: 'problem', message: 'malformed message header: a second Content-Length before the blank line; the first header is dropped' });
        this.reset('header');
      }
      if (!/^\d+$/.test(value)) {
        this.fail(out, `Content-Length \`${preview(value)}\` is not a byte count`);
        return false;
      }
      const n = Number(value);
      if (n > MAX_MESSAGE_BYTES) {
        this.fail(out, `Content-Length ${preview(value)} is over the limit of ${MAX_MESSAGE_BYTES} bytes`);
        return false;
      }
      this.length = n;
    } else if (name === 'content-type') {
      const charset = /charset\s*=\s*"?([^;"\s]*)/i.exec(value)?.[1];
      if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
        this.fail(out, `charset \`${preview(charset)}\` is not supported (only utf-8)`);
        return false;
      }
    }
    this.lines++;
    return true;
  }

  /** Body mode: collects bytes until the declared length; returns what follows the body. */
  private pushBody(input: Buffer, out: Frame[]): Buffer | undefined {
    this.chunks.push(input);
    this.size += input.length;
    // A header starting inside the declared length ends at most RESYNC.length bytes after it.
    const limit = Math.min(this.size, this.length + RESYNC.length);
    if (limit > this.scanned) {
      const from = Math.max(0, this.scanned - RESYNC.length); // overlap: a header split across chunks
      const text = (from === 0 ? '\n' : '') + this.bytes(from, limit).toString('latin1');
      const m = HEADER_IN_BODY.exec(text);
      this.scanned = limit;
      const cut = m ? from - (from === 0 ? 1 : 0) + m.index + 1 : -1;
      if (m && cut < this.length) {
        out.push({ kind: 'problem', message: `a message body was cut short by the next header (${cut} of ${this.length} bytes); it is dropped` });
        return this.leaveBody(cut);
      }
    }
    if (this.size < this.length || this.headerMayStart()) return undefined;
    out.push({ kind: 'body', body: this.bytes(0, this.length) });
    return this.leaveBody(this.length);
  }

  /**
   * A complete body whose last bytes (running past its end) may be the start of a header that began
   * inside it (`…\nConte|`): wait for the rest before deciding. A valid JSON body never ends so.
   */
  private headerMayStart(): boolean {
    if (this.size >= this.length + RESYNC.length) return false;
    const tail = this.bytes(Math.max(0, this.size - RESYNC.length - 1), this.size).toString('latin1').toLowerCase();
    const base = this.size - tail.length;
    for (let i = -1; i < tail.length; i++) {
      const start = base + i + 1; // where the header would begin
      if (start >= this.length) break;
      if (i >= 0 && tail[i] !== '\n' && tail[i] !== '\r') continue;
      if (i < 0 && base > 0) continue; // the start of the body is not in the tail
      if (RESYNC.startsWith(tail.slice(i + 1))) return true;
    }
    return false;
  }

  /** Bytes [from, to) of the body collected so far (copying only the chunks that hold them). */
  private bytes(from: number, to: number): Buffer {
    const parts: Buffer[] = [];
    let at = 0;
    for (const c of this.chunks) {
      const end = at + c.length;
      if (end > from && at < to) parts.push(c.subarray(Math.max(0, from - at), Math.min(c.length, to - at)));
      at = end;
      if (at >= to) break;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  /** Back to header mode, with the collected bytes from `at` on as the next input. */
  private leaveBody(at: number): Buffer | undefined {
    const rest = this.bytes(at, this.size);
    this.chunks = [];
    this.size = 0;
    this.scanned = 0;
    this.reset('header');
    return rest.length > 0 ? rest : undefined;
  }
}
