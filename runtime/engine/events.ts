// Input events (LANGUAGE.md 8.1): validation and normalisation. An event is
// `{"lead", "type", "at", "data"?, "id"?}`; `at` must carry a UTC offset; `type: "profile"` sets
// attributes. Every problem is reported as a sentence; nothing here throws.
import type { EventIx, PlanIndex } from './plan-index.js';
import type { Value } from './state.js';
import { internalize } from './intern.js';
import { formatDate, parseDate, parseInstant } from './time.js';

/** A validated, normalised event. */
export interface LeadEvent {
  lead: string;
  type: string;
  /** Epoch ms. */
  at: number;
  id: string | null;
  /** For a behavioural event: values by field position of its type (`undefined` = missing). */
  fields: (Value | undefined)[];
  /** For `profile`: [attribute slot, value or null (= unset)] pairs. */
  profile: [number, Value | null][] | null;
}

export type ValidatedEvent =
  | { ok: true; event: LeadEvent }
  | { ok: false; reason: string; lead: string | null; id: string | null };

/**
 * Is `s` valid Unicode (no unpaired surrogate)? Texts are stored and written as UTF-8, where an unpaired
 * surrogate cannot be kept: such a text is refused at the door, for every store alike. (O(1) for the
 * usual one-byte strings.)
 */
