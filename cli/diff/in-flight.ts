// `nurture diff --db FILE`: what loading NEW over a store would do to the leads in flight (LANGUAGE.md
// §8.6), counted per journey step: they STAY (their step is unchanged), MOVE (they stay at their place but
// its step changed: a wait's due instant moves, a send's content changes) or LEAVE the journey (their place
// no longer exists). The store is not changed: it is copied to a temporary folder (with its WAL), the copy
// opened with the plan the store runs (a run stopped without closing is replayed there), and every lead's
// state migrated in memory with the runtime's own `migrateState` — the very rule a deployment applies.
// A PostgreSQL store is read in one read-only transaction (in-flight-postgres.ts).
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { compilePlanIndex, type LeadState, type PlanIndex } from '../../runtime/engine/index.js';
import type { Plan } from '../../runtime/plan-types.js';
import { migrateState, openSqliteRuntime, type MigrationEntry } from '../../runtime/store/index.js';
import { matchSteps, stepWords } from '../../runtime/store/step-places.js';
import { CliError, type Context } from '../context.js';
import { withSources } from '../workspace-plan.js';
import { SideText, type Place } from './changes.js';

export interface StepMoves {
  journey: string;
  /** The step where the leads wait, in the store's plan, and its place in NEW (null: gone). */
  step: string;
  old: Place | null;
  new: Place | null;
  stay: number;
  move: number;
  leave: number;
  /** Why they move or leave (the migration's reason for one of them). */
  reason: string | null;
}

export interface InFlight {
  store: string;
  /** The plan the store runs, and whether it is OLD's (else the moves are from the store's plan). */
  plan: string;
  planIsOld: boolean;
  /** Leads in the store; those in at least one journey. */
  leads: number;
  inJourneys: number;
  stay: number;
  move: number;
  leave: number;
  /** Leads whose stage no longer exists (remapped to the highest remaining one below). */
  stageRemapped: number;
  steps: StepMoves[];
}

