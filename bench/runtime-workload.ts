// The runtime bench's workload, shared by the bench (runtime-bench.ts), its competitors
// (runtime-competitors.ts) and the parity test: the plan's sources, a deterministic event generator, and
// the same scoring + MQL threshold + journeys + pressure caps + time-driven conditions (a decaying threshold,
// an inactivity entry: evaluated at the instants their truth changes) written by hand in plain JS (Maps and
// closures: the practical limit of a hand-written host).
//
// The journeys and caps part (`send`, `enter`, `runTimers`) is shared with the rules-engine competitors,
// which only replace the scoring and threshold decisions: every contender then sends exactly the same.

const DAY = 86_400_000;

export const BENCH_SOURCE = `
timezone "UTC"

lead {
  job_level: one of [intern, employee, manager, director, vp, c_level]
  employees: number
  country: text
  email_consent: bool
}

event page_viewed { url: text, topic: text }
event email_opened { campaign: text }
event email_clicked { url: text }
event form_submitted { form: text }
event webinar_attended { webinar: text }
event demo_requested
event trial_started { plan: one of [free, pro] }
event content_downloaded { asset: text, kind: text }

channel email { consent: email_consent }
topics onboarding, pricing, education

content welcome_email { channel: email, topic: onboarding }
content getting_started { channel: email, topic: onboarding }
content pricing_guide { channel: email, topic: pricing }
content webinar_replay { channel: email, topic: education }
content case_study { channel: email, topic: education }

stages lead, mql

score fit {
  +20 if job_level in [vp, c_level]
  +10 if job_level is director
  +10 if employees >= 200
  +5 if country is "FR"
  range 0 to 100
}

score engagement {
  +1 on email_opened max 5 per 7 days
  +3 on email_clicked
  +5 on page_viewed where topic is "pricing"
  +2 on page_viewed where topic is "blog" and employees >= 50
  +10 on form_submitted where form is "contact"
  +4 on form_submitted where form is "newsletter"
  +15 on webinar_attended
  +30 on demo_requested once
  +20 on trial_started where plan is pro
  +8 on trial_started where plan is free and job_level in [manager, director, vp, c_level]
  +6 on content_downloaded where kind is "whitepaper"
  +2 on content_downloaded where kind is "ebook" max 3 per 30 days
  range 0 to 200
}

threshold mql when fit >= 20 and engagement >= 60 and stage < mql {
  set stage = mql
  handoff "sales"
}

pressure {
  max 2 messages per 7 days
  min 1 day between messages
  skip capped messages
}

journey welcome {
  entry on form_submitted where form is "newsletter"
  send welcome_email
  wait 3 days
  send getting_started
}

journey pricing_followup {
  entry on page_viewed where topic is "pricing"
  send pricing_guide
}

journey webinar_followup {
  entry on webinar_attended
  send webinar_replay
  wait 7 days
  send case_study
}

# Time-driven conditions (LANGUAGE.md 8.5): a decaying threshold and an inactivity entry act when their
# truth changes with time alone, event or not.
score activity {
  +10 on email_opened
  +10 on page_viewed
  decay 50% every 7 days idle
  range 0 to 100
}

threshold gone_cold when stage is mql and activity < 5 {
  handoff "winback"
}

journey winback {
  entry when stage is mql and not (has email_opened within 30 days)
  send case_study
}
`;

// ---------------------------------------------------------------------------------------------
// Events

