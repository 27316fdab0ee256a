import { describe, expect, it } from 'vitest';
import { MemoryStore, compilePlanIndex, createRuntime, type LeadStore, type RuntimeAction } from '../../runtime/engine/index.js';
import { SqliteStore, openSqliteRuntime, stepKeys } from '../../runtime/store/index.js';
import { A, DAY, S, T, buildPlan, ev } from '../runtime/helpers.js';
import { T0, inFourRuns, storeEvents, storePlan, storeSpec, version } from './fixture.js';
import { tempStores } from './temp-stores.js';

const dbFile = tempStores('store');
const ids = (as: RuntimeAction[]) => as.map((a) => a.id);

/** The same plan under another version hash. */
describe('SqliteStore implements LeadStore like MemoryStore', () => {
  it('get/put/dues/seen/leads round-trip through the file', () => {
    const file = dbFile();
    const ix = compilePlanIndex(storePlan());
    const sqlite = new SqliteStore(file);
    sqlite.attach(ix);
    const stores: LeadStore[] = [new MemoryStore(), sqlite];
    const rt0 = createRuntime(ix);
    rt0.ingest(ev('L1', 'signup', '2026-01-05 09:00', undefined, 'x1'));
    const state = rt0.leadState('L1')!;
    for (const s of stores) {
      expect(s.get('L1')).toBeUndefined();
      s.put(structuredClone(state));
      s.setDue('L1', 123);
      s.markSeen('L1', 'x1');
      expect(s.seen('L1', 'x1')).toBe(true);
      expect(s.seen('L1', 'x2')).toBe(false);
      expect(s.getDue('L1')).toBe(123);
    }
    const sq = stores[1] as SqliteStore;
    sq.commit();
    sq.close();
    const again = new SqliteStore(file);
    again.attach(ix);
    expect(again.get('L1')).toEqual(state);
    expect([...again.dues()]).toEqual([['L1', 123]]);
    expect(again.seen('L1', 'x1')).toBe(true);
    expect([...again.leads()]).toEqual(['L1']);
    again.close();
  });

  it('reads ahead (touch) only the leads of its cache, never from the file', () => {
    const file = dbFile();
    const ix = compilePlanIndex(storePlan());
    const rt = createRuntime(ix);
    rt.ingest(ev('L1', 'signup', '2026-01-05 09:00'));
    const first = new SqliteStore(file);
    first.attach(ix);
    first.put(rt.leadState('L1')!);
    first.commit();
    first.close();
    const again = new SqliteStore(file);
    again.attach(ix);
    expect(again.touch('L1')).toBe(0); // in the file, not in the cache: not read for a hint
    expect(again.touch('L2')).toBe(0);
    expect(again.lead('L1')).toBeDefined();
    expect(again.touch('L1')).toBeGreaterThan(0); // the lead's clock, at least
    expect([...again.leads()]).toEqual(['L1']);
    again.close();
  });
});

