// Marketing pressure (LANGUAGE.md 4.13, 8.3): the earliest instant at or after `t0` at which every
// pressure rule allows a non-transactional message, and the first rule that blocked it at `t0`.
//
// Each rule is monotone ("allowed from instant X on" given the messages already sent), so the
// earliest instant is the fixpoint of pushing `t` forward rule by rule.
import type { ContentIx, PlanIndex, PressureRule } from './plan-index.js';
import type { LeadState } from './state.js';
import { localDay, localMinute, localToInstant, weekdayOfDay } from './time.js';

export interface Earliest {
  /** The earliest allowed instant, or Infinity when none within `limit`. */
  t: number;
  /** The first rule that blocked the message at `t0` (null when allowed at once). */
  rule: PressureRule | null;
}

const scratch: number[] = [];

/**
 * When can `content` go out, at or after `t0`, for this lead? Gives up (t = Infinity) past `limit`.
 * `s.pl` holds the lead's recent non-transactional sends [t, channel, topic] in time order.
 */
export function earliestAllowed(ix: PlanIndex, s: LeadState, zone: string, content: ContentIx, t0: number, limit: number): Earliest {
  const p = ix.pressure;
  const pl = s.pl;
  let t = t0;
  let first: PressureRule | null = null;
  for (let iter = 0; iter < 100; iter++) {
    let moved = false;
    const push = (e: number, rule: PressureRule): boolean => {
      if (e > t) {
        if (first === null) first = rule;
        t = e;
        moved = true;
        return t > limit;
      }
      return false;
    };
    for (const cap of p.caps) {
      if (cap.channel >= 0 && cap.channel !== content.channel) continue; // a rule on another channel
      // Messages of this scope in (t − W, t]; all logged sends are ≤ t.
      scratch.length = 0;
      const lo = t - cap.windowMs;
      for (let i = 0; i < pl.length; i += 3) {
        const at = pl[i]!;
        if (at > lo && at <= t && (cap.channel < 0 || pl[i + 1] === cap.channel)) scratch.push(at);
      }
      if (scratch.length >= cap.count) {
        // Allowed once enough of them fall out of the window: the (len − count)-th (0-based) leaves at +W.
        if (push(scratch[scratch.length - cap.count]! + cap.windowMs, cap)) return { t: Infinity, rule: first };
      }
    }
    for (const gap of p.gaps) {
      if (gap.channel >= 0 && gap.channel !== content.channel) continue;
      let last = -Infinity;
      for (let i = pl.length - 3; i >= 0; i -= 3) {
        if (pl[i]! <= t && (gap.channel < 0 || pl[i + 1] === gap.channel)) {
          last = pl[i]!;
          break;
        }
      }
      if (last + gap.gapMs > t && push(last + gap.gapMs, gap)) return { t: Infinity, rule: first };
    }
    if (content.topic >= 0) {
      for (const gap of p.topicGaps) {
        let last = -Infinity;
        for (let i = pl.length - 3; i >= 0; i -= 3) {
          if (pl[i]! <= t && pl[i + 2] === content.topic) {
            last = pl[i]!;
            break;
          }
        }
        if (last + gap.gapMs > t && push(last + gap.gapMs, gap)) return { t: Infinity, rule: first };
      }
    }
    for (const q of p.quietHours) {
      const m = localMinute(zone, t);
      const quiet = q.from < q.to ? m >= q.from && m < q.to : q.from > q.to && (m >= q.from || m < q.to);
      if (quiet) {
        const day = localDay(zone, t);
        const endDay = q.from > q.to && m >= q.from ? day + 1 : day;
        let end = localToInstant(zone, endDay, q.to);
        if (end <= t) end = t + 60_000; // a DST oddity: never stall
        if (push(end, q)) return { t: Infinity, rule: first };
      }
    }
    for (const q of p.quietDays) {
      let day = localDay(zone, t);
      if (!q.days[weekdayOfDay(day)]) continue;
      let n = 0;
      while (q.days[weekdayOfDay(day)] && n < 8) {
        day++;
        n++;
      }
      if (n >= 7) {
        if (first === null) first = q;
        return { t: Infinity, rule: first };
      }
      if (push(localToInstant(zone, day, 0), q)) return { t: Infinity, rule: first };
    }
    if (!moved) return { t, rule: first };
  }
  return { t: Infinity, rule: first };
}

/** Appends a send to the pressure log and drops entries no rule can see any more. */
export function logSend(ix: PlanIndex, s: LeadState, t: number, content: ContentIx): void {
  const pl = s.pl;
  pl.push(t, content.channel, content.topic);
  const horizon = ix.pressure.horizonMs;
  let drop = 0;
  while (drop < pl.length && pl[drop]! <= t - horizon) drop += 3;
  if (drop > 0) pl.splice(0, drop);
}

