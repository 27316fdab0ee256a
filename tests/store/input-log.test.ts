// The input log (runtime/store/input-log.ts): between checkpoints a unit of work writes the inputs it
// applied, not the lead states; a restart after a crash replays them. Whatever the checkpoint interval and
// wherever the process dies, the actions are those of one uninterrupted in-memory run, each in the outbox once.
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { serializeLeadState, type Runtime, type RuntimeAction } from '../../runtime/engine/index.js';
import { openSqliteRuntime, type SqliteRuntime, type SqliteRuntimeOptions } from '../../runtime/store/index.js';
import { InputLog, replayInputs } from '../../runtime/store/input-log.js';
import type { Plan } from '../../runtime/plan-types.js';
import { A, DAY, S, buildPlan } from '../runtime/helpers.js';
import { T0, inFourRuns, oneRun, query, storeEvents, storePlan, storeSpec, version } from './fixture.js';
import { tempStores } from './temp-stores.js';

const dbFile = tempStores('input-log');

const events = storeEvents(0, 6000, 300);
const until = T0 + 6000 * 6000 + 20 * DAY;
const json = (actions: RuntimeAction[]) => JSON.parse(JSON.stringify(actions)) as unknown[];


/** A crash: the file is closed as SIGKILL would leave it (no checkpoint, nothing written after the last commit). */
function crash(rt: SqliteRuntime): void {
  rt.store.db.close();
}

/** Batches of 500 of `events[from, to)`. */
function feed(rt: SqliteRuntime, from: number, to: number): void {
  for (let i = from; i < to; i += 500) rt.ingestBatch(events.slice(i, Math.min(to, i + 500)));
}

/**
 * A runtime that records what a replay applies. Its plan has every event type named `K:…` with K fields and
 * two attributes, as the replay checks.
 */
function fakeRuntime(out: unknown[]): Runtime {
  const events = { get: (t: string) => (/^\d+:/.test(t) ? { name: t, fieldNames: { length: Number.parseInt(t, 10) } } : undefined) };
  return {
    index: { events, attrNames: ['a', 'b'] },
    ingestValidated: (e: unknown) => out.push(e),
    advanceTo: (t: number) => out.push(`advance ${t}`),
    setHoldout: (l: string, j: string, on: boolean) => out.push(`holdout ${l} ${j} ${on}`),
  } as unknown as Runtime;
}

