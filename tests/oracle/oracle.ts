// The reference oracle: a deliberately naive interpreter of the programs of program.ts, written from
// LANGUAGE.md (§4.10–4.14, §5, §8.2, §8.3, §8.5) and the engine README's decisions, sharing no code with
// the engine's conditions, scores or pressure. It advances a clock in fixed ticks and evaluates everything
// at every tick: decay is applied eagerly at each boundary, every condition is evaluated afresh, and a
// delayed message is placed by trying instant after instant.
//
// The ticks: each whole minute m, and m + 1 ms … m + 7 ms. In these programs every duration and event
// time is a whole number of minutes; the only instants that are not are those where a `within D` window
// closes (an event or a send at e counts in [t − D, t]: it leaves at e + D + 1 ms) and what follows from
// them by whole minutes (a send, a wait, a pressure window opening; a send there may close a `received`
// window 1 ms later again) — so, as long as such chains stay shorter than 8 (the test checks it on the
// engine's actions), nothing can happen between these ticks and the outcome equals that of a millisecond
// clock.
import type { Cond, Ev, Input, JourneyP, Program, Stage, Step, TimedEvent, Tier } from './program.js';

export const MINUTE = 60_000;
const DAY = 1_440 * MINUTE;
export const OFFSETS = 8;

export interface OAction {
  at: number;
  type: 'send' | 'handoff' | 'stage';
  journey: string | null;
  what: string;
}

type Instr =
  | { k: 'send'; c: number; next: number }
  | { k: 'wait'; d: number; next: number }
  | { k: 'until'; c: Cond; upTo: number; onTrue: number; onTimeout: number };

/** The steps of a journey as instructions with explicit next indexes (-1: the end). */
function flatten(steps: Step[], cont: number, out: Instr[]): number {
  let next = cont;
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i]!;
    if (s.k === 'until') {
      const onTrue = flatten(s.onTrue, next, out);
      const onTimeout = flatten(s.onTimeout, next, out);
      out.push({ k: 'until', c: s.c, upTo: s.upTo * MINUTE, onTrue, onTimeout });
    } else if (s.k === 'send') out.push({ k: 'send', c: s.c, next });
    else out.push({ k: 'wait', d: s.d * MINUTE, next });
    next = out.length - 1;
  }
  return next;
}

interface JState {
  active: boolean;
  /** The run completed before its goal's window closed: reaching the goal still converts. */
  goalOpen: boolean;
  pc: number;
  wait: 'none' | 'wait' | 'until' | 'delayed';
  due: number;
  orig: number;
  entered: number;
  entries: number;
}

export interface OracleResult {
  actions: OAction[];
  /** Audit kinds in order, without `score` records (see oracle.test). */
  kinds: string[];
}

export function runOracle(p: Program, start: number, timeline: TimedEvent[], end: number): OracleResult {
  return new Oracle(p).run(start, timeline, end);
}

class Oracle {
  private journeys: { p: JourneyP; name: string; code: Instr[]; first: number }[];
  /** Journeys, higher priority first, then declaration order. */
  private order: number[];
  private history: { t: number; ev: Ev }[] = [];
  private eng = 0;
  private stage: Stage = 'lead';
  private tier: Tier | null = null;
  private idleSince = 0;
  private aApplied: number[] = [];
  private thresholdWas: number[];
  private entryWas: number[];
  private js: JState[];
  private sends: { t: number; c: number }[] = [];
  private queues = new Set<string>();
  private queue: number[] = [];
  private now = 0;
  private changed = false;
  readonly actions: OAction[] = [];
  readonly kinds: string[] = [];

  constructor(private readonly p: Program) {
    this.journeys = p.journeys.map((j, i) => {
      const code: Instr[] = [];
      const first = flatten(j.steps, -1, code);
      return { p: j, name: `j${i}`, code, first };
    });
    this.order = this.journeys.map((_, i) => i).sort((x, y) => this.journeys[y]!.p.priority - this.journeys[x]!.p.priority || x - y);
    this.thresholdWas = p.thresholds.map(() => 0);
    this.entryWas = p.journeys.map(() => 0);
    this.js = p.journeys.map(() => ({ active: false, goalOpen: false, pc: 0, wait: 'none', due: 0, orig: 0, entered: 0, entries: 0 }));
  }

