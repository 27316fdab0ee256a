// Time zones and calendar arithmetic for the runtime: UTC offsets from `Intl.DateTimeFormat`, cached
// per zone and per 15-minute bucket (offsets only change at transitions, which real zones place on
// quarter hours), local minute-of-day and ISO weekday, local wall time → instant, dates as epoch days.

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
/** The last instant a Date can hold (year 275760): a timer due later is never due (the runtime drops it). */
export const MAX_INSTANT = 8.64e15;
const BUCKET = 15 * MINUTE;

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, Map<number, number>>();
const validZones = new Map<string, boolean>();

/** Is `zone` an IANA time zone this host knows? Cached. */
export function isValidZone(zone: string): boolean {
  let ok = validZones.get(zone);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      ok = zone.length > 0;
    } catch {
      ok = false;
    }
    if (validZones.size > 10_000) validZones.clear();
    validZones.set(zone, ok);
  }
  return ok;
}

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(zone, f);
  }
  return f;
}

function computeOffset(zone: string, t: number): number {
  const parts = formatter(zone).formatToParts(new Date(t));
  let y = 0;
  let mo = 1;
  let d = 1;
  let h = 0;
  let mi = 0;
  let s = 0;
  let bc = false;
  for (const p of parts) {
    switch (p.type) {
      case 'year':
        y = +p.value;
        break;
      case 'month':
        mo = +p.value;
        break;
      case 'day':
        d = +p.value;
        break;
      case 'hour':
        h = +p.value % 24;
        break;
      case 'minute':
        mi = +p.value;
        break;
      case 'second':
        s = +p.value;
        break;
      case 'era':
        bc = p.value.startsWith('B');
        break;
      default:
        break;
    }
  }
  if (bc) y = 1 - y;
  const local = new Date(0);
  local.setUTCFullYear(y, mo - 1, d); // also right for years 0–99, unlike Date.UTC
  local.setUTCHours(h, mi, s, 0);
  return local.getTime() - Math.floor(t / 1000) * 1000;
}

/** The zone's UTC offset at instant `t`, in ms (local wall time = t + offset). */
export function zoneOffset(zone: string, t: number): number {
  if (zone === 'UTC' || zone === 'Etc/UTC') return 0;
  let cache = offsets.get(zone);
  if (!cache) {
    cache = new Map();
    offsets.set(zone, cache);
  }
  // Per UTC day: when the offsets at both ends of the day agree, the whole day has that offset
  // (zones change offset at most once a day); otherwise fall back to 15-minute buckets that day.
  const day = Math.floor(t / DAY);
  let off = cache.get(day);
  if (off === undefined) {
    const a = computeOffset(zone, day * DAY);
    const b = computeOffset(zone, day * DAY + DAY - 1000);
    off = a === b ? a : NaN;
    if (cache.size > 200_000) cache.clear();
    cache.set(day, off);
  }
  if (off === off) return off;
  const key = -1 - Math.floor(t / BUCKET); // negative keys: buckets of a transition day
  let b = cache.get(key);
  if (b === undefined) {
    b = computeOffset(zone, Math.floor(t / BUCKET) * BUCKET);
    cache.set(key, b);
  }
  return b;
}

/** Local epoch day (days since 1970-01-01 in the zone's wall calendar) of instant `t`. */
export function localDay(zone: string, t: number): number {
  return Math.floor((t + zoneOffset(zone, t)) / DAY);
}

/** Local minute of the day (0–1439) of instant `t`. */
export function localMinute(zone: string, t: number): number {
  const local = t + zoneOffset(zone, t);
  return Math.floor((local - Math.floor(local / DAY) * DAY) / MINUTE);
}

