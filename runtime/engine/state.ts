// The persisted state of one lead. Plain JSON data (numbers, strings, short arrays, no Maps), compact
// and index-based: slots refer to positions in the compiled plan index (see plan-index.ts), so a state
// belongs to the plan it was built with (`plan` holds that plan's `source.hash`).

/** A runtime value: numbers (also dates as epoch days and stages as indexes), text, bool, list of text. */
export type Value = number | string | boolean | string[];
/** A field of an event as kept in the history (`null` = missing). */
export type HistoryCell = number | string | boolean | string[] | null;

/** Wait kinds of a journey instance (`JourneyState.w`). */
export const W_READY = 0; // running, or queued to run
export const W_WAIT = 1; // `wait D`
export const W_FOR = 2; // `wait for event … up to D`
export const W_UNTIL = 3; // `wait until condition … up to D`
export const W_REPEAT = 4; // the pause of a `repeat every D` between iterations
export const W_DELAYED = 5; // a `send` delayed by pressure rules

/** `JourneyState.a` of a run that completed while its goal's window is still open. */
export const A_GOAL_OPEN = 2;

/** One journey of one lead. */
export interface JourneyState {
  /**
   * 1 while the lead is in the journey; `A_GOAL_OPEN` when its run completed (end, `move to`) before the
   * goal's window closed: the goal still counts (converted) until then; else 0.
   */
  a: number;
  /** Current step (where it waits, or where it resumes). */
  s: number;
  /** Wait kind (`W_…`). */
  w: number;
  /** Due time of the wait (epoch ms), or -1. */
  d: number;
  /** For a delayed send: when it was first asked for (the delay limit counts from there), else -1. */
  o: number;
  /** Time of the latest entry, or -1 when never entered. */
  e: number;
  /** How many times the lead entered. */
  n: number;
  /** How many times the lead completed it (end of steps, `end`, `move to`, or goal). */
  c: number;
  /** 1 when the current (or latest) run is in the holdout group. */
  h: number;
  /** Repeat iteration counters of the current run, flattened pairs [repeat step id, iterations]. */
  r: number[];
}

export interface LeadState {
  /** State format version. */
  v: 1;
  /** The lead id. */
  id: string;
  /** `source.hash` of the plan this state was built with. */
  plan: string;
  /** When the lead was first seen (epoch ms). */
  t0: number;
  /** The lead's clock: the latest instant processed (epoch ms). */
  c: number;
  /** Profile attributes by attribute index (plan order; dates as epoch days); `null` = missing. */
  at: (Value | null)[];
  /** Stage index. */
  st: number;
  /** Highest stage index ever reached (funnel). */
  ms: number;
  /** Per rules score: the engagement part. */
  eg: number[];
  /** Per rules score: start of the current idle period (last engagement rule application, or `set`). */
  ea: number[];
  /** Per rules score: decay periods already applied since `ea`. */
  ed: number[];
  /** Per limited engagement rule: times of its recent applications (at most `count` for `max`, 1 for `once`). */
  rh: number[][];
  /** Per threshold: 0 never evaluated, 1 false, 2 true. */
  tm: number[];
  /** Per `entry when`: 0 never evaluated, 1 false, 2 true. */
  em: number[];
  /** Per tracked event type (one that `has` looks at): total count ever. */
  hc: number[];
  /** Per tracked event type: flattened rows [t, field…] of the occurrences still needed by predicates. */
  hr: HistoryCell[][];
  /** Received contents, flattened triples [content index, count, last time]. */
  rc: number[];
  /** Contents "received" by the holdout group (never sent): lets `send next from` progress. */
  rx: number[];
  /** Send times per content (only when the index keeps a send log, for `received … at` in tests): [content, t, …]. */
  sl: number[];
  /** Recent non-transactional sends for pressure rules, flattened triples [t, channel index, topic index or -1]. */
  pl: number[];
  /** Queues the lead was handed off to. */
  q: string[];
  /** Per journey (plan order): its state, `null` until the lead first touches it. */
  j: (JourneyState | null)[];
  /** Per date entry: next due time, or -1. */
  de: number[];
  /** Delayed sends from thresholds and handlers, flattened [due, content index, first asked at]. */
  ps: number[];
  /** Journeys whose holdout group the lead was forced into (tests), as journey indexes. */
  hf: number[];
  /** Actions emitted so far (the per-lead sequence behind stable action ids). */
  n: number;
  /** Flags: 1 = the 16-round guard (or a step budget) stopped work at least once. */
  f: number;
  /** Number of late events applied at the lead's clock. */
  late: number;
}

export function newJourneyState(): JourneyState {
  return { a: 0, s: 0, w: W_READY, d: -1, o: -1, e: -1, n: 0, c: 0, h: 0, r: EMPTY_LIST };
}

// Memory: a runtime keeps one state per lead, so their lists are kept small. An empty list is the shared,
// frozen EMPTY_LIST (a push to it fails loudly instead of changing every lead); a list that grows is
// replaced by a new array of exactly the new length (`push` would reserve room for 16 more elements).

/** The empty list shared by the runtime's lead states. Never written: replaced when something is added. */
export const EMPTY_LIST: never[] = Object.freeze([]) as unknown as never[];

/** `list` followed by `a`: a new array of exactly that length. */
export function append1<T>(list: readonly T[], a: T): T[] {
  const n = list.length;
  const out = new Array<T>(n + 1);
  for (let i = 0; i < n; i++) out[i] = list[i]!;
  out[n] = a;
  return out;
}

/** `list` followed by `a, b`: a new array of exactly that length. */
export function append2<T>(list: readonly T[], a: T, b: T): T[] {
  const n = list.length;
  const out = new Array<T>(n + 2);
  for (let i = 0; i < n; i++) out[i] = list[i]!;
  out[n] = a;
  out[n + 1] = b;
  return out;
}

/** `list` followed by `a, b, c`: a new array of exactly that length. */
export function append3<T>(list: readonly T[], a: T, b: T, c: T): T[] {
  const n = list.length;
  const out = new Array<T>(n + 3);
  for (let i = 0; i < n; i++) out[i] = list[i]!;
  out[n] = a;
  out[n + 1] = b;
  out[n + 2] = c;
  return out;
}

/** A deep copy (the state is plain JSON data). */
export function cloneLeadState(s: LeadState): LeadState {
  return structuredClone(s);
}

/** The JSON text of a state (for a store). */
export function serializeLeadState(s: LeadState): string {
  return JSON.stringify(s);
}

/** Parses a state written by `serializeLeadState`. */
export function deserializeLeadState(text: string): LeadState {
  const s = JSON.parse(text) as LeadState;
  if (s === null || typeof s !== 'object' || s.v !== 1) throw new Error('not a nurture lead state (version 1)');
  return s;
}
