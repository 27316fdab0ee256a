// Input events (LANGUAGE.md 8.1): validation and normalisation. An event is
// `{"lead", "type", "at", "data"?, "id"?}`; `at` must carry a UTC offset; `type: "profile"` sets
// attributes. Every problem is reported as a sentence; nothing here throws.
import type { PlanIndex } from './plan-index.js';
import type { Value } from './state.js';
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

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `the text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

/** Checks a value against an attribute/field type: the normalised value, or `undefined` when it does not fit. */
export function checkValue(ix: PlanIndex, type: string, members: string[] | null, v: unknown): Value | undefined {
  switch (type) {
    case 'text':
      return typeof v === 'string' ? v : undefined;
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
    case 'bool':
      return typeof v === 'boolean' ? v : undefined;
    case 'date': {
      const d = typeof v === 'string' ? parseDate(v) : null;
      return d === null ? undefined : d;
    }
    case 'textList':
      return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v.slice() as string[]) : undefined;
    case 'enum':
      return typeof v === 'string' && members!.includes(v) ? v : undefined;
    case 'content':
      return typeof v === 'string' && ix.contentSlot.has(v) ? v : undefined;
    case 'channel':
      return typeof v === 'string' && ix.channels.includes(v) ? v : undefined;
    case 'topic':
      return typeof v === 'string' && ix.topics.includes(v) ? v : undefined;
    default:
      return undefined;
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
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, reason: `an event must be a JSON object, not ${describe(raw)}`, lead: null, id: null };
  }
  const o = raw as Record<string, unknown>;
  const leadRaw = o.lead; // lead, type, at, data, id are not Object.prototype properties
  const lead = typeof leadRaw === 'string' && leadRaw.length > 0 ? leadRaw : null;
  const idRaw = o.id;
  const id = typeof idRaw === 'string' && idRaw.length > 0 ? idRaw : null;
  const fail = (reason: string): ValidatedEvent => ({ ok: false, reason, lead, id });
  if (leadRaw === undefined) return fail('missing "lead" (the lead id)');
  if (lead === null) return fail(`"lead" must be a non-empty text, not ${describe(leadRaw)}`);
  if (idRaw !== undefined && idRaw !== null && id === null) return fail(`"id" must be a non-empty text, not ${describe(idRaw)}`);
  for (const k in o) {
    if (k !== 'lead' && k !== 'type' && k !== 'at' && k !== 'data' && k !== 'id' && Object.hasOwn(o, k)) return fail(`unknown property ${JSON.stringify(k)}; an event has lead, type, at, data and id`);
  }
  const typeRaw = o.type;
  if (typeRaw === undefined) return fail('missing "type" (the event name)');
  if (typeof typeRaw !== 'string') return fail(`"type" must be text, not ${describe(typeRaw)}`);
  const atRaw = o.at;
  if (atRaw === undefined) return fail('missing "at" (an ISO 8601 date-time with offset)');
  if (typeof atRaw !== 'string') return fail(`"at" must be an ISO 8601 date-time text with offset, not ${describe(atRaw)}`);
  const at = parseInstant(atRaw);
  if (typeof at === 'string') return fail(at);
  const dataRaw = o.data;
  if (dataRaw !== undefined && dataRaw !== null && (typeof dataRaw !== 'object' || Array.isArray(dataRaw))) {
    return fail(`"data" must be an object, not ${describe(dataRaw)}`);
  }
  const data = (dataRaw ?? {}) as Record<string, unknown>;

  if (typeRaw === 'profile') {
    const profile: [number, Value | null][] = [];
    for (const k of Object.keys(data)) {
      const slot = ix.attrSlot.get(k);
      if (slot === undefined) {
        return fail(`profile: ${JSON.stringify(k)} is not a declared lead attribute${k === 'stage' ? ' (the stage is set by the plan, not by profile events)' : ''}`);
      }
      const v = data[k];
      if (v === null) {
        profile.push([slot, null]);
        continue;
      }
      const t = ix.attrTypes[slot]!;
      const r = checkValue(ix, t.type, t.members, v);
      if (r === undefined) return fail(`profile: attribute ${JSON.stringify(k)} must be ${expectedOf(t.type, t.members)}, not ${describe(v)}`);
      profile.push([slot, r]);
    }
    return { ok: true, event: { lead, type: 'profile', at, id, fields: [], profile } };
  }

  const ev = ix.events.get(typeRaw);
  if (ev === undefined) {
    return fail(`event type ${JSON.stringify(typeRaw)} is not declared in the plan`);
  }
  const fields: (Value | undefined)[] = new Array(ev.fields.length);
  for (const k in data) {
    if (!Object.hasOwn(data, k)) continue;
    const pos = ev.fieldPos.get(k);
    if (pos === undefined) {
      return fail(`event ${typeRaw} has no field ${JSON.stringify(k)}${ev.fields.length ? ` (fields: ${ev.fields.map((f) => f.name).join(', ')})` : ''}`);
    }
    const v = data[k];
    if (v === null) continue;
    const f = ev.fields[pos]!;
    const r = checkValue(ix, f.type, f.members, v);
    if (r === undefined) return fail(`event ${typeRaw}: field ${JSON.stringify(k)} must be ${expectedOf(f.type, f.members)}, not ${describe(v)}`);
    fields[pos] = r;
  }
  return { ok: true, event: { lead, type: typeRaw, at, id, fields, profile: null } };
}
