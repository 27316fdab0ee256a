// The engine's working form of a lead's state, and its conversion to and from `LeadState` (state.ts),
// the JSON form that stores, hosts and tests see.
//
// Why a second form: a runtime holds one state per lead and touches a random lead per event, so the
// cost of an event is mostly memory traffic. `LeadState` spreads its numbers over a 27-field object,
// boxed doubles and a dozen small arrays; `Lead` packs every per-lead number (clock, stage, scores'
// engagement parts and anchors, threshold memories, counters, date-entry timers, limited rules' windows,
// cached fit parts) into ONE array of doubles, keeps the lists (attributes, histories, sends, journeys…)
// as they are, and the rarely used ones in a second object made on first use (`LeadExtras`).
import type { PlanIndex } from './plan-index.js';
import { nextReevaluation } from './time-driven.js';
import { EMPTY_LIST, W_READY, type HistoryCell, type JourneyState, type LeadState, type Value } from './state.js';

// Offsets in `Lead.x` of the numbers every plan has.
/** The lead's clock. */
export const X_C = 0;
export const X_T0 = 1;
export const X_ST = 2;
export const X_MS = 3;
/** Actions emitted so far (`LeadState.n`). */
export const X_N = 4;
export const X_F = 5;
export const X_LATE = 6;
/** The lead's next timer (`Engine.dueOf`), kept up to date by the runtime: no scan of the journeys per event. Not part of `LeadState`. */
export const X_DUE = 7;
/** Where the per-tracked-event counts (`hc`) start: first, so that expressions can be compiled before the rest is known. */
export const X_HC = 8;

/**
 * Offsets in `Lead.x` of the plan-sized parts (computed once per plan index), and their lengths. The
 * parts every input touches come first — counts, engagement parts and their anchors, threshold memories,
 * cached fit parts — so that they share the array's first cache lines; date entries and the limited
 * rules' windows come last.
 */
export interface Layout {
  /** Per tracked event type (`tracked` of them): its count. */
  hc: number;
  tracked: number;
  /** Per rules score (`rules` of them): the engagement part, its decay anchor, the idle periods decayed. */
  eg: number;
  ea: number;
  ed: number;
  rules: number;
  /** Per threshold: its memory (0 never evaluated, 1 false, 2 true). */
  tm: number;
  thresholds: number;
  /**
   * Where the cached fit parts start (`fitCaches` of them: one per score whose fit rules read attributes
   * only, `ScoreIx.fitCache`): NaN until computed, reset to NaN by every change of an attribute. Not part
   * of `LeadState`.
   */
  fc: number;
  fitCaches: number;
  /** Per `entry when`: its memory (as `tm`). */
  em: number;
  entriesWhen: number;
  /** Per date entry: when it is next due, or -1. */
  de: number;
  dateEntries: number;
  /**
   * Per limited engagement rule (`limitSlot`): where its window starts — the number n of applications
   * kept, then `keep[slot]` places for their times (the n first used, oldest first). `LeadState.rh` as
   * numbers in `x`: no list per rule and lead.
   */
  rh: number[];
  keep: number[];
  /** The last offset of the parts every input touches (the cached fit parts' end): see `touchLead`. */
  hot: number;
  /** Length of `x`. */
  size: number;
  /** `size` zeros in an array of doubles without holes, copied for every new `x` (see `newNumbers`). */
  zeros: readonly number[];
}

export function layoutOf(counts: { tracked: number; rulesScores: number; thresholds: number; entriesWhen: number; dateEntries: number; limitKeeps: number[]; fitCaches: number }): Layout {
  const hc = X_HC;
  const eg = hc + counts.tracked;
  const ea = eg + counts.rulesScores;
  const ed = ea + counts.rulesScores;
  const tm = ed + counts.rulesScores;
  const fc = tm + counts.thresholds;
  const em = fc + counts.fitCaches;
  const de = em + counts.entriesWhen;
  const rh: number[] = [];
  let at = de + counts.dateEntries;
  for (const k of counts.limitKeeps) {
    rh.push(at);
    at += 1 + k;
  }
  return {
    hc,
    tracked: counts.tracked,
    eg,
    ea,
    ed,
    rules: counts.rulesScores,
    tm,
    thresholds: counts.thresholds,
    fc,
    fitCaches: counts.fitCaches,
    em,
    entriesWhen: counts.entriesWhen,
    de,
    dateEntries: counts.dateEntries,
    rh,
    keep: counts.limitKeeps,
    hot: em - 1,
    size: at,
    zeros: doubles(at),
  };
}

