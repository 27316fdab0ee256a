// Marketing pressure (LANGUAGE.md 4.13, 8.3): the earliest instant at or after `t0` at which every
// pressure rule allows a non-transactional message, and the first rule that blocked it at `t0`.
//
// Each rule is monotone ("allowed from instant X on" given the messages already sent), so the
// earliest instant is the fixpoint of pushing `t` forward rule by rule.
import type { ContentIx, PlanIndex, PressureRule } from './plan-index.js';
import type { Lead } from './lead.js';
import { EMPTY_LIST } from './state.js';
import { localDay, localMinute, localToInstant, weekdayOfDay } from './time.js';

// The state of the `earliestAllowed` call in progress (module-level: that call allocates nothing).
/** The candidate instant. */
let cur = 0;
let moved = false;
/** The first rule that blocked the message at `t0` (null when allowed at once). */
let firstBlock: PressureRule | null = null;

/** The first rule that blocked the last `earliestAllowed` call at its `t0` (null when it was allowed at once). */
export function blockedBy(): PressureRule | null {
  return firstBlock;
}

/** Pushes the candidate instant to `e` when later (remembering the first rule that did); true when past `limit`. */
function advance(e: number, rule: PressureRule, limit: number): boolean {
  if (e > cur) {
    if (firstBlock === null) firstBlock = rule;
    cur = e;
    moved = true;
    return cur > limit;
  }
  return false;
}

/**
 * When can `content` go out, at or after `t0`, for this lead? Infinity when not within `limit`; the
 * first rule that blocked it at `t0` is then `blockedBy()`. `s.pl` holds the lead's recent
 * non-transactional sends [t, channel, topic] in time order. (No allocation: this runs for every send.)
 */
export function earliestAllowed(ix: PlanIndex, s: Lead, zone: string, content: ContentIx, t0: number, limit: number): number {
  const p = ix.pressure;
  const pl = s.pl;
  cur = t0;
  firstBlock = null;
  for (let iter = 0; iter < 100; iter++) {
    moved = false;
    // Each rule sees the candidate as pushed by the rules before it in this pass.
    for (let c = 0; c < p.caps.length; c++) {
      const cap = p.caps[c]!;
      if (cap.channel >= 0 && cap.channel !== content.channel) continue; // a rule on another channel
      // Messages of this scope in (t − W, t]; all logged sends are ≤ t. Allowed once enough of them
      // fall out of the window: the (n − count)-th (0-based) of the n in the window leaves at +W.
      const t = cur;
      const lo = t - cap.windowMs;
      let n = 0;
      for (let i = 0; i < pl.length; i += 3) {
        const at = pl[i]!;
        if (at > lo && at <= t && (cap.channel < 0 || pl[i + 1] === cap.channel)) n++;
      }
      if (n >= cap.count) {
        let k = n - cap.count;
        for (let i = 0; i < pl.length; i += 3) {
          const at = pl[i]!;
          if (at > lo && at <= t && (cap.channel < 0 || pl[i + 1] === cap.channel) && k-- === 0) {
            if (advance(at + cap.windowMs, cap, limit)) return Infinity;
            break;
          }
        }
      }
    }
    for (let g = 0; g < p.gaps.length; g++) {
      const gap = p.gaps[g]!;
      if (gap.channel >= 0 && gap.channel !== content.channel) continue;
      let last = -Infinity;
      for (let i = pl.length - 3; i >= 0; i -= 3) {
        if (pl[i]! <= cur && (gap.channel < 0 || pl[i + 1] === gap.channel)) {
          last = pl[i]!;
          break;
        }
      }
      if (last + gap.gapMs > cur && advance(last + gap.gapMs, gap, limit)) return Infinity;
    }
    if (content.topic >= 0) {
      for (let g = 0; g < p.topicGaps.length; g++) {
        const gap = p.topicGaps[g]!;
        let last = -Infinity;
        for (let i = pl.length - 3; i >= 0; i -= 3) {
          if (pl[i]! <= cur && pl[i + 2] === content.topic) {
            last = pl[i]!;
            break;
          }
        }
        if (last + gap.gapMs > cur && advance(last + gap.gapMs, gap, limit)) return Infinity;
      }
    }
    for (let k = 0; k < p.quietHours.length; k++) {
      const q = p.quietHours[k]!;
      const t = cur;
      const m = localMinute(zone, t);
      const quiet = q.from < q.to ? m >= q.from && m < q.to : q.from > q.to && (m >= q.from || m < q.to);
      if (quiet) {
        const day = localDay(zone, t);
        const endDay = q.from > q.to && m >= q.from ? day + 1 : day;
        let end = localToInstant(zone, endDay, q.to);
        if (end <= t) end = t + 60_000; // a DST oddity: never stall
        if (advance(end, q, limit)) return Infinity;
      }
    }
    for (let k = 0; k < p.quietDays.length; k++) {
      const q = p.quietDays[k]!;
      let day = localDay(zone, cur);
      if (!q.days[weekdayOfDay(day)]) continue;
      let n = 0;
      while (q.days[weekdayOfDay(day)] && n < 8) {
        day++;
        n++;
      }
      if (n >= 7) {
        if (firstBlock === null) firstBlock = q;
        return Infinity;
      }
      if (advance(localToInstant(zone, day, 0), q, limit)) return Infinity;
    }
    if (!moved) return cur;
  }
  return Infinity;
}

/** Appends a send to the pressure log and drops entries no rule can see any more. */
export function logSend(ix: PlanIndex, s: Lead, t: number, content: ContentIx): void {
  // The entries still visible after this one is appended, in a new list of exactly that length.
  const pl = s.pl;
  const lo = t - ix.pressure.horizonMs;
  let drop = 0;
  while (drop < pl.length && pl[drop]! <= lo) drop += 3;
  if (drop >= pl.length && t <= lo) {
    s.pl = EMPTY_LIST; // the new entry is out of every window at once (no cap or gap)
    return;
  }
  const n = pl.length - drop;
  // In place when it does not grow (one out, one in: the usual case), else a new list.
  const next = drop >= 3 ? pl : new Array<number>(n + 3);
  for (let i = 0; i < n; i++) next[i] = pl[drop + i]!;
  next[n] = t;
  next[n + 1] = content.channel;
  next[n + 2] = content.topic;
  if (next.length > n + 3) next.length = n + 3;
  s.pl = next;
}

