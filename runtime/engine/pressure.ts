// Marketing pressure (LANGUAGE.md 4.13, 8.3): when may a non-transactional message go out, and which
// rule decided it.
//
// Each rule is monotone ("allowed from instant X on" given the messages already sent), so the earliest
// instant is the fixpoint of pushing `t` forward. Each pass asks every rule when its window opens at the
// candidate instant and moves to the latest of them; the rule that made the last move is the one whose
// window opens last (ties: declaration order, i.e. source order within the one `pressure` block) and is
// recorded as deciding the delay or the skip. Quiet hours and quiet days always delay; the capped mode
// (`skip capped messages`, `delay capped messages up to D`) applies to caps and gaps only.
import type { ContentIx, PlanIndex, PressureRule } from './plan-index.js';
import type { Loc } from '../plan-types.js';
import type { Lead } from './lead.js';
import { EMPTY_LIST } from './state.js';
import { localDay, localMinute, localToInstant, weekdayOfDay } from './time.js';

// The state of the call in progress (module-level: a decision allocates nothing).
/** The latest opening seen in the current pass, and its rule (null: nothing blocks the candidate). */
let passMax = 0;
let passRule: PressureRule | null = null;
/** The rule that decided the last `decideSend` (null when allowed at once). */
let decider: PressureRule | null = null;

/** The rule that decided the last `decideSend` that did not allow the message at once. */
export function decidedBy(): PressureRule | null {
  return decider;
}

/** Which rules a settle looks at. */
const CAPS = 1; // caps, gaps, topic gaps
const QUIET = 2; // quiet hours, quiet days

/**
 * What happens to `content`, asked for at `t0` (first asked for at `orig`): `t0` (send now), a later
 * instant (delay to it) or Infinity (skip); the deciding rule is then `decidedBy()`.
 * `s.pl` holds the lead's recent non-transactional sends [t, channel, topic] in time order.
 */
export function decideSend(ix: PlanIndex, s: Lead, zone: string, content: ContentIx, t0: number, orig: number): number {
  const p = ix.pressure;
  const quiet = p.quietHours.length + p.quietDays.length > 0;
  const caps = p.caps.length + p.gaps.length + (content.topic >= 0 ? p.topicGaps.length : 0) > 0;
  if (p.capped.mode === 'skip') {
    if (caps && settle(ix, s, zone, content, t0, CAPS) > t0) return Infinity;
    return quiet ? settle(ix, s, zone, content, t0, QUIET) : t0;
  }
  const t = settle(ix, s, zone, content, t0, CAPS | QUIET);
  if (t === t0 || t === Infinity) return t;
  const limit = orig + p.capped.upToMs;
  if (!quiet) return t > limit ? Infinity : t;
  // The delay limit bounds what caps and gaps impose; quiet hours and days always delay.
  const rule = decider;
  if (caps && settle(ix, s, zone, content, t0, CAPS) > limit) return Infinity;
  decider = rule;
  return t;
}

/** The earliest instant at or after `t0` that the `which` rules allow (Infinity: never); sets `decider`. */
function settle(ix: PlanIndex, s: Lead, zone: string, content: ContentIx, t0: number, which: number): number {
  let cur = t0;
  decider = null;
  for (let iter = 0; iter < 100; iter++) {
    passMax = cur;
    passRule = null;
    if (which & CAPS) capsOpen(ix, s.pl, content, cur);
    if (which & QUIET) quietOpen(ix, zone, cur);
    if (passRule === null) return cur;
    decider = passRule;
    cur = passMax;
    if (cur === Infinity) return cur;
  }
  return Infinity;
}

/** Notes that `rule` blocks the candidate until `e` (kept when it opens last; ties: declaration order). */
function offer(e: number, rule: PressureRule): void {
  if (e > passMax || (e === passMax && passRule !== null && locBefore(rule.loc, passRule.loc))) {
    passMax = e;
    passRule = rule;
  }
}

function locBefore(a: Loc, b: Loc): boolean {
  return a[0] !== b[0] ? a[0] < b[0] : a[1] !== b[1] ? a[1] < b[1] : a[2] < b[2];
}

/** Offers when each cap, gap and topic gap opens for a message at `t`. */
function capsOpen(ix: PlanIndex, pl: readonly number[], content: ContentIx, t: number): void {
  const p = ix.pressure;
  for (let c = 0; c < p.caps.length; c++) {
    const cap = p.caps[c]!;
    if (cap.channel >= 0 && cap.channel !== content.channel) continue; // a rule on another channel
    // Messages of this scope in (t − W, t]; all logged sends are ≤ t. Allowed once enough of them
    // fall out of the window: the (n − count)-th (0-based) of the n in the window leaves at +W.
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
          offer(at + cap.windowMs, cap);
          break;
        }
      }
    }
  }
  for (let g = 0; g < p.gaps.length; g++) {
    const gap = p.gaps[g]!;
    if (gap.channel >= 0 && gap.channel !== content.channel) continue;
    for (let i = pl.length - 3; i >= 0; i -= 3) {
      if (pl[i]! <= t && (gap.channel < 0 || pl[i + 1] === gap.channel)) {
        if (pl[i]! + gap.gapMs > t) offer(pl[i]! + gap.gapMs, gap);
        break;
      }
    }
  }
  if (content.topic < 0) return; // topic gaps ignore content without a topic
  for (let g = 0; g < p.topicGaps.length; g++) {
    const gap = p.topicGaps[g]!;
    for (let i = pl.length - 3; i >= 0; i -= 3) {
      if (pl[i]! <= t && pl[i + 2] === content.topic) {
        if (pl[i]! + gap.gapMs > t) offer(pl[i]! + gap.gapMs, gap);
        break;
      }
    }
  }
}

/** Offers when each quiet-hours and quiet-days window ends, for a message at `t` (Infinity: every day quiet). */
function quietOpen(ix: PlanIndex, zone: string, t: number): void {
  const p = ix.pressure;
  for (let k = 0; k < p.quietHours.length; k++) {
    const q = p.quietHours[k]!;
    const m = localMinute(zone, t);
    const quiet = q.from < q.to ? m >= q.from && m < q.to : q.from > q.to && (m >= q.from || m < q.to);
    if (quiet) {
      const day = localDay(zone, t);
      const endDay = q.from > q.to && m >= q.from ? day + 1 : day;
      let end = localToInstant(zone, endDay, q.to);
      if (end <= t) end = t + 60_000; // a DST oddity: never stall
      offer(end, q);
    }
  }
  for (let k = 0; k < p.quietDays.length; k++) {
    const q = p.quietDays[k]!;
    let day = localDay(zone, t);
    if (!q.days[weekdayOfDay(day)]) continue;
    let n = 0;
    while (q.days[weekdayOfDay(day)] && n < 8) {
      day++;
      n++;
    }
    offer(n >= 7 ? Infinity : localToInstant(zone, day, 0), q);
  }
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

