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
  measures: Omit<Measures, 'delayed' | 'skipped' | 'suppressed' | 'journeys' | 'program' | 'splits'> & {
    program: (Omit<NonNullable<Measures['program']>, 'lift'> & { lift: LiftJson | null }) | null;
    journeys: Record<string, Omit<Measures['journeys'][string], 'lift'> & { lift: LiftJson | null }>;
    delayed: RuleCountJson[];
    skipped: RuleCountJson[];
    suppressed: RuleCountJson[];
    splits: SplitJson[];
  };
}

/** A split's branches side by side (LANGUAGE.md 9; runtime/engine/experiments.ts). */
export interface SplitJson {
  journey: string;
  step: string;
  loc: Loc;
  goal: string | null;
  branches: { name: string; entered: number; converted: number; rate: number | null }[];
  test: { method: 'fisher' | 'two-proportions'; p: number | null; adjusted: boolean };
  winner: string | null;
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
      funnel: { stages: m.funnel.stages, conversions: m.funnel.conversions.map((c) => ({ ...c, rate: round(c.rate) })), moves: m.funnel.moves },
      delayed: rules(m.delayed),
      skipped: rules(m.skipped),
      suppressed: rules(m.suppressed),
      splits: m.splits.map((x) => ({
        ...x,
        loc: locToJson(ix, x.loc),
        branches: x.branches.map((b) => ({ ...b, rate: round(b.rate) })),
        test: { ...x.test, p: round(x.test.p) },
      })),
    },
  };
}

/** A split's test in words: the method, p and the winner, or that the difference is not significant. */
export function splitVerdict(x: SplitJson): string {
  if (x.test.p === null) return x.goal === null ? 'no goal to compare' : 'not enough runs to compare';
  const method = x.test.method === 'fisher' ? "Fisher's exact test" : 'two-proportion z test';
  const p = `p = ${x.test.p < 0.001 ? '< 0.001' : x.test.p.toFixed(3)}${x.test.adjusted ? ' (Holm)' : ''}`;
  return x.winner === null ? `${method}, ${p}: no significant difference` : `${method}, ${p}: ${x.winner} converts better`;
}

/** One line per split for a run's text summary: the branches' conversion side by side and the verdict. */
export function splitLines(ix: PlanIndex, m: Measures): string[] {
  return m.splits.map((x) => {
    const l = locToJson(ix, x.loc);
    const where = l === null ? '' : ` (${l.file}:${l.line})`;
    const branches = x.branches.map((b) => `${b.name} ${b.rate === null ? '—' : `${(b.rate * 100).toFixed(1)}%`} (${b.converted}/${b.entered})`).join(', ');
    return `split in ${x.journey}${where}: ${branches}; ${splitVerdict({ ...x, loc: l })}`;
  });
}
