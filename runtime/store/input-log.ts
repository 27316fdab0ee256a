// The input log of the durable runtime: between two checkpoints, a unit of work writes the inputs it
// applied (validated events, clock advances, holdout changes) instead of the lead states they changed.
// The engine is deterministic, so replaying the log over the last checkpoint's states gives back the same
// states, timers, processed ids and action ids; the actions themselves were written to the outbox with the
// log, in the same transaction, so a replay discards them.
//
// Why: a batch touches leads at random, so writing the state of every touched lead at every commit cost
// ~9 µs per event (encoding + SQLite); an input is ~40 bytes written once. The states are written at a
// checkpoint (every `checkpointEvery` inputs, and on close), each changed lead once.
//
// Layout of a unit's inputs: 'I' 1, then per input a tag byte and its fields (bytes.ts primitives):
// event: lead, at, id (a value: null or text), type, fields (values; a missing one is null);
// profile: lead, at, id, then a varint count of (attribute slot, value) pairs; advance: t (any number);
// holdout: lead, journey, on (a value).
import type { InputObserver, Runtime } from '../engine/runtime.js';
import type { LeadEvent } from '../engine/events.js';
import type { Value } from '../engine/state.js';
import { ByteReader, ByteWriter } from './bytes.js';

const MAGIC = 0x49; // 'I'
const VERSION = 1;
const EVENT = 1;
const PROFILE = 2;
const ADVANCE = 3;
const HOLDOUT = 4;

/** The inputs of the unit of work in progress (written by `take`). */
export class InputLog extends ByteWriter implements InputObserver {
  private count = 0;

  event(ev: LeadEvent): void {
    if (this.pos === 0) this.start();
    this.count++;
    // The values are the validated, normalised ones.
    this.byte(ev.profile !== null ? PROFILE : EVENT);
    this.text(ev.lead);
    this.num(ev.at);
    this.value(ev.id);
    if (ev.profile !== null) {
      const p = ev.profile;
      this.uint(p.length);
      for (let i = 0; i < p.length; i++) {
        this.uint(p[i]![0]);
        this.value(p[i]![1]);
      }
      return;
    }
    this.text(ev.type);
    this.values(ev.fields);
  }
  advance(t: number): void {
    if (this.pos === 0) this.start();
    this.count++;
    this.byte(ADVANCE);
    this.num(t);
  }
  holdout(lead: string, journey: string, on: boolean): void {
    if (this.pos === 0) this.start();
    this.count++;
    this.byte(HOLDOUT);
    this.text(lead);
    this.text(journey);
    this.value(on);
  }

  private start(): void {
    this.byte(MAGIC);
    this.byte(VERSION);
  }

  /** Inputs since the last `take` or `clear`. */
  get size(): number {
    return this.count;
  }
  /** The inputs since the last call (a view, valid until the next input), and forgets them. */
  take(): Buffer {
    const bytes = this.view();
    this.clear();
    return bytes;
  }
  clear(): void {
    this.reset();
    this.count = 0;
  }
}

class InputReader extends ByteReader {
  constructor(buf: Uint8Array) {
    super(buf, 'input log');
  }

  /** Applies every input to `rt`; returns how many. */
  replay(rt: Runtime): number {
    if (this.buf[0] !== MAGIC || this.buf[1] !== VERSION) throw new Error(`not a nurture input log (binary, version ${VERSION})`);
    this.pos = 2;
    let n = 0;
    for (; !this.done; n++) {
      const tag = this.byte();
      if (tag === ADVANCE) {
        rt.advanceTo(this.num());
        continue;
      }
      const lead = this.text();
      if (tag === HOLDOUT) {
        rt.setHoldout(lead, this.text(), this.value() === true);
        continue;
      }
      const at = this.num();
      const id = this.value();
      if (id !== null && typeof id !== 'string') throw new Error('damaged input log (event id)');
      // What the engine trusts in a validated event is checked against the plan: a log damaged into
      // well-formed bytes is still refused, never applied.
      const ix = rt.index;
      if (tag === PROFILE) {
        const profile = this.list((): [number, Value | null] => [this.uint(), this.value()]);
        if (profile.some(([slot]) => slot >= ix.attrNames.length)) throw new Error('damaged input log (attribute slot)');
        rt.ingestValidated({ lead, type: 'profile', at, id, fields: [], profile });
      } else if (tag === EVENT) {
        const type = this.text();
        const ev = ix.events.get(type);
        if (ev === undefined) throw new Error(`damaged input log (event type ${JSON.stringify(type)} is not in the plan)`);
        const fields = this.list(() => this.value() ?? undefined);
        if (fields.length !== ev.fieldNames.length) throw new Error(`damaged input log (fields of ${type})`);
        rt.ingestValidated({ lead, type: ev.name, at, id, fields, profile: null });
      } else throw new Error(`damaged input log (unknown input ${tag})`);
    }
    return n;
  }
}

/**
 * Applies the inputs `bytes` (written by `InputLog.take`) to `rt`, a runtime on the plan they were logged
 * with. Returns how many were applied.
 */
export function replayInputs(rt: Runtime, bytes: Uint8Array): number {
  return new InputReader(bytes).replay(rt);
}