/** ISO weekday (1 = Monday … 7 = Sunday) of an epoch day. 1970-01-01 was a Thursday. */
export function weekdayOfDay(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/**
 * The instant at which the zone's wall clock shows `minute` on local day `day`. A wall time that does
 * not exist (skipped by a DST transition) maps to the instant the clock jumps over it (the same number
 * of minutes after the transition); an ambiguous one (repeated) maps to its first occurrence.
 */
export function localToInstant(zone: string, day: number, minute: number): number {
  const wall = day * DAY + minute * MINUTE;
  if (zone === 'UTC' || zone === 'Etc/UTC') return wall;
  // Try the offsets in force a day either side; keep the earliest consistent instant.
  const o1 = zoneOffset(zone, wall - DAY);
  const o2 = zoneOffset(zone, wall + DAY);
  let best = Number.POSITIVE_INFINITY;
  for (const o of o1 === o2 ? [o1] : [o1, o2]) {
    const t = wall - o;
    if (zoneOffset(zone, t) === o && t < best) best = t;
  }
  if (best !== Number.POSITIVE_INFINITY) return best;
  // In a gap: use the offset before the transition, which lands after it.
  return wall - Math.min(o1, o2);
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `"2026-01-05"` → epoch day, or `null` when not a valid calendar date. */
export function parseDate(s: string): number | null {
  const m = DATE_RE.exec(s);
  if (!m) return null;
  const y = +m[1]!;
  const mo = +m[2]!;
  const d = +m[3]!;
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  return Date.UTC(y, mo - 1, d) / DAY;
}

/** Epoch day → `"2026-01-05"`. */
export function formatDate(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
export function daysInMonth(y: number, mo: number): number {
  if (mo === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0)) return 29;
  return MONTH_DAYS[mo - 1]!;
}

/** Epoch day of (year, month 1–12, day), the day clamped to the month (Feb 29 → Feb 28). */
export function dayOf(y: number, mo: number, d: number): number {
  return Date.UTC(y, mo - 1, Math.min(d, daysInMonth(y, mo))) / DAY;
}

/** [year, month 1–12, day] of an epoch day. */
export function ymd(day: number): [number, number, number] {
  const dt = new Date(day * DAY);
  return [dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate()];
}

// `2026-01-05T09:00:00+01:00`, `2026-01-05T09:00Z`, with optional seconds and fraction. An offset is required.
const INSTANT_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|z|[+-]\d{2}:?\d{2})$/;

/**
 * Parses an ISO 8601 date-time that carries an offset. Returns epoch ms, or a reason.
 */
export function parseInstant(s: string): number | string {
  const fast = fastInstant(s);
  if (fast === fast) return fast;
  const m = INSTANT_RE.exec(s);
  if (!m) {
    if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s)) {
      return `timestamp ${JSON.stringify(s)} has no UTC offset (add "Z" or e.g. "+01:00")`;
    }
    return `timestamp ${JSON.stringify(s)} is not an ISO 8601 date-time with offset (e.g. "2026-01-05T09:00:00+01:00")`;
  }
  const y = +m[1]!;
  const mo = +m[2]!;
  const d = +m[3]!;
  const h = +m[4]!;
  const mi = +m[5]!;
  const sec = m[6] === undefined ? 0 : +m[6];
  const frac = m[7] === undefined ? 0 : Math.floor(+m[7] * 1000);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || sec > 59) {
    return `timestamp ${JSON.stringify(s)} is not a valid date-time`;
  }
  let offset = 0;
  const z = m[8]!;
  if (z !== 'Z' && z !== 'z') {
    const sign = z[0] === '-' ? -1 : 1;
    const digits = z.slice(1).replace(':', '');
    const oh = +digits.slice(0, 2);
    const om = +digits.slice(2, 4);
    if (oh > 23 || om > 59) return `timestamp ${JSON.stringify(s)} has an invalid offset`;
    offset = sign * (oh * 60 + om) * MINUTE;
  }
  return Date.UTC(y, mo - 1, d, h, mi, sec, frac) - offset;
}

/** A duration in words, for audit texts: `7 days`, `1 day`, `2 hours`, `90 minutes`, `1500 ms`. */
export function formatDuration(ms: number): string {
  const unit = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  if (ms % DAY === 0) {
    const d = ms / DAY;
    if (d % 7 === 0 && d >= 7) return unit(d / 7, 'week');
    return unit(d, 'day');
  }
  if (ms % HOUR === 0) return unit(ms / HOUR, 'hour');
  if (ms % MINUTE === 0) return unit(ms / MINUTE, 'minute');
  return `${ms} ms`;
}

/** `HH:MM` of a minute of the day. */
export function formatMinute(m: number): string {
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** Days before each month (non-leap year). */
const CUM_DAYS = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

function digits(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(i + k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * The common shape `YYYY-MM-DDTHH:MM:SS[.sss](Z|±HH:MM)` parsed without a regex or a Date; NaN for
 * anything else (the general parser then decides).
 */
function fastInstant(s: string): number {
  const n = s.length;
  if (n < 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return NaN;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  const sec = digits(s, 17, 2);
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return NaN;
  if (d > daysInMonth(y, mo)) return NaN;
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 46) {
    ms = digits(s, 20, 3);
    if (ms < 0) return NaN;
    i = 23;
  }
  let offset = 0;
  const z = s.charCodeAt(i);
  if (z === 90 && i + 1 === n) offset = 0;
  else if ((z === 43 || z === 45) && i + 6 === n && s.charCodeAt(i + 3) === 58) {
    const oh = digits(s, i + 1, 2);
    const om = digits(s, i + 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return NaN;
    offset = (z === 45 ? -1 : 1) * (oh * 60 + om) * MINUTE;
  } else return NaN;
  const leap = mo > 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0) ? 1 : 0;
  const yy = y - 1;
  const days = (y - 1970) * 365 + (Math.floor(yy / 4) - Math.floor(yy / 100) + Math.floor(yy / 400) - 477) + CUM_DAYS[mo - 1]! + leap + d - 1;
  return days * DAY + h * HOUR + mi * MINUTE + sec * 1000 + ms - offset;
}