describe('openSqliteRuntime', () => {
  const events = storeEvents(0, 6000, 300);
  const until = T0 + 6000 * 6000 + 20 * DAY;

  it('gives the same actions as the in-memory runtime', () => {
    const mem = createRuntime(storePlan());
    mem.ingestBatch(events);
    mem.advanceTo(until);
    const rt = openSqliteRuntime(storePlan(), dbFile());
    rt.ingestBatch(events);
    rt.advanceTo(until);
    const a = mem.drainActions();
    expect(a.length).toBeGreaterThan(100);
    expect(rt.drainActions()).toEqual(a);
    expect(rt.outbox.all().map((e) => e.action)).toEqual(a);
    expect(rt.measures().journeys).toEqual(mem.measures().journeys);
    rt.close();
  });

  it('a run can stop; a later run with more events continues: same actions as one run', () => {
    const mem = createRuntime(storePlan());
    mem.ingestBatch(events);
    mem.advanceTo(until);
    const all = mem.drainActions();
    const got = inFourRuns(dbFile(), events, until);
    expect(ids(got)).toEqual(ids(all));
    expect(got).toEqual(all);
  });

  it('ingestion is idempotent across restarts (processed ids are stored)', () => {
    const file = dbFile();
    let rt = openSqliteRuntime(storePlan(), file);
    rt.ingestBatch(events.slice(0, 500));
    const first = rt.drainActions();
    rt.close();
    rt = openSqliteRuntime(storePlan(), file);
    const r = rt.ingestBatch(events.slice(0, 500));
    expect(r.duplicates).toBe(500);
    expect(r.accepted).toBe(0);
    expect(rt.drainActions()).toEqual([]);
    expect(rt.outbox.size()).toBe(first.length);
    rt.close();
  });

  it('outbox: drained actions stay until acknowledged and come back after a restart with the same ids', () => {
    const file = dbFile();
    let rt = openSqliteRuntime(storePlan(), file, { queueActions: false });
    rt.ingestBatch(events.slice(0, 2000));
    expect(rt.drainActions()).toEqual([]); // queueActions: false
    const total = rt.outbox.size();
    const a = rt.outbox.drain(10);
    const b = rt.outbox.drain(10);
    expect(a.length).toBe(10);
    expect(b[0]!.seq).toBeGreaterThan(a[9]!.seq); // not handed out twice by one process
    expect(rt.outbox.ack(a.map((e) => e.action.id))).toBe(10);
    rt.close(); // crash-like stop: b was delivered but never acknowledged
    rt = openSqliteRuntime(storePlan(), file);
    expect(rt.outbox.size()).toBe(total - 10);
    const again = rt.outbox.drain(10);
    expect(again.map((e) => e.action)).toEqual(b.map((e) => e.action)); // redelivered, same ids
    rt.outbox.rewind();
    expect(rt.outbox.drain(10)).toEqual(again);
    // new actions get new, increasing positions even after everything was acknowledged
    const everything = rt.outbox.drain(1_000_000);
    rt.outbox.ack([...again, ...everything].map((e) => e.action.id));
    expect(rt.outbox.size()).toBe(0);
    rt.ingestBatch(events.slice(2000, 3000));
    expect(rt.outbox.drain(1_000_000).length).toBe(rt.outbox.size());
    rt.close();
  });

  it('transaction() groups per-event calls (simulate-style) into one unit of work', () => {
    const mem = createRuntime(storePlan());
    const file = dbFile();
    const rt = openSqliteRuntime(storePlan(), file);
    const slice = events.slice(0, 3000);
    for (let i = 0; i < slice.length; i += 1000) {
      rt.transaction(
        () => {
          for (const e of slice.slice(i, i + 1000)) {
            const at = Date.parse(e.at as string);
            mem.advanceTo(at);
            mem.ingest(e);
            rt.advanceTo(at);
            rt.ingest(e);
          }
        },
        { pos: String(i + 1000) },
      );
    }
    expect(rt.drainActions()).toEqual(mem.drainActions());
    expect(rt.meta('pos')).toBe('3000');
    expect(() =>
      rt.transaction(() => {
        rt.ingest(events[3000]);
        throw new Error('host failure');
      }),
    ).toThrow('host failure');
    expect(rt.drainActions()).toEqual([]);
    expect(rt.leadState(events[3000]!.lead as string)?.c ?? 0).toBeLessThan(Date.parse(events[3000]!.at as string));
    rt.close();
  });

  it('metadata is committed with the unit of work', () => {
    const file = dbFile();
    let rt = openSqliteRuntime(storePlan(), file);
    rt.ingestBatch(events.slice(0, 100), { pos: '100' });
    rt.close();
    rt = openSqliteRuntime(storePlan(), file);
    expect(rt.meta('pos')).toBe('100');
    rt.close();
  });

  it('an exception inside a unit of work rolls it back', () => {
    const file = dbFile();
    const rt = openSqliteRuntime(storePlan(), file);
    rt.ingestBatch(events.slice(0, 100));
    const before = rt.outbox.size();
    expect(() => rt.advanceTo('not a date')).toThrow();
    expect(rt.outbox.size()).toBe(before);
    rt.ingestBatch(events.slice(100, 200));
    expect(rt.outbox.size()).toBeGreaterThanOrEqual(before);
    rt.close();
  });

  it('refuses a second runtime on the same file (exclusive lock)', () => {
    const file = dbFile();
    const rt = openSqliteRuntime(storePlan(), file);
    rt.ingest(events[0]);
    expect(() => openSqliteRuntime(storePlan(), file, { busyTimeoutMs: 50 })).toThrow(/locked|busy/i);
    rt.close();
  });
});