describe('the input log', () => {
  const all = oneRun(events, until);

  it.each<[string, SqliteRuntimeOptions]>([
    ['states at every commit (no log)', { checkpointEvery: 0 }],
    ['a checkpoint at every commit', { checkpointEvery: 1 }],
    ['a checkpoint now and then', { checkpointEvery: 997 }],
    ['a checkpoint whenever the cache holds more than 50 of the 300 leads', { cacheLimit: 50 }],
    ['the default (checkpoints on close only here)', {}],
  ])('%s: the same actions as one in-memory run; nothing left to replay after close', (_name, options) => {
    const file = dbFile();
    expect(inFourRuns(file, events, until, options)).toEqual(all);
    expect(query(file, 'SELECT count(*) FROM inputs')).toEqual([0]);
  });

  it.each([
    ['never checkpointed before the crash', undefined],
    ['checkpointed now and then before the crash', 1_300],
  ])('a crash (%s) is replayed on open: the outbox holds every action once, as one run', (_name, every) => {
    const file = dbFile();
    const options: SqliteRuntimeOptions = { queueActions: false, ...(every === undefined ? {} : { checkpointEvery: every }) };
    let rt = openSqliteRuntime(storePlan(), file, options);
    feed(rt, 0, 2500);
    expect(rt.store.loggedInputs).toBeGreaterThan(0);
    crash(rt);
    expect((query(file, 'SELECT count(*) FROM inputs')[0] as number) > 0).toBe(true);

    rt = openSqliteRuntime(storePlan(), file, options);
    expect(rt.recovered).toBeGreaterThan(0);
    expect(rt.store.loggedInputs).toBe(0); // replayed and checkpointed
    feed(rt, 2500, 4000);
    crash(rt); // again, this time with states of the first run in the file
    rt = openSqliteRuntime(storePlan(), file, options);
    feed(rt, 4000, events.length);
    rt.advanceTo(until);
    rt.close();
    rt = openSqliteRuntime(storePlan(), file, options);
    expect(rt.recovered).toBe(0); // closed: checkpointed, nothing to replay
    rt.close();
    const outbox = query(file, 'SELECT action FROM outbox ORDER BY seq').map((t) => JSON.parse(t as string) as unknown);
    expect(outbox).toEqual(json(all));
  });

  it('a failed unit of work goes back to the last commit, not to the last checkpoint', () => {
    const file = dbFile();
    const rt = openSqliteRuntime(storePlan(), file);
    feed(rt, 0, 3000);
    const before = [...rt.store.leads()].map((id) => serializeLeadState(rt.leadState(id)!));
    expect(() =>
      rt.transaction(() => {
        feed(rt, 3000, 3500);
        throw new Error('host failure');
      }),
    ).toThrow('host failure');
    expect([...rt.store.leads()].map((id) => serializeLeadState(rt.leadState(id)!))).toEqual(before);
    feed(rt, 3000, events.length);
    rt.advanceTo(until);
    expect(rt.drainActions()).toEqual(all);
    rt.close();
  });

  it('a crash, then another plan: the log is replayed with its own plan, then the states are migrated', () => {
    const v2: Plan = version(buildPlan(storeSpec([S.send('offer'), S.send('welcome'), S.send('tip1'), S.wait(DAY), S.send('tip2'), S.wait(3 * DAY), S.act(A.stage(1))])), 'c');
    const states = (crashed: boolean) => {
      const file = dbFile();
      const rt = openSqliteRuntime(storePlan(), file);
      feed(rt, 0, 3000);
      if (crashed) crash(rt);
      else rt.close();
      const next = openSqliteRuntime(v2, file);
      const out = { migration: next.migration, states: [...next.store.leads()].map((id) => serializeLeadState(next.leadState(id)!)) };
      next.close();
      return out;
    };
    const clean = states(false);
    expect(clean.states.length).toBe(300);
    expect(clean.migration.length).toBeGreaterThan(0);
    expect(states(true)).toEqual(clean);
  });

  it('a damaged log is reported with the file, not replayed halfway silently', () => {
    const file = dbFile();
    const rt = openSqliteRuntime(storePlan(), file);
    feed(rt, 0, 1000);
    crash(rt);
    const db = new Database(file);
    db.prepare('UPDATE inputs SET ops = ? WHERE seq = (SELECT max(seq) FROM inputs)').run(Buffer.from([0x49, 1, 1, 0xff]));
    db.close();
    expect(() => openSqliteRuntime(storePlan(), file)).toThrow(/input log: damaged input log \(truncated\) \(in .*input-log\d+\.db\)/);
  });

  it('replays any validated event exactly (property: texts in any script, numbers, lists, missing fields)', () => {
    // `unit: 'binary'`: any well-formed Unicode (a lone surrogate cannot be stored as UTF-8; see the notes)
    const text = fc.string({ unit: 'binary', maxLength: 12 });
    const value = fc.oneof(fc.constant(undefined), text, fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.array(text, { maxLength: 3 }));
    // the type names its number of fields (`fakeRuntime` checks them as a plan would)
    const event = fc.integer({ min: 0, max: 5 }).chain((k) =>
      fc.record({
        lead: text.filter((t) => t.length > 0),
        type: text.map((t) => `${k}:${t}`),
        at: fc.integer({ min: 0, max: 4_102_444_800_000 }),
        id: fc.option(text.filter((t) => t.length > 0), { nil: null }),
        fields: fc.array(value, { minLength: k, maxLength: k }),
      }),
    );
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 20 }), (events) => {
        const log = new InputLog();
        for (const e of events) log.event({ ...e, profile: null });
        const back: unknown[] = [];
        replayInputs(fakeRuntime(back), Buffer.from(log.take()));
        // -0 is written as 0 (the same value for every comparison of the language)
        const norm = (v: unknown) => (typeof v === 'number' && Object.is(v, -0) ? 0 : v);
        expect(back).toEqual(events.map((e) => ({ ...e, fields: e.fields.map(norm), profile: null })));
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['an event type the plan does not have', { type: 'nope', fields: [] }, 'event type "nope" is not in the plan'],
    ['another number of fields than its type', { type: '2:x', fields: ['a'] }, 'fields of 2:x'],
    ['an attribute slot the plan does not have', { type: 'profile', fields: [], profile: [[7, true]] as [number, boolean][] }, 'attribute slot'],
  ])('refuses a log damaged into well-formed bytes: %s', (_name, bad, reason) => {
    const log = new InputLog();
    log.event({ lead: 'L1', at: T0, id: null, profile: null, ...bad });
    const seen: unknown[] = [];
    expect(() => replayInputs(fakeRuntime(seen), Buffer.from(log.take()))).toThrow(`damaged input log (${reason})`);
    expect(seen).toEqual([]);
  });

  it('writes every kind of input in binary and replays it exactly', () => {
    const log = new InputLog();
    const seen: unknown[] = [];
    const rt = fakeRuntime(seen);
    log.event({ lead: 'L "1" é', type: '5:visit', at: T0, id: null, fields: ['/p', undefined, 3.5, ['a', 'b'], true], profile: null });
    log.event({ lead: 'L2', type: 'profile', at: T0 + 1, id: 'e\u{1F600}', fields: [], profile: [[0, true], [1, null]] });
    log.advance(Infinity);
    log.advance(T0 + 2);
    log.holdout('L3', 'onboarding', true);
    expect(log.size).toBe(5);
    const bytes = Buffer.from(log.take());
    expect(log.size).toBe(0);
    expect(replayInputs(rt, bytes)).toBe(5);
    expect(seen).toEqual([
      { lead: 'L "1" é', type: '5:visit', at: T0, id: null, fields: ['/p', undefined, 3.5, ['a', 'b'], true], profile: null },
      { lead: 'L2', type: 'profile', at: T0 + 1, id: 'e\u{1F600}', fields: [], profile: [[0, true], [1, null]] },
      'advance Infinity',
      `advance ${T0 + 2}`,
      'holdout L3 onboarding true',
    ]);
  });
});