  run(start: number, timeline: TimedEvent[], end: number): OracleResult {
    let next = 0;
    const born = start + timeline[0]!.min * MINUTE;
    for (let m = born; m <= end; m += MINUTE) {
      for (let o = 0; o < OFFSETS; o++) {
        const t = m + o;
        if (t > end) break;
        this.now = t;
        const alive = t > born;
        if (alive) {
          this.decayAt(t);
          this.fireTimers(t);
          this.rounds(); // every condition, at every tick
        }
        while (next < timeline.length && start + timeline[next]!.min * MINUTE === t) this.event(timeline[next++]!.ev);
      }
    }
    return { actions: this.actions, kinds: this.kinds };
  }

  // ---- scores

  private decayAt(t: number): void {
    const d = this.p.score.decay;
    if (d === null) return;
    const every = d.every * MINUTE;
    if (t > this.idleSince && (t - this.idleSince) % every === 0) {
      let v = d.kind === 'percent' ? this.eng * (1 - d.value / 100) : this.eng > 0 ? Math.max(0, this.eng - d.value) : 0;
      if (Math.abs(v) < 1e-9) v = 0;
      this.eng = Math.min(100, Math.max(0, v));
    }
  }

  private event(input: Input): void {
    if (input === 'silver' || input === 'gold') {
      // a profile event: the attribute, then the rounds
      this.tier = input;
      this.rounds();
      return;
    }
    const ev: Ev = input;
    const t = this.now;
    this.history.push({ t, ev });
    const s = this.p.score;
    if (ev === 'a') {
      const per = s.aMax === null ? 0 : s.aMax.per * MINUTE;
      const recent = this.aApplied.filter((x) => x > t - per && x <= t).length;
      if (s.aMax === null || recent < s.aMax.k) {
        this.aApplied.push(t);
        this.bump(s.a);
      } else this.kinds.push('notScored'); // stopped by its `max K per D`: explained in the audit
    } else if (s.b > 0) this.bump(s.b);
    for (const js of this.order) {
      const e = this.journeys[js]!.p.entry;
      if (e.k === 'on' && e.ev === ev) this.enter(js);
    }
    this.drain();
    this.rounds();
  }

  private bump(points: number): void {
    this.eng = Math.min(100, Math.max(0, this.eng + points));
    this.idleSince = this.now;
    this.changed = true;
  }

  // ---- conditions

  private holds(c: Cond): boolean {
    const t = this.now;
    switch (c.k) {
      case 'score':
        return c.op === '>=' ? this.eng >= c.n : this.eng < c.n;
      case 'stage':
        return this.stage === c.is;
      case 'tier':
        return this.tier === c.is;
      case 'has': {
        const from = c.within === null ? -Infinity : t - c.within * MINUTE;
        return this.history.filter((h) => h.ev === c.ev && h.t >= from && h.t <= t).length >= c.atLeast;
      }
      case 'received': {
        const from = c.within === null ? -Infinity : t - c.within * MINUTE;
        const last = this.sends.filter((s) => s.c === c.c).pop();
        return last !== undefined && last.t >= from && last.t <= t;
      }
      case 'not':
        return !this.holds(c.c);
      case 'and':
        return this.holds(c.l) && this.holds(c.r);
      case 'or':
        return this.holds(c.l) || this.holds(c.r);
    }
  }

  // ---- 8.2 step 5

