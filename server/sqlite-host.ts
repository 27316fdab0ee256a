// The host over the embedded SQLite store (docs/host-api.md): one process owns the file. Each request's
// events are applied in ONE unit of work (one transaction: inputs, actions into the outbox); the clock
// loop's `tick` is another. The audit trail is kept in the same file (`serve_audit`), written right after
// each unit (a crash between the two loses those records, never state or actions).
//
// A new plan (`deploy`) is loaded the way the store migrates: the runtime is closed (checkpointed) and
// opened again with the new plan, which migrates every lead in one transaction (§8.6); when that fails,
// the old plan is opened again and keeps running. The outbox handed to delivery stays the same object
// (LiveOutbox forwards to the current runtime's).
import type Database from 'better-sqlite3';
import type { Plan } from '../runtime/plan-types.js';
import type { PlanIndex } from '../runtime/engine/plan-index.js';
import type { RuntimeAction } from '../runtime/engine/core.js';
import { validateEvent, type LeadEvent } from '../runtime/engine/index.js';
import { openSqliteRuntime, type Outbox, type SqliteRuntime, type SqliteRuntimeOptions } from '../runtime/store/index.js';
import type { DeliveryQueue } from './delivery/queue.js';
import type { DeploySummary, Host, HostStats, IngestAnswer } from './host.js';
import { leadView, type LeadView } from './lead-view.js';

export interface SqliteHostOptions {
  /** Keep each lead's audit trail in the file (default true). */
  audit?: boolean;
  store?: Omit<SqliteRuntimeOptions, 'audit' | 'queueActions'>;
}

const AUDIT_SCHEMA = `
CREATE TABLE IF NOT EXISTS serve_audit (seq INTEGER PRIMARY KEY, lead TEXT NOT NULL, records TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS serve_audit_lead ON serve_audit (lead, seq);`;

/** At most this many moves are listed in a deployment's answer (the count is complete). */
const MOVES_SHOWN = 1000;

export function openSqliteHost(plan: Plan, file: string, options: SqliteHostOptions = {}): SqliteHost {
  return new SqliteHost(plan, file, options);
}

export class SqliteHost implements Host {
  readonly kind = 'sqlite';
  readonly outbox: LiveOutbox;
  private rt: SqliteRuntime;
  private listeners: ((actions: Map<string, number>) => void)[] = [];
  private auditOn: boolean;
  private insertAudit!: Database.Statement;
  private selectAudit!: Database.Statement;

  constructor(
    plan: Plan,
    readonly file: string,
    private readonly options: SqliteHostOptions,
  ) {
    this.auditOn = options.audit ?? true;
    this.rt = this.open(plan);
    this.outbox = new LiveOutbox(() => this.rt.outbox);
  }

  private open(plan: Plan): SqliteRuntime {
    const rt = openSqliteRuntime(plan, this.file, { ...this.options.store, audit: this.auditOn ? 'stream' : 'off', queueActions: true });
    try {
      rt.store.db.exec(AUDIT_SCHEMA);
      this.insertAudit = rt.store.db.prepare('INSERT INTO serve_audit (lead, records) VALUES (?, ?)');
      this.selectAudit = rt.store.db.prepare('SELECT records FROM (SELECT seq, records FROM serve_audit WHERE lead = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq').pluck();
    } catch (e) {
      rt.close();
      throw e;
    }
    return rt;
  }

  get runtime(): SqliteRuntime {
    return this.rt;
  }

  index(): PlanIndex {
    return this.rt.index;
  }

  onCommit(listener: (actions: Map<string, number>) => void): void {
    this.listeners.push(listener);
  }

  /**
   * After a unit: its audit records into the file — one row per lead and unit, the records as compact
   * tuples (one insert per record cost a fifth of the server's time) — and its actions counted.
   */
  private committed(): void {
    const rt = this.rt;
    if (this.auditOn) {
      const records = rt.drainAudit();
      if (records.length > 0) {
        const files = rt.index.files;
        const byLead = new Map<string, unknown[]>();
        for (const r of records) {
          let list = byLead.get(r.lead);
          if (list === undefined) byLead.set(r.lead, (list = []));
          list.push([r.at, r.kind, r.journey, r.step, r.subject, r.from, r.to, r.rule, r.loc === null ? null : [files[r.loc[0]] ?? '?', r.loc[1], r.loc[2]], r.note]);
        }
        rt.store.db.transaction(() => {
          for (const [lead, list] of byLead) this.insertAudit.run(lead, JSON.stringify(list));
        })();
      }
    }
    const actions = rt.drainActions();
    if (actions.length > 0) {
      const byType = countTypes(actions);
      for (const l of this.listeners) l(byType);
    }
  }

