// Small random nurture programs for the reference oracle (oracle.ts): a model that both the oracle
// interprets and `sourceOf` writes as `.nurture` text for the real compiler. Every duration and instant
// is a whole number of minutes; one score `eng` (range 0 to 100), events `a` and `b`, profile events that
// set the attribute `tier` (silver or gold), stages `lead` and `mql`, contents c0…c3 on one channel,
// thresholds that hand off (and may set the stage), journeys with entry, exit, goal, sends, waits and
// `wait until`, and pressure (a cap, a gap, quiet hours; delay or skip).
import fc from 'fast-check';

export type Ev = 'a' | 'b';
/** An input of the timeline: an event, or a profile event that sets `tier`. */
export type Input = Ev | 'silver' | 'gold';
export type Tier = 'silver' | 'gold';
export type Stage = 'lead' | 'mql';
export type Cond =
  | { k: 'score'; op: '>=' | '<'; n: number }
  | { k: 'stage'; is: Stage }
  | { k: 'tier'; is: Tier }
  | { k: 'has'; ev: Ev; within: number | null; atLeast: number }
  | { k: 'received'; c: number; within: number | null }
  | { k: 'not'; c: Cond }
  | { k: 'and' | 'or'; l: Cond; r: Cond };

export type Step =
  | { k: 'send'; c: number }
  | { k: 'wait'; d: number }
  | { k: 'until'; c: Cond; upTo: number; onTrue: Step[]; onTimeout: Step[] };

export interface JourneyP {
  entry: { k: 'on'; ev: Ev } | { k: 'when'; c: Cond };
  exit: Cond | null;
  goal: { c: Cond; within: number } | null;
  reentry: 'never' | 'always';
  priority: number;
  steps: Step[];
}

export interface Program {
  score: {
    a: number;
    aMax: { k: number; per: number } | null;
    b: number;
    decay: { kind: 'percent' | 'amount'; value: number; every: number } | null;
  };
  /** Each hands off to its queue, then sets the stage when `stage` is not null. */
  thresholds: { c: Cond; stage: Stage | null }[];
  journeys: JourneyP[];
  pressure: {
    cap: { n: number; per: number } | null;
    gap: number | null;
    quiet: { from: number; to: number } | null;
    mode: { delay: number } | 'skip';
  } | null;
}

/** One event of the lead's timeline: minutes after the start. */
export interface TimedEvent {
  min: number;
  ev: Input;
}

// ---------------------------------------------------------------------------------------------
// Generators

const dur = fc.constantFrom(10, 30, 60, 90, 120, 240, 360, 720, 1440);
const ev = fc.constantFrom<Ev>('a', 'b');

const leaf: fc.Arbitrary<Cond> = fc.oneof(
  fc.record({ k: fc.constant('score' as const), op: fc.constantFrom('>=' as const, '<' as const), n: fc.integer({ min: 1, max: 19 }).map((x) => x * 5) }),
  fc.record({ k: fc.constant('has' as const), ev, within: fc.option(dur, { freq: 4 }), atLeast: fc.constantFrom(1, 1, 2, 3) }),
  fc.record({ k: fc.constant('received' as const), c: fc.integer({ min: 0, max: 3 }), within: fc.option(dur, { freq: 4 }) }),
  fc.record({ k: fc.constant('stage' as const), is: fc.constantFrom<Stage>('lead', 'mql') }),
  fc.record({ k: fc.constant('tier' as const), is: fc.constantFrom<Tier>('silver', 'gold') }),
);
const cond: fc.Arbitrary<Cond> = fc.oneof(
  { weight: 3, arbitrary: leaf },
  { weight: 1, arbitrary: leaf.map((c) => ({ k: 'not' as const, c })) },
  { weight: 1, arbitrary: fc.record({ k: fc.constantFrom('and' as const, 'or' as const), l: leaf, r: fc.oneof(leaf, leaf.map((c) => ({ k: 'not' as const, c }))) }) },
);

const simpleStep: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ k: fc.constant('send' as const), c: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ k: fc.constant('wait' as const), d: dur }),
);
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: simpleStep },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('until' as const),
      c: cond,
      upTo: dur,
      onTrue: fc.array(simpleStep, { maxLength: 1 }),
      onTimeout: fc.array(simpleStep, { maxLength: 1 }),
    }),
  },
);

const journey: fc.Arbitrary<JourneyP> = fc.record({
  entry: fc.oneof(fc.record({ k: fc.constant('on' as const), ev }), fc.record({ k: fc.constant('when' as const), c: cond })),
  exit: fc.option(cond, { freq: 2 }),
  goal: fc.option(fc.record({ c: cond, within: dur }), { freq: 3 }),
  reentry: fc.constantFrom('never' as const, 'always' as const),
  priority: fc.constantFrom(0, 0, 5),
  steps: fc.array(step, { minLength: 1, maxLength: 4 }),
});