  private rounds(): void {
    for (let round = 0; round < 16; round++) {
      this.changed = false;
      this.p.thresholds.forEach((th, i) => {
        const v = this.holds(th.c);
        const was = this.thresholdWas[i]!;
        this.thresholdWas[i] = v ? 2 : 1;
        if (v && was !== 2) {
          this.kinds.push('threshold');
          const q = `q${i}`;
          this.actions.push({ at: this.now, type: 'handoff', journey: null, what: q });
          this.kinds.push('handoff');
          if (!this.queues.has(q)) {
            this.queues.add(q);
            this.changed = true;
          }
          if (th.stage !== null && th.stage !== this.stage) {
            this.actions.push({ at: this.now, type: 'stage', journey: null, what: th.stage });
            this.kinds.push('stage');
            this.stage = th.stage;
            this.changed = true;
          }
        }
      });
      this.drain();
      for (const js of this.order) {
        const st = this.js[js]!;
        const j = this.journeys[js]!.p;
        if (!st.active) {
          if (st.goalOpen && this.now <= st.entered + j.goal!.within * MINUTE && this.holds(j.goal!.c)) {
            st.goalOpen = false;
            this.changed = true;
            this.kinds.push('converted');
          }
          continue;
        }
        if (j.exit !== null && this.holds(j.exit)) this.leave(js, 'exited');
        else if (j.goal !== null && this.now <= st.entered + j.goal.within * MINUTE && this.holds(j.goal.c)) this.leave(js, 'converted');
      }
      for (const js of this.order) {
        const e = this.journeys[js]!.p.entry;
        if (e.k !== 'when') continue;
        const v = this.holds(e.c);
        const was = this.entryWas[js]!;
        this.entryWas[js] = v ? 2 : 1;
        if (v && was !== 2) this.enter(js);
      }
      for (const js of this.order) {
        const st = this.js[js]!;
        if (!st.active || st.wait !== 'until') continue;
        const ins = this.journeys[js]!.code[st.pc] as Extract<Instr, { k: 'until' }>;
        if (this.holds(ins.c)) {
          st.wait = 'none';
          this.changed = true;
          this.go(js, ins.onTrue);
          if (st.active && st.wait === 'none') this.queue.push(js);
        }
      }
      this.drain();
      if (!this.changed) return;
    }
  }

  // ---- journeys

  private enter(js: number): void {
    const st = this.js[js]!;
    const j = this.journeys[js]!.p;
    if (st.active) return;
    if (st.entries > 0 && j.reentry === 'never') {
      this.kinds.push('notEntered');
      return;
    }
    if (j.exit !== null && this.holds(j.exit)) {
      this.kinds.push('notEntered');
      return;
    }
    Object.assign(st, { active: true, goalOpen: false, pc: this.journeys[js]!.first, wait: 'none', due: 0, orig: 0, entered: this.now, entries: st.entries + 1 });
    this.changed = true;
    this.kinds.push('entered');
    this.queue.push(js);
  }

  private leave(js: number, kind: 'completed' | 'exited' | 'converted'): void {
    const st = this.js[js]!;
    const goal = this.journeys[js]!.p.goal;
    st.active = false;
    st.goalOpen = kind === 'completed' && goal !== null && this.now <= st.entered + goal.within * MINUTE;
    st.wait = 'none';
    this.changed = true;
    this.kinds.push(kind);
  }

  private go(js: number, target: number): void {
    if (target < 0) this.leave(js, 'completed');
    else this.js[js]!.pc = target;
  }

  private drain(): void {
    for (let i = 0; i < this.queue.length; i++) this.runJourney(this.queue[i]!);
    this.queue.length = 0;
  }

  private runJourney(js: number): void {
    const st = this.js[js]!;
    const J = this.journeys[js]!;
    while (st.active && st.wait === 'none') {
      if (st.pc < 0) return this.leave(js, 'completed');
      const ins = J.code[st.pc]!;
      if (ins.k === 'send') {
        if (!this.journeySend(js, ins, this.now)) return;
      } else if (ins.k === 'wait') {
        Object.assign(st, { wait: 'wait', due: this.now + ins.d });
        this.changed = true;
        return;
      } else if (this.holds(ins.c)) this.go(js, ins.onTrue);
      else {
        Object.assign(st, { wait: 'until', due: this.now + ins.upTo });
        this.changed = true;
        return;
      }
    }
  }