describe('plan versions', () => {
  // v1: welcome, wait for click up to 2d { tip1 } timeout { nudge }, wait 1d, tip2, wait 3d, stage lead
  const v1 = storePlan();

  it('step keys identify positions by kind, subject and occurrence', () => {
    expect(stepKeys(v1.journeys.onboarding!)).toEqual([
      'send:welcome#0',
      'waitFor:click/172800000#0',
      'send:tip1#0',
      'send:nudge#0',
      'wait:86400000#0',
      'send:tip2#0',
      'wait:259200000#0',
      'setStage:1#0',
    ]);
  });

  it('leads whose step still exists continue; the others leave the journey and are reported', () => {
    const file = dbFile();
    let rt = openSqliteRuntime(v1, file);
    rt.ingestBatch([
      ev('A', 'profile', '2026-01-05 08:00', { email_consent: true }),
      ev('A', 'signup', '2026-01-05 09:00'), // waits for click
      ev('B', 'profile', '2026-01-05 08:00', { email_consent: true }),
      ev('B', 'signup', '2026-01-05 09:00'),
      ev('B', 'click', '2026-01-05 12:00'), // tip1, then waits 1d
    ]);
    expect(rt.leadState('A')!.j[0]).toMatchObject({ a: 1, s: 1 });
    expect(rt.leadState('B')!.j[0]).toMatchObject({ a: 1, s: 4 });
    rt.drainActions();
    rt.close();

    // v2: a send inserted at the start, the `wait for click` removed.
    const v2 = version(
      buildPlan(storeSpec([S.send('offer'), S.send('welcome'), S.send('tip1'), S.wait(DAY), S.send('tip2'), S.wait(3 * DAY), S.act(A.stage(1))])),
      'c',
    );
    rt = openSqliteRuntime(v2, file);
    expect(rt.migration).toEqual([
      expect.objectContaining({ lead: 'A', journey: 'onboarding', step: 1, moved: 'exited', fromPlan: v1.source.hash, toPlan: v2.source.hash }),
    ]);
    expect(rt.migration[0]!.reason).toMatch(/wait for click up to 2 days.*no longer exists/);
    expect(rt.leadState('A')!.j[0]).toMatchObject({ a: 0, n: 1 });
    expect(rt.leadState('A')!.plan).toBe(v2.source.hash);
    expect(rt.leadState('B')!.j[0]).toMatchObject({ a: 1, s: 3 }); // the same `wait 1d`, renumbered
    rt.advanceTo(T('2026-01-10 00:00'));
    const out = rt.drainActions().map((a) => `${a.lead} ${a.type === 'send' ? a.content : a.type}`);
    expect(out).toEqual(['B tip2', 'B stage']);
    // the report is kept in the store
    const rows = rt.store.db.prepare('SELECT lead, moved FROM migrations').all();
    expect(rows).toEqual([{ lead: 'A', moved: 'exited' }]);
    rt.close();

    // opening again with the same plan moves nothing
    rt = openSqliteRuntime(v2, file);
    expect(rt.migration).toEqual([]);
    rt.close();
  });

  it('a removed journey is reported; attributes, scores and stages are kept by name', () => {
    const file = dbFile();
    let rt = openSqliteRuntime(v1, file);
    rt.ingestBatch([ev('C', 'profile', '2026-01-05 08:00', { email_consent: true, country: 'FR' }), ev('C', 'signup', '2026-01-05 09:00'), ev('C', 'click', '2026-01-05 10:00')]);
    const before = rt.leadState('C')!;
    rt.close();
    const spec = storeSpec();
    delete spec.journeys!.onboarding;
    spec.attributes = { vip: 'bool', ...spec.attributes };
    const v3 = version(buildPlan(spec), 'd');
    rt = openSqliteRuntime(v3, file);
    expect(rt.migration.map((m) => [m.lead, m.journey, m.moved])).toEqual([['C', 'onboarding', 'exited']]);
    const s = rt.leadState('C')!;
    expect(s.at).toEqual([null, true, 'FR']);
    expect(s.eg).toEqual(before.eg);
    expect(s.j).toEqual([]);
    // no timer left: no journey, and C's decaying engagement (10) can never cross the threshold's 40 (§8.5)
    expect(rt.nextDue()).toBe(Infinity);
    rt.close();
  });
});
