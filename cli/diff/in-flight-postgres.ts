// `nurture diff --db postgres://…`: the leads of a PostgreSQL store (runtime/store/postgres/), read in ONE
// read-only, repeatable-read transaction — a consistent snapshot, and nothing written (not even the
// schema, which opening a store would apply). Events still in the inbox are not in flight yet: not counted.
import pg from 'pg';
import type { Plan } from '../../runtime/plan-types.js';
import { decodeRow, reasonOf, shownUrl, type LeadRow } from '../../runtime/store/postgres/index.js';
import { CliError } from '../context.js';
import type { SideText } from './changes.js';
import { Moves, type InFlight } from './in-flight.js';

const PAGE = 1000;

export async function inFlightPostgres(url: string, old: SideText, neu: SideText): Promise<InFlight> {
  const shown = shownUrl(url);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (e) {
    throw new CliError(`cannot connect to ${shown}: ${reasonOf(e)}`);
  }
  try {
    await client.query('BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const tables = await client.query<{ ok: boolean }>("SELECT to_regclass('nurture_meta') IS NOT NULL AND to_regclass('nurture_leads') IS NOT NULL AS ok");
    if (!tables.rows[0]!.ok) throw new CliError(`${shown} is not a nurture store (no nurture_meta and nurture_leads tables)`);
    const meta = await client.query<{ value: string }>("SELECT value FROM nurture_meta WHERE key = 'plan'");
    const plans = new Map<string, Plan>();
    const planOf = async (hash: string): Promise<Plan> => {
      let p = plans.get(hash);
      if (p === undefined) {
        const r = await client.query<{ plan: string }>('SELECT plan FROM nurture_plans WHERE hash = $1', [hash]);
        if (r.rows.length === 0) throw new CliError(`${shown}: plan ${hash} of its leads is missing from nurture_plans (damaged?)`);
        plans.set(hash, (p = JSON.parse(r.rows[0]!.plan) as Plan));
      }
      return p;
    };
    const moves = new Moves(shown, meta.rows[0]?.value ?? '', old, neu);
    for (let after = ''; ; ) {
      const page = await client.query<LeadRow>('SELECT id, part, plan, due, record FROM nurture_leads WHERE id > $1 ORDER BY id LIMIT $2', [after, PAGE]);
      for (const row of page.rows) {
        let state;
        try {
          state = decodeRow(row).state;
        } catch (e) {
          throw new CliError(`${shown}: lead ${row.id} cannot be read (${(e as Error).message})`);
        }
        moves.add(state, await planOf(row.plan));
      }
      if (page.rows.length < PAGE) break;
      after = page.rows[page.rows.length - 1]!.id;
    }
    await client.query('COMMIT');
    return moves.result();
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`cannot read the store ${shown}: ${reasonOf(e)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