/** `n` zeros whose array already holds doubles: its copies never change representation. */
function doubles(n: number): number[] {
  const z = [0.5];
  z.length = 0; // keeps the array's kind: doubles, no holes
  for (let i = 0; i < n; i++) z.push(0);
  return z;
}

/**
 * A new `x` of zeros. Copied from `Layout.zeros` rather than `new Array(n).fill(0)`: that one starts as
 * small integers with holes and is reallocated when the clock (a double) is first written; a copy is one
 * allocation, of doubles, without holes (cheaper reads, no wasted array per lead).
 */
export function newNumbers(L: Layout): number[] {
  return L.zeros.slice();
}

/**
 * Reads the memory of `l` that every input touches (the lead, the first and last cache lines of its hot
 * numbers) and returns a number made of it, so that the reads are not optimised away: a store's `touch`
 * (`WorkingLeads.touch`), which a runtime calls for the next leads of a batch.
 */
export function touchLead(L: Layout, l: Lead): number {
  const x = l.x;
  return x[X_C]! + x[L.hot]!;
}

/** Forgets the lead's cached fit parts (its attributes changed, or may have). */
export function forgetFits(L: Layout, x: number[]): void {
  for (let i = L.fc; i < L.fc + L.fitCaches; i++) x[i] = NaN;
}

/** The kept applications of limited rule `slot` (`LeadState.rh[slot]`), as a new list. */
function windowOf(L: Layout, x: readonly number[], slot: number): number[] {
  const at = L.rh[slot]!;
  return slots(x, at + 1, at + 1 + x[at]!);
}

/** `LeadState.rh` into `x` (the last `keep` applications of each rule). */
function putWindows(L: Layout, x: number[], rh: readonly (readonly number[])[]): void {
  for (let slot = 0; slot < L.rh.length; slot++) {
    const at = L.rh[slot]!;
    const list = rh[slot] ?? [];
    const n = Math.min(list.length, L.keep[slot]!);
    x[at] = n;
    for (let i = 0; i < n; i++) x[at + 1 + i] = list[list.length - n + i]!;
  }
}

/** `LeadState.rh` of `x`. */
function windows(L: Layout, x: readonly number[]): number[][] {
  const out = new Array<number[]>(L.rh.length);
  for (let slot = 0; slot < L.rh.length; slot++) out[slot] = windowOf(L, x, slot);
  return out;
}

/**
 * The lists most leads never fill — delayed sends, holdout receipts, the send log, queues, forced holdouts,
 * processed event ids — in one object that a lead gets when one of them is first set: six fields less per
 * lead (a runtime holds one per lead, so every field counts).
 */
class LeadExtras {
  ps: number[] = EMPTY_LIST;
  rx: number[] = EMPTY_LIST;
  sl: number[] = EMPTY_LIST;
  q: string[] = EMPTY_LIST;
  hf: number[] = EMPTY_LIST;
  ids: Set<string> | null = null;
}

/** A lead's state as the engine works on it (same meaning as `LeadState`, field by field). */
export class Lead {
  /** The rarely used lists (see `LeadExtras`), or null while they are all empty. */
  private e: LeadExtras | null = null;

  constructor(
    // What every input reads first (the first cache line of the object), then the rest.
    /** Every number of the state, at the offsets above and of the plan's `Layout`. */
    public x: number[],
    public j: (JourneyState | null)[],
    public at: (Value | null)[],
    public id: string,
    public rc: number[],
    public pl: number[],
    public hr: HistoryCell[][],
    public plan: string,
  ) {}

  private extras(): LeadExtras {
    return this.e ?? (this.e = new LeadExtras());
  }

