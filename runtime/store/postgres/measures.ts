// The measures kept in a PostgreSQL store (LANGUAGE.md 9), written by each unit's commit in its fenced
// transaction (commit.ts): what a refused unit counted is never written. Counters are kept per writer
// (the worker's id) so that workers never wait on each other's counter rows; the report adds them up.
// Per-lead rows belong to the lead's partition, which one worker owns at a time. The same merge rules as
// the SQLite store (measure-data.ts).
import type pg from 'pg';
import { branchKey, conversionKey, emptyMeasuresData, periodRows, splitBranchKey, splitConversionKey, type MeasuresData } from '../../engine/measure-data.js';

export const MEASURES_SCHEMA = `
CREATE TABLE IF NOT EXISTS nurture_measure_counts (writer text NOT NULL, key text NOT NULL, n double precision NOT NULL, PRIMARY KEY (writer, key));
CREATE TABLE IF NOT EXISTS nurture_measure_leads (lead text PRIMARY KEY, t0 bigint NOT NULL, control int, mql bigint NOT NULL,
  recycled bigint NOT NULL, flagged int NOT NULL, stages text NOT NULL);
CREATE TABLE IF NOT EXISTS nurture_measure_periods (lead text NOT NULL, period int NOT NULL, n int NOT NULL, PRIMARY KEY (lead, period));
CREATE TABLE IF NOT EXISTS nurture_measure_branches (journey text NOT NULL, step int NOT NULL, lead text NOT NULL, run int NOT NULL,
  branch int NOT NULL, PRIMARY KEY (journey, step, lead, run));
CREATE TABLE IF NOT EXISTS nurture_measure_conversions (journey text NOT NULL, lead text NOT NULL, run int NOT NULL, PRIMARY KEY (journey, lead, run));
`;

/** The end of the measured period: merged by maximum, not by sum. */
const END = 'end';

/** Adds `d` to the store's measures, as `writer`, inside the caller's transaction. */
export async function addMeasures(client: pg.ClientBase, writer: string, d: MeasuresData): Promise<void> {
  const keys = [...d.counts.keys()];
  if (keys.length > 0) {
    await client.query(
      `INSERT INTO nurture_measure_counts (writer, key, n) SELECT $1, * FROM unnest($2::text[], $3::float8[])
       ON CONFLICT (writer, key) DO UPDATE SET n = nurture_measure_counts.n + excluded.n`,
      [writer, keys, keys.map((k) => d.counts.get(k)!)],
    );
  }
  if (Number.isFinite(d.end)) {
    await client.query(
      `INSERT INTO nurture_measure_counts (writer, key, n) VALUES ($1, $2, $3)
       ON CONFLICT (writer, key) DO UPDATE SET n = greatest(nurture_measure_counts.n, excluded.n)`,
      [writer, END, d.end],
    );
  }
  if (d.leads.size > 0) {
    const leads = [...d.leads];
    await client.query(
      `INSERT INTO nurture_measure_leads AS m (lead, t0, control, mql, recycled, flagged, stages)
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::int[], $4::bigint[], $5::bigint[], $6::int[], $7::text[])
       ON CONFLICT (lead) DO UPDATE SET t0 = least(m.t0, excluded.t0), control = coalesce(m.control, excluded.control),
         mql = greatest(m.mql, excluded.mql),
         recycled = CASE WHEN m.recycled = 0 THEN excluded.recycled WHEN excluded.recycled = 0 THEN m.recycled ELSE least(m.recycled, excluded.recycled) END,
         flagged = greatest(m.flagged, excluded.flagged),
         stages = array_to_string(ARRAY(SELECT DISTINCT x FROM unnest(string_to_array(m.stages, ',') || string_to_array(excluded.stages, ',')) AS x WHERE x <> '' ORDER BY x), ',')`,
      [leads.map(([l]) => l), leads.map(([, f]) => f.t0), leads.map(([, f]) => f.control), leads.map(([, f]) => f.mql), leads.map(([, f]) => f.recycled), leads.map(([, f]) => f.flagged), leads.map(([, f]) => f.stages)],
    );
  }
  const p = periodRows(d);
  if (p.lead.length > 0) {
    await client.query(
      `INSERT INTO nurture_measure_periods AS m (lead, period, n) SELECT * FROM unnest($1::text[], $2::int[], $3::int[])
       ON CONFLICT (lead, period) DO UPDATE SET n = m.n + excluded.n`,
      [p.lead, p.period, p.n],
    );
  }
  if (d.branches.size > 0) {
    const b = [...d.branches].map(([k, branch]) => ({ ...splitBranchKey(k), branch }));
    await client.query(
      `INSERT INTO nurture_measure_branches (journey, step, lead, run, branch) SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::int[], $5::int[])
       ON CONFLICT (journey, step, lead, run) DO UPDATE SET branch = excluded.branch`,
      [b.map((x) => x.journey), b.map((x) => x.step), b.map((x) => x.lead), b.map((x) => x.run), b.map((x) => x.branch)],
    );
  }
  if (d.conversions.size > 0) {
    const c = [...d.conversions].map(splitConversionKey);
    await client.query(
      'INSERT INTO nurture_measure_conversions (journey, lead, run) SELECT * FROM unnest($1::text[], $2::text[], $3::int[]) ON CONFLICT DO NOTHING',
      [c.map((x) => x.journey), c.map((x) => x.lead), c.map((x) => x.run)],
    );
  }
}

/** Every worker's committed measures. */
export async function readMeasures(pool: pg.Pool): Promise<MeasuresData> {
  const d = emptyMeasuresData();
  const counts = await pool.query(`SELECT key, CASE WHEN key = '${END}' THEN max(n) ELSE sum(n) END AS n FROM nurture_measure_counts GROUP BY key`);
  for (const r of counts.rows as { key: string; n: number }[]) {
    if (r.key === END) d.end = Number(r.n);
    else d.counts.set(r.key, Number(r.n));
  }
  const leads = await pool.query({ text: 'SELECT lead, t0::float8, control, mql::float8, recycled::float8, flagged, stages FROM nurture_measure_leads', rowMode: 'array' });
  for (const [lead, t0, control, mql, recycled, flagged, stages] of leads.rows as [string, number, number | null, number, number, number, string][]) {
    d.leads.set(lead, { t0, control, mql, recycled, flagged, stages });
  }
  const periods = await pool.query({ text: 'SELECT lead, period, n FROM nurture_measure_periods', rowMode: 'array' });
  for (const [lead, period, n] of periods.rows as [string, number, number][]) {
    d.periods.lead.push(lead);
    d.periods.period.push(period);
    d.periods.n.push(n);
  }
  const branches = await pool.query({ text: 'SELECT journey, step, lead, run, branch FROM nurture_measure_branches', rowMode: 'array' });
  for (const [journey, step, lead, run, branch] of branches.rows as [string, number, string, number, number][]) d.branches.set(branchKey(journey, step, lead, run), branch);
  const conversions = await pool.query({ text: 'SELECT journey, lead, run FROM nurture_measure_conversions', rowMode: 'array' });
  for (const [journey, lead, run] of conversions.rows as [string, string, number][]) d.conversions.add(conversionKey(journey, lead, run));
  return d;
}
