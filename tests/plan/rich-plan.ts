// A hand-written plan that exercises every construct of the plan format: every step kind, entry,
// exit and goal kind, expression op, constant type, action, score rule, pressure rule and test
// statement. It is roughly the lowering of LANGUAGE.md section 2, plus a `renewal` journey.
import type { Const, Expr, Loc, Plan } from '../../runtime/plan-types.js';

const DAY = 86_400_000;
const HASH = (c: string) => `sha256:${c.repeat(64)}`;

/** A location in file 0 (acme.nurture) or 1 (journeys.nurture). */
const L = (line: number, column = 1, file = 0): Loc => [file, line, column];
const epochDay = (iso: string) => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / DAY;

const num = (value: number, loc: Loc): Const => ({ op: 'const', type: 'number', value, loc });
const text = (value: string, loc: Loc): Const => ({ op: 'const', type: 'text', value, loc });
const member = (value: string, loc: Loc): Const => ({ op: 'const', type: 'enum', value, loc });
const attr = (name: string, loc: Loc): Expr => ({ op: 'attr', name, loc });
const score = (name: string, loc: Loc): Expr => ({ op: 'score', name, loc });
const field = (name: string, loc: Loc): Expr => ({ op: 'field', name, loc });
const stage = (loc: Loc): Expr => ({ op: 'stage', loc });
const stageConst = (value: number, loc: Loc): Const => ({ op: 'const', type: 'stage', value, loc });