  get ps(): number[] {
    return this.e === null ? EMPTY_LIST : this.e.ps;
  }
  set ps(v: number[]) {
    if (this.e !== null || v !== EMPTY_LIST) this.extras().ps = v;
  }
  get rx(): number[] {
    return this.e === null ? EMPTY_LIST : this.e.rx;
  }
  set rx(v: number[]) {
    if (this.e !== null || v !== EMPTY_LIST) this.extras().rx = v;
  }
  get sl(): number[] {
    return this.e === null ? EMPTY_LIST : this.e.sl;
  }
  set sl(v: number[]) {
    if (this.e !== null || v !== EMPTY_LIST) this.extras().sl = v;
  }
  get q(): string[] {
    return this.e === null ? EMPTY_LIST : this.e.q;
  }
  set q(v: string[]) {
    if (this.e !== null || v !== EMPTY_LIST) this.extras().q = v;
  }
  get hf(): number[] {
    return this.e === null ? EMPTY_LIST : this.e.hf;
  }
  set hf(v: number[]) {
    if (this.e !== null || v !== EMPTY_LIST) this.extras().hf = v;
  }
  /**
   * The event ids processed for this lead (idempotent ingestion), kept by the runtime's own store with the
   * lead: one lookup per event finds both. Not part of `LeadState` (stores keep them their own way).
   */
  get ids(): Set<string> | null {
    return this.e === null ? null : this.e.ids;
  }
  set ids(v: Set<string> | null) {
    if (this.e !== null || v !== null) this.extras().ids = v;
  }
}

function slots(x: readonly number[], from: number, to: number): number[] {
  const out = new Array<number>(to - from);
  for (let i = from; i < to; i++) out[i - from] = x[i]!;
  return out;
}

/** `slots` written into `into` when it has that length (as the engine used to write a state's lists in place), else a new list. */
function slotsInto(into: number[], x: number[], from: number, to: number): number[] {
  if (into.length !== to - from) return slots(x, from, to);
  for (let i = from; i < to; i++) into[i - from] = x[i]!;
  return into;
}

function put(x: number[], at: number, list: readonly number[]): void {
  for (let i = 0; i < list.length; i++) x[at + i] = list[i]!;
}

/** The working form of `s` (its lists are shared, not copied). */
export function toLead(ix: PlanIndex, s: LeadState): Lead {
  const l = new Lead(newNumbers(ix.layout), s.j, s.at, s.id, s.rc, s.pl, s.hr, s.plan);
  l.ps = s.ps;
  l.rx = s.rx;
  l.sl = s.sl;
  l.q = s.q;
  l.hf = s.hf;
  assignNumbers(ix, l, s);
  return l;
}

/** Copies everything of `s` into the existing `l` (same lead). */
export function assignLead(ix: PlanIndex, l: Lead, s: LeadState): void {
  l.id = s.id;
  l.plan = s.plan;
  l.at = s.at;
  l.hr = s.hr;
  l.rc = s.rc;
  l.rx = s.rx;
  l.sl = s.sl;
  l.pl = s.pl;
  l.q = s.q;
  l.j = s.j;
  l.ps = s.ps;
  l.hf = s.hf;
  assignNumbers(ix, l, s);
}

function assignNumbers(ix: PlanIndex, l: Lead, s: LeadState): void {
  const L = ix.layout;
  const x = l.x;
  x[X_C] = s.c;
  x[X_T0] = s.t0;
  x[X_ST] = s.st;
  x[X_MS] = s.ms;
  x[X_N] = s.n;
  x[X_F] = s.f;
  x[X_LATE] = s.late;
  put(x, L.hc, s.hc);
  put(x, L.eg, s.eg);
  put(x, L.ea, s.ea);
  put(x, L.ed, s.ed);
  put(x, L.tm, s.tm);
  put(x, L.em, s.em);
  put(x, L.de, s.de);
  putWindows(L, x, s.rh);
  forgetFits(L, x);
  x[X_DUE] = dueOf(ix, l);
}

/**
 * The lead's earliest pending timer (epoch ms), or Infinity: journeys waiting, date entries, delayed sends,
 * and the next instant its time-dependent conditions may change (time-driven.ts).
 */
