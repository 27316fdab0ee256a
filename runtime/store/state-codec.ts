// The binary form of a lead state in the SQLite store. JSON (state.ts) spells every field name and
// prints 13-digit timestamps as text: ~450 bytes and ~7 µs per state to write, which is what the store
// paid per touched lead and per batch. Here a state is a byte string of varints (integers, zigzag) with
// a float64 escape for the rest: ~100 bytes, well under a microsecond.
//
// Layout (version 1): 'N' 1, then the fields of `LeadState` in declaration order except `v`, `id` and
// `plan` (the row's own columns), with the primitives of bytes.ts (numbers, lists, values, texts).
// Journeys: 0 for null, else 1 and their ten fields.
import type { JourneyState, LeadState } from '../engine/state.js';
import { X_C, X_F, X_LATE, X_MS, X_N, X_ST, X_T0, type Lead } from '../engine/lead.js';
import type { PlanIndex } from '../engine/plan-index.js';
import { ByteReader, ByteWriter } from './bytes.js';

const MAGIC = 0x4e; // 'N'
const VERSION = 1;

/** Writes states into one growing buffer (reused: the store copies each encoded state into SQLite). */
export class StateWriter extends ByteWriter {
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
    this.slots(x, L.eg, L.eg + L.rules);
    this.slots(x, L.ea, L.ea + L.rules);
    this.slots(x, L.ed, L.ed + L.rules);
    // LeadState.rh, from the rules' windows in x (lead.ts): the same bytes as a list of lists
    this.uint(L.rh.length);
    for (let slot = 0; slot < L.rh.length; slot++) this.slots(x, L.rh[slot]! + 1, L.rh[slot]! + 1 + x[L.rh[slot]!]!);
    this.slots(x, L.tm, L.tm + L.thresholds);
    this.slots(x, L.em, L.em + L.entriesWhen);
    this.slots(x, L.hc, L.hc + L.tracked);
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
    this.slots(x, L.de, L.de + L.dateEntries);
    this.nums(l.ps);
    this.nums(l.hf);
    this.num(x[X_N]!);
    this.num(x[X_F]!);
    this.num(x[X_LATE]!);
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

class Reader extends ByteReader {
  constructor(buf: Uint8Array) {
    super(buf, 'state');
  }

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

  private journey(): JourneyState | null {
    if (this.byte() === 0) return null;
    return { a: this.num(), s: this.num(), w: this.num(), d: this.num(), o: this.num(), e: this.num(), n: this.num(), c: this.num(), h: this.num(), r: this.nums() };
  }
}
