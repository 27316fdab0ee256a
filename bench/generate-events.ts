// Recorded events for the example workspaces (examples/<name>/events.jsonl), for `nurture simulate`.
//
// For each example, a population of leads: a `profile` event first (their attributes), then about
// 90 days of behaviour (2026-01-05 → 2026-04-05) with rates that look like a real program: most people
// do little, a few are very engaged, sales accept or reject the hand-offs, some people unsubscribe.
// The behaviour is driven by each lead's own propensity, not by what the journeys send (the file is an
// input recording, not a replay of the engine's outputs).
//
// The recorded world answers the nurturing where a journey has a holdout group: leads that the
// engine holds out (same stable hash as the runtime: `inHoldout`) receive nothing from that journey,
// so they react less — fewer demo requests without the B2B welcome series, fewer recovered carts
// without cart reminders, fewer registrations without the webinar invitation. That is what the
// simulation's lift measures.
//
// Seeded PRNG only (no Math.random, no clock): the same seed always gives the same file, byte for byte.
// Lines are sorted by time (then lead, then sequence); times carry the Europe/Paris offset of the day.
//
//   npx tsc -p . && node dist/bench/generate-events.js [--out-root DIR] [--only NAME]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inHoldout } from '../runtime/engine/hash.js';
import { makeRng } from './generate-workspace.js';

export interface EventLine {
  lead: string;
  type: string;
  at: string;
  data: Record<string, string | number | boolean | null>;
  id: string;
}

/** The example folders this script writes, with their seeds (part of the recorded data: keep them). */
export const EXAMPLE_SEEDS: Readonly<Record<string, number>> = {
  b2b: 1001,
  ecommerce: 2002,
  saas: 3003,
  events: 4004,
};

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;
/** Monday 2026-01-05 00:00 in Paris (23:00 UTC the day before). */
const START = Date.UTC(2026, 0, 4, 23, 0);
const SPAN_DAYS = 90;
const END = START + SPAN_DAYS * DAY;