  async ingest(items: readonly unknown[], preRejected: ReadonlyMap<number, string>): Promise<IngestAnswer> {
    const answer: IngestAnswer = { accepted: [], duplicates: [], late: [], rejected: [], queued: false };
    const ix = this.rt.index;
    const valid: { index: number; event: LeadEvent }[] = [];
    items.forEach((item, index) => {
      const pre = preRejected.get(index);
      if (pre !== undefined) return void answer.rejected.push({ index, reason: pre });
      const v = validateEvent(ix, item);
      if (v.ok) valid.push({ index, event: v.event });
      else answer.rejected.push({ index, reason: v.reason });
    });
    valid.sort((a, b) => a.event.at - b.event.at); // stable: each lead's events in `at` order, ties in request order
    if (valid.length > 0) {
      const rt = this.rt;
      rt.transaction(() => {
        for (const { index, event } of valid) {
          const r = rt.ingestValidated(event);
          if (!r.ok) answer.rejected.push({ index, reason: r.reason }); // validated above: not expected
          else if (r.duplicate) answer.duplicates.push(index);
          else {
            answer.accepted.push(index);
            if (r.late) answer.late.push(index);
          }
        }
      });
      this.committed();
    }
    for (const list of [answer.accepted, answer.duplicates, answer.late]) list.sort((a, b) => a - b);
    answer.rejected.sort((a, b) => a.index - b.index);
    return answer;
  }

  tick(now: number): number {
    if (this.rt.nextDue() > now) return 0;
    const steps = this.rt.advanceTo(now);
    this.committed();
    return steps;
  }

  nextDue(): number {
    return this.rt.nextDue();
  }

  async lead(id: string): Promise<LeadView | undefined> {
    const s = this.rt.leadState(id);
    return s === undefined ? undefined : leadView(this.rt.index, s);
  }

  async audit(id: string, limit: number): Promise<Record<string, unknown>[] | undefined | null> {
    if (!this.auditOn) return null;
    if (this.rt.leadState(id) === undefined) return undefined;
    const rows = (this.selectAudit.all(id, limit) as string[]).map((text) => JSON.parse(text) as AuditTuple[]);
    return rows.flat().slice(-limit).map((t) => auditRecordJson(id, t));
  }

  async deploy(plan: Plan): Promise<DeploySummary> {
    const from = this.rt.index.plan.source.hash;
    const to = plan.source.hash;
    if (from === to) return { from, to, changed: false, migrated: 0, moves: [], note: 'the store already runs this plan: nothing to do' };
    const old = this.rt.index.plan;
    this.rt.close(); // checkpointed: the new open migrates every lead from the file
    try {
      this.rt = this.open(plan);
    } catch (e) {
      this.rt = this.open(old); // the running plan stays
      throw e;
    }
    if (this.auditOn) this.committed(); // the migration's moves are in the audit trail
    const moves = this.rt.migration;
    return {
      from,
      to,
      changed: true,
      migrated: new Set(moves.map((m) => m.lead)).size,
      moves: moves.slice(0, MOVES_SHOWN).map((m) => ({ lead: m.lead, journey: m.journey, step: m.step, moved: m.moved, reason: m.reason })),
      note: 'every lead built with the previous plan was migrated in one transaction (LANGUAGE.md §8.6)',
    };
  }

  async stats(): Promise<HostStats> {
    return { nextDue: this.rt.nextDue(), inbox: null };
  }

  async close(): Promise<void> {
    this.rt.close();
  }
}

/** An audit record as stored: at, kind, journey, step, subject, from, to, rule, [file, line, column] | null, note. */
type AuditTuple = [number, string, string | null, number | null, string | null, unknown, unknown, string | null, [string, number, number] | null, string | null];

/** A stored record in the shape of `auditToJson` (runtime/engine/runtime.ts). */
function auditRecordJson(lead: string, t: AuditTuple): Record<string, unknown> {
  const [at, kind, journey, step, subject, from, to, rule, loc, note] = t;
  return { at: new Date(at).toISOString(), lead, kind, journey, step, subject, from, to, rule, loc: loc === null ? null : { file: loc[0], line: loc[1], column: loc[2] }, note };
}

export function countTypes(actions: readonly RuntimeAction[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const a of actions) m.set(a.type, (m.get(a.type) ?? 0) + 1);
  return m;
}

/**
 * The outbox of whichever runtime is open now: a plan deployment closes the store and opens it again,
 * the object delivery holds stays. Every call goes to the current runtime's outbox (a statement
 * prepared on the closed connection would throw).
 */
export class LiveOutbox implements DeliveryQueue {
  constructor(private readonly current: () => Outbox) {}
  size = () => this.current().size();
  list = (after: number, limit: number) => this.current().list(after, limit);
  claim = (limit: number, claimMs: number, owner: string) => this.current().claim(limit, claimMs, owner);
  ackAged = (ids: Iterable<string>) => this.current().ackAged(ids);
  retryLater = (id: string, owner: string, delayMs: number, error: string) => this.current().retryLater(id, owner, delayMs, error);
  bury = (id: string, owner: string, error: string) => this.current().bury(id, owner, error);
  dead = (after: number, limit: number) => this.current().dead(after, limit);
  deadCount = () => this.current().deadCount();
  revive = (ids: readonly string[] | 'all') => this.current().revive(ids);
  readyIn = () => this.current().readyIn();
  releaseClaims = () => this.current().releaseClaims();
}
