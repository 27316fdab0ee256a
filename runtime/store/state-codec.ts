// The binary form of a lead state in the SQLite store. JSON (state.ts) spells every field name and
// prints 13-digit timestamps as text: ~450 bytes and ~7 µs per state to write, which is what the store
// paid per touched lead and per batch. Here a state is a byte string of varints (integers, zigzag) with
// a float64 escape for the rest: ~100 bytes, well under a microsecond.
//
// Layout (version 1): 'N' 1, then the fields of `LeadState` in declaration order except `v`, `id` and
// `plan` (the row's own columns). Numbers: varint of 2·zigzag(n) for safe integers below 2^48, else 1
// followed by a float64 (LE). Lists: varint length then items. Values (attributes, history cells):
// a tag byte (null, false, true, number, text, list of text) then the value. Texts: varint byte length,
// UTF-8. Journeys: 0 for null, else 1 and their ten fields.
import type { JourneyState, LeadState, Value } from '../engine/state.js';
import { X_C, X_F, X_LATE, X_MS, X_N, X_ST, X_T0, type Lead } from '../engine/lead.js';
import type { PlanIndex } from '../engine/plan-index.js';

const MAGIC = 0x4e; // 'N'
const VERSION = 1;
const INT_LIMIT = 2 ** 48;

const T_NULL = 0;
const T_FALSE = 1;
const T_TRUE = 2;
const T_NUMBER = 3;
const T_TEXT = 4;
const T_TEXTS = 5;

/** Writes states into one growing buffer (reused: the store copies each encoded state into SQLite). */
export class StateWriter {
  private buf = Buffer.allocUnsafe(1024);
  private pos = 0;

  /** The bytes of lead `l` (in working form, for `ix`): a view of the writer's buffer, valid until the next call. */
  encode(ix: PlanIndex, l: Lead): Buffer {
    this.pos = 0;
    this.state(ix, l);
    return this.view();
  }

  /**
   * Appends one record of a journal chunk: the state's length (uint32 LE), the state, then the lead's
   * processed event ids (a varint count and texts) — `readRecords` walks them.
   */
  record(ix: PlanIndex, l: Lead, seen: ReadonlySet<string>): void {
    this.room(4);
    const at = this.pos;
    this.pos += 4;
    this.state(ix, l);
    this.buf.writeUInt32LE(this.pos - at - 4, at);
    this.uint(seen.size);
    for (const id of seen) this.text(id);
  }