class Rand {
  constructor(private readonly next: () => number) {}
  float(): number {
    return this.next();
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  /** Weighted choice: `[[value, weight], …]`. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.next() * total;
    for (const [v, w] of items) {
      r -= w;
      if (r < 0) return v;
    }
    return items[items.length - 1]![0];
  }
  /** A propensity in [0, 1], skewed low: most people are lukewarm, a few are hot. */
  propensity(): number {
    const x = this.next();
    return x * x;
  }
  /** A time on day `day` (0 = 2026-01-05), mostly in office hours. */
  timeOnDay(day: number): number {
    const hour = this.weighted<number>([
      [7, 2], [8, 6], [9, 10], [10, 12], [11, 11], [12, 7], [13, 8], [14, 11], [15, 11], [16, 10],
      [17, 8], [18, 5], [19, 3], [20, 3], [21, 3], [22, 2], [23, 1],
    ]);
    return START + day * DAY + hour * HOUR + this.int(0, 59) * MINUTE;
  }
}

/** Paris offset in minutes at a UTC instant (EU rule: summer time from the last Sunday of March to the last Sunday of October, 01:00 UTC). */
function parisOffset(ms: number): number {
  const year = new Date(ms).getUTCFullYear();
  const lastSunday = (month: number): number => {
    const last = new Date(Date.UTC(year, month + 1, 0));
    return Date.UTC(year, month, last.getUTCDate() - last.getUTCDay(), 1);
  };
  return ms >= lastSunday(2) && ms < lastSunday(9) ? 120 : 60;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** `2026-01-05T09:00:00+01:00`, in Paris time. */
export function isoParis(ms: number): string {
  const off = parisOffset(ms);
  const d = new Date(ms + off * MINUTE);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` +
    `+${pad(Math.floor(off / 60))}:${pad(off % 60)}`
  );
}

function isoDate(ms: number): string {
  const d = new Date(ms + parisOffset(ms) * MINUTE);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Collects one lead's events; `seq` keeps the order of events written for the same instant. */
class Recorder {
  private readonly rows: { ms: number; lead: number; seq: number; line: EventLine }[] = [];
  private readonly seqs = new Map<number, number>();
  private readonly first = new Map<number, number>();
  constructor(private readonly prefix: string) {}

  /** The lead id of lead number `leadNo`. */
  id(leadNo: number): string {
    return `${this.prefix}-${pad(leadNo, 4)}`;
  }

  add(leadNo: number, ms: number, type: string, data: EventLine['data'] = {}): void {
    // Nothing happens before a lead's profile (its first event): same-day activity drawn earlier
    // than the sign-up moves to just after it.
    const first = this.first.get(leadNo);
    if (first === undefined) this.first.set(leadNo, ms);
    else if (ms < first) ms = first + MINUTE;
    if (ms >= END || ms < START) return;
    const lead = this.id(leadNo);
    const seq = (this.seqs.get(leadNo) ?? 0) + 1;
    this.seqs.set(leadNo, seq);
    this.rows.push({ ms, lead: leadNo, seq, line: { lead, type, at: isoParis(ms), data, id: `${lead}-${seq}` } });
  }

  text(): string {
    this.rows.sort((a, b) => a.ms - b.ms || a.lead - b.lead || a.seq - b.seq);
    return this.rows.map((r) => JSON.stringify(r.line)).join('\n') + '\n';
  }
}

const FIRST_NAMES = [
  'Camille', 'Louis', 'Chloé', 'Hugo', 'Inès', 'Lucas', 'Léa', 'Gabriel', 'Manon', 'Arthur', 'Jade', 'Jules',
  'Emma', 'Nathan', 'Sarah', 'Thomas', 'Alice', 'Maxime', 'Zoé', 'Paul', 'Anna', 'Karim', 'Yasmine', 'Marc',
];
const COMPANIES = [
  'Banque Rhône', 'Assurances du Lac', 'Vinci Metal', 'Crédit Alpin', 'MutuElle', 'Atelier Nord', 'Groupe Sequana',
  'Pharmalys', 'Retailo', 'Transports Méridien', 'Ville de Lyon', 'Hexa Industrie', 'Optima Conseil', 'Brioche & Co',
];

// ---------------------------------------------------------------------------------------------------
// B2B lead nurturing (examples/b2b)

/** The `fit` score of examples/b2b/scoring.nurture for a profile. */
function fitEstimate(pr: EventLine['data']): number {
  let fit = 0;
  const budget = typeof pr['budget'] === 'number' ? pr['budget'] : -1;
  if (budget >= 20000) fit += 15;
  else if (budget >= 5000) fit += 5;
  fit += pr['authority'] === 'decision_maker' ? 20 : pr['authority'] === 'influencer' ? 8 : 0;
  if (pr['job_level'] === 'intern') fit -= 15;
  fit += pr['need'] === 'critical' ? 15 : pr['need'] === 'identified' ? 8 : 0;
  fit += pr['timeframe'] === 'within_3_months' ? 15 : pr['timeframe'] === 'within_12_months' ? 8 : 0;
  const employees = typeof pr['employees'] === 'number' ? pr['employees'] : 0;
  if (employees >= 200 && ['banking', 'insurance', 'manufacturing'].includes(String(pr['industry']))) fit += 10;
  return Math.max(0, Math.min(100, fit));
}

function b2b(rand: Rand): string {
  const rec = new Recorder('b2b');
  const messages = [
    'welcome_1', 'welcome_2', 'welcome_3', 'it_awareness', 'fin_awareness', 'it_consideration',
    'fin_consideration', 'guide_close_faster', 'report_benchmark', 'case_study_bank',
  ];
  const assets = ['ifrs17-playbook', 'close-in-5-days-guide', 'cfo-benchmark-2026', 'data-warehouse-guide', 'rfp-checklist'];
  const webinars = ['close-in-5-days', 'ifrs17-live', 'migration-clinic'];
  const topics = [
    ['education', 5], ['product', 4], ['pricing', 2], ['customer_stories', 2], ['onboarding', 1],
  ] as const;
  const urls: Record<string, string[]> = {
    education: ['/blog/closing-faster', '/blog/ifrs17', '/resources'],
    product: ['/platform', '/platform/integrations', '/platform/security'],
    pricing: ['/pricing', '/pricing/enterprise'],
    customer_stories: ['/customers', '/customers/banque-rhone'],
    onboarding: ['/getting-started'],
  };
  for (let n = 1; n <= 400; n++) {
    const startDay = rand.int(0, 75);
    const t0 = rand.timeOnDay(startDay);
    const jobLevel = rand.weighted([
      ['intern', 6], ['employee', 30], ['manager', 28], ['director', 18], ['vp', 10], ['c_level', 8],
    ] as const);
    const decisionMaker = ['director', 'vp', 'c_level'].includes(jobLevel);
    const profile: EventLine['data'] = {
      first_name: rand.pick(FIRST_NAMES),
      company: rand.pick(COMPANIES),
      country: rand.weighted([['FR', 6], ['BE', 1], ['CH', 1], ['LU', 1]] as const),
      industry: rand.weighted([
        ['banking', 3], ['insurance', 3], ['retail', 2], ['manufacturing', 3], ['public_sector', 1], ['other', 3],
      ] as const),
      employees: rand.weighted([[20, 3], [80, 3], [250, 3], [900, 2], [4000, 1]] as const) + rand.int(0, 19),
      job_level: jobLevel,
      persona: rand.chance(0.55) ? 'finance_lead' : 'it_lead',
      email_consent: rand.chance(0.9),
    };
    // BANT is only partly known: forms capture some, the qualification call the rest.
    const known = decisionMaker ? 0.85 : 0.55;
    if (rand.chance(known)) profile['budget'] = rand.weighted([[0, 2], [5000, 3], [20000, 3], [60000, 1]] as const);
    if (rand.chance(known)) profile['authority'] = decisionMaker ? rand.weighted([['decision_maker', 3], ['influencer', 1]] as const) : rand.weighted([['none', 2], ['influencer', 2]] as const);
    if (rand.chance(known)) profile['need'] = rand.weighted([['unknown', 2], ['identified', 3], ['critical', 2]] as const);
    if (rand.chance(known)) profile['timeframe'] = rand.weighted([['unknown', 2], ['over_12_months', 3], ['within_12_months', 3], ['within_3_months', 2]] as const);
    rec.add(n, t0, 'profile', profile);
    rec.add(n, t0, 'form_submitted', { form: rand.weighted([['newsletter', 5], ['whitepaper', 4], ['contact', 1]] as const) });
    if (profile['email_consent'] === false) continue;

    const p = rand.propensity();
    const fit = fitEstimate(profile);
    // Without the welcome series (holdout), fewer leads engage and ask for a demo in the first month.
    const welcomed = !inHoldout(rec.id(n), 'welcome', 10);
    // The engine's engagement score, roughly (no caps), to know when marketing hands the lead to
    // sales: sales only answer (accept / reject) for leads that became MQLs.
    let eng = 0;
    let lastActive = startDay;
    let answerDay = -1;
    let demo = false;
    const earn = (points: number, day: number): void => {
      eng = Math.min(150, eng + points);
      lastActive = day;
    };
    for (let day = startDay; day < SPAN_DAYS; day++) {
      if (day - lastActive >= 21 && (day - lastActive) % 21 === 0) eng *= 0.75;
      const weekday = day % 7;
      const weekend = weekday >= 5;
      // Fatigue: interest fades over time unless the lead is hot.
      const fade = Math.max(0.25, 1 - (day - startDay) / (120 + 300 * p));
      const effect = day - startDay < 30 ? (welcomed ? 1.2 : 0.5) : 1;
      const q = p * fade * effect * (weekend ? 0.3 : 1);
      if (rand.chance(0.04 + 0.3 * q)) {
        const message = rand.pick(messages);
        const opened = rand.timeOnDay(day);
        rec.add(n, opened, 'email_opened', { message });
        earn(1, day);
        if (rand.chance(0.15 + 0.4 * p)) {
          rec.add(n, opened + rand.int(1, 20) * MINUTE, 'email_clicked', { message, url: `/c/${message}` });
          earn(3, day);
        }
      }
      const views = rand.chance(0.02 + 0.3 * q) ? rand.int(1, 2 + Math.round(3 * p)) : 0;
      let at = rand.timeOnDay(day);
      for (let v = 0; v < views; v++) {
        const topic = p > 0.5 && rand.chance(0.3) ? 'pricing' : rand.weighted(topics);
        rec.add(n, at, 'page_viewed', { url: rand.pick(urls[topic]!), topic });
        earn(topic === 'pricing' ? 10 : 2, day);
        at += rand.int(1, 6) * MINUTE;
      }
      if (rand.chance(0.005 + 0.05 * q)) {
        rec.add(n, rand.timeOnDay(day), 'whitepaper_downloaded', { asset: rand.pick(assets) });
        earn(10, day);
      }
      if (!weekend && day % 14 === 3 && rand.chance(0.03 + 0.3 * q)) {
        const minutes = rand.int(4, 60);
        rec.add(n, START + day * DAY + 11 * HOUR + rand.int(0, 10) * MINUTE, 'webinar_attended', { webinar: rand.pick(webinars), minutes });
        earn(minutes >= 20 ? 15 : 5, day);
      }
      if (!demo && day > startDay + 2 && rand.chance(0.002 + 0.04 * q * (decisionMaker ? 1.5 : 0.7))) {
        demo = true;
        rec.add(n, rand.timeOnDay(day), 'demo_requested');
        earn(30, day);
      }
      if (answerDay < 0 && fit >= 40 && eng >= 50) answerDay = day + rand.int(2, 6);
      // Sales answer the hand-off: accept, reject (recycled) or, sometimes, nothing.
      if (day === answerDay) {
        const r = rand.float();
        if (r < 0.5) {
          rec.add(n, rand.timeOnDay(day), 'sales_accepted');
          if (rand.chance(0.3)) rec.add(n, rand.timeOnDay(day + rand.int(20, 45)), 'opportunity_won');
        } else if (r < 0.9) {
          rec.add(n, rand.timeOnDay(day), 'sales_rejected', {
            reason: rand.pick(['no budget this year', 'timing: after Q3', 'already equipped', 'not the decision maker']),
          });
          eng = 10;
          answerDay = -1;
          // Some recycled leads come back a few weeks later (re-opened) and may qualify again.
          if (rand.chance(0.4)) {
            const back = day + rand.int(20, 40);
            rec.add(n, rand.timeOnDay(back), 'whitepaper_downloaded', { asset: rand.pick(assets) });
            rec.add(n, rand.timeOnDay(back + 1), 'page_viewed', { url: '/pricing', topic: 'pricing' });
            rec.add(n, rand.timeOnDay(back + 2), 'whitepaper_downloaded', { asset: rand.pick(assets) });
          }
        }
      }
    }
    if (rand.chance(0.04)) rec.add(n, rand.timeOnDay(rand.int(startDay, SPAN_DAYS - 1)), 'unsubscribed');
  }
  return rec.text();
}

// ---------------------------------------------------------------------------------------------------
// E-commerce (examples/ecommerce)

function ecommerce(rand: Rand): string {
  const rec = new Recorder('shop');
  const catalog: Record<string, [string, number, number][]> = {
    fashion: [['linen-shirt', 49, 89], ['wool-coat', 180, 320], ['silk-scarf', 35, 75], ['denim-jacket', 90, 140]],
    shoes: [['leather-boots', 120, 220], ['white-sneakers', 60, 110], ['ballet-flats', 45, 85]],
    beauty: [['face-serum', 25, 60], ['perfume-50ml', 55, 120], ['lip-balm', 8, 15]],
    home: [['linen-sheets', 90, 180], ['ceramic-vase', 30, 70], ['scented-candle', 18, 35]],
  };
  const categories = Object.keys(catalog);
  const clickable = ['welcome_discount', 'bestsellers', 'cart_reminder_1', 'browse_reminder', 'cross_sell_shoes', 'upsell_premium'];
  for (let n = 1; n <= 600; n++) {
    const startDay = rand.int(0, 80);
    const t0 = rand.timeOnDay(startDay);
    const favourite = rand.pick(categories);
    const profile: EventLine['data'] = {
      first_name: rand.pick(FIRST_NAMES),
      email_optin: rand.chance(0.85),
      sms_optin: rand.chance(0.35),
      favourite_category: favourite,
    };
    if (rand.chance(0.75)) {
      // Some birthdays fall inside the recorded quarter.
      profile['birth_date'] = `${rand.int(1962, 2006)}-${pad(rand.int(1, 4))}-${pad(rand.int(1, 28))}`;
    }
    rec.add(n, t0, 'profile', profile);
    if (rand.chance(0.45)) rec.add(n, t0 + 2 * MINUTE, 'newsletter_signup', { source: rand.pick(['footer', 'popup', 'checkout']) });

    const p = rand.propensity();
    const visitsPerWeek = 0.2 + 1.5 * p;
    let orders = 0;
    for (let day = startDay; day < SPAN_DAYS; day++) {
      if (!rand.chance(visitsPerWeek / 7)) continue;
      let at = rand.timeOnDay(day);
      const cat = rand.chance(0.6) ? favourite : rand.pick(categories);
      let cart = 0;
      let items = 0;
      const views = rand.int(1, 4);
      for (let v = 0; v < views; v++) {
        const [product, lo, hi] = rand.pick(catalog[cat]!);
        const price = rand.int(lo, hi);
        rec.add(n, at, 'product_viewed', { product, category: cat, price });
        if (rand.chance(0.25)) {
          cart += price;
          items++;
        }
        at += rand.int(1, 8) * MINUTE;
      }
      if (items === 0) continue;
      const buyNow = rand.chance(0.25 + 0.3 * p);
      if (!buyNow) {
        rec.add(n, at + 20 * MINUTE, 'cart_abandoned', { cart_value: cart, items });
        // Carts come back more often with reminders than without (holdout).
        if (!rand.chance(inHoldout(rec.id(n), 'abandoned_cart', 5) ? 0.08 : 0.24)) continue;
        at += rand.int(2, 48) * HOUR;
      }
      orders++;
      rec.add(n, at, 'order_placed', { order_value: cart, category: cat });
      const delivered = at + rand.int(2, 5) * DAY + rand.int(0, 8) * HOUR;
      if (rand.chance(0.93)) rec.add(n, delivered, 'order_delivered');
      if (rand.chance(0.18)) rec.add(n, delivered + rand.int(1, 6) * DAY, 'review_posted', { rating: rand.weighted([[5, 5], [4, 3], [3, 1], [2, 1], [1, 1]] as const) });
    }
    const clicks = profile['email_optin'] ? rand.int(0, Math.round(6 * p) + orders) : 0;
    for (let c = 0; c < clicks; c++) rec.add(n, rand.timeOnDay(rand.int(startDay, SPAN_DAYS - 1)), 'email_clicked', { message: rand.pick(clickable) });
    if (rand.chance(0.03)) rec.add(n, rand.timeOnDay(rand.int(startDay, SPAN_DAYS - 1)), 'email_unsubscribed');
    if (profile['sms_optin'] && rand.chance(0.06)) rec.add(n, rand.timeOnDay(rand.int(startDay, SPAN_DAYS - 1)), 'sms_stop');
  }
  return rec.text();
}

// ---------------------------------------------------------------------------------------------------
// SaaS customer nurturing (examples/saas)

function saas(rand: Rand): string {
  const rec = new Recorder('acct');
  const features = ['import', 'invoices', 'bank_feeds', 'reports', 'approvals', 'budgets', 'export', 'api'];
  const apps = ['stripe', 'shopify', 'hubspot', 'salesforce', 'slack', 'qonto'];
  for (let n = 1; n <= 200; n++) {
    const isTrial = rand.chance(0.4);
    const startDay = isTrial ? rand.int(0, 70) : 0;
    const t0 = isTrial ? rand.timeOnDay(startDay) : START + 8 * HOUR + rand.int(0, 120) * MINUTE;
    const plan = isTrial
      ? 'trial'
      : rand.weighted([['starter', 30], ['team', 35], ['business', 25], ['enterprise', 10]] as const);
    const seats = plan === 'trial' ? 3 : plan === 'starter' ? 3 : plan === 'team' ? rand.int(5, 15) : rand.int(20, 120);
    const profile: EventLine['data'] = {
      company: `${rand.pick(COMPANIES)} ${n}`,
      role: rand.weighted([['admin', 4], ['accountant', 3], ['manager', 2], ['billing_owner', 1]] as const),
      plan,
      seats,
      email_consent: rand.chance(0.95),
    };
    const tz = rand.weighted([['Europe/Paris', 60], ['America/New_York', 20], ['Europe/London', 10], ['Asia/Singapore', 5], ['', 5]] as const);
    if (tz !== '') profile['timezone'] = tz;
    if (!isTrial) profile['contract_end'] = isoDate(START + rand.int(40, 400) * DAY);
    rec.add(n, t0, 'profile', profile);
    if (isTrial) rec.add(n, t0 + MINUTE, 'signed_up');

    // Share of working days on which the account's team uses the product; several users per day.
    const activity = isTrial ? 0.15 + 0.6 * rand.float() : 0.45 + 0.5 * rand.float();
    const users = Math.min(seats, 8);
    // 18% of accounts see their usage collapse at some point (champion left, project ended…).
    const dropDay = rand.chance(0.18) ? rand.int(startDay + 14, SPAN_DAYS + 20) : Infinity;
    // Half of them come back two or three weeks later when customer success steps in; far fewer
    // when the account is in the churn-prevention holdout.
    const saved = rand.chance(inHoldout(rec.id(n), 'churn_prevention', 10) ? 0.15 : 0.5);
    const recoverDay = saved ? dropDay + rand.int(14, 24) : Infinity;
    if (rand.chance(isTrial ? 0.45 : 0.2)) rec.add(n, rand.timeOnDay(startDay + rand.int(0, 12)), 'integration_connected', { app: rand.pick(apps) });
    const weekly: number[] = [];
    let sessions = 0;
    for (let day = startDay; day < SPAN_DAYS; day++) {
      const weekday = day % 7;
      if (weekday === 0 && day > startDay) {
        // Monday 07:00: the data team's weekly usage report for the previous week.
        const prev = weekly.slice(-4);
        const avg = prev.length > 0 ? prev.reduce((a, b) => a + b, 0) / prev.length : sessions;
        const week = Math.round(sessions * (0.85 + 0.3 * rand.float()));
        const change = avg >= 1 ? Math.round(((week - avg) / avg) * 100) : 0;
        rec.add(n, START + day * DAY + 7 * HOUR, 'weekly_usage', { sessions: week, change });
        weekly.push(week);
        sessions = 0;
      }
      if (weekday >= 5) continue;
      const level = day >= dropDay && day < recoverDay ? activity * 0.15 : activity;
      // Expected sessions of the whole team; the events below are the account admin's own visits.
      sessions += users * level;
      if (!rand.chance(level)) continue;
      let at = rand.timeOnDay(day);
      rec.add(n, at, 'logged_in');
      const used = rand.int(0, 1);
      for (let u = 0; u < used; u++) {
        at += rand.int(2, 30) * MINUTE;
        rec.add(n, at, 'feature_used', { feature: rand.pick(features) });
      }
      if (rand.chance(0.01 * seats ** 0.5)) rec.add(n, at + 10 * MINUTE, 'teammate_invited');
      if (rand.chance(0.01)) {
        rec.add(n, at + 15 * MINUTE, 'support_ticket_opened', { severity: rand.weighted([['low', 5], ['normal', 4], ['high', 1]] as const) });
      }
    }
    if ((plan === 'starter' || plan === 'team') && rand.chance(0.25)) {
      const day = rand.int(5, SPAN_DAYS - 10);
      rec.add(n, rand.timeOnDay(day), 'seat_limit_reached');
      if (rand.chance(0.3)) {
        const up = rand.timeOnDay(day + rand.int(3, 20));
        const newPlan = plan === 'starter' ? 'team' : 'business';
        rec.add(n, up, 'profile', { plan: newPlan, seats: seats + 5 });
        rec.add(n, up, 'plan_upgraded', { new_plan: newPlan });
      }
    }
    if (isTrial && rand.chance(0.3)) rec.add(n, rand.timeOnDay(startDay + 14), 'profile', { plan: 'starter', contract_end: isoDate(START + (startDay + 379) * DAY) });
    if (rand.chance(0.55)) {
      const day = rand.int(startDay + 10, SPAN_DAYS + 10);
      const score = rand.weighted([[10, 12], [9, 14], [8, 18], [7, 16], [6, 10], [5, 8], [4, 6], [3, 5], [2, 4], [1, 3], [0, 4]] as const);
      rec.add(n, rand.timeOnDay(day), 'nps_answered', { score });
      if (score >= 9 && rand.chance(0.35)) {
        rec.add(n, rand.timeOnDay(day + rand.int(1, 6)), 'review_posted', { site: rand.pick(['capterra', 'g2', 'trustpilot']) });
        if (rand.chance(0.4)) rec.add(n, rand.timeOnDay(day + rand.int(8, 20)), 'referral_sent');
      }
    }
    const end = profile['contract_end'];
    if (typeof end === 'string' && rand.chance(0.85)) {
      const endMs = Date.UTC(Number(end.slice(0, 4)), Number(end.slice(5, 7)) - 1, Number(end.slice(8, 10)), 9);
      rec.add(n, endMs - rand.int(0, 25) * DAY, 'renewed');
    }
  }
  return rec.text();
}

// ---------------------------------------------------------------------------------------------------
// Webinars (examples/events)

function events(rand: Rand): string {
  const rec = new Recorder('att');
  // Three live sessions, Thursdays at 14:00; invitations go out 17 days before (a Monday).
  const sessions = [
    { webinar: 'finops-2026-01', day: 17 },
    { webinar: 'security-2026-02', day: 45 },
    { webinar: 'kubernetes-2026-03', day: 73 },
  ];
  const clickable = ['invitation_a', 'invitation_b', 'invitation_last_call', 'reminder_day_before', 'thanks_slides', 'replay_no_show'];
  for (let n = 1; n <= 900; n++) {
    const t0 = START + 8 * HOUR + rand.int(0, 40) * MINUTE;
    rec.add(n, t0, 'profile', {
      first_name: rand.pick(FIRST_NAMES),
      company: rand.pick(COMPANIES),
      job_title: rand.pick(['CTO', 'IT Director', 'Cloud Architect', 'DevOps Lead', 'CFO', 'Head of Infrastructure']),
      email_consent: rand.chance(0.92),
      sms_consent: rand.chance(0.3),
    });
    const p = rand.propensity();
    let unsubscribed = false;
    for (const s of sessions) {
      if (unsubscribed || !rand.chance(0.75)) continue;
      const inviteDay = s.day - 17;
      const invitedAt = START + inviteDay * DAY + 10 * HOUR + rand.int(0, 30) * MINUTE;
      rec.add(n, invitedAt, 'invited', { webinar: s.webinar });
      if (rand.chance(0.1 + 0.3 * p)) rec.add(n, invitedAt + rand.int(1, 48) * HOUR, 'email_clicked', { message: rand.pick(clickable) });
      // Held-out invitees get no invitation: a few still find the session on the website.
      const reach = inHoldout(rec.id(n), 'invitation', 10) ? 0.25 : 1;
      if (!rand.chance((0.12 + 0.5 * p) * reach)) {
        if (rand.chance(0.015)) {
          rec.add(n, invitedAt + rand.int(1, 72) * HOUR, 'unsubscribed');
          unsubscribed = true;
        }
        continue;
      }
      const regAt = rand.timeOnDay(inviteDay + rand.int(0, 15));
      rec.add(n, regAt, 'profile', { webinar_date: isoDate(START + s.day * DAY + 12 * HOUR) });
      rec.add(n, regAt, 'webinar_registered', { webinar: s.webinar });
      const live = START + s.day * DAY + 14 * HOUR;
      if (rand.chance(0.35 + 0.4 * p)) {
        const minutes = Math.min(60, rand.int(3, 30) + Math.round(40 * p));
        rec.add(n, live + rand.int(0, 12) * MINUTE, 'webinar_attended', { webinar: s.webinar, minutes });
        if (rand.chance(0.1 + 0.3 * p)) rec.add(n, live + rand.int(15, 50) * MINUTE, 'question_asked', { webinar: s.webinar });
        if (rand.chance(0.6)) {
          rec.add(n, live + 40 * MINUTE, 'poll_answered', { interest: rand.weighted([['low', 4], ['medium', 4], ['high', 1 + 4 * p]] as const) });
        }
      } else if (rand.chance(0.3)) {
        rec.add(n, rand.timeOnDay(s.day + rand.int(1, 6)), 'replay_watched', { webinar: s.webinar, minutes: rand.int(5, 45) });
      }
      if (rand.chance(0.02 + 0.12 * p)) rec.add(n, rand.timeOnDay(s.day + rand.int(1, 10)), 'meeting_booked');
    }
  }
  return rec.text();
}

const GENERATORS: Record<string, (rand: Rand) => string> = { b2b, ecommerce, saas, events };

/** The `events.jsonl` text of one example (deterministic). */
export function generateEvents(example: string, seed = EXAMPLE_SEEDS[example]): string {
  const gen = GENERATORS[example];
  if (gen === undefined || seed === undefined) throw new Error(`no event generator for example \`${example}\``);
  return gen(new Rand(makeRng(seed)));
}

function main(argv: string[]): void {
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  let root = join(repo, 'examples');
  let only: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out-root') root = resolve(argv[++i] ?? '.');
    else if (argv[i] === '--only') only = argv[++i];
    else throw new Error(`unknown option ${argv[i]}`);
  }
  for (const name of Object.keys(EXAMPLE_SEEDS)) {
    if (only !== undefined && name !== only) continue;
    const text = generateEvents(name);
    const file = join(root, name, 'events.jsonl');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    const lines = text.split('\n').length - 1;
    const leads = new Set(text.split('\n').filter((l) => l !== '').map((l) => (JSON.parse(l) as EventLine).lead)).size;
    process.stdout.write(`${file}: ${lines} events, ${leads} leads, ${text.length} bytes\n`);
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2));
}
