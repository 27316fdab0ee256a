// JSON Lines read from a file descriptor, part by part: the text of a file is never held as one string.
// (One string cannot hold more than ~512 MB in V8, and an event file of a year of activity can be larger;
// the parts are also freed as soon as their lines are parsed.) Lines are split at the newline byte, which
// never occurs inside a multi-byte UTF-8 character, so each part decodes on its own.
import { readSync } from 'node:fs';
import { jsonlEntries, type JsonlEntry } from './jsonl.js';

/** Bytes read at a time. */
const PART = 1 << 22;
/** A longer line is reported (`line longer than 64 MB; skipped`) and skipped: no event is that large. */
export const MAX_LINE_BYTES = 1 << 26;

const NEWLINE = 10;

/** Reads into `buf` at `offset`; waits and retries when a non-blocking input (stdin) has nothing yet. */
function readSome(fd: number, buf: Buffer, offset: number): number {
  for (;;) {
    try {
      return readSync(fd, buf, offset, buf.length - offset, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}

/**
 * The entries of the JSON Lines read from `fd` up to its end, as `jsonlEntries` gives them for the whole
 * text (same line numbers, same errors). Read errors are thrown (the caller reports them).
 */
export function* jsonlFileEntries(fd: number, part = PART, maxLine = MAX_LINE_BYTES): Generator<JsonlEntry> {
  let buf = Buffer.allocUnsafe(part);
  let have = 0; // bytes in buf not consumed yet
  let line = 1; // the number of the first line in buf
  let skipping = false; // inside a line longer than maxLine: drop bytes up to its end
  for (;;) {
    const n = readSome(fd, buf, have);
    const eof = n === 0;
    have += n;
    if (skipping) {
      // The rest of a line too long to keep: dropped up to its newline.
      const nl = buf.subarray(0, have).indexOf(NEWLINE);
      if (nl < 0) have = 0;
      else {
        skipping = false;
        buf.copy(buf, 0, nl + 1, have);
        have -= nl + 1;
        line++;
      }
      if (eof) return;
      continue;
    }
    // The parsed part ends after the last newline; at the end of the input it is everything.
    const cut = eof ? have : buf.lastIndexOf(NEWLINE, have - 1) + 1;
    if (cut > 0) {
      let text = buf.toString('utf8', 0, cut);
      if (!eof) text = text.slice(0, -1); // the last newline ends a line, it does not start one
      yield* jsonlEntries(text, line);
      line += countNewlines(buf, cut);
      buf.copy(buf, 0, cut, have);
      have -= cut;
    }
    if (eof) return;
    if (have === buf.length) {
      // One line fills the buffer: make room, up to the limit of a line.
      if (buf.length >= maxLine) {
        yield { line, value: undefined, error: `line longer than ${sizeText(maxLine)}; skipped` };
        skipping = true;
        have = 0;
        continue;
      }
      const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, maxLine));
      buf.copy(bigger, 0, 0, have);
      buf = bigger;
    }
  }
}

function sizeText(bytes: number): string {
  return bytes >= 1 << 20 ? `${Math.floor(bytes / (1 << 20))} MB` : `${bytes} bytes`;
}

function countNewlines(buf: Buffer, end: number): number {
  let k = 0;
  for (let i = buf.indexOf(NEWLINE); i >= 0 && i < end; i = buf.indexOf(NEWLINE, i + 1)) k++;
  return k;
}
