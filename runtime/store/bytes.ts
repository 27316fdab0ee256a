// Byte strings of varints, numbers, texts and values: the primitives of the store's binary forms (lead
// states, state-codec.ts; the input log, input-log.ts).
//
// Numbers: varint of 2·zigzag(n) for safe integers below 2^48, else 1 followed by a float64 (LE) — any
// number, Infinity and NaN included. Lists: varint length then items. Values: a tag byte (null, false,
// true, number, text, list of text) then the value. Texts: varint byte length, UTF-8.
import type { Value } from '../engine/state.js';

const INT_LIMIT = 2 ** 48;

const T_NULL = 0;
const T_FALSE = 1;
const T_TRUE = 2;
const T_NUMBER = 3;
const T_TEXT = 4;
const T_TEXTS = 5;

/** Writes into one growing buffer, reused from one byte string to the next. */
export class ByteWriter {
  protected buf = Buffer.allocUnsafe(1024);
  protected pos = 0;

  /** What was written since `reset` (a view, valid until the next write). */
  view(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  reset(): void {
    this.pos = 0;
  }

  protected room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  protected byte(b: number): void {
    this.room(1);
    this.buf[this.pos++] = b;
  }

  /** An unsigned integer below 2^53, 7 bits per byte. */
  protected uint(v: number): void {
    if (this.pos + 8 > this.buf.length) this.room(8);
    const buf = this.buf;
    let pos = this.pos;
    if (v >= 0x10000000) {
      // timestamps: the low 28 bits with integer operations, then the rest
      const lo = v % 0x10000000;
      buf[pos] = (lo & 127) | 128;
      buf[pos + 1] = ((lo >>> 7) & 127) | 128;
      buf[pos + 2] = ((lo >>> 14) & 127) | 128;
      buf[pos + 3] = ((lo >>> 21) & 127) | 128;
      pos += 4;
      v = (v - lo) / 0x10000000;
    }
    while (v >= 128) {
      buf[pos++] = (v & 127) | 128;
      v >>>= 7;
    }
    buf[pos++] = v;
    this.pos = pos;
  }

  protected num(v: number): void {
    if (Number.isInteger(v) && v < INT_LIMIT && v > -INT_LIMIT) {
      this.uint(v >= 0 ? v * 4 : -v * 4 - 2); // 2·zigzag(v)
    } else {
      this.room(9);
      this.buf[this.pos++] = 1;
      this.buf.writeDoubleLE(v, this.pos);
      this.pos += 8;
    }
  }

  /** `x[from..to)` as a list. */
  protected slots(x: readonly number[], from: number, to: number): void {
    this.uint(to - from);
    for (let i = from; i < to; i++) this.num(x[i]!);
  }

  protected nums(list: readonly number[]): void {
    this.uint(list.length);
    for (let i = 0; i < list.length; i++) this.num(list[i]!);
  }

  protected text(t: string): void {
    const len = t.length;
    if (len < 128) {
      // short ASCII (ids, names): byte by byte, no native call
      this.room(len + 1);
      const buf = this.buf;
      let pos = this.pos + 1;
      let i = 0;
      for (; i < len; i++) {
        const c = t.charCodeAt(i);
        if (c >= 128) break;
        buf[pos++] = c;
      }
      if (i === len) {
        buf[this.pos] = len;
        this.pos = pos;
        return;
      }
    }
    const n = Buffer.byteLength(t);
    this.uint(n);
    this.room(n);
    this.pos += this.buf.write(t, this.pos, 'utf8');
  }

  protected value(v: Value | null | undefined): void {
    if (v === null || v === undefined) this.byte(T_NULL);
    else if (v === false) this.byte(T_FALSE);
    else if (v === true) this.byte(T_TRUE);
    else if (typeof v === 'number') {
      this.byte(T_NUMBER);
      this.num(v);
    } else if (typeof v === 'string') {
      this.byte(T_TEXT);
      this.text(v);
    } else {
      this.byte(T_TEXTS);
      this.uint(v.length);
      for (const t of v) this.text(t);
    }
  }

  protected values(list: readonly (Value | null | undefined)[]): void {
    this.uint(list.length);
    for (let i = 0; i < list.length; i++) this.value(list[i]);
  }
}

/** Reads what a `ByteWriter` wrote; every problem is an Error "damaged <what> (…)". */
export class ByteReader {
  pos = 0;
  constructor(
    protected readonly buf: Uint8Array,
    protected readonly what: string,
  ) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  protected byte(): number {
    if (this.pos >= this.buf.length) throw new Error(`damaged ${this.what} (truncated)`);
    return this.buf[this.pos++]!;
  }

  protected uint(): number {
    let v = 0;
    let scale = 1;
    for (;;) {
      const b = this.byte();
      v += (b & 127) * scale;
      if (b < 128) return v;
      scale *= 128;
      if (scale > 2 ** 56) throw new Error(`damaged ${this.what} (varint too long)`);
    }
  }

  protected num(): number {
    if (this.buf[this.pos] === 1) {
      this.pos++;
      if (this.pos + 8 > this.buf.length) throw new Error(`damaged ${this.what} (truncated)`);
      const v = Buffer.from(this.buf.buffer, this.buf.byteOffset + this.pos, 8).readDoubleLE(0);
      this.pos += 8;
      return v;
    }
    const z = this.uint() / 2; // zigzag(v)
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  protected list<T>(item: () => T): T[] {
    const n = this.uint();
    if (n > this.buf.length) throw new Error(`damaged ${this.what} (list too long)`);
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) out[i] = item();
    return out;
  }

  protected nums(): number[] {
    return this.list(() => this.num());
  }

  skipTexts(): void {
    for (let n = this.uint(); n > 0; n--) {
      const len = this.uint(); // (not `this.pos += this.uint()`: that adds to the position before the length)
      this.pos += len;
      if (this.pos > this.buf.length) throw new Error(`damaged ${this.what} (truncated)`);
    }
  }

  texts(): string[] {
    return this.list(() => this.text());
  }

  protected text(): string {
    const n = this.uint();
    if (this.pos + n > this.buf.length) throw new Error(`damaged ${this.what} (truncated)`);
    const t = Buffer.from(this.buf.buffer, this.buf.byteOffset + this.pos, n).toString('utf8');
    this.pos += n;
    return t;
  }

  protected value(): Value | null {
    switch (this.byte()) {
      case T_NULL:
        return null;
      case T_FALSE:
        return false;
      case T_TRUE:
        return true;
      case T_NUMBER:
        return this.num();
      case T_TEXT:
        return this.text();
      case T_TEXTS:
        return this.texts();
      default:
        throw new Error(`damaged ${this.what} (unknown value tag)`);
    }
  }

  protected values(): (Value | null)[] {
    return this.list(() => this.value());
  }
}