  /** False when the journey now waits for a delayed message. */
  private journeySend(js: number, ins: Extract<Instr, { k: 'send' }>, orig: number): boolean {
    const st = this.js[js]!;
    const t = this.allowedFrom(orig);
    if (t === this.now) {
      this.actions.push({ at: this.now, type: 'send', journey: `j${js}`, what: `c${ins.c}` });
      this.kinds.push('sent');
      this.sends.push({ t: this.now, c: ins.c });
      this.changed = true;
    } else if (t === Infinity) this.kinds.push('skipped');
    else {
      this.kinds.push('delayed');
      Object.assign(st, { wait: 'delayed', due: t, orig });
      this.changed = true;
      return false;
    }
    this.go(js, ins.next);
    return true;
  }

  private fireTimers(t: number): void {
    for (const js of this.order) {
      const st = this.js[js]!;
      if (!st.active || st.wait === 'none' || st.due !== t) continue;
      const ins = this.journeys[js]!.code[st.pc]!;
      const w = st.wait;
      st.wait = 'none';
      this.changed = true;
      if (w === 'wait') this.go(js, (ins as Extract<Instr, { k: 'wait' }>).next);
      else if (w === 'until') {
        const u = ins as Extract<Instr, { k: 'until' }>;
        if (this.holds(u.c)) this.go(js, u.onTrue);
        else {
          this.kinds.push('timeout');
          this.go(js, u.onTimeout);
        }
      } else if (!this.journeySend(js, ins as Extract<Instr, { k: 'send' }>, st.orig)) {
        this.drain();
        this.rounds();
        continue;
      }
      if (st.active && st.wait === 'none') this.queue.push(js);
      this.drain();
      this.rounds();
    }
  }

  // ---- pressure: the first tick from now on at which every rule allows a message

  // §4.13: caps and gaps follow the capped mode (skip, or delay up to the limit from `orig`); quiet hours
  // always delay, to their end, whatever the mode and the limit.
  private allowedFrom(orig: number): number {
    const pr = this.p.pressure;
    if (pr === null) return this.now;
    const caps = (t: number) => this.capsAllow(t);
    const quiet = (t: number) => this.quietAllows(t);
    if (pr.mode === 'skip') return caps(this.now) ? this.first(this.now, quiet) : Infinity;
    const limit = orig + pr.mode.delay * MINUTE;
    const t = this.first(this.now, (x) => caps(x) && quiet(x));
    if (t === this.now || t === Infinity) return t;
    if (pr.quiet === null) return t > limit ? Infinity : t;
    // Quiet hours push past the limit freely; caps and gaps alone must open within it.
    const capsRules = pr.cap !== null || pr.gap !== null;
    return capsRules && this.first(this.now, caps) > limit ? Infinity : t;
  }

  /** The first tick at or after `from` (up to `until`, else two days on) where `ok` holds, or Infinity. */
  private first(from: number, ok: (t: number) => boolean, until = from + 2 * DAY): number {
    for (let t = from; t <= until; t = nextTick(t)) if (ok(t)) return t;
    return Infinity;
  }

  private capsAllow(t: number): boolean {
    const pr = this.p.pressure!;
    if (pr.cap !== null && this.sends.filter((s) => s.t > t - pr.cap!.per * MINUTE && s.t <= t).length >= pr.cap.n) return false;
    if (pr.gap !== null && this.sends.some((s) => s.t <= t && s.t > t - pr.gap! * MINUTE)) return false;
    return true;
  }

  private quietAllows(t: number): boolean {
    const q = this.p.pressure!.quiet;
    if (q === null) return true;
    const m = Math.floor((((t % DAY) + DAY) % DAY) / MINUTE);
    return !(q.from < q.to ? m >= q.from && m < q.to : q.from > q.to && (m >= q.from || m < q.to));
  }
}

/** The tick after `t` (m, m + 1 ms, …, m + 7 ms, then the next minute). */
function nextTick(t: number): number {
  const o = ((t % MINUTE) + MINUTE) % MINUTE;
  return o + 1 < OFFSETS ? t + 1 : t - o + MINUTE;
}