export function dueOf(ix: PlanIndex, l: Lead): number {
  let due = nextReevaluation(ix, l, l.x[X_C]!);
  const j = l.j;
  for (let i = 0; i < j.length; i++) {
    const js = j[i]!;
    if (js !== null && js.a === 1 && js.w !== W_READY && js.d >= 0 && js.d < due) due = js.d;
  }
  const x = l.x;
  for (let i = ix.layout.de; i < ix.layout.de + ix.layout.dateEntries; i++) if (x[i]! >= 0 && x[i]! < due) due = x[i]!;
  const ps = l.ps;
  for (let i = 0; i < ps.length; i += 3) if (ps[i]! < due) due = ps[i]!;
  return due;
}

/** Writes `l` into the existing object `s` (the engine's API mutates the state it is given). */
export function writeBack(ix: PlanIndex, l: Lead, s: LeadState): void {
  const L = ix.layout;
  const x = l.x;
  s.id = l.id;
  s.plan = l.plan;
  s.t0 = x[X_T0]!;
  s.c = x[X_C]!;
  s.at = l.at;
  s.st = x[X_ST]!;
  s.ms = x[X_MS]!;
  s.eg = slotsInto(s.eg, x, L.eg, L.eg + L.rules);
  s.ea = slotsInto(s.ea, x, L.ea, L.ea + L.rules);
  s.ed = slotsInto(s.ed, x, L.ed, L.ed + L.rules);
  s.rh = windows(L, x);
  s.tm = slotsInto(s.tm, x, L.tm, L.tm + L.thresholds);
  s.em = slotsInto(s.em, x, L.em, L.em + L.entriesWhen);
  s.hc = slotsInto(s.hc, x, L.hc, L.hc + L.tracked);
  s.hr = l.hr;
  s.rc = l.rc;
  s.rx = l.rx;
  s.sl = l.sl;
  s.pl = l.pl;
  s.q = l.q;
  s.j = l.j;
  s.de = slotsInto(s.de, x, L.de, L.de + L.dateEntries);
  s.ps = l.ps;
  s.hf = l.hf;
  s.n = x[X_N]!;
  s.f = x[X_F]!;
  s.late = x[X_LATE]!;
}

/** `LeadState` of `l`, as a new object (in the field order of `LeadState`, as JSON shows it). */
export function toLeadState(ix: PlanIndex, l: Lead): LeadState {
  const L = ix.layout;
  const x = l.x;
  return {
    v: 1,
    id: l.id,
    plan: l.plan,
    t0: x[X_T0]!,
    c: x[X_C]!,
    at: l.at,
    st: x[X_ST]!,
    ms: x[X_MS]!,
    eg: slots(x, L.eg, L.eg + L.rules),
    ea: slots(x, L.ea, L.ea + L.rules),
    ed: slots(x, L.ed, L.ed + L.rules),
    rh: windows(L, x),
    tm: slots(x, L.tm, L.tm + L.thresholds),
    em: slots(x, L.em, L.em + L.entriesWhen),
    hc: slots(x, L.hc, L.hc + L.tracked),
    hr: l.hr,
    rc: l.rc,
    rx: l.rx,
    sl: l.sl,
    pl: l.pl,
    q: l.q,
    j: l.j,
    de: slots(x, L.de, L.de + L.dateEntries),
    ps: l.ps,
    hf: l.hf,
    n: x[X_N]!,
    f: x[X_F]!,
    late: x[X_LATE]!,
  };
}

// A `LeadState` handed out by a runtime for a lead it keeps as a `Lead` is a copy. The engine's methods
// that take a `LeadState` (step, evaluate, …) work on the runtime's lead itself when given such a copy,
// and refresh the copy: exactly as when the runtime handed out its own object.
const views = new WeakMap<LeadState, Lead>();

/** A `LeadState` copy of the runtime's lead `l`, linked to it. */
export function viewOf(ix: PlanIndex, l: Lead): LeadState {
  const s = toLeadState(ix, l);
  views.set(s, l);
  return s;
}

/** The runtime's lead behind a copy made by `viewOf`, or undefined. */
export function leadBehind(s: LeadState): Lead | undefined {
  return views.get(s);
}
