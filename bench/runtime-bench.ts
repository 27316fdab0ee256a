// How fast is the runtime? A realistic plan (8 event types, 12 engagement rules with payload and
// attribute conditions + 4 fit rules, an MQL threshold, three journeys with waits under pressure caps),
// compiled from its sources, runs over N events (default 1,000,000) for L leads (default 100,000), in
// memory; then, in the same run, the same scoring + threshold + journeys + caps workload written by hand
// in plain JS (Maps and closures: the practical limit of a hand-written host). Both must agree on a
// checksum (engagement points kept, MQLs, sends, suppressed). Reports events/s, the ratio and the
// engine's heap per lead. json-rules-engine / zen-engine are not installed: no comparison with them.
//
//   npm run build && node --expose-gc dist/bench/runtime-bench.js [--events N] [--leads L] [--seed S]
import { checkSources } from '../compiler/workspace.js';
import { compilePlan } from '../compiler/lower/index.js';
import { createRuntime } from '../runtime/engine/index.js';

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
`;

// ---------------------------------------------------------------------------------------------
// Events

interface RawEvent {
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
// The same workload by hand

interface Checksum {
  points: number;
  mqls: number;
  sends: number;
  suppressed: number;
}

interface HLead {
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
}

/** Scoring, the MQL threshold, three journeys and the pressure caps in plain JS. */
export function handWritten(events: RawEvent[], end: number): Checksum {
  const leads = new Map<string, HLead>();
  const sum: Checksum = { points: 0, mqls: 0, sends: 0, suppressed: 0 };
  const fit = (l: HLead) => {
    let f = 0;
    if (l.job === 'vp' || l.job === 'c_level') f += 20;
    if (l.job === 'director') f += 10;
    if (l.employees !== null && l.employees >= 200) f += 10;
    if (l.country === 'FR') f += 5;
    return f > 100 ? 100 : f;
  };
  const send = (l: HLead, t: number) => {
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
  };
  const runTimers = (l: HLead, t: number) => {
    while (l.pending.length > 0 && l.pending[0]!.due <= t) {
      const p = l.pending.shift()!;
      send(l, p.due);
    }
  };
  const addPoints = (l: HLead, n: number) => {
    l.eng = Math.min(200, l.eng + n);
  };
  const threshold = (l: HLead, t: number) => {
    if (l.stage === 0 && fit(l) >= 20 && l.eng >= 60) {
      l.stage = 1;
      sum.mqls++;
      void t;
    }
  };
  const schedule = (l: HLead, due: number, content: number, journey: number) => {
    l.pending.push({ due, content, journey });
    l.pending.sort((a, b) => a.due - b.due || a.journey - b.journey);
  };
  const enter = (l: HLead, j: number, t: number) => {
    if (l.journeys & (1 << j)) return;
    l.journeys |= 1 << j;
    if (j === 0) {
      send(l, t);
      schedule(l, t + 3 * DAY, 1, 0);
    } else if (j === 1) send(l, t);
    else {
      send(l, t);
      schedule(l, t + 7 * DAY, 4, 2);
    }
  };
  const handlers: Record<string, (l: HLead, d: Record<string, unknown>, t: number) => void> = {
    email_opened: (l, _d, t) => {
      const w = l.opened;
      while (w.length > 0 && w[0]! <= t - 7 * DAY) w.shift();
      if (w.length < 5) {
        w.push(t);
        addPoints(l, 1);
      }
    },
    email_clicked: (l) => addPoints(l, 3),
    page_viewed: (l, d, t) => {
      if (d['topic'] === 'pricing') addPoints(l, 5);
      if (d['topic'] === 'blog' && l.employees !== null && l.employees >= 50) addPoints(l, 2);
      threshold(l, t);
      if (d['topic'] === 'pricing') enter(l, 1, t);
    },
    form_submitted: (l, d, t) => {
      if (d['form'] === 'contact') addPoints(l, 10);
      if (d['form'] === 'newsletter') addPoints(l, 4);
      threshold(l, t);
      if (d['form'] === 'newsletter') enter(l, 0, t);
    },
    webinar_attended: (l, _d, t) => {
      addPoints(l, 15);
      threshold(l, t);
      enter(l, 2, t);
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
      if (d['kind'] === 'ebook') {
        const w = l.ebooks;
        while (w.length > 0 && w[0]! <= t - 30 * DAY) w.shift();
        if (w.length < 3) {
          w.push(t);
          addPoints(l, 2);
        }
      }
    },
    profile: (l, d) => {
      if ('job_level' in d) l.job = d['job_level'] as string;
      if ('employees' in d) l.employees = d['employees'] as number;
      if ('country' in d) l.country = d['country'] as string;
      if ('email_consent' in d) l.consent = d['email_consent'] === true;
    },
  };
  for (const e of events) {
    const t = Date.parse(e.at);
    let l = leads.get(e.lead);
    if (l === undefined) {
      l = { job: null, employees: null, country: null, consent: false, eng: 0, stage: 0, opened: [], ebooks: [], demo: false, sent: [], journeys: 0, pending: [] };
      leads.set(e.lead, l);
    }
    if (l.pending.length > 0) runTimers(l, t);
    handlers[e.type]!(l, e.data ?? {}, t);
    threshold(l, t);
  }
  for (const l of leads.values()) {
    runTimers(l, end);
    sum.points += l.eng;
  }
  return sum;
}

// ---------------------------------------------------------------------------------------------

function cpuMs(u: NodeJS.CpuUsage): number {
  return (u.user + u.system) / 1000;
}

function heapUsed(): number {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
  return process.memoryUsage().heapUsed;
}

function main(): void {
  const argv = process.argv.slice(2);
  const opt = (name: string, def: number) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? Number(argv[i + 1]) : def;
  };
  const nEvents = opt('events', 1_000_000);
  const nLeads = opt('leads', 100_000);
  const seed = opt('seed', 42);
  const sources = [{ path: 'bench.nurture', text: BENCH_SOURCE }];
  const { model, diagnostics } = checkSources(sources);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`bench plan has errors: ${errors.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  const plan = compilePlan(model, sources);

  let t = process.hrtime.bigint();
  const events = generateEvents(nEvents, nLeads, seed);
  const genMs = Number(process.hrtime.bigint() - t) / 1e6;
  const end = Date.parse(events[events.length - 1]!.at) + 30 * DAY;
  console.log(`runtime bench: ${events.length.toLocaleString('en')} events, ${nLeads.toLocaleString('en')} leads (generated in ${genMs.toFixed(0)} ms)`);
  if (!(globalThis as { gc?: unknown }).gc) console.log('  (run with node --expose-gc for exact memory figures)');

  // (a) the engine
  const before = heapUsed();
  const rt = createRuntime(plan, { audit: 'off' });
  let cpu = process.cpuUsage();
  t = process.hrtime.bigint();
  let mqls = 0;
  let sends = 0;
  const count = () => {
    for (const a of rt.drainActions()) {
      if (a.type === 'send') sends++;
      else if (a.type === 'stage' && a.to === 'mql') mqls++;
    }
  };
  for (let i = 0; i < events.length; i++) {
    const r = rt.ingest(events[i]);
    if (!r.ok) throw new Error(`rejected: ${r.reason}`);
    if ((i & 4095) === 4095) count();
  }
  rt.advanceTo(end);
  count();
  const engineMs = Number(process.hrtime.bigint() - t) / 1e6;
  const engineCpu = cpuMs(process.cpuUsage(cpu));
  const after = heapUsed();
  const m = rt.measures();
  const suppressed = m.suppressed.reduce((n, r) => n + r.count, 0);
  const engine: Checksum = { points: 0, mqls, sends, suppressed };
  const engSlot = rt.index.scores[rt.index.scoreSlot.get('engagement')!]!.slot;
  for (let i = 0; i < nLeads; i++) {
    const s = rt.leadState(`L${i}`);
    if (s) engine.points += s.eg[engSlot]!;
  }

  // (c) by hand
  cpu = process.cpuUsage();
  t = process.hrtime.bigint();
  const hand = handWritten(events, end);
  const handMs = Number(process.hrtime.bigint() - t) / 1e6;
  const handCpu = cpuMs(process.cpuUsage(cpu));

  const eps = (ms: number) => Math.round(events.length / (ms / 1000)).toLocaleString('en');
  // CPU time (user + system) as well as wall time: on a shared machine the CPU figures are the stable ones.
  const row = (name: string, wall: number, c: number, sum: Checksum) =>
    console.log(`  ${name.padEnd(12)} wall ${wall.toFixed(0).padStart(6)} ms (${eps(wall).padStart(9)} events/s)  cpu ${c.toFixed(0).padStart(6)} ms (${eps(c).padStart(9)} events/s)  checksum ${JSON.stringify(sum)}`);
  row('engine', engineMs, engineCpu, engine);
  row('hand-written', handMs, handCpu, hand);
  console.log(`  ratio engine / hand-written: ${(engineMs / handMs).toFixed(2)}x the wall time, ${(engineCpu / handCpu).toFixed(2)}x the CPU time`);
  console.log(`  engine heap per lead: ${((after - before) / nLeads).toFixed(0)} bytes (${((after - before) / 1048576).toFixed(1)} MiB for ${nLeads.toLocaleString('en')} leads, states + indexes + measures)`);
  console.log(`  MQLs ${engine.mqls.toLocaleString('en')}, sends ${engine.sends.toLocaleString('en')}, suppressed ${engine.suppressed.toLocaleString('en')}`);
  const same = JSON.stringify(engine) === JSON.stringify(hand);
  console.log(same ? '  checksums agree' : '  CHECKSUMS DIFFER');
  if (!same) process.exitCode = 1;
}

if (process.argv[1] && /runtime-bench\.(js|ts)$/.test(process.argv[1])) main();
