// The measures' raw data (LANGUAGE.md 9), in a form that adds up: what a run recorded, or what a store
// holds, or their sum. `MeasuresCollector.take()` hands over what it recorded since the last call; a store
// adds it to its tables in the same transaction as the states (docs/host-api.md, "Measures"); the report is
// `summarize` (measures.ts) of the store's data plus what is not committed yet. Every part merges
// by a rule that does not depend on how a run was cut into pieces: counters add up, per-lead facts keep
// the first or the last, sets unite. So the events split into several `--db` runs give the same report as
// one run.

/** What the measures keep per lead. */
export interface LeadFacts {
  /** When the lead was first seen (epoch ms). */
  t0: number;
  /** 1 in the program's control group, 0 not, null when the plan had no control group at its creation. */
  control: number | null;
  /** The lead's action sequence number of its latest MQL (0: never an MQL). */
  mql: number;
  /** The action sequence number of its first move to a lower stage (0: never recycled). */
  recycled: number;
  /** 1 when the lead was flagged (a run stopped for too much work). */
  flagged: number;
  /** The stages the lead was ever at, joined by commas (stage names are identifiers). */
  stages: string;
}

export interface MeasuresData {
  /** Additive counters by key (`countKey`). */
  counts: Map<string, number>;
  /** The latest instant processed (epoch ms), or -Infinity. */
  end: number;
  leads: Map<string, LeadFacts>;
  /**
   * Sends per lead per 7-day period counted from its first instant, as rows (lead, period, sends); a
   * (lead, period) may come in several rows, which add up (a run's own rows are one per send).
   */
  periods: PeriodRows;
  /** The branch each nurtured run took at a split: `journey \t step \t lead \t run` → branch (0-based). */
  branches: Map<string, number>;
  /** The nurtured runs that converted: `journey \t lead \t run` (journeys with a split only). */
  conversions: Set<string>;
}

export interface PeriodRows {
  lead: string[];
  period: number[];
  n: number[];
}

export function emptyMeasuresData(): MeasuresData {
  return { counts: new Map(), end: -Infinity, leads: new Map(), periods: { lead: [], period: [], n: [] }, branches: new Map(), conversions: new Set() };
}

/** The key of a counter: its parts joined by tabs (the last part may hold any text). */
export const countKey = (...parts: (string | number)[]): string => parts.join('\t');

export const branchKey = (journey: string, step: number, lead: string, run: number): string => `${journey}\t${step}\t${lead}\t${run}`;
export const conversionKey = (journey: string, lead: string, run: number): string => `${journey}\t${lead}\t${run}`;

/** `a` and `b` of one lead merged: the first instant, the latest MQL, the first recycling. */
export function mergeLeadFacts(a: LeadFacts, b: LeadFacts): LeadFacts {
  return {
    t0: Math.min(a.t0, b.t0),
    control: a.control ?? b.control,
    mql: Math.max(a.mql, b.mql),
    recycled: a.recycled === 0 ? b.recycled : b.recycled === 0 ? a.recycled : Math.min(a.recycled, b.recycled),
    flagged: Math.max(a.flagged, b.flagged),
    stages: b.stages === '' ? a.stages : b.stages.split(',').reduce(withStage, a.stages),
  };
}

/** Adds `d` to `into` (mutated; `d` is not). */
export function mergeMeasures(into: MeasuresData, d: MeasuresData): MeasuresData {
  for (const [k, n] of d.counts) into.counts.set(k, (into.counts.get(k) ?? 0) + n);
  if (d.end > into.end) into.end = d.end;
  for (const [lead, f] of d.leads) {
    const known = into.leads.get(lead);
    into.leads.set(lead, known === undefined ? { ...f } : mergeLeadFacts(known, f));
  }
  const p = d.periods;
  for (let i = 0; i < p.lead.length; i++) {
    into.periods.lead.push(p.lead[i]!);
    into.periods.period.push(p.period[i]!);
    into.periods.n.push(p.n[i]!);
  }
  for (const [k, b] of d.branches) into.branches.set(k, b);
  for (const k of d.conversions) into.conversions.add(k);
  return into;
}

/** `data`'s period rows added up per (lead, period): one row each, for a store's upsert. */
export function periodRows(data: MeasuresData): PeriodRows {
  const sum = new Map<string, Map<number, number>>();
  const p = data.periods;
  for (let i = 0; i < p.lead.length; i++) {
    let ps = sum.get(p.lead[i]!);
    if (ps === undefined) sum.set(p.lead[i]!, (ps = new Map()));
    ps.set(p.period[i]!, (ps.get(p.period[i]!) ?? 0) + p.n[i]!);
  }
  const rows: PeriodRows = { lead: [], period: [], n: [] };
  for (const [lead, ps] of sum) {
    for (const [period, n] of ps) {
      rows.lead.push(lead);
      rows.period.push(period);
      rows.n.push(n);
    }
  }
  return rows;
}

/** Splits a branch or conversion key back into its parts (lead ids may hold tabs: they are in the middle, so count from both ends). */
export function splitBranchKey(k: string): { journey: string; step: number; lead: string; run: number } {
  const a = k.indexOf('\t');
  const b = k.indexOf('\t', a + 1);
  const z = k.lastIndexOf('\t');
  return { journey: k.slice(0, a), step: Number(k.slice(a + 1, b)), lead: k.slice(b + 1, z), run: Number(k.slice(z + 1)) };
}
export function splitConversionKey(k: string): { journey: string; lead: string; run: number } {
  const a = k.indexOf('\t');
  const z = k.lastIndexOf('\t');
  return { journey: k.slice(0, a), lead: k.slice(a + 1, z), run: Number(k.slice(z + 1)) };
}

/** `stages` (names joined by commas) with `stage` added. */
export function withStage(stages: string, stage: string): string {
  if (stages === '') return stage;
  return stages.split(',').includes(stage) ? stages : `${stages},${stage}`;
}