export const programArb: fc.Arbitrary<Program> = fc.record({
  score: fc.record({
    a: fc.integer({ min: 1, max: 6 }).map((x) => x * 5),
    aMax: fc.option(fc.record({ k: fc.integer({ min: 1, max: 3 }), per: dur }), { freq: 2 }),
    b: fc.integer({ min: 0, max: 4 }).map((x) => x * 5),
    decay: fc.option(
      fc.oneof(
        fc.record({ kind: fc.constant('percent' as const), value: fc.constantFrom(25, 50), every: dur }),
        fc.record({ kind: fc.constant('amount' as const), value: fc.constantFrom(5, 10), every: dur }),
      ),
      { freq: 3 },
    ),
  }),
  thresholds: fc.array(fc.record({ c: cond, stage: fc.constantFrom<Stage | null>(null, null, 'lead', 'mql') }), { maxLength: 2 }),
  journeys: fc.array(journey, { minLength: 1, maxLength: 2 }),
  pressure: fc.option(
    fc.record({
      cap: fc.option(fc.record({ n: fc.integer({ min: 1, max: 2 }), per: dur }), { freq: 2 }),
      gap: fc.option(dur, { freq: 2 }),
      quiet: fc.option(fc.record({ from: fc.integer({ min: 0, max: 23 }).map((h) => h * 60), to: fc.integer({ min: 0, max: 23 }).map((h) => h * 60 + 30) }), { freq: 2 }),
      mode: fc.oneof(fc.record({ delay: fc.constantFrom(60, 720, 1440, 2880) }), fc.constant('skip' as const)),
    }),
    { freq: 2 },
  ),
});

/** Up to 12 events in the first two days (whole minutes; several may share an instant). */
export const timelineArb: fc.Arbitrary<TimedEvent[]> = fc
  .array(fc.record({ min: fc.integer({ min: 0, max: 2 * 1440 }).map((m) => m - (m % 5)), ev: fc.constantFrom<Input>('a', 'a', 'a', 'b', 'b', 'b', 'silver', 'gold') }), { minLength: 1, maxLength: 12 })
  .map((es) => [...es].sort((x, y) => x.min - y.min));

// ---------------------------------------------------------------------------------------------
// Source text

const minutes = (m: number) => `${m} minute${m === 1 ? '' : 's'}`;
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

export function condText(c: Cond): string {
  switch (c.k) {
    case 'score':
      return `eng ${c.op} ${c.n}`;
    case 'stage':
      return `stage is ${c.is}`;
    case 'tier':
      return `tier is ${c.is}`;
    case 'has':
      return `has ${c.ev}${c.atLeast !== 1 ? ` at least ${c.atLeast} times` : ''}${c.within !== null ? ` within ${minutes(c.within)}` : ''}`;
    case 'received':
      return `received c${c.c}${c.within !== null ? ` within ${minutes(c.within)}` : ''}`;
    case 'not':
      return `not (${condText(c.c)})`;
    default:
      return `(${condText(c.l)}) ${c.k} (${condText(c.r)})`;
  }
}

function stepsText(steps: Step[], indent: string): string {
  return steps
    .map((s) => {
      switch (s.k) {
        case 'send':
          return `${indent}send c${s.c}\n`;
        case 'wait':
          return `${indent}wait ${minutes(s.d)}\n`;
        case 'until': {
          const head = `${indent}wait until ${condText(s.c)} up to ${minutes(s.upTo)}`;
          if (s.onTrue.length === 0 && s.onTimeout.length === 0) return `${head}\n`;
          return `${head} {\n${stepsText(s.onTrue, `${indent}  `)}${indent}} timeout {\n${stepsText(s.onTimeout, `${indent}  `)}${indent}}\n`;
        }
      }
    })
    .join('');
}

export function sourceOf(p: Program): string {
  const s = p.score;
  let out = 'lead {\n  tier: one of [silver, gold]\n}\nstages lead, mql\nevent a\nevent b\nchannel email\n';
  for (let i = 0; i < 4; i++) out += `content c${i} { channel: email }\n`;
  out += `score eng {\n  +${s.a} on a${s.aMax ? ` max ${s.aMax.k} per ${minutes(s.aMax.per)}` : ''}\n`;
  if (s.b > 0) out += `  +${s.b} on b\n`;
  if (s.decay) out += `  decay ${s.decay.value}${s.decay.kind === 'percent' ? '%' : ''} every ${minutes(s.decay.every)} idle\n`;
  out += '  range 0 to 100\n}\n';
  p.thresholds.forEach((th, i) => (out += `threshold t${i} when ${condText(th.c)} {\n  handoff "q${i}"\n${th.stage !== null ? `  set stage = ${th.stage}\n` : ''}}\n`));
  if (p.pressure) {
    const pr = p.pressure;
    out += 'pressure {\n';
    if (pr.cap) out += `  max ${pr.cap.n} message${pr.cap.n === 1 ? '' : 's'} per ${minutes(pr.cap.per)}\n`;
    if (pr.gap !== null) out += `  min ${minutes(pr.gap)} between messages\n`;
    if (pr.quiet) out += `  quiet hours ${hhmm(pr.quiet.from)} to ${hhmm(pr.quiet.to)}\n`;
    out += pr.mode === 'skip' ? '  skip capped messages\n' : `  delay capped messages up to ${minutes(pr.mode.delay)}\n`;
    out += '}\n';
  }
  p.journeys.forEach((j, i) => {
    out += `journey j${i} {\n`;
    out += j.entry.k === 'on' ? `  entry on ${j.entry.ev}\n` : `  entry when ${condText(j.entry.c)}\n`;
    if (j.exit) out += `  exit when ${condText(j.exit)}\n`;
    if (j.goal) out += `  goal (${condText(j.goal.c)}) within ${minutes(j.goal.within)}\n`;
    if (j.reentry !== 'never') out += `  reentry ${j.reentry}\n`;
    if (j.priority !== 0) out += `  priority ${j.priority}\n`;
    out += stepsText(j.steps, '  ');
    out += '}\n';
  });
  return out;
}