/** The store's leads in flight (a SQLite file or a postgres:// URL), and what NEW would do to them. */
export async function inFlight(path: string, old: SideText, neu: SideText, ctx: Context): Promise<InFlight> {
  if (/^postgres(ql)?:\/\//i.test(path)) return (await import('./in-flight-postgres.js')).inFlightPostgres(path, old, neu);
  const file = resolve(ctx.cwd, path);
  let size: number;
  try {
    size = statSync(file).size;
  } catch (e) {
    throw new CliError(`cannot read \`${path}\`: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  if (size === 0) throw new CliError(`\`${path}\` is empty: not a store written by \`nurture simulate --db\` or a host`);
  const dir = mkdtempSync(join(tmpdir(), 'nurture-diff-'));
  try {
    const copy = join(dir, 'store.db');
    copyFileSync(file, copy);
    if (existsSync(file + '-wal')) copyFileSync(file + '-wal', copy + '-wal');
    return readMoves(path, copy, old, neu);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function storePlan(path: string, copy: string): Plan | null {
  let db: Database.Database | undefined;
  try {
    db = new Database(copy, { fileMustExist: true });
    const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name IN ('meta', 'plans')").all().length === 2;
    if (!has) throw new CliError(`\`${path}\` is not a nurture store (no meta and plans tables)`);
    const hash = db.prepare("SELECT value FROM meta WHERE key = 'plan'").pluck().get() as string | undefined;
    if (hash === undefined) return null;
    const text = db.prepare('SELECT plan FROM plans WHERE hash = ?').pluck().get(hash) as string | undefined;
    if (text === undefined) throw new CliError(`\`${path}\` runs plan ${hash}, which is missing from its plans table (damaged?)`);
    return JSON.parse(text) as Plan;
  } catch (e) {
    if (e instanceof CliError) throw e;
    const code = (e as { code?: unknown }).code;
    throw new CliError(`cannot read \`${path}\` as a store: ${code === 'SQLITE_NOTADB' ? 'not a SQLite database' : (e as Error).message}`);
  } finally {
    db?.close();
  }
}

function readMoves(path: string, copy: string, old: SideText, neu: SideText): InFlight {
  const plan = storePlan(path, copy);
  const moves = new Moves(path, plan?.source.hash ?? '', old, neu);
  if (plan === null) return moves.result();
  // a store copied while a host writes it, or damaged: a reason, not an internal error
  const cannot = (e: unknown) => new CliError(`cannot read \`${path}\` as a store: ${e instanceof Error ? e.message : String(e)}`);
  let rt;
  try {
    rt = openSqliteRuntime(plan, copy, { audit: 'off', queueActions: false, exclusive: true });
  } catch (e) {
    throw cannot(e);
  }
  try {
    for (const id of rt.store.leads()) {
      const state = rt.leadState(id);
      if (state !== undefined) moves.add(state, plan);
    }
  } catch (e) {
    throw cannot(e);
  } finally {
    rt.close();
  }
  return moves.result();
}

/** Counts, lead by lead, what migrating its state to NEW does (the runtime's `migrateState`). */
export class Moves {
  private readonly total: InFlight;
  private readonly rows = new Map<string, StepMoves>();
  private readonly toIx: PlanIndex;
  private readonly plans = new Map<string, { ix: PlanIndex; side: SideText }>();

  constructor(
    store: string,
    plan: string,
    private readonly old: SideText,
    private readonly neu: SideText,
  ) {
    this.total = { store, plan, planIsOld: plan === '' || plan === old.plan.source.hash, leads: 0, inJourneys: 0, stay: 0, move: 0, leave: 0, stageRemapped: 0, steps: [] };
    this.toIx = compilePlanIndex(neu.plan);
  }

  /** One lead's state, built with `plan` (OLD's or another the store ran). */
  add(state: LeadState, plan: Plan): void {
    const from = this.planOf(plan);
    this.total.leads++;
    const report: MigrationEntry[] = [];
    migrateState(from.ix, this.toIx, state, report);
    if (report.some((m) => m.moved === 'stage')) this.total.stageRemapped++;
    let inJourney = false;
    state.j.forEach((js, ji) => {
      if (js === null || js.a !== 1) return;
      inJourney = true;
      const journey = from.ix.journeys[ji]!.name;
      const entry = report.find((m) => m.journey === journey && m.moved !== 'stage');
      const how = entry === undefined ? 'stay' : entry.moved === 'exited' ? 'leave' : 'move';
      const row = this.row(journey, js.s, from.side, plan.source.hash);
      row[how]++;
      this.total[how]++;
      row.reason ??= entry === undefined ? null : entry.reason.replace(/, now due \S+$/, ', due again counted from when it started waiting');
    });
    if (inJourney) this.total.inJourneys++;
  }

  result(): InFlight {
    const steps = [...this.rows.values()].sort((a, b) => (a.journey < b.journey ? -1 : a.journey > b.journey ? 1 : (a.old?.line ?? 0) - (b.old?.line ?? 0)));
    return { ...this.total, steps };
  }

  private planOf(plan: Plan): { ix: PlanIndex; side: SideText } {
    const hash = plan.source.hash;
    let p = this.plans.get(hash);
    if (p === undefined) {
      const side = hash === this.old.plan.source.hash ? this.old : new SideText(withSources(plan, []));
      this.plans.set(hash, (p = { ix: compilePlanIndex(plan), side }));
    }
    return p;
  }

  private row(journey: string, step: number, from: SideText, plan: string): StepMoves {
    const key = `${plan}\u0000${journey}\u0000${step}`;
    let row = this.rows.get(key);
    if (row !== undefined) return row;
    const oldJ = from.plan.journeys[journey]!;
    const s = oldJ.steps[step]!;
    const newJ = this.neu.plan.journeys[journey];
    const to = newJ === undefined ? undefined : matchSteps(oldJ, newJ).get(step);
    const t = to === undefined ? undefined : newJ!.steps[to];
    row = { journey, step: stepWords(s), old: from.place(s.loc, s), new: t === undefined ? null : this.neu.place(t.loc, t), stay: 0, move: 0, leave: 0, reason: null };
    this.rows.set(key, row);
    return row;
  }
}