const PLAN: Plan = {
  format: 'nurture-plan',
  version: 1,
  source: {
    files: [
      { path: 'acme.nurture', hash: HASH('a') },
      { path: 'journeys.nurture', hash: HASH('b') },
    ],
    hash: HASH('c'),
    compiler: 'nurture 0.1.0',
  },
  timezone: 'Europe/Paris',
  controlGroup: { percent: 5, loc: L(2) },
  attributes: {
    job_level: { type: 'enum', members: ['intern', 'employee', 'manager', 'director', 'vp', 'c_level'], loc: L(5, 3) },
    employees: { type: 'number', loc: L(6, 3) },
    industry: { type: 'text', loc: L(7, 3) },
    country: { type: 'text', loc: L(8, 3) },
    budget: { type: 'number', loc: L(9, 3) },
    email_consent: { type: 'bool', loc: L(10, 3) },
    contract_end: { type: 'date', loc: L(11, 3) },
    tags: { type: 'textList', loc: L(12, 3) },
    timezone: { type: 'text', loc: L(13, 3) },
  },
  events: {
    form_submitted: { fields: { form: { type: 'text', loc: L(16, 24) } }, loc: L(16) },
    email_opened: { fields: { message: { type: 'content', loc: L(17, 22) } }, loc: L(17) },
    email_clicked: {
      fields: { message: { type: 'content', loc: L(18, 23) }, url: { type: 'text', loc: L(18, 42) } },
      loc: L(18),
    },
    page_viewed: {
      fields: { url: { type: 'text', loc: L(19, 21) }, topic: { type: 'text', loc: L(19, 32) } },
      loc: L(19),
    },
    webinar_attended: { fields: { webinar: { type: 'text', loc: L(20, 26) } }, loc: L(20) },
    demo_requested: { fields: {}, loc: L(21) },
    sales_rejected: { fields: { reason: { type: 'text', loc: L(22, 24) } }, loc: L(22) },
    unsubscribed: { fields: {}, loc: L(23) },
    content_viewed: {
      fields: {
        about: { type: 'topic', loc: L(24, 24) },
        via: { type: 'channel', loc: L(24, 38) },
        format: { type: 'enum', members: ['blog', 'video'], loc: L(24, 52) },
        score: { type: 'number', loc: L(24, 75) },
      },
      loc: L(24),
    },
  },
  channels: {
    email: { consent: 'email_consent', loc: L(26) },
    sms: { consent: null, loc: L(27) },
  },
  topics: {
    onboarding: { loc: L(29, 8) },
    education: { loc: L(29, 20) },
    product: { loc: L(29, 31) },
    pricing: { loc: L(29, 40) },
  },
  contents: {
    welcome_email: {
      channel: 'email',
      topic: 'onboarding',
      template: 'tpl-welcome',
      subject: 'Welcome to Acme',
      cost: 0,
      transactional: false,
      metadata: { owner: 'marketing', version: 2, reviewed: true },
      loc: L(31),
    },
    ebook_finance: { channel: 'email', topic: 'education', template: null, subject: null, cost: 0.05, transactional: false, metadata: {}, loc: L(32) },
    reminder: { channel: 'email', topic: 'onboarding', template: null, subject: null, cost: 0, transactional: false, metadata: {}, loc: L(33) },
    webinar_replay: { channel: 'email', topic: 'education', template: null, subject: null, cost: 0, transactional: false, metadata: {}, loc: L(34) },
    case_study_a: { channel: 'email', topic: 'product', template: null, subject: null, cost: 0, transactional: false, metadata: {}, loc: L(35) },
    case_study_b: { channel: 'email', topic: 'product', template: null, subject: null, cost: 0, transactional: false, metadata: {}, loc: L(36) },
    pricing_guide: { channel: 'email', topic: 'pricing', template: null, subject: null, cost: 0, transactional: false, metadata: {}, loc: L(37) },
    receipt_sms: { channel: 'sms', topic: null, template: 'tpl-receipt', subject: null, cost: 0.01, transactional: true, metadata: {}, loc: L(38) },
  },
  streams: {
    education: { contents: ['ebook_finance', 'webinar_replay', 'pricing_guide'], loc: L(40) },
  },
  stages: [
    { name: 'subscriber', loc: L(42, 8) },
    { name: 'lead', loc: L(42, 20) },
    { name: 'mql', loc: L(42, 26) },
    { name: 'sql', loc: L(42, 31) },
    { name: 'customer', loc: L(42, 36) },
  ],
  segments: {
    decision_makers: {
      condition: {
        op: 'and',
        args: [
          {
            op: 'in',
            value: attr('job_level', L(44, 27)),
            list: [member('director', L(44, 41)), member('vp', L(44, 51)), member('c_level', L(44, 55))],
            loc: L(44, 27),
          },
          { op: 'cmp', cmp: '>=', left: attr('employees', L(44, 68)), right: num(100, L(44, 81)), loc: L(44, 68) },
        ],
        loc: L(44, 27),
      },
      loc: L(44),
    },
    engaged_reader: {
      condition: {
        op: 'or',
        args: [
          { op: 'received', content: 'welcome_email', withinMs: 30 * DAY, atMs: null, times: null, loc: L(45, 26) },
          { op: 'receivedAny', stream: 'education', withinMs: null, loc: L(45, 70) },
          {
            op: 'has',
            event: 'email_clicked',
            where: {
              op: 'cmp',
              cmp: '==',
              left: field('message', L(46, 30)),
              right: { op: 'const', type: 'content', value: 'pricing_guide', loc: L(46, 41) },
              loc: L(46, 30),
            },
            atLeast: 2,
            withinMs: 14 * DAY,
            loc: L(46, 3),
          },
          {
            op: 'has',
            event: 'content_viewed',
            where: {
              op: 'and',
              args: [
                { op: 'cmp', cmp: '==', left: field('about', L(47, 30)), right: { op: 'const', type: 'topic', value: 'pricing', loc: L(47, 39) }, loc: L(47, 30) },
                { op: 'cmp', cmp: '!=', left: field('via', L(47, 51)), right: { op: 'const', type: 'channel', value: 'sms', loc: L(47, 61) }, loc: L(47, 51) },
                { op: 'cmp', cmp: '==', left: field('format', L(47, 69)), right: member('video', L(47, 79)), loc: L(47, 69) },
              ],
              loc: L(47, 30),
            },
            atLeast: 1,
            withinMs: null,
            loc: L(47, 3),
          },
        ],
        loc: L(45, 26),
      },
      loc: L(45),
    },
    data_quality: {
      condition: {
        op: 'and',
        args: [
          { op: 'known', arg: attr('country', L(48, 23)), loc: L(48, 23) },
          { op: 'missing', arg: attr('industry', L(48, 44)), loc: L(48, 44) },
          {
            op: 'notIn',
            value: attr('country', L(48, 70)),
            list: [text('XX', L(48, 86)), text('ZZ', L(48, 92))],
            loc: L(48, 70),
          },
          { op: 'contains', left: attr('tags', L(49, 3)), right: text('vip', L(49, 17)), loc: L(49, 3) },
          { op: 'cmp', cmp: '<', left: attr('contract_end', L(49, 27)), right: { op: 'const', type: 'date', value: epochDay('2027-01-01'), loc: L(49, 42) }, loc: L(49, 27) },
          { op: 'cmp', cmp: '==', left: attr('email_consent', L(49, 57)), right: { op: 'const', type: 'bool', value: true, loc: L(49, 74) }, loc: L(49, 57) },
          { op: 'not', arg: { op: 'handedOff', queue: 'sales', loc: L(50, 7) }, loc: L(50, 3) },
          { op: 'not', arg: { op: 'handedOff', queue: null, loc: L(50, 36) }, loc: L(50, 32) },
          { op: 'not', arg: { op: 'inJourney', journey: 'welcome', loc: L(50, 54) }, loc: L(50, 50) },
          { op: 'completedJourney', journey: 'long_term', loc: L(51, 3) },
          { op: 'segment', name: 'decision_makers', loc: L(51, 33) },
          {
            op: 'cmp',
            cmp: '>',
            left: {
              op: 'arith',
              arith: '*',
              left: { op: 'arith', arith: '+', left: score('fit', L(52, 5)), right: score('engagement', L(52, 11)), loc: L(52, 5) },
              right: num(2, L(52, 25)),
              loc: L(52, 4),
            },
            right: num(80, L(52, 30)),
            loc: L(52, 3),
          },
          {
            op: 'cmp',
            cmp: '<=',
            left: { op: 'arith', arith: '/', left: attr('budget', L(53, 4)), right: num(1000, L(53, 13)), loc: L(53, 4) },
            right: { op: 'arith', arith: '-', left: num(50, L(53, 22)), right: num(1, L(53, 27)), loc: L(53, 22) },
            loc: L(53, 3),
          },
        ],
        loc: L(48, 23),
      },
      loc: L(48),
    },
  },
  scores: {
    fit: {
      kind: 'rules',
      fit: [
        { points: 30, condition: { op: 'cmp', cmp: '==', left: attr('job_level', L(56, 11)), right: member('c_level', L(56, 24)), loc: L(56, 11) }, loc: L(56, 3) },
        {
          points: 20,
          condition: { op: 'in', value: attr('job_level', L(57, 11)), list: [member('vp', L(57, 25)), member('director', L(57, 29))], loc: L(57, 11) },
          loc: L(57, 3),
        },
        { points: -15, condition: { op: 'cmp', cmp: '==', left: attr('job_level', L(58, 11)), right: member('intern', L(58, 24)), loc: L(58, 11) }, loc: L(58, 3) },
        { points: 15, condition: { op: 'cmp', cmp: '>=', left: attr('employees', L(59, 11)), right: num(500, L(59, 24)), loc: L(59, 11) }, loc: L(59, 3) },
        { points: 10, condition: { op: 'cmp', cmp: '>=', left: attr('budget', L(60, 11)), right: num(10000, L(60, 21)), loc: L(60, 11) }, loc: L(60, 3) },
      ],
      engagement: [],
      decay: null,
      range: { min: 0, max: 100, loc: L(61, 3) },
      loc: L(55),
    },
    engagement: {
      kind: 'rules',
      fit: [],
      engagement: [
        { points: 1, event: 'email_opened', where: null, limit: { kind: 'max', count: 5, perMs: 7 * DAY, loc: L(65, 21) }, loc: L(65, 3) },
        { points: 3, event: 'email_clicked', where: null, limit: null, loc: L(66, 3) },
        {
          points: 10,
          event: 'page_viewed',
          where: { op: 'cmp', cmp: '==', left: field('topic', L(67, 31)), right: text('pricing', L(67, 40)), loc: L(67, 31) },
          limit: null,
          loc: L(67, 3),
        },
        { points: 15, event: 'webinar_attended', where: null, limit: null, loc: L(68, 3) },
        { points: 40, event: 'demo_requested', where: null, limit: { kind: 'once', loc: L(69, 28) }, loc: L(69, 3) },
      ],
      decay: { kind: 'percent', value: 20, everyMs: 30 * DAY, loc: L(70, 3) },
      range: { min: 0, max: 200, loc: L(71, 3) },
      loc: L(64),
    },
    activity: {
      kind: 'rules',
      fit: [],
      engagement: [{ points: 1, event: 'page_viewed', where: null, limit: null, loc: L(74, 3) }],
      decay: { kind: 'amount', value: 5, everyMs: 7 * DAY, loc: L(75, 3) },
      range: { min: 0, max: 100, loc: null },
      loc: L(73),
    },
    total: {
      kind: 'derived',
      expr: { op: 'arith', arith: '+', left: score('fit', L(77, 15)), right: score('engagement', L(77, 21)), loc: L(77, 15) },
      loc: L(77),
    },
  },
  thresholds: {
    mql: {
      condition: {
        op: 'and',
        args: [
          { op: 'cmp', cmp: '>=', left: score('fit', L(79, 20)), right: num(40, L(79, 27)), loc: L(79, 20) },
          { op: 'cmp', cmp: '>=', left: score('engagement', L(79, 34)), right: num(60, L(79, 48)), loc: L(79, 34) },
          { op: 'cmp', cmp: '<', left: stage(L(79, 55)), right: stageConst(2, L(79, 63)), loc: L(79, 55) },
        ],
        loc: L(79, 20),
      },
      actions: [
        { kind: 'setStage', stage: 2, loc: L(80, 3) },
        { kind: 'handoff', queue: 'sales', loc: L(81, 3) },
        { kind: 'send', content: 'receipt_sms', loc: L(82, 3) },
      ],
      loc: L(79),
    },
  },
  handlers: [
    { event: 'unsubscribed', where: null, actions: [{ kind: 'setAttr', attribute: 'email_consent', value: { op: 'const', type: 'bool', value: false, loc: L(86, 25) }, loc: L(86, 3) }], loc: L(85) },
    {
      event: 'sales_rejected',
      where: { op: 'cmp', cmp: '!=', left: field('reason', L(89, 28)), right: text('spam', L(89, 41)), loc: L(89, 28) },
      actions: [
        { kind: 'setStage', stage: 1, loc: L(90, 3) },
        { kind: 'setScore', score: 'engagement', value: num(20, L(91, 20)), loc: L(91, 3) },
        { kind: 'enroll', journey: 'long_term', loc: L(92, 3) },
        { kind: 'removeFrom', journey: 'welcome', loc: L(93, 3) },
        { kind: 'setAttr', attribute: 'tags', value: { op: 'const', type: 'textList', value: ['recycled'], loc: L(94, 14) }, loc: L(94, 3) },
      ],
      loc: L(89),
    },
  ],
  pressure: {
    caps: [
      { count: 3, windowMs: 7 * DAY, channel: null, loc: L(98, 3) },
      { count: 1, windowMs: DAY, channel: 'email', loc: L(99, 3) },
    ],
    gaps: [
      { gapMs: 2 * DAY, channel: null, loc: L(100, 3) },
      { gapMs: 3_600_000, channel: 'sms', loc: L(101, 3) },
    ],
    topicGaps: [{ gapMs: 14 * DAY, loc: L(102, 3) }],
    quietHours: [{ from: 20 * 60, to: 8 * 60, loc: L(103, 3) }],
    quietDays: [{ days: [6, 7], loc: L(104, 3) }],
    capped: { mode: 'delay', upToMs: 3 * DAY, loc: L(105, 3) },
    loc: L(97),
  },
  journeys: {
    welcome: {
      entries: [
        {
          kind: 'on',
          event: 'form_submitted',
          where: { op: 'cmp', cmp: '==', left: field('form', L(2, 34, 1)), right: text('newsletter', L(2, 42, 1)), loc: L(2, 34, 1) },
          loc: L(2, 3, 1),
        },
      ],
      audience: null,
      reentry: { mode: 'never', afterMs: null, loc: null },
      exits: [{ kind: 'when', condition: { op: 'cmp', cmp: '>=', left: stage(L(3, 13, 1)), right: stageConst(2, L(3, 22, 1)), loc: L(3, 13, 1) }, loc: L(3, 3, 1) }],
      goal: { kind: 'on', event: 'demo_requested', where: null, withinMs: 30 * DAY, loc: L(4, 3, 1) },
      holdoutPercent: 10,
      priority: 10,
      steps: [
        { id: 0, kind: 'send', content: 'welcome_email', next: 1, loc: L(8, 3, 1) },
        { id: 1, kind: 'wait', durationMs: 2 * DAY, next: 2, loc: L(9, 3, 1) },
        {
          id: 2,
          kind: 'if',
          branches: [{ condition: { op: 'cmp', cmp: '>=', left: score('engagement', L(10, 6, 1)), right: num(10, L(10, 20, 1)), loc: L(10, 6, 1) }, target: 3, loc: L(10, 3, 1) }],
          else: 4,
          loc: L(10, 3, 1),
        },
        { id: 3, kind: 'send', content: 'ebook_finance', next: 5, loc: L(11, 5, 1) },
        { id: 4, kind: 'send', content: 'reminder', next: 5, loc: L(13, 5, 1) },
        { id: 5, kind: 'waitFor', event: 'webinar_attended', where: null, upToMs: 14 * DAY, onEvent: 6, onTimeout: 7, loc: L(15, 3, 1) },
        { id: 6, kind: 'setStage', stage: 1, next: 8, loc: L(16, 5, 1) },
        { id: 7, kind: 'send', content: 'webinar_replay', next: 8, loc: L(18, 5, 1) },
        {
          id: 8,
          kind: 'split',
          branches: [
            { percent: 50, target: 9, loc: L(21, 5, 1) },
            { percent: 50, target: 10, loc: L(22, 5, 1) },
          ],
          loc: L(20, 3, 1),
        },
        { id: 9, kind: 'send', content: 'case_study_a', next: 11, loc: L(21, 11, 1) },
        { id: 10, kind: 'send', content: 'case_study_b', next: 11, loc: L(22, 11, 1) },
        { id: 11, kind: 'moveTo', journey: 'long_term', loc: L(24, 3, 1) },
      ],
      loc: L(1, 1, 1),
    },
    long_term: {
      entries: [],
      audience: { op: 'segment', name: 'decision_makers', loc: L(28, 12, 1) },
      reentry: { mode: 'always', afterMs: null, loc: L(29, 3, 1) },
      exits: [{ kind: 'when', condition: { op: 'cmp', cmp: '>=', left: stage(L(30, 13, 1)), right: stageConst(2, L(30, 22, 1)), loc: L(30, 13, 1) }, loc: L(30, 3, 1) }],
      goal: null,
      holdoutPercent: 0,
      priority: 0,
      steps: [
        { id: 0, kind: 'repeat', everyMs: 7 * DAY, max: 10, until: null, body: 1, next: null, loc: L(31, 3, 1) },
        { id: 1, kind: 'sendNext', stream: 'education', next: 0, exhausted: null, loc: L(32, 5, 1) },
      ],
      loc: L(27, 1, 1),
    },
    renewal: {
      entries: [
        { kind: 'date', attribute: 'contract_end', offsetMs: -30 * DAY, atMinute: 9 * 60, yearly: true, loc: L(37, 3, 1) },
        { kind: 'when', condition: { op: 'cmp', cmp: '==', left: stage(L(38, 14, 1)), right: stageConst(3, L(38, 23, 1)), loc: L(38, 14, 1) }, loc: L(38, 3, 1) },
      ],
      audience: { op: 'segment', name: 'decision_makers', loc: L(39, 12, 1) },
      reentry: { mode: 'after', afterMs: 300 * DAY, loc: L(40, 3, 1) },
      exits: [
        { kind: 'on', event: 'unsubscribed', where: null, loc: L(41, 3, 1) },
        { kind: 'on', event: 'page_viewed', where: { op: 'contains', left: field('url', L(42, 31, 1)), right: text('/cancel', L(42, 44, 1)), loc: L(42, 31, 1) }, loc: L(42, 3, 1) },
      ],
      goal: { kind: 'when', condition: { op: 'cmp', cmp: '>=', left: stage(L(43, 8, 1)), right: stageConst(4, L(43, 17, 1)), loc: L(43, 8, 1) }, withinMs: 60 * DAY, loc: L(43, 3, 1) },
      holdoutPercent: 5.5,
      priority: -1,
      steps: [
        {
          id: 0,
          kind: 'waitUntil',
          condition: { op: 'cmp', cmp: '>=', left: score('engagement', L(45, 14, 1)), right: num(50, L(45, 28, 1)), loc: L(45, 14, 1) },
          upToMs: 10 * DAY,
          onTrue: 1,
          onTimeout: 2,
          loc: L(45, 3, 1),
        },
        { id: 1, kind: 'handoff', queue: 'renewals', next: 3, loc: L(46, 5, 1) },
        { id: 2, kind: 'setScore', score: 'engagement', value: num(10, L(48, 22, 1)), next: 3, loc: L(48, 5, 1) },
        {
          id: 3,
          kind: 'if',
          branches: [
            { condition: { op: 'cmp', cmp: '==', left: stage(L(50, 6, 1)), right: stageConst(4, L(50, 15, 1)), loc: L(50, 6, 1) }, target: 4, loc: L(50, 3, 1) },
            {
              condition: {
                op: 'has',
                event: 'page_viewed',
                where: { op: 'cmp', cmp: '==', left: field('topic', L(52, 38, 1)), right: text('pricing', L(52, 47, 1)), loc: L(52, 38, 1) },
                atLeast: 2,
                withinMs: 7 * DAY,
                loc: L(52, 13, 1),
              },
              target: 5,
              loc: L(52, 5, 1),
            },
          ],
          else: 6,
          loc: L(50, 3, 1),
        },
        { id: 4, kind: 'end', loc: L(51, 5, 1) },
        { id: 5, kind: 'enroll', journey: 'welcome', next: 7, loc: L(53, 5, 1) },
        { id: 6, kind: 'removeFrom', journey: 'welcome', next: 7, loc: L(55, 5, 1) },
        {
          id: 7,
          kind: 'setAttr',
          attribute: 'country',
          value: text('FR', L(57, 19, 1)),
          next: 8,
          loc: L(57, 3, 1),
        },
        { id: 8, kind: 'repeat', everyMs: DAY, max: null, until: { op: 'receivedAny', stream: 'education', withinMs: DAY, loc: L(58, 35, 1) }, body: 9, next: null, loc: L(58, 3, 1) },
        { id: 9, kind: 'sendNext', stream: 'education', next: 10, exhausted: null, loc: L(59, 5, 1) },
        { id: 10, kind: 'repeat', everyMs: 2 * DAY, max: 2, until: null, body: 11, next: 8, loc: L(60, 5, 1) },
        { id: 11, kind: 'sendNext', stream: 'education', next: 10, exhausted: 8, loc: L(61, 7, 1) },
      ],
      loc: L(36, 1, 1),
    },
  },
  tests: [
    {
      name: 'a VP who attends a webinar and asks for a demo becomes an MQL',
      lead: {
        id: 'L1',
        profile: {
          job_level: member('vp', L(110, 20)),
          employees: num(800, L(110, 35)),
          budget: num(20000, L(110, 48)),
          email_consent: { op: 'const', type: 'bool', value: true, loc: L(110, 70) },
          contract_end: { op: 'const', type: 'date', value: epochDay('2026-06-30'), loc: L(110, 90) },
          tags: { op: 'const', type: 'textList', value: ['vip', 'fr'], loc: L(110, 110) },
        },
        loc: L(110, 3),
      },
      startMs: Date.UTC(2026, 0, 5, 8, 0),
      statements: [
        { kind: 'holdout', journey: 'renewal', loc: L(111, 3) },
        { kind: 'at', atMs: Date.UTC(2026, 0, 5, 8, 0), loc: L(112, 3) },
        { kind: 'event', event: 'form_submitted', data: { form: text('newsletter', L(113, 25)) }, loc: L(113, 3) },
        { kind: 'expect', condition: { op: 'received', content: 'welcome_email', withinMs: null, atMs: null, times: null, loc: L(114, 10) }, loc: L(114, 3) },
        { kind: 'after', durationMs: DAY, loc: L(115, 3) },
        { kind: 'event', event: 'webinar_attended', data: { webinar: text('w-42', L(116, 31)) }, loc: L(116, 3) },
        {
          kind: 'event',
          event: 'content_viewed',
          data: {
            about: { op: 'const', type: 'topic', value: 'pricing', loc: L(117, 27) },
            via: { op: 'const', type: 'channel', value: 'email', loc: L(117, 41) },
            format: member('video', L(117, 56)),
            score: num(3, L(117, 70)),
          },
          loc: L(117, 3),
        },
        { kind: 'event', event: 'demo_requested', data: {}, loc: L(118, 3) },
        { kind: 'profile', data: { country: text('FR', L(119, 22)) }, loc: L(119, 3) },
        { kind: 'expect', condition: { op: 'cmp', cmp: '==', left: stage(L(120, 10)), right: stageConst(2, L(120, 19)), loc: L(120, 10) }, loc: L(120, 3) },
        { kind: 'expect', condition: { op: 'handedOff', queue: 'sales', loc: L(121, 10) }, loc: L(121, 3) },
        { kind: 'expect', condition: { op: 'not', arg: { op: 'inJourney', journey: 'welcome', loc: L(122, 14) }, loc: L(122, 10) }, loc: L(122, 3) },
        {
          kind: 'expect',
          condition: { op: 'received', content: 'welcome_email', withinMs: null, atMs: Date.UTC(2026, 0, 5, 8, 0), times: null, loc: L(123, 10) },
          loc: L(123, 3),
        },
        { kind: 'expect', condition: { op: 'received', content: 'ebook_finance', withinMs: null, atMs: null, times: 0, loc: L(124, 10) }, loc: L(124, 3) },
      ],
      loc: L(109),
    },
  ],
};

/** A fresh deep copy of the rich plan (tests mutate it). */
export function richPlan(): Plan {
  return structuredClone(PLAN);
}

export { DAY };