function wellFormed(s: string): boolean {
  return (s as unknown as { isWellFormed(): boolean }).isWellFormed();
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return v.some((x) => typeof x === 'string' && !wellFormed(x)) ? 'a list with a text that is not valid Unicode (unpaired surrogate)' : 'a list';
  if (typeof v === 'string' && !wellFormed(v)) return 'a text that is not valid Unicode (unpaired surrogate)';
  if (typeof v === 'string') return `the text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

/** Checks a value against one attribute/field type: the normalised value, or `undefined` when it does not fit. */
export type ValueCheck = (v: unknown) => Value | undefined;

const checkText: ValueCheck = (v) => (typeof v === 'string' && wellFormed(v) ? v : undefined);
const checkNumber: ValueCheck = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const checkBool: ValueCheck = (v) => (typeof v === 'boolean' ? v : undefined);
const checkDate: ValueCheck = (v) => {
  const d = typeof v === 'string' ? parseDate(v) : null;
  return d === null ? undefined : d;
};
const checkTextList: ValueCheck = (v) => (Array.isArray(v) && v.every((x) => typeof x === 'string' && wellFormed(x)) ? (v.slice() as string[]) : undefined);
const checkNothing: ValueCheck = () => undefined;

function memberOf(names: string[]): ValueCheck {
  return (v) => {
    if (typeof v !== 'string') return undefined;
    const i = names.indexOf(v);
    return i < 0 ? undefined : names[i];
  };
}

/** The check of a type, chosen once (the plan index keeps one per attribute and event field). */
export function valueCheck(ix: Pick<PlanIndex, 'contentSlot' | 'channels' | 'topics'>, type: string, members: string[] | null): ValueCheck {
  switch (type) {
    case 'text':
      return checkText;
    case 'number':
      return checkNumber;
    case 'bool':
      return checkBool;
    case 'date':
      return checkDate;
    case 'textList':
      return checkTextList;
    // A name is kept as the plan's own (internalised) string: compared by pointer from then on, and
    // shared by every lead that has it.
    case 'enum':
      return memberOf(members!.map(internalize));
    case 'content':
      return memberOf([...ix.contentSlot.keys()].map(internalize));
    case 'channel':
      return memberOf(ix.channels.map(internalize));
    case 'topic':
      return memberOf(ix.topics.map(internalize));
    default:
      return checkNothing;
  }
}

/** What a type expects, in words (for rejection reasons). */
export function expectedOf(type: string, members: string[] | null): string {
  switch (type) {
    case 'text':
      return 'text';
    case 'number':
      return 'a number';
    case 'bool':
      return 'true or false';
    case 'date':
      return 'a date "YYYY-MM-DD"';
    case 'textList':
      return 'a list of text';
    case 'enum':
      return `one of ${members!.join(', ')}`;
    default:
      return `the name of a declared ${type}`;
  }
}

/** A value as the host sees it (dates back to "YYYY-MM-DD"). */
export function externalValue(ix: PlanIndex, attr: number, v: Value | null | undefined): Value | null {
  if (v === null || v === undefined) return null;
  return ix.attrTypes[attr]!.type === 'date' && typeof v === 'number' ? formatDate(v) : v;
}

export function validateEvent(ix: PlanIndex, raw: unknown): ValidatedEvent {
  const r = readEvent(ix, raw, null);
  return r instanceof Rejection ? { ok: false, reason: r.reason, lead: r.lead, id: r.id } : { ok: true, event: r };
}

/** Why an event was rejected (what `readEvent` gives instead of an event). */
export class Rejection {
  constructor(
    readonly reason: string,
    readonly lead: string | null,
    readonly id: string | null,
  ) {}
}

function failure(reason: string, lead: string | null, id: string | null): Rejection {
  return new Rejection(reason, lead, id);
}

/**
 * A reusable event for `readEvent`: a host that applies each event before reading the next one reads
 * them all into the same object (and the same fields list per event type), allocating nothing per event.
 */
export class EventScratch {
  readonly event: LeadEvent = { lead: '', type: '', at: 0, id: null, fields: [], profile: null };
  private fields: (Value | undefined)[][] = [];

  /** The fields list of event type `ev`, cleared. */
  fieldsOf(ev: EventIx): (Value | undefined)[] {
    let f = this.fields[ev.index];
    if (f === undefined) this.fields[ev.index] = f = new Array<Value | undefined>(ev.fieldNames.length);
    else for (let i = 0; i < f.length; i++) f[i] = undefined; // a few fields: cheaper than `fill`
    return f;
  }
}

/** `validateEvent` without the result wrapper; into `scratch` (see `EventScratch`) when given. */
export function readEvent(ix: PlanIndex, raw: unknown, scratch: EventScratch | null): LeadEvent | Rejection {
  try {
    return readObject(ix, raw, scratch);
  } catch (e) {
    // Not from JSON: a host's object whose getter or proxy throws. Rejected like any bad event.
    return failure(`the event could not be read: ${e instanceof Error ? e.message : describe(e)}`, null, null);
  }
}

function readObject(ix: PlanIndex, raw: unknown, scratch: EventScratch | null): LeadEvent | Rejection {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return failure(`an event must be a JSON object, not ${describe(raw)}`, null, null);
  }
  const o = raw as Record<string, unknown>;
  const leadRaw = o.lead; // lead, type, at, data, id are not Object.prototype properties
  const lead = typeof leadRaw === 'string' && leadRaw.length > 0 && wellFormed(leadRaw) ? leadRaw : null;
  const idRaw = o.id;
  const id = typeof idRaw === 'string' && idRaw.length > 0 && wellFormed(idRaw) ? idRaw : null;
  if (leadRaw === undefined) return failure('missing "lead" (the lead id)', lead, id);
  if (lead === null) return failure(`"lead" must be a non-empty text, not ${describe(leadRaw)}`, lead, id);
  if (idRaw !== undefined && idRaw !== null && id === null) return failure(`"id" must be a non-empty text, not ${describe(idRaw)}`, lead, id);
  for (const k in o) {
    if (k !== 'lead' && k !== 'type' && k !== 'at' && k !== 'data' && k !== 'id' && Object.hasOwn(o, k)) {
      return failure(`unknown property ${JSON.stringify(k)}; an event has lead, type, at, data and id`, lead, id);
    }
  }
  const typeRaw = o.type;
  if (typeRaw === undefined) return failure('missing "type" (the event name)', lead, id);
  if (typeof typeRaw !== 'string') return failure(`"type" must be text, not ${describe(typeRaw)}`, lead, id);
  const atRaw = o.at;
  if (atRaw === undefined) return failure('missing "at" (an ISO 8601 date-time with offset)', lead, id);
  if (typeof atRaw !== 'string') return failure(`"at" must be an ISO 8601 date-time text with offset, not ${describe(atRaw)}`, lead, id);
  const at = parseInstant(atRaw);
  if (typeof at === 'string') return failure(at, lead, id);
  const dataRaw = o.data;
  if (dataRaw !== undefined && dataRaw !== null && (typeof dataRaw !== 'object' || Array.isArray(dataRaw))) {
    return failure(`"data" must be an object, not ${describe(dataRaw)}`, lead, id);
  }
  const data = (dataRaw ?? NO_DATA) as Record<string, unknown>;

  if (typeRaw === 'profile') {
    const profile: [number, Value | null][] = [];
    for (const k of Object.keys(data)) {
      const slot = ix.attrSlot.get(k);
      if (slot === undefined) {
        return failure(`profile: ${JSON.stringify(k)} is not a declared lead attribute${k === 'stage' ? ' (the stage is set by the plan, not by profile events)' : ''}`, lead, id);
      }
      const v = data[k];
      if (v === null) {
        profile.push([slot, null]);
        continue;
      }
      const r = ix.attrChecks[slot]!(v);
      if (r === undefined) {
        const t = ix.attrTypes[slot]!;
        return failure(`profile: attribute ${JSON.stringify(k)} must be ${expectedOf(t.type, t.members)}, not ${describe(v)}`, lead, id);
      }
      profile.push([slot, r]);
    }
    return made(scratch, lead, 'profile', at, id, NO_FIELDS, profile);
  }

  const ev = ix.events.get(typeRaw);
  if (ev === undefined) {
    return failure(`event type ${JSON.stringify(typeRaw)} is not declared in the plan`, lead, id);
  }
  const names = ev.fieldNames;
  const fields: (Value | undefined)[] = scratch === null ? new Array(names.length) : scratch.fieldsOf(ev);
  for (const k in data) {
    if (!Object.hasOwn(data, k)) continue;
    // A few fields per event: comparing the names beats hashing them.
    let pos = names.length - 1;
    while (pos >= 0 && names[pos] !== k) pos--;
    if (pos < 0) {
      return failure(`event ${typeRaw} has no field ${JSON.stringify(k)}${ev.fields.length ? ` (fields: ${ev.fields.map((f) => f.name).join(', ')})` : ''}`, lead, id);
    }
    const v = data[k];
    if (v === null) continue;
    const r = ev.checks[pos]!(v);
    if (r === undefined) {
      const f = ev.fields[pos]!;
      return failure(`event ${typeRaw}: field ${JSON.stringify(k)} must be ${expectedOf(f.type, f.members)}, not ${describe(v)}`, lead, id);
    }
    fields[pos] = r;
  }
  return made(scratch, lead, ev.name, at, id, fields, null);
}

function made(scratch: EventScratch | null, lead: string, type: string, at: number, id: string | null, fields: (Value | undefined)[], profile: [number, Value | null][] | null): LeadEvent {
  if (scratch === null) return { lead, type, at, id, fields, profile };
  const e = scratch.event;
  e.lead = lead;
  e.type = type;
  e.at = at;
  e.id = id;
  e.fields = fields;
  e.profile = profile;
  return e;
}

const NO_DATA: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;
/** The (empty, never written) fields of a profile event. */
const NO_FIELDS: (Value | undefined)[] = Object.freeze([]) as unknown as (Value | undefined)[];
