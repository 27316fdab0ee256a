// Text of the HTML report: escaping, numbers, and dates as a reader writes them ("12 Mar 2026") in the
// workspace's time zone (the plan's `timezone`), never raw UTC timestamps.
import { DAY, formatDate, localDay, localMinute, parseDate, weekdayOfDay } from '../engine/time.js';

export const esc = (s: unknown): string =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
export const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
export const num = (x: number | null): string => (x === null ? '—' : Number.isInteger(x) ? String(x) : x.toFixed(2));
/** Points with their sign: `+12.3`, `−4.0` (a real minus sign). */
export const pts = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(1)}`;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** An epoch day as `12 Mar 2026` (or `12 Mar` without the year). */
export function dayText(day: number, withYear = true): string {
  const d = new Date(day * DAY);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}${withYear ? ` ${d.getUTCFullYear()}` : ''}`;
}

/** An ISO instant as its local day (epoch day) in `zone`, or null when it is not a date. */
export function instantDay(zone: string, iso: string | null | undefined): number | null {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? null : localDay(zone, t);
}

/** An ISO instant as `12 Mar 2026, 09:10` in `zone` (`—` when missing or not a date). */
export function instantText(zone: string, iso: string | null | undefined): string {
  const t = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(t)) return '—';
  const m = localMinute(zone, t);
  return `${dayText(localDay(zone, t))}, ${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** The Monday (epoch day) of the ISO week holding epoch day `day`. */
export const mondayOf = (day: number): number => day - (weekdayOfDay(day) - 1);

/** A `YYYY-MM-DD` date (a week's key) as an epoch day, or null. */
export const dateDay = (s: string): number | null => parseDate(s);
export { formatDate };
