// A deterministic generator of a realistic nurture workspace (a B2B marketing team's whole setup):
// a lead model, ~30 events, channels with consent, topics, stages, segments, fit and engagement scores,
// thresholds, `on` handlers, one pressure block, and as many campaigns as needed to reach the wanted
// number of lines — each campaign with its content, a drip stream, an audience segment, a journey that
// uses every kind of step, sometimes a threshold and a handler, and `test` blocks.
//
// Everything is VALID nurture (LANGUAGE.md): every name is declared once, used, and well typed, so the
// checker must report 0 errors on it. It is a workload, not noise.
//
// Seeded PRNG only (no Math.random): the same options always give the same files, byte for byte.
//
//   node dist/bench/generate-workspace.js [--lines N] [--seed S] --out DIR   writes the files to DIR
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface GenerateOptions {
  /** Approximate number of lines (the generator stops at the first campaign that reaches it). */
  lines?: number;
  seed?: number;
  /** Campaigns per campaign file (and per test file). */
  campaignsPerFile?: number;
}

export interface GeneratedFile {
  path: string;
  text: string;
}

export interface GeneratedWorkspace {
  files: GeneratedFile[];
  lines: number;
  bytes: number;
  campaigns: number;
}

/** mulberry32: small, fast, good enough for test data. */
export function makeRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Pick {
  constructor(private readonly rng: () => number) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.rng() * (max - min + 1));
  }
  one<T>(items: readonly T[]): T {
    return items[Math.floor(this.rng() * items.length)]!;
  }
  chance(p: number): boolean {
    return this.rng() < p;
  }
  some<T>(items: readonly T[], min: number, max: number): T[] {
    const pool = [...items];
    const n = Math.min(pool.length, this.int(min, max));
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(pool.splice(Math.floor(this.rng() * pool.length), 1)[0]!);
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

const JOB_LEVELS = ['intern', 'employee', 'manager', 'director', 'vp', 'c_level'] as const;
const DEPARTMENTS = ['marketing_dept', 'sales_dept', 'it_dept', 'finance_dept', 'hr_dept', 'operations_dept'] as const;
const COMPANY_SIZES = ['micro', 'small', 'midsize', 'large', 'enterprise'] as const;
const REGIONS = ['emea', 'amer', 'apac', 'latam'] as const;
const LEAD_SOURCES = ['organic', 'paid_search', 'paid_social', 'referral', 'partner', 'event_booth'] as const;
const TOPICS = [
  'onboarding', 'education', 'product', 'pricing', 'security', 'integrations', 'customer_stories', 'webinars',
  'renewal', 'upsell', 'compliance', 'analytics',
] as const;
// Topics a campaign's own content is about (the others are used by the core content).
const CAMPAIGN_TOPICS = ['education', 'product', 'security', 'integrations', 'analytics', 'compliance', 'upsell'] as const;
const THEMES = [
  ['fin', 'finance teams'], ['ret', 'retail'], ['saas', 'SaaS companies'], ['hlth', 'healthcare'],
  ['mfg', 'manufacturing'], ['edu', 'universities'], ['gov', 'public sector'], ['ins', 'insurance'],
  ['log', 'logistics'], ['media', 'media groups'], ['tel', 'telecoms'], ['nrg', 'energy'],
] as const;
const COUNTRIES = ['FR', 'DE', 'GB', 'US', 'CA', 'ES', 'IT', 'NL', 'SE', 'JP', 'AU', 'BR', 'MX', 'IN', 'SG'] as const;
const INDUSTRIES = ['finance', 'retail', 'software', 'healthcare', 'manufacturing', 'education', 'energy'] as const;
const INTERESTS = ['ai', 'security', 'automation', 'analytics', 'compliance', 'integrations', 'mobile'] as const;
const QUEUES = ['sales', 'sdr', 'enterprise_sales', 'partners', 'product_led_sales'] as const;
const SUBJECTS = [
  'Your quick-start guide', 'How peers cut costs by 30%', 'Three mistakes to avoid', 'Your personal invitation',
  'What\'s new this quarter', 'The 2026 benchmark report', 'A checklist for your team', 'Last chance to join us',
] as const;

function pad(n: number, width = 4): string {
  return String(n).padStart(width, '0');
}

// ---------------------------------------------------------------------------------------------
// The shared model (fixed part)

function modelFile(): string[] {
  return [
    '# Lead model: who our leads are',
    'timezone "Europe/Paris"',
    '',
    'lead {',
    `  job_level: one of [${JOB_LEVELS.join(', ')}]`,
    `  department: one of [${DEPARTMENTS.join(', ')}]`,
    `  company_size: one of [${COMPANY_SIZES.join(', ')}]`,
    `  region: one of [${REGIONS.join(', ')}]`,
    `  lead_source: one of [${LEAD_SOURCES.join(', ')}]`,
    '  employees: number',
    '  annual_revenue: number',
    '  budget: number',
    '  seats: number',
    '  nps: number',
    '  lead_rating: number',
    '  industry: text',
    '  country: text',
    '  city: text',
    '  company: text',
    '  last_campaign: text',
    '  timezone: text',
    '  interests: list of text',
    '  email_consent: bool',
    '  sms_consent: bool',
    '  push_consent: bool',
    '  is_customer: bool',
    '  contract_end: date',
    '  signup_date: date',
    '  birthday: date',
    '}',
    '',
    '# The lifecycle, in order',
    'stages subscriber, lead, mql, sql, opportunity, customer, churned',
    '',
  ];
}

function eventsFile(): string[] {
  return [
    '# Behaviours reported by the website, the email platform, the product and the CRM',
    'event form_submitted { form: text, page: text }',
    'event email_opened { message: content }',
    'event email_clicked { message: content, url: text }',
    'event email_bounced { message: content, reason: text }',
    'event sms_clicked { message: content }',
    'event push_opened { message: content }',
    'event page_viewed { url: text, section: topic }',
    'event pricing_viewed { plan: text }',
    'event webinar_registered { webinar: text }',
    'event webinar_attended { webinar: text, minutes: number }',
    'event demo_requested',
    'event demo_attended { rep: text }',
    'event trial_started { plan: text }',
    'event trial_activated { feature: text }',
    'event trial_ended',
    'event download_completed { asset: content }',
    'event event_checked_in { event_name: text }',
    'event chat_started { agent: text }',
    'event support_ticket { severity: one of [low, medium, high, urgent] }',
    'event survey_answered { nps_score: number }',
    'event meeting_booked { rep: text }',
    'event quote_requested { amount: number }',
    'event contract_signed { amount: number }',
    'event sales_rejected { reason: text }',
    'event sales_accepted',
    'event unsubscribed { channel_name: channel }',
    'event sms_opt_out',
    'event push_opt_out',
    'event app_installed { platform: one of [ios, android, web_app] }',
    'event referral_sent { friend: text }',
    'event social_engaged { network: text }',
    '',
  ];
}

function channelsFile(): string[] {
  return [
    '# Where we can reach people, and only with their consent',
    'channel email { consent: email_consent }',
    'channel sms { consent: sms_consent }',
    'channel push { consent: push_consent }',
    '',
    `topics ${TOPICS.slice(0, 6).join(', ')}`,
    `topics ${TOPICS.slice(6).join(', ')}`,
    '',
    '# Marketing pressure: never more than this, whatever the journeys want',
    'pressure {',
    '  max 3 messages per 7 days',
    '  max 1 message per day on email',
    '  min 2 days between messages',
    '  min 14 days between messages on the same topic',
    '  quiet hours 20:00 to 08:00',
    '  quiet days saturday, sunday',
    '  delay capped messages up to 3 days',
    '}',
    '',
  ];
}

function coreContentFile(): string[] {
  return [
    '# Evergreen content used by the core journeys',
    'content welcome_email        { channel: email, topic: onboarding, template: "tpl-welcome", subject: "Welcome aboard" }',
    'content ebook_finance        { channel: email, topic: education, cost: 0.05 }',
    'content reminder             { channel: email, topic: onboarding }',
    'content webinar_replay       { channel: email, topic: webinars, template: "tpl-replay" }',
    'content case_study_a         { channel: email, topic: customer_stories }',
    'content case_study_b         { channel: email, topic: customer_stories }',
    'content pricing_guide        { channel: email, topic: pricing, cost: 0.02 }',
    'content product_tour         { channel: email, topic: product, template: "tpl-tour" }',
    'content security_whitepaper  { channel: email, topic: security, cost: 0.1 }',
    'content integrations_guide   { channel: email, topic: integrations }',
    'content renewal_notice       { channel: email, topic: renewal, subject: "Your contract renews soon" }',
    'content renewal_sms          { channel: sms, topic: renewal }',
    'content upsell_offer         { channel: email, topic: upsell }',
    'content compliance_checklist { channel: email, topic: compliance }',
    'content analytics_report     { channel: email, topic: analytics }',
    'content birthday_card        { channel: email, topic: onboarding, template: "tpl-birthday" }',
    'content trial_tips_1         { channel: email, topic: product }',
    'content trial_tips_2         { channel: email, topic: product }',
    'content trial_tips_3         { channel: push, topic: product }',
    'content reactivation_email   { channel: email, topic: education, subject: "We miss you" }',
    'content reactivation_sms     { channel: sms, topic: education }',
    'content receipt              { channel: email, transactional: true, template: "tpl-receipt" }',
    '',
    'stream education: ebook_finance, webinar_replay, pricing_guide',
    'stream trial_tips: trial_tips_1, trial_tips_2, trial_tips_3',
    '',
    '# Audiences',
    'segment decision_makers = job_level in [director, vp, c_level] and employees >= 100',
    'segment enterprise_accounts = company_size in [large, enterprise] or annual_revenue >= 50000000',
    'segment active_trials = has trial_started within 30 days and not has contract_signed',
    'segment emea_leads = region is emea and email_consent is true',
    'segment engaged_readers = has email_opened at least 3 times within 30 days',
    'segment lapsed = not has email_opened within 90 days and stage < customer',
    '',
  ];
}

function scoringFile(): string[] {
  return [
    '# Scoring: who fits (profile) and who is engaged (behaviour)',
    'score fit {',
    '  +30 if job_level is c_level',
    '  +20 if job_level in [vp, director]',
    '  +10 if job_level is manager',
    '  -15 if job_level is intern',
    '  +15 if employees >= 500',
    '  +10 if budget >= 10000',
    '  +5  if department in [marketing_dept, sales_dept]',
    '  range 0 to 100',
    '}',
    '',
    'score company_fit {',
    '  +25 if company_size in [large, enterprise]',
    '  +10 if company_size is midsize',
    '  -10 if company_size is micro',
    '  +20 if annual_revenue >= 10000000',
    '  +10 if region in [emea, amer]',
    '  +10 if industry is "finance"',
    '  +5  if seats >= 50',
    '  range 0 to 100',
    '}',
    '',
    'score engagement {',
    '  +1  on email_opened max 5 per 7 days',
    '  +3  on email_clicked',
    '  +2  on email_clicked where url contains "pricing" max 3 per 7 days',
    '  +10 on page_viewed where section is pricing',
    '  +2  on page_viewed where section in [product, integrations] max 10 per 7 days',
    '  +15 on webinar_attended where minutes >= 30',
    '  +5  on webinar_registered',
    '  +40 on demo_requested once',
    '  +8  on download_completed max 2 per day',
    '  -5  on email_bounced',
    '  decay 20% every 30 days idle',
    '  range 0 to 200',
    '}',
    '',
    'score product_engagement {',
    '  +10 on trial_started once',
    '  +5  on trial_activated max 3 per day',
    '  +20 on app_installed once',
    '  +3  on page_viewed where section is product max 5 per 7 days',
    '  decay 5 every 14 days idle',
    '  range 0 to 100',
    '}',
    '',
    'score event_engagement {',
    '  +10 on event_checked_in',
    '  +5  on chat_started max 2 per 7 days',
    '  +15 on meeting_booked',
    '  +3  on social_engaged max 3 per week',
    '  decay 10% every 2 weeks idle',
    '  range 0 to 100',
    '}',
    '',
    'score total = fit + company_fit + engagement',
    '',
    '# Conversion thresholds',
    'threshold mql when fit >= 40 and engagement >= 60 and stage < mql {',
    '  set stage = mql',
    '  handoff "sales"',
    '}',
    '',
    'threshold sql_ready when stage is mql and has meeting_booked within 30 days {',
    '  set stage = sql',
    '}',
    '',
    'threshold enterprise_fast_track when company_fit >= 50 and decision_makers and stage < mql {',
    '  set stage = mql',
    '  handoff "enterprise_sales"',
    '}',
    '',
    'threshold product_qualified when product_engagement >= 60 and active_trials {',
    '  handoff "product_led_sales"',
    '}',
    '',
    'threshold total_hot when total >= 150 and stage < sql {',
    '  handoff "sales"',
    '}',
    '',
    'threshold events_fan when event_engagement >= 40 and stage < mql {',
    '  set lead_rating = 4',
    '}',
    '',
    '# Reactions to events',
    'on unsubscribed where channel_name is email {',
    '  set email_consent = false',
    '}',
    '',
    'on unsubscribed where channel_name is sms {',
    '  set sms_consent = false',
    '}',
    '',
    'on sms_opt_out {',
    '  set sms_consent = false',
    '}',
    '',
    'on push_opt_out {',
    '  set push_consent = false',
    '}',
    '',
    'on sales_rejected {',
    '  set stage = lead',
    '  set engagement = 20',
    '  enroll long_term',
    '}',
    '',
    'on contract_signed {',
    '  set stage = customer',
    '  set is_customer = true',
    '  send receipt',
    '  remove from welcome',
    '  remove from long_term',
    '}',
    '',
    'on support_ticket where severity in [high, urgent] {',
    '  handoff "support"',
    '}',
    '',
    'on survey_answered where nps_score >= 9 {',
    '  set nps = 9',
    '}',
    '',
  ];
}

function coreJourneysFile(): string[] {
  return [
    '# Core journeys',
    'journey welcome {',
    '  entry on form_submitted where form is "newsletter"',
    '  exit when stage >= mql',
    '  goal on demo_requested within 30 days',
    '  holdout 10%',
    '  priority 10',
    '',
    '  send welcome_email',
    '  wait 2 days',
    '  if engagement >= 10 {',
    '    send ebook_finance',
    '  } else if emea_leads {',
    '    send product_tour',
    '  } else {',
    '    send reminder',
    '  }',
    '  wait for webinar_attended up to 14 days {',
    '    set stage = lead',
    '  } timeout {',
    '    send webinar_replay',
    '  }',
    '  split {',
    '    50% { send case_study_a }',
    '    50% { send case_study_b }',
    '  }',
    '  wait 3 days',
    '  move to long_term',
    '}',
    '',
    'journey long_term {',
    '  audience decision_makers',
    '  exit when stage >= mql',
    '  repeat every 7 days max 10 times {',
    '    send next from education',
    '  }',
    '}',
    '',
    'journey trial_onboarding {',
    '  entry on trial_started',
    '  audience active_trials or has trial_started within 1 day',
    '  reentry after 180 days',
    '  exit on contract_signed',
    '  goal on trial_activated within 14 days',
    '',
    '  repeat every 2 days max 3 times until product_engagement >= 50 {',
    '    send next from trial_tips',
    '  }',
    '  wait until product_engagement >= 30 up to 10 days {',
    '    send integrations_guide',
    '  } timeout {',
    '    send security_whitepaper',
    '  }',
    '}',
    '',
    'journey renewal_reminders {',
    '  entry 60 days before contract_end yearly',
    '  audience enterprise_accounts or is_customer is true',
    '  reentry always',
    '  exit on sales_rejected',
    '  goal on contract_signed within 90 days',
    '',
    '  send renewal_notice',
    '  wait 14 days',
    '  if total >= 120 {',
    '    send upsell_offer',
    '  } else {',
    '    send renewal_sms',
    '  }',
    '  wait 7 days',
    '  send compliance_checklist',
    '  handoff "account_management"',
    '}',
    '',
    'journey birthday_greetings {',
    '  entry 1 day before birthday yearly',
    '  reentry always',
    '  send birthday_card',
    '}',
    '',
    'journey reactivation {',
    '  entry when lapsed',
    '  reentry after 180 days',
    '  exit on email_clicked',
    '  goal engaged_readers within 60 days',
    '  holdout 20%',
    '',
    '  send reactivation_email',
    '  wait 5 days',
    '  if received reactivation_email within 5 days and not has email_opened within 5 days {',
    '    send reactivation_sms',
    '  }',
    '  wait 10 days',
    '  send analytics_report',
    '}',
    '',
  ];
}

function coreTestsFile(): string[] {
  return [
    'test "a VP who attends a webinar and asks for a demo becomes an MQL" {',
    '  lead { job_level: vp, employees: 800, budget: 20000, email_consent: true }',
    '  at 2026-01-05 09:00',
    '  form_submitted { form: "newsletter", page: "/newsletter" }',
    '  expect received welcome_email',
    '  after 1 day',
    '  webinar_attended { webinar: "w-42", minutes: 50 }',
    '  page_viewed { url: "/pricing", section: pricing }',
    '  demo_requested',
    '  expect stage is mql',
    '  expect handed off to "sales"',
    '  expect not in journey welcome',
    '}',
    '',
    'test "an unsubscribed lead gets no more email" {',
    '  lead "L-unsub" { job_level: manager, email_consent: true, sms_consent: false }',
    '  form_submitted { form: "newsletter", page: "/newsletter" }',
    '  unsubscribed { channel_name: email }',
    '  expect email_consent is false',
    '  after 3 days',
    '  expect not received ebook_finance',
    '}',
    '',
    'test "a trial user gets the tips in order" {',
    '  lead { job_level: employee, email_consent: true, push_consent: true, interests: ["ai", "mobile"] }',
    '  at 2026-02-02 10:00',
    '  trial_started { plan: "pro" }',
    '  expect in journey trial_onboarding',
    '  expect received trial_tips_1 1 times',
    '  after 2 days',
    '  trial_activated { feature: "sso" }',
    '  app_installed { platform: ios }',
    '  expect product_engagement >= 30',
    '}',
    '',
  ];
}

// ---------------------------------------------------------------------------------------------
// One campaign

interface Campaign {
  journey: string[];
  tests: string[];
}

function campaign(i: number, p: Pick): Campaign {
  const [short, audienceName] = THEMES[i % THEMES.length]!;
  const id = `${short}_${pad(i)}`;
  const topic = CAMPAIGN_TOPICS[i % CAMPAIGN_TOPICS.length]!;
  const region = REGIONS[i % REGIONS.length]!;
  const otherRegion = REGIONS[(i + 1) % REGIONS.length]!;
  const size = p.one(['midsize', 'large'] as const);
  const dripCount = p.int(3, 5);
  const threeWay = p.chance(0.3);
  const entryKind = i % 4;
  const settingsKind = i % 3;
  const hasConfirmation = i % 3 === 0;
  const L: string[] = [];
  const subject = (): string => p.one(SUBJECTS);

  L.push(`# --- Campaign ${id}: ${topic} for ${audienceName} (${region}) ---`);
  L.push(`content ${id}_intro { channel: email, topic: ${topic}, template: "tpl-${id}-intro", subject: "${subject()}", campaign: "cmp-${id}" }`);
  L.push(`content ${id}_guide { channel: email, topic: ${topic}, cost: 0.0${p.int(1, 9)}, language: "en" }`);
  L.push(`content ${id}_case { channel: email, topic: customer_stories, owner: "content-team" }`);
  L.push(`content ${id}_reminder { channel: email, topic: ${topic}, subject: "${subject()}" }`);
  L.push(`content ${id}_last_call { channel: email, topic: ${topic}, template: "tpl-last-call" }`);
  L.push(`content ${id}_sms { channel: sms, topic: ${topic}, cost: 0.0${p.int(2, 8)} }`);
  L.push(`content ${id}_push { channel: push, topic: ${topic} }`);
  L.push(`content ${id}_variant_a { channel: email, topic: product, subject: "${subject()}" }`);
  L.push(`content ${id}_variant_b { channel: email, topic: product, subject: "${subject()}" }`);
  if (threeWay) L.push(`content ${id}_variant_c { channel: email, topic: product }`);
  for (let k = 1; k <= dripCount; k++) {
    L.push(`content ${id}_drip_${k} { channel: email, topic: education, template: "tpl-${id}-drip-${k}" }`);
  }
  if (hasConfirmation) {
    L.push(`content ${id}_confirmation { channel: email, transactional: true, template: "tpl-confirm" }`);
  }
  L.push('');
  L.push(`stream ${id}_drip: ${Array.from({ length: dripCount }, (_, k) => `${id}_drip_${k + 1}`).join(', ')}`);
  L.push('');
  const audience = p.one([
    `region is ${region} and employees >= ${p.one([20, 50, 100, 250])}`,
    `region in [${region}, ${otherRegion}] and company_size in [${size}, enterprise]`,
    `job_level in [manager, director, vp] and email_consent is true`,
    `(region is ${region} or country is "${p.one(COUNTRIES)}") and budget >= ${p.one([1000, 5000, 20000])}`,
    `industry is "${p.one(INDUSTRIES)}" or interests contains "${p.one(INTERESTS)}"`,
  ]);
  L.push(`segment ${id}_audience = ${audience}`);
  L.push('');

  // The journey: settings, then every kind of step.
  L.push(`journey ${id}_nurture {`);
  switch (entryKind) {
    case 0:
      L.push(`  entry on form_submitted where form is "lp-${id}"`);
      L.push(`  entry on page_viewed where url contains "/${id}" and section is ${topic}`);
      break;
    case 1:
      L.push(`  entry on webinar_registered where webinar is "w-${id}"`);
      break;
    case 2:
      L.push(`  entry when fit >= ${p.one([20, 30, 40])} and region is ${region} and stage < mql`);
      break;
    default:
      L.push(`  entry ${p.one([30, 45, 60])} days before contract_end yearly`);
      break;
  }
  L.push(`  audience ${id}_audience`);
  L.push(`  reentry ${p.one(['never', 'always', 'after 90 days', 'after 6 months'])}`);
  if (settingsKind === 0) {
    L.push('  exit when stage >= sql');
    L.push(`  goal on demo_requested within ${p.one([14, 30, 45])} days`);
  } else if (settingsKind === 1) {
    L.push('  exit on unsubscribed where channel_name is email');
    L.push(`  goal stage >= mql within ${p.one([30, 60, 90])} days`);
  } else {
    L.push('  exit on sales_rejected');
    L.push(`  goal on meeting_booked within ${p.one([3, 6])} weeks`);
  }
  L.push(`  holdout ${p.one([5, 10, 10, 15, 20])}%`);
  L.push(`  priority ${p.int(0, 20)}`);
  L.push('');
  L.push(`  send ${id}_intro`);
  L.push(`  wait ${p.int(1, 3)} days`);
  const elseIf = p.one([
    `received ${id}_intro within 7 days and company_size in [large, enterprise]`,
    `has page_viewed where url contains "pricing" at least 2 times within 14 days`,
    `budget is known and budget >= ${p.one([5000, 10000, 25000])}`,
    `not (region in [apac, latam]) and job_level is not intern`,
    `(fit + engagement) >= ${p.one([60, 80, 100])}`,
    `decision_makers or in journey welcome`,
    `contract_end < 2027-06-30 and is_customer is true`,
    `department in [it_dept, operations_dept] or interests contains "security"`,
  ]);
  L.push(`  if engagement >= ${p.one([10, 15, 20])} {`);
  L.push(`    send ${id}_guide`);
  L.push(`  } else if ${elseIf} {`);
  L.push(`    send ${id}_case`);
  L.push('  } else {');
  L.push(`    send ${id}_reminder`);
  L.push('  }');
  L.push(`  wait for email_clicked where message is ${id}_intro up to ${p.int(3, 7)} days {`);
  L.push(`    set last_campaign = "${id}"`);
  L.push(`    set lead_rating = ${p.int(1, 5)}`);
  L.push('  } timeout {');
  L.push(`    send ${id}_sms`);
  L.push('  }');
  L.push('  wait 1 day');
  L.push(`  wait until engagement >= ${p.one([25, 30, 40])} or has demo_requested up to ${p.int(5, 10)} days {`);
  L.push(`    send ${id}_push`);
  L.push('  } timeout {');
  L.push(`    send ${id}_last_call`);
  L.push('  }');
  L.push('  split {');
  if (threeWay) {
    L.push(`    34% { send ${id}_variant_a }`);
    L.push(`    33% { send ${id}_variant_b }`);
    L.push(`    33% { send ${id}_variant_c }`);
  } else {
    const a = p.one([50, 60, 70]);
    L.push(`    ${a}% { send ${id}_variant_a }`);
    L.push(`    ${100 - a}% { send ${id}_variant_b }`);
  }
  L.push('  }');
  L.push(`  wait ${p.int(2, 4)} days`);
  L.push(`  repeat every ${p.one(['7 days', '1 week', '10 days'])} max ${p.int(3, 6)} times until has demo_requested within 30 days {`);
  L.push(`    send next from ${id}_drip`);
  L.push('  }');
  L.push(`  if fit >= ${p.one([30, 40, 50])} and stage < mql {`);
  L.push(`    handoff "${p.one(QUEUES)}"`);
  L.push('  } else if stage >= customer {');
  L.push('    end');
  L.push('  }');
  if (i % 3 === 0) {
    L.push('  wait 2 days');
    L.push('  move to long_term');
  } else if (i % 3 === 1) {
    L.push(`  enroll ${p.one(['long_term', 'reactivation'])}`);
  }
  L.push('}');
  L.push('');

  if (i % 4 === 1) {
    L.push(`threshold ${id}_hot when engagement >= ${p.one([70, 80, 90])} and in journey ${id}_nurture {`);
    L.push(`  handoff "${p.one(QUEUES)}"`);
    L.push('  set stage = mql');
    L.push('}');
    L.push('');
  }
  if (hasConfirmation) {
    L.push(`on form_submitted where form is "lp-${id}-register" {`);
    L.push(`  send ${id}_confirmation`);
    L.push(`  set last_campaign = "${id}"`);
    L.push('}');
    L.push('');
  }

  // Tests for this campaign.
  const T: string[] = [];
  const job = p.one(['manager', 'director', 'vp', 'c_level'] as const);
  const employees = p.one([120, 250, 800, 1500, 5000]);
  const budget = p.one([15000, 30000, 60000]);
  const country = p.one(COUNTRIES);
  const profile = [
    `job_level: ${job}`,
    `region: ${region}`,
    `company_size: ${size}`,
    `employees: ${employees}`,
    `budget: ${budget}`,
    `country: "${country}"`,
    `industry: "${p.one(INDUSTRIES)}"`,
    'email_consent: true',
    `sms_consent: ${p.chance(0.5) ? 'true' : 'false'}`,
    'push_consent: true',
    `contract_end: 2026-0${p.int(3, 9)}-1${p.int(0, 9)}`,
  ].join(', ');
  const start = `2026-0${p.int(1, 9)}-${pad(p.int(10, 28), 2)} ${pad(p.int(8, 17), 2)}:${p.one(['00', '15', '30', '45'])}`;
  T.push(`test "${id}: an engaged ${job.replace('_', '-')} receives the intro, then the drip" {`);
  T.push(`  lead "L-${id}-1" { ${profile} }`);
  T.push(`  at ${start}`);
  switch (entryKind) {
    case 0:
      T.push(`  form_submitted { form: "lp-${id}", page: "/lp/${id}" }`);
      break;
    case 1:
      T.push(`  webinar_registered { webinar: "w-${id}" }`);
      break;
    case 2:
      T.push(`  profile { job_level: c_level, budget: ${budget * 2} }`);
      break;
    default:
      T.push('  after 30 days');
      break;
  }
  T.push(`  expect in journey ${id}_nurture`);
  T.push(`  expect received ${id}_intro`);
  T.push('  after 1 day');
  T.push(`  email_opened { message: ${id}_intro }`);
  T.push(`  email_clicked { message: ${id}_intro, url: "/pricing?src=${id}" }`);
  T.push('  expect engagement >= 4');
  T.push(`  after ${p.int(3, 6)} days`);
  T.push(`  page_viewed { url: "/${id}/pricing", section: pricing }`);
  T.push(`  expect received ${id}_guide or received ${id}_case or received ${id}_reminder`);
  T.push('  after 2 weeks');
  T.push(`  expect received any of ${id}_drip within 14 days`);
  T.push('}');
  T.push('');
  if (i % 2 === 0) {
    T.push(`test "${id}: a lead in the holdout group gets nothing" {`);
    T.push(`  lead { ${profile} }`);
    T.push(`  holdout ${id}_nurture`);
    T.push(`  at ${start}`);
    T.push(entryKind === 0
      ? `  form_submitted { form: "lp-${id}", page: "/lp/${id}" }`
      : entryKind === 1
        ? `  webinar_registered { webinar: "w-${id}" }`
        : `  enroll_placeholder`);
    T.push(`  expect not received ${id}_intro`);
    T.push(`  after ${p.int(2, 5)} days`);
    T.push(`  demo_requested`);
    T.push(`  meeting_booked { rep: "${p.one(['ana', 'bo', 'chen', 'dara', 'eli'])}" }`);
    T.push(`  expect received ${id}_intro 0 times`);
    T.push(`  expect has demo_requested within 1 day`);
    T.push('}');
    T.push('');
  }
  // Entry kinds 2 and 3 have no event to trigger in the holdout test: a profile update instead.
  for (let k = 0; k < T.length; k++) {
    if (T[k] === '  enroll_placeholder') T[k] = `  profile { employees: ${employees + 10}, lead_rating: 2 }`;
  }
  return { journey: L, tests: T };
}

// ---------------------------------------------------------------------------------------------

function toText(lines: string[]): string {
  return lines.join('\n') + (lines.length > 0 && lines[lines.length - 1] !== '' ? '\n' : '');
}

function countLines(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** Generates the workspace in memory. Deterministic for given options. */
export function generateWorkspace(options: GenerateOptions = {}): GeneratedWorkspace {
  const target = options.lines ?? 50_000;
  const seed = options.seed ?? 20260105;
  const perFile = options.campaignsPerFile ?? 12;
  const p = new Pick(makeRng(seed));

  const files: GeneratedFile[] = [
    { path: 'model/lead.nurture', text: toText(modelFile()) },
    { path: 'model/events.nurture', text: toText(eventsFile()) },
    { path: 'model/channels.nurture', text: toText(channelsFile()) },
    { path: 'content/core.nurture', text: toText(coreContentFile()) },
    { path: 'scoring/scores.nurture', text: toText(scoringFile()) },
    { path: 'journeys/core.nurture', text: toText(coreJourneysFile()) },
    { path: 'tests/core.nurture', text: toText(coreTestsFile()) },
  ];
  let lines = files.reduce((n, f) => n + countLines(f.text), 0);

  let campaigns = 0;
  let journeyChunk: string[] = [];
  let testChunk: string[] = [];
  let fileNo = 0;
  const flush = (): void => {
    if (journeyChunk.length === 0) return;
    fileNo++;
    files.push({ path: `campaigns/batch_${pad(fileNo, 3)}.nurture`, text: toText(journeyChunk) });
    files.push({ path: `tests/campaigns/batch_${pad(fileNo, 3)}_test.nurture`, text: toText(testChunk) });
    journeyChunk = [];
    testChunk = [];
    lines -= 2; // each chunk's last line is empty: one newline fewer than array items, per file
  };
  while (lines - (journeyChunk.length > 0 ? 2 : 0) < target) {
    const c = campaign(campaigns, p);
    campaigns++;
    journeyChunk.push(...c.journey);
    testChunk.push(...c.tests);
    lines += c.journey.length + c.tests.length;
    if (campaigns % perFile === 0) flush();
  }
  flush();

  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  let bytes = 0;
  lines = 0;
  for (const f of files) {
    bytes += Buffer.byteLength(f.text, 'utf8');
    lines += countLines(f.text);
  }
  return { files, lines, bytes, campaigns };
}

// ---------------------------------------------------------------------------------------------
// Command line: write the workspace to a folder (to try `nurture check DIR` on it).

function cli(argv: string[]): number {
  let lines: number | undefined;
  let seed: number | undefined;
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === '--lines' && v) (lines = Number(v)), i++;
    else if (a === '--seed' && v) (seed = Number(v)), i++;
    else if (a === '--out' && v) (out = v), i++;
    else {
      process.stderr.write('usage: node dist/bench/generate-workspace.js [--lines N] [--seed S] --out DIR\n');
      return 2;
    }
  }
  if (!out) {
    process.stderr.write('generate-workspace: --out DIR is required\n');
    return 2;
  }
  const ws = generateWorkspace({ ...(lines !== undefined ? { lines } : {}), ...(seed !== undefined ? { seed } : {}) });
  for (const f of ws.files) {
    const target = join(out, f.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, f.text);
  }
  process.stdout.write(`wrote ${ws.files.length} files, ${ws.lines} lines, ${ws.bytes} bytes, ${ws.campaigns} campaigns to ${out}\n`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = cli(process.argv.slice(2));
}
