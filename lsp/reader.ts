// The server's message reader (in place of vscode-jsonrpc's StreamMessageReader): framing by
// `FrameParser`, messages checked by `decodeMessage`, the lifecycle by `Lifecycle`. Whatever the client
// sends, the reader keeps reading: a problem is reported (one line, `report`) and, when the JSON-RPC
// or LSP rules call for it, answered with an error (`reply`).
import type { Readable } from 'node:stream';
import { AbstractMessageReader, type DataCallback, type Disposable, type Message, type MessageReader, type ResponseMessage } from 'vscode-languageserver/node.js';
import { FrameParser } from './framing.js';
import { decodeMessage, Lifecycle } from './lifecycle.js';

export interface ReaderHooks {
  /** Sends an error response to the client. */
  reply(message: ResponseMessage): void;
  /** Tells the user about a malformed input (stderr). */
  report(line: string): void;
}

export class GuardedReader extends AbstractMessageReader implements MessageReader {
  readonly lifecycle = new Lifecycle();
  private readonly frames = new FrameParser();
  /** Set once the input has ended (or failed). */
  ended = false;

  constructor(private readonly input: Readable, private readonly hooks: ReaderHooks) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    const onData = (chunk: Buffer | string) => this.take(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, callback);
    const onEnd = () => this.finish();
    const onError = (err: Error) => {
      this.hooks.report(`cannot read the input: ${err.message}`);
      this.finish();
    };
    this.input.on('data', onData).on('end', onEnd).on('close', onEnd).on('error', onError);
    return {
      dispose: () => {
        this.input.off('data', onData).off('end', onEnd).off('close', onEnd).off('error', onError);
      },
    };
  }

  private take(chunk: Buffer, callback: DataCallback): void {
    for (const frame of this.frames.push(chunk)) {
      if (frame.kind === 'problem') {
        this.hooks.report(frame.message);
        continue;
      }
      const decoded = decodeMessage(frame.body);
      if (!decoded.ok) {
        this.hooks.report(decoded.problem + (decoded.reply ? '; answered with an error' : '; ignored'));
        if (decoded.reply) this.hooks.reply(decoded.reply);
        continue;
      }
      const admission = this.lifecycle.admit(decoded.message);
      if (admission.forward) {
        this.deliver(decoded.message, callback);
        continue;
      }
      if (admission.problem !== undefined) this.hooks.report(admission.problem);
      if (admission.reply) this.hooks.reply(admission.reply);
    }
  }

  /** Hands a message to the library; what it throws would otherwise end the process. */
  private deliver(message: Message, callback: DataCallback): void {
    try {
      callback(message);
    } catch (err) {
      const method = (message as { method?: unknown }).method;
      this.hooks.report(`a message${typeof method === 'string' ? ` (\`${method}\`)` : ''} could not be handled: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    const unfinished = this.frames.end();
    if (unfinished !== undefined) this.hooks.report(unfinished);
    this.fireClose();
  }
}
