// A unit of work's commit: ONE transaction that first checks (and renews) the lease of every partition
// the worker holds — the fencing statement — then writes the changed leads (state, processed ids, next
// timer), the actions into the outbox, the migration report, the rejected events, the measures (measures.ts), and removes the inbox
// rows applied. If any lease's epoch changed (another worker took the partition over while this one was
// paused or cut off), or the store now runs another plan, the transaction is rolled back: nothing of the
// unit is written. Multi-row statements over unnest()ed arrays: a handful of round trips per unit,
// whatever its size.
import type pg from 'pg';
import type { RuntimeAction } from '../../engine/core.js';
import type { PlanIndex } from '../../engine/plan-index.js';
import type { MigrationEntry } from '../migrate.js';
import type { MeasuresData } from '../../engine/measure-data.js';
import { addMeasures } from './measures.js';
import { StateWriter } from '../state-codec.js';
import { FencedError, PlanChangedError } from './errors.js';
import type { ChangedLead } from './lead-cache.js';

export interface Unit {
  leads: ChangedLead[];
  actions: readonly RuntimeAction[];
  /** Inbox rows applied (or rejected). */
  consumed: number[];
  rejected: { seq: number; lead: string | null; reason: string; event: string }[];
  migrations: { at: number; entry: MigrationEntry }[];
  /** What the unit's decisions add to the store's measures. */
  measures: MeasuresData;
}

export interface Fence {
  worker: string;
  parts: number[];
  epochs: number[];
  leaseMs: number;
  plan: string;
}

/** Encodes the changed leads: state and processed ids in one record each (state-codec.ts). */
export function encodeLeads(ix: PlanIndex, leads: readonly ChangedLead[], writer = new StateWriter()): Buffer[] {
  writer.reset();
  const ends: number[] = [];
  for (const c of leads) {
    writer.record(ix, c.lead, c.ids);
    ends.push(writer.view().length);
  }
  const all = Buffer.from(writer.view()); // one copy; each record a view of it
  return ends.map((end, i) => all.subarray(i === 0 ? 0 : ends[i - 1]!, end));
}

export async function commitUnit(client: pg.ClientBase, ix: PlanIndex, fence: Fence, unit: Unit, records: Buffer[]): Promise<void> {
  await client.query('BEGIN');
  try {
    // Fencing first: it locks the partition rows, so a takeover waits for this transaction or wins before it.
    const r = await client.query(
      `UPDATE nurture_partitions p SET expires = now() + $3 * interval '1 millisecond'
         FROM unnest($1::int[], $2::bigint[]) AS o(part, epoch)
        WHERE p.part = o.part AND p.epoch = o.epoch AND p.owner = $4
        RETURNING p.part, (SELECT value FROM nurture_meta WHERE key = 'plan') AS plan`,
      [fence.parts, fence.epochs, fence.leaseMs, fence.worker],
    );
    if (r.rows.length > 0 && r.rows[0].plan !== fence.plan) {
      throw new PlanChangedError(`the store now runs plan ${r.rows[0].plan}; this worker runs ${fence.plan}: restart it with the store's plan`);
    }
    if (r.rows.length !== fence.parts.length) {
      const kept = new Set(r.rows.map((row: { part: number }) => row.part));
      throw new FencedError(fence.parts.filter((p) => !kept.has(p)));
    }
    const leads = unit.leads;
    if (leads.length > 0) {
      await client.query(
        `INSERT INTO nurture_leads (id, part, plan, due, record)
           SELECT id, part, $3, due, record FROM unnest($1::text[], $2::int[], $4::bigint[], $5::bytea[]) AS u(id, part, due, record)
         ON CONFLICT (id) DO UPDATE SET plan = excluded.plan, due = excluded.due, record = excluded.record`,
        [leads.map((c) => c.id), leads.map((c) => c.part), ix.plan.source.hash, leads.map((c) => c.due), records],
      );
    }
    const actions = unit.actions;
    if (actions.length > 0) {
      await client.query('INSERT INTO nurture_outbox (id, lead, at, action) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[])', [
        actions.map((a) => a.id),
        actions.map((a) => a.lead),
        actions.map((a) => a.at),
        actions.map((a) => JSON.stringify(a)),
      ]);
    }
    if (unit.rejected.length > 0) {
      const rj = unit.rejected;
      await client.query(
        'INSERT INTO nurture_rejected (seq, lead, reason, event) SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) ON CONFLICT DO NOTHING',
        [rj.map((x) => x.seq), rj.map((x) => x.lead), rj.map((x) => x.reason), rj.map((x) => x.event)],
      );
    }
    if (unit.migrations.length > 0) {
      const m = unit.migrations;
      await client.query(
        `INSERT INTO nurture_migrations (at, lead, from_plan, to_plan, journey, step, moved, reason)
           SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::text[])`,
        [
          m.map((x) => x.at),
          m.map((x) => x.entry.lead),
          m.map((x) => x.entry.fromPlan),
          m.map((x) => x.entry.toPlan),
          m.map((x) => x.entry.journey),
          m.map((x) => x.entry.step),
          m.map((x) => x.entry.moved),
          m.map((x) => x.entry.reason),
        ],
      );
    }
    await addMeasures(client, fence.worker, unit.measures);
    if (unit.consumed.length > 0) await client.query('DELETE FROM nurture_inbox WHERE seq = ANY($1::bigint[])', [unit.consumed]);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}