  /** What was written since `reset` (a view, valid until the next write). */
  view(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  reset(): void {
    this.pos = 0;
  }

  private state(ix: PlanIndex, l: Lead): void {
    const L = ix.layout;
    const x = l.x;
    this.byte(MAGIC);
    this.byte(VERSION);
    this.num(x[X_T0]!);
    this.num(x[X_C]!);
    this.values(l.at);
    this.num(x[X_ST]!);
    this.num(x[X_MS]!);
    this.slots(x, L.eg, L.ea);
    this.slots(x, L.ea, L.ed);
    this.slots(x, L.ed, L.tm);
    this.uint(l.rh.length);
    for (const r of l.rh) this.nums(r);
    this.slots(x, L.tm, L.em);
    this.slots(x, L.em, L.de);
    this.slots(x, L.hc, L.eg);
    this.uint(l.hr.length);
    for (const r of l.hr) this.values(r);
    this.nums(l.rc);
    this.nums(l.rx);
    this.nums(l.sl);
    this.nums(l.pl);
    this.uint(l.q.length);
    for (const q of l.q) this.text(q);
    this.uint(l.j.length);
    for (const j of l.j) this.journey(j);
    this.slots(x, L.de, L.size);
    this.nums(l.ps);
    this.nums(l.hf);
    this.num(x[X_N]!);
    this.num(x[X_F]!);
    this.num(x[X_LATE]!);
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  private byte(b: number): void {
    this.room(1);
    this.buf[this.pos++] = b;
  }

  /** An unsigned integer below 2^53, 7 bits per byte. */
  private uint(v: number): void {
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

  private num(v: number): void {
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
  private slots(x: readonly number[], from: number, to: number): void {
    this.uint(to - from);
    for (let i = from; i < to; i++) this.num(x[i]!);
  }

  private nums(list: readonly number[]): void {
    this.uint(list.length);
    for (let i = 0; i < list.length; i++) this.num(list[i]!);
  }

  private text(t: string): void {
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

  private value(v: Value | null | undefined): void {
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

  private values(list: readonly (Value | null)[]): void {
    this.uint(list.length);
    for (let i = 0; i < list.length; i++) this.value(list[i]);
  }

  private journey(j: JourneyState | null): void {
    if (j === null) {
      this.byte(0);
      return;
    }
    this.byte(1);
    this.num(j.a);
    this.num(j.s);
    this.num(j.w);
    this.num(j.d);
    this.num(j.o);
    this.num(j.e);
    this.num(j.n);
    this.num(j.c);
    this.num(j.h);
    this.nums(j.r);
  }
}

/**
 * Calls `fn(i, state, seen)` for each record of a journal chunk written by `StateWriter.record` (the
 * state's bytes are a view of `chunk`); throws on a damaged chunk.
 */
export function readRecords(chunk: Uint8Array, fn: (i: number, state: Uint8Array, seen: () => string[]) => void): void {
  const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
  const r = new Reader(buf);
  for (let i = 0; r.pos < buf.length; i++) {
    if (r.pos + 4 > buf.length) throw new Error('damaged journal chunk (truncated)');
    const n = buf.readUInt32LE(r.pos);
    const state = buf.subarray(r.pos + 4, r.pos + 4 + n);
    if (state.length !== n) throw new Error('damaged journal chunk (truncated)');
    r.pos += 4 + n;
    const from = r.pos;
    r.skipTexts();
    const next = r.pos;
    fn(i, state, () => {
      r.pos = from;
      const seen = r.texts();
      r.pos = next;
      return seen;
    });
  }
}

/** Reads a state written by `StateWriter`; throws on anything else (a damaged row). */
export function decodeState(buf: Uint8Array, id: string, plan: string): LeadState {
  return new Reader(buf).state(id, plan);
}

/** Is this a state in the binary form (rather than the JSON text of older stores)? */
export function isEncodedState(v: unknown): v is Uint8Array {
  return v instanceof Uint8Array && v.length >= 2 && v[0] === MAGIC;
}

class Reader {
  pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  state(id: string, plan: string): LeadState {
    if (this.buf[0] !== MAGIC || this.buf[1] !== VERSION) throw new Error(`not a nurture lead state (binary, version ${VERSION})`);
    this.pos = 2;
    const t0 = this.num();
    const c = this.num();
    const at = this.values();
    const st = this.num();
    const ms = this.num();
    const eg = this.nums();
    const ea = this.nums();
    const ed = this.nums();
    const rh = this.list(() => this.nums());
    const tm = this.nums();
    const em = this.nums();
    const hc = this.nums();
    const hr = this.list(() => this.values());
    const rc = this.nums();
    const rx = this.nums();
    const sl = this.nums();
    const pl = this.nums();
    const q = this.texts();
    const j = this.list(() => this.journey());
    const de = this.nums();
    const ps = this.nums();
    const hf = this.nums();
    const n = this.num();
    const f = this.num();
    const late = this.num();
    if (this.pos !== this.buf.length) throw new Error(`damaged state (${this.buf.length - this.pos} bytes too many)`);
    return { v: 1, id, plan, t0, c, at, st, ms, eg, ea, ed, rh, tm, em, hc, hr, rc, rx, sl, pl, q, j, de, ps, hf, n, f, late };
  }

  private byte(): number {
    if (this.pos >= this.buf.length) throw new Error('damaged state (truncated)');
    return this.buf[this.pos++]!;
  }

  private uint(): number {
    let v = 0;
    let scale = 1;
    for (;;) {
      const b = this.byte();
      v += (b & 127) * scale;
      if (b < 128) return v;
      scale *= 128;
      if (scale > 2 ** 56) throw new Error('damaged state (varint too long)');
    }
  }

  private num(): number {
    if (this.buf[this.pos] === 1) {
      this.pos++;
      if (this.pos + 8 > this.buf.length) throw new Error('damaged state (truncated)');
      const v = Buffer.from(this.buf.buffer, this.buf.byteOffset + this.pos, 8).readDoubleLE(0);
      this.pos += 8;
      return v;
    }
    const z = this.uint() / 2; // zigzag(v)
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  private list<T>(item: () => T): T[] {
    const n = this.uint();
    if (n > this.buf.length) throw new Error('damaged state (list too long)');
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) out[i] = item();
    return out;
  }

  private nums(): number[] {
    return this.list(() => this.num());
  }

  skipTexts(): void {
    for (let n = this.uint(); n > 0; n--) {
      const len = this.uint(); // (not `this.pos += this.uint()`: that adds to the position before the length)
      this.pos += len;
      if (this.pos > this.buf.length) throw new Error('damaged state (truncated)');
    }
  }

  texts(): string[] {
    return this.list(() => this.text());
  }

  private text(): string {
    const n = this.uint();
    if (this.pos + n > this.buf.length) throw new Error('damaged state (truncated)');
    const t = Buffer.from(this.buf.buffer, this.buf.byteOffset + this.pos, n).toString('utf8');
    this.pos += n;
    return t;
  }

  private value(): Value | null {
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
        throw new Error('damaged state (unknown value tag)');
    }
  }

  private values(): (Value | null)[] {
    return this.list(() => this.value());
  }

  private journey(): JourneyState | null {
    if (this.byte() === 0) return null;
    return { a: this.num(), s: this.num(), w: this.num(), d: this.num(), o: this.num(), e: this.num(), n: this.num(), c: this.num(), h: this.num(), r: this.nums() };
  }
}