export interface RawEvent {
  lead: string;
  type: string;
  at: string;
  data?: Record<string, unknown>;
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

const JOBS = ['intern', 'employee', 'manager', 'director', 'vp', 'c_level'];
const COUNTRIES = ['FR', 'DE', 'US', 'GB', 'ES'];
const TOPICS = ['pricing', 'blog', 'product', 'docs'];
const FORMS = ['newsletter', 'contact', 'event'];
const KINDS = ['whitepaper', 'ebook', 'video'];
const T0 = Date.UTC(2026, 0, 5, 0, 0);

/** Deterministic events: a profile first for every lead, then behaviour, per lead strictly increasing times. */
export function generateEvents(events: number, leads: number, seed: number): RawEvent[] {
  const r = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const out: { t: number; e: RawEvent }[] = [];
  const perLead = Math.max(1, Math.floor(events / leads));
  let left = events;
  for (let i = 0; i < leads && left > 0; i++) {
    const lead = `L${i}`;
    let t = T0 + Math.floor(r() * 60 * DAY);
    const n = Math.min(left, i === leads - 1 ? left : perLead);
    left -= n;
    out.push({
      t,
      e: {
        lead,
        type: 'profile',
        at: '',
        data: { job_level: pick(JOBS), employees: Math.floor(r() * 1000), country: pick(COUNTRIES), email_consent: r() < 0.9 },
      },
    });
    for (let k = 1; k < n; k++) {
      t += 1 + Math.floor(r() * 3 * DAY);
      const x = r();
      let e: RawEvent;
      if (x < 0.3) e = { lead, type: 'page_viewed', at: '', data: { url: '/p', topic: pick(TOPICS) } };
      else if (x < 0.5) e = { lead, type: 'email_opened', at: '', data: { campaign: 'c1' } };
      else if (x < 0.6) e = { lead, type: 'email_clicked', at: '', data: { url: '/c' } };
      else if (x < 0.7) e = { lead, type: 'form_submitted', at: '', data: { form: pick(FORMS) } };
      else if (x < 0.77) e = { lead, type: 'webinar_attended', at: '', data: { webinar: 'w1' } };
      else if (x < 0.8) e = { lead, type: 'demo_requested', at: '' };
      else if (x < 0.85) e = { lead, type: 'trial_started', at: '', data: { plan: r() < 0.4 ? 'pro' : 'free' } };
      else if (x < 0.97) e = { lead, type: 'content_downloaded', at: '', data: { asset: 'a', kind: pick(KINDS) } };
      else e = { lead, type: 'profile', at: '', data: { employees: Math.floor(r() * 1000) } };
      out.push({ t, e });
    }
  }
  out.sort((a, b) => a.t - b.t);
  return out.map(({ t, e }) => ((e.at = new Date(t).toISOString()), e));
}

// ---------------------------------------------------------------------------------------------
// Journeys and caps in plain JS (shared), and the whole workload by hand

export interface Checksum {
  points: number;
  mqls: number;
  sends: number;
  suppressed: number;
  /** Handoffs of `gone_cold` (time-driven). */
  colds: number;
}

export interface HLead {
  job: string | null;
  employees: number | null;
  country: string | null;
  consent: boolean;
  eng: number;
  stage: number;
  opened: number[];
  ebooks: number[];
  demo: boolean;
  sent: number[];
  journeys: number; // bit set of entered journeys (reentry never)
  pending: { due: number; content: number; journey: number }[];
  // the time-driven part: `activity` (value, idle anchor, periods decayed), the last email opened, the
  // gone_cold threshold's last value, and the next instant one of them may change
  act: number;
  actAt: number;
  actPeriods: number;
  lastOpen: number;
  cold: boolean;
  reeval: number;
}

export function newChecksum(): Checksum {
  return { points: 0, mqls: 0, sends: 0, suppressed: 0, colds: 0 };
}

function newHLead(t: number): HLead {
  return {
    job: null,
    employees: null,
    country: null,
    consent: false,
    eng: 0,
    stage: 0,
    opened: [],
    ebooks: [],
    demo: false,
    sent: [],
    journeys: 0,
    pending: [],
    act: 0,
    actAt: t,
    actPeriods: 0,
    lastOpen: -Infinity,
    cold: false,
    reeval: Infinity,
  };
}

/** A send under consent and the pressure rules (max 2 per 7 days, min 1 day between, skip capped). */
function send(sum: Checksum, l: HLead, t: number): void {
  if (!l.consent) {
    sum.suppressed++;
    return;
  }
  const sent = l.sent;
  while (sent.length > 0 && sent[0]! <= t - 7 * DAY) sent.shift();
  if (sent.length >= 2) return; // max 2 per 7 days: skipped
  if (sent.length > 0 && sent[sent.length - 1]! > t - DAY) return; // min 1 day between: skipped
  sent.push(t);
  sum.sends++;
}

/**
 * The lead's timers due at or before `t`, in time order: its journeys' (the second send of `welcome` and
 * `webinar_followup`) and, after them at the same instant, the time-driven re-evaluations.
 */
export function runTimers(sum: Checksum, l: HLead, t: number): void {
  for (;;) {
    const due = l.pending.length > 0 ? l.pending[0]!.due : Infinity;
    if (due <= l.reeval && due <= t) {
      const p = l.pending.shift()!;
      send(sum, l, p.due);
    } else if (l.reeval <= t) {
      const at = l.reeval;
      decayTo(l, at);
      timeDriven(sum, l, at);
    } else return;
  }
}

const WEEK = 7 * DAY;

/** `activity`'s decay (50% every 7 days idle) up to `t`, period by period. */
function decayTo(l: HLead, t: number): void {
  const periods = Math.floor((t - l.actAt) / WEEK);
  for (; l.actPeriods < periods; l.actPeriods++) {
    let v = l.act * 0.5;
    if (Math.abs(v) < 1e-9) v = 0;
    if (v === l.act) {
      l.actPeriods = periods;
      break;
    }
    l.act = v;
  }
}

/** An event's part in the time-driven conditions: `activity`'s points and the last email opened. */
export function activityOn(l: HLead, type: string, t: number): void {
  decayTo(l, t);
  if (type !== 'email_opened' && type !== 'page_viewed') return;
  l.act = Math.min(100, l.act + 10);
  l.actAt = t;
  l.actPeriods = 0;
  if (type === 'email_opened') l.lastOpen = t;
}

/**
 * The time-driven conditions at `t` (after an event, or at their instant): the `gone_cold` threshold
 * (edge-triggered), then the `winback` entry (reentry never); then the next instant either may change.
 */
export function timeDriven(sum: Checksum, l: HLead, t: number): void {
  const cold = l.stage === 1 && l.act < 5;
  if (cold && !l.cold) sum.colds++;
  l.cold = cold;
  if (l.stage === 1 && !(l.lastOpen >= t - 30 * DAY)) enter(sum, l, 3, t);
  // next: the decay boundary that takes `activity` below 5, the instant the last open leaves the 30 days
  let next = Infinity;
  if (l.stage === 1 && !l.cold && l.act >= 5) {
    let v = l.act;
    let k = Math.max(l.actPeriods, Math.floor((t - l.actAt) / WEEK)) + 1;
    while (v >= 5) {
      v *= 0.5;
      if (v >= 5) k++;
    }
    next = l.actAt + k * WEEK;
  }
  if (l.stage === 1 && !(l.journeys & 8) && l.lastOpen + 30 * DAY >= t) next = Math.min(next, l.lastOpen + 30 * DAY + 1);
  l.reeval = next;
}

function schedule(l: HLead, due: number, content: number, journey: number): void {
  l.pending.push({ due, content, journey });
  l.pending.sort((a, b) => a.due - b.due || a.journey - b.journey);
}

/** Enters journey `j` (0 welcome, 1 pricing_followup, 2 webinar_followup, 3 winback) at `t`: reentry never. */
export function enter(sum: Checksum, l: HLead, j: number, t: number): void {
  if (l.journeys & (1 << j)) return;
  l.journeys |= 1 << j;
  if (j === 0) {
    send(sum, l, t);
    schedule(l, t + 3 * DAY, 1, 0);
  } else if (j === 1 || j === 3) send(sum, l, t);
  else {
    send(sum, l, t);
    schedule(l, t + 7 * DAY, 4, 2);
  }
}

/** The lead `id` (created on first sight) with its journey timers due at or before `t` run. */
export function touchLead(sum: Checksum, leads: Map<string, HLead>, id: string, t: number): HLead {
  let l = leads.get(id);
  if (l === undefined) {
    l = newHLead(t);
    leads.set(id, l);
  }
  if (l.pending.length > 0 || l.reeval <= t) runTimers(sum, l, t);
  return l;
}

/** A profile event: the attributes it carries. */
export function applyProfile(l: HLead, d: Record<string, unknown>): void {
  if ('job_level' in d) l.job = d['job_level'] as string;
  if ('employees' in d) l.employees = d['employees'] as number;
  if ('country' in d) l.country = d['country'] as string;
  if ('email_consent' in d) l.consent = d['email_consent'] === true;
}

/** Drops the applications of a `max K per D` rule that left the window (t − D, t]; returns how many are left. */
export function inWindow(w: number[], t: number, windowMs: number): number {
  while (w.length > 0 && w[0]! <= t - windowMs) w.shift();
  return w.length;
}

/** The end of the run: every pending timer, and the points kept. */
export function finish(sum: Checksum, leads: Map<string, HLead>, end: number): Checksum {
  for (const l of leads.values()) {
    runTimers(sum, l, end);
    sum.points += l.eng;
  }
  return sum;
}

/**
 * Scoring, the MQL threshold, three journeys and the pressure caps in plain JS. `keep` receives the
 * leads' states at the end (the bench measures their memory).
 */
export function handWritten(events: RawEvent[], end: number, keep?: (leads: Map<string, HLead>) => void): Checksum {
  const leads = new Map<string, HLead>();
  const sum = newChecksum();
  const fit = (l: HLead) => {
    let f = 0;
    if (l.job === 'vp' || l.job === 'c_level') f += 20;
    if (l.job === 'director') f += 10;
    if (l.employees !== null && l.employees >= 200) f += 10;
    if (l.country === 'FR') f += 5;
    return f > 100 ? 100 : f;
  };
  const addPoints = (l: HLead, n: number) => {
    l.eng = Math.min(200, l.eng + n);
  };
  const threshold = (l: HLead) => {
    if (l.stage === 0 && fit(l) >= 20 && l.eng >= 60) {
      l.stage = 1;
      sum.mqls++;
    }
  };
  const handlers: Record<string, (l: HLead, d: Record<string, unknown>, t: number) => void> = {
    email_opened: (l, _d, t) => {
      if (inWindow(l.opened, t, 7 * DAY) < 5) {
        l.opened.push(t);
        addPoints(l, 1);
      }
    },
    email_clicked: (l) => addPoints(l, 3),
    page_viewed: (l, d, t) => {
      if (d['topic'] === 'pricing') addPoints(l, 5);
      if (d['topic'] === 'blog' && l.employees !== null && l.employees >= 50) addPoints(l, 2);
      threshold(l);
      if (d['topic'] === 'pricing') enter(sum, l, 1, t);
    },
    form_submitted: (l, d, t) => {
      if (d['form'] === 'contact') addPoints(l, 10);
      if (d['form'] === 'newsletter') addPoints(l, 4);
      threshold(l);
      if (d['form'] === 'newsletter') enter(sum, l, 0, t);
    },
    webinar_attended: (l, _d, t) => {
      addPoints(l, 15);
      threshold(l);
      enter(sum, l, 2, t);
    },
    demo_requested: (l) => {
      if (!l.demo) {
        l.demo = true;
        addPoints(l, 30);
      }
    },
    trial_started: (l, d) => {
      if (d['plan'] === 'pro') addPoints(l, 20);
      if (d['plan'] === 'free' && (l.job === 'manager' || l.job === 'director' || l.job === 'vp' || l.job === 'c_level')) addPoints(l, 8);
    },
    content_downloaded: (l, d, t) => {
      if (d['kind'] === 'whitepaper') addPoints(l, 6);
      if (d['kind'] === 'ebook' && inWindow(l.ebooks, t, 30 * DAY) < 3) {
        l.ebooks.push(t);
        addPoints(l, 2);
      }
    },
    profile: applyProfile,
  };
  for (const e of events) {
    const t = Date.parse(e.at);
    const l = touchLead(sum, leads, e.lead, t);
    activityOn(l, e.type, t);
    handlers[e.type]!(l, e.data ?? {}, t);
    threshold(l);
    timeDriven(sum, l, t);
  }
  finish(sum, leads, end);
  keep?.(leads);
  return sum;
}

/** The events of the first `leads` leads (L0 … L{leads−1}), in the same order: a slice where every lead is whole. */
export function sliceLeads(events: RawEvent[], leads: number): RawEvent[] {
  return events.filter((e) => Number(e.lead.slice(1)) < leads);
}
