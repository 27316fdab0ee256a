// IANA time zone names, as known to the JavaScript runtime (the same one the nurture runtime uses).
import { closest } from '../grammar/suggest.js';

let canonical: Set<string> | undefined;

function zones(): Set<string> {
  canonical ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);
  return canonical;
}

export type TimezoneCheck = { valid: true } | { valid: false; suggestion?: string };

/**
 * Valid: a canonical IANA name, `UTC`, or an alias the runtime accepts (`Europe/Kiev`, `US/Eastern`)
 * spelled with the right letter case. `europe/paris` is invalid (suggesting `Europe/Paris`): time
 * zone names are case-sensitive in the plan's consumers.
 */
export function checkTimezoneName(name: string): TimezoneCheck {
  // The list (~3 ms) first: the first DateTimeFormat of a process loads locale data (~25 ms).
  const known = zones();
  if (known.has(name)) return { valid: true };
  let resolved: string | undefined;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    resolved = undefined;
  }
  if (resolved !== undefined && !isCaseVariant(name, known)) return { valid: true };
  const suggestion = closest(name, known, Math.max(3, Math.floor(name.length / 3)));
  return { valid: false, suggestion };
}

function isCaseVariant(name: string, known: Set<string>): boolean {
  const lower = name.toLowerCase();
  for (const zone of known) if (zone.toLowerCase() === lower) return true;
  return false;
}
