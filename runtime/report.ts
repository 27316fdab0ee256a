// The report of a run (`nurture simulate --report`): every measure of LANGUAGE.md section 9 as JSON.
// Its HTML page, with charts, is drawn by report/html.ts.
import type { Plan } from './plan-types.js';
import type { Lift, Measures, ProgramGroup } from './engine/measures.js';
import { locToJson, type PlanIndex } from './engine/index.js';
import { setOwn } from './own.js';

export const REPORT_FORMAT = 'nurture-report';
export const REPORT_VERSION = 1;

export interface RunInfo {
  /** The events file as given. */
  events: string;
  /** First accepted event and the end of the run (ISO, UTC); `from` is null without events. */
  from: string | null;
  until: string;
  lines: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  late: number;
  /** Valid events later than `until`, not applied. */
  afterUntil: number;
  actions: { total: number; send: number; handoff: number; stage: number; set: number };
}

type Loc = { file: string; line: number; column: number } | null;
export interface RuleCountJson {
  rule: string;
  loc: Loc;
  count: number;
}

export interface Report {
  format: typeof REPORT_FORMAT;
  version: typeof REPORT_VERSION;
  plan: { hash: string; compiler: string; files: string[]; timezone: string };
  run: RunInfo;
  measures: Omit<Measures, 'delayed' | 'skipped' | 'suppressed' | 'journeys' | 'program'> & {
    program: (Omit<NonNullable<Measures['program']>, 'lift'> & { lift: LiftJson | null }) | null;
    journeys: Record<string, Omit<Measures['journeys'][string], 'lift'> & { lift: LiftJson | null }>;
    delayed: RuleCountJson[];
    skipped: RuleCountJson[];
    suppressed: RuleCountJson[];
  };
}

const round = (x: number | null): number | null => (x === null || !Number.isFinite(x) ? x : Math.round(x * 1e6) / 1e6);

/** A lift as the report writes it: measured (rounded, with the interval's confidence) or too few to tell. */
type LiftJson = { points: number; low: number; high: number; confidence: 0.95 } | { tooFew: true; minimum: number };

const lift = (l: Lift | null): LiftJson | null =>
  l === null || 'tooFew' in l ? l : { points: round(l.points)!, low: round(l.low)!, high: round(l.high)!, confidence: 0.95 as const };

export function buildReport(ix: PlanIndex, m: Measures, run: RunInfo): Report {
  const plan: Plan = ix.plan;
  const journeys: Report['measures']['journeys'] = {};
  for (const [name, j] of Object.entries(m.journeys)) {
    setOwn(journeys, name, {
      nurtured: { ...j.nurtured, conversionRate: round(j.nurtured.conversionRate) },
      holdout: { ...j.holdout, conversionRate: round(j.holdout.conversionRate) },
      lift: lift(j.lift),
    });
  }
  const group = (g: ProgramGroup): ProgramGroup => ({ ...g, conversionRate: round(g.conversionRate) });
  const p = m.program;
  const program = p === null ? null : { nurtured: group(p.nurtured), control: group(p.control), lift: lift(p.lift), withheld: p.withheld };
  const rules = (xs: Measures['delayed']): RuleCountJson[] => xs.map((r) => ({ rule: r.rule, loc: locToJson(ix, r.loc), count: r.count }));
  return {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    plan: { hash: plan.source.hash, compiler: plan.source.compiler, files: plan.source.files.map((f) => f.path), timezone: plan.timezone },
    run,
    measures: {
      ...m,
      program,
      journeys,
      funnel: { stages: m.funnel.stages, conversions: m.funnel.conversions.map((c) => ({ ...c, rate: round(c.rate) })) },
      delayed: rules(m.delayed),
      skipped: rules(m.skipped),
      suppressed: rules(m.suppressed),
      rejectedEvents: run.rejected,
    },
  };
}
