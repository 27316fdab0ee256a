// The measures kept in a SQLite store (LANGUAGE.md 9: a run that continues a store adds to its measures,
// and a report covers the whole history). Five tables, written in the same transaction as the unit of
// work whose decisions they count (sqlite-store.ts `commit`), each merged as measure-data.ts says:
// counters add up, per-lead facts keep the first or the latest, sets unite.
import type Database from 'better-sqlite3';
import { branchKey, conversionKey, emptyMeasuresData, mergeLeadFacts, periodRows, splitBranchKey, splitConversionKey, type MeasuresData } from '../engine/measure-data.js';

export const MEASURES_SCHEMA = `
CREATE TABLE IF NOT EXISTS measure_counts (key TEXT PRIMARY KEY, n REAL NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS measure_leads (lead TEXT PRIMARY KEY, t0 INTEGER NOT NULL, control INTEGER, mql INTEGER NOT NULL,
  recycled INTEGER NOT NULL, flagged INTEGER NOT NULL, stages TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS measure_periods (lead TEXT NOT NULL, period INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (lead, period)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS measure_branches (journey TEXT NOT NULL, step INTEGER NOT NULL, lead TEXT NOT NULL, run INTEGER NOT NULL,
  branch INTEGER NOT NULL, PRIMARY KEY (journey, step, lead, run)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS measure_conversions (journey TEXT NOT NULL, lead TEXT NOT NULL, run INTEGER NOT NULL, PRIMARY KEY (journey, lead, run)) WITHOUT ROWID;
`;

/** The end of the measured period is a counter merged by maximum, not by sum. */
const END = 'end';

export class SqliteMeasures {
  private s;
  constructor(db: Database.Database) {
    // the union of two stage lists (measure-data.ts `mergeLeadFacts`), for the upsert below
    db.function('nurture_stages', { deterministic: true }, (a: unknown, b: unknown) => mergeLeadFacts(facts(String(a)), facts(String(b))).stages);
    this.s = {
      count: db.prepare('INSERT INTO measure_counts (key, n) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET n = n + excluded.n'),
      end: db.prepare('INSERT INTO measure_counts (key, n) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET n = max(n, excluded.n)'),
      lead: db.prepare(
        `INSERT INTO measure_leads (lead, t0, control, mql, recycled, flagged, stages) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (lead) DO UPDATE SET
           t0 = min(t0, excluded.t0), control = coalesce(control, excluded.control), mql = max(mql, excluded.mql),
           recycled = CASE WHEN recycled = 0 THEN excluded.recycled WHEN excluded.recycled = 0 THEN recycled ELSE min(recycled, excluded.recycled) END,
           flagged = max(flagged, excluded.flagged), stages = nurture_stages(stages, excluded.stages)`,
      ),
      period: db.prepare('INSERT INTO measure_periods (lead, period, n) VALUES (?, ?, ?) ON CONFLICT (lead, period) DO UPDATE SET n = n + excluded.n'),
      branch: db.prepare('INSERT OR REPLACE INTO measure_branches (journey, step, lead, run, branch) VALUES (?, ?, ?, ?, ?)'),
      conversion: db.prepare('INSERT OR IGNORE INTO measure_conversions (journey, lead, run) VALUES (?, ?, ?)'),
      counts: db.prepare('SELECT key, n FROM measure_counts').raw(),
      leads: db.prepare('SELECT lead, t0, control, mql, recycled, flagged, stages FROM measure_leads').raw(),
      periods: db.prepare('SELECT lead, period, n FROM measure_periods').raw(),
      branches: db.prepare('SELECT journey, step, lead, run, branch FROM measure_branches').raw(),
      conversions: db.prepare('SELECT journey, lead, run FROM measure_conversions').raw(),
    };
  }

  /** Adds `d` to the tables (call inside the unit's transaction). */
  add(d: MeasuresData): void {
    const s = this.s;
    for (const [k, n] of d.counts) s.count.run(k, n);
    if (Number.isFinite(d.end)) s.end.run(END, d.end);
    for (const [lead, f] of d.leads) s.lead.run(lead, f.t0, f.control, f.mql, f.recycled, f.flagged, f.stages);
    const p = periodRows(d);
    for (let i = 0; i < p.lead.length; i++) s.period.run(p.lead[i], p.period[i], p.n[i]);
    for (const [k, b] of d.branches) {
      const x = splitBranchKey(k);
      s.branch.run(x.journey, x.step, x.lead, x.run, b);
    }
    for (const k of d.conversions) {
      const x = splitConversionKey(k);
      s.conversion.run(x.journey, x.lead, x.run);
    }
  }

  /** Everything the store holds. */
  read(): MeasuresData {
    const d = emptyMeasuresData();
    for (const [k, n] of this.s.counts.all() as [string, number][]) {
      if (k === END) d.end = n;
      else d.counts.set(k, n);
    }
    for (const [lead, t0, control, mql, recycled, flagged, stages] of this.s.leads.all() as [string, number, number | null, number, number, number, string][]) {
      d.leads.set(lead, { t0, control, mql, recycled, flagged, stages });
    }
    for (const [lead, period, n] of this.s.periods.all() as [string, number, number][]) {
      d.periods.lead.push(lead);
      d.periods.period.push(period);
      d.periods.n.push(n);
    }
    for (const [journey, step, lead, run, branch] of this.s.branches.all() as [string, number, string, number, number][]) {
      d.branches.set(branchKey(journey, step, lead, run), branch);
    }
    for (const [journey, lead, run] of this.s.conversions.all() as [string, string, number][]) d.conversions.add(conversionKey(journey, lead, run));
    return d;
  }
}

/** Facts with only `stages` set (to merge stage lists). */
const facts = (stages: string) => ({ t0: 0, control: null, mql: 0, recycled: 0, flagged: 0, stages });
