// The SQLite store's journal (states appended per commit, folded into `leads` at `journalLimit` rows),
// its binary states (state-codec.ts), and the upgrade of a version-1 store (JSON states, no journal).
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePlanIndex, createRuntime, serializeLeadState, type LeadState } from '../../runtime/engine/index.js';
import { toLead } from '../../runtime/engine/lead.js';
import { openSqliteRuntime, STORE_SCHEMA } from '../../runtime/store/index.js';
import { decodeState, StateWriter } from '../../runtime/store/state-codec.js';
import { readStoredState } from '../../runtime/store/sqlite-store.js';
import { DAY } from '../runtime/helpers.js';
import { T0, inFourRuns, oneRun, query, storeEvents, storePlan } from './fixture.js';
import { tempStores } from './temp-stores.js';

const dbFile = tempStores('journal');

const events = storeEvents(0, 6000, 300);
const until = T0 + 6000 * 6000 + 20 * DAY;

const count = (file: string, table: string) => query(file, `SELECT count(*) FROM ${table}`)[0] as number;

describe('the journal', () => {
  const all = oneRun(events, until);

  it.each([
    ['never folded (states read back from the journal)', 1_000_000],
    ['folded at every commit', 1],
    ['folded now and then', 97],
  ])('%s: the same actions as one in-memory run', (_name, limit) => {
    const file = dbFile();
    expect(inFourRuns(file, events, until, { journalLimit: limit })).toEqual(all);
    const journal = count(file, 'journal');
    const leads = count(file, 'leads');
    if (limit === 1) expect(journal).toBe(0);
    if (limit === 97) expect(journal).toBeLessThan(97 + 300); // at most one commit's leads beyond the limit
    if (limit === 1_000_000) expect(leads).toBe(0);
    else expect(leads).toBe(300);
  });

  it('a store of version 1 (JSON states, no journal) is upgraded and continues', () => {
    const file = dbFile();
    let rt = openSqliteRuntime(storePlan(), file, { journalLimit: 1 });
    rt.ingestBatch(events.slice(0, 3000));
    const first = rt.drainActions();
    rt.close();
    // turn it into what version 1 wrote: JSON text states, schema 1, no journal table
    const ix = compilePlanIndex(storePlan());
    const db = new Database(file);
    const rows = db.prepare('SELECT id, plan, state FROM leads').raw().all() as [string, string, Uint8Array][];
    const update = db.prepare('UPDATE leads SET state = ? WHERE id = ?');
    for (const [id, plan, state] of rows) update.run(serializeLeadState(decodeState(state, id, plan)), id);
    db.exec("DROP TABLE journal; UPDATE meta SET value = '1' WHERE key = 'schema'");
    db.close();
    expect(count(file, 'leads')).toBe(300);

    rt = openSqliteRuntime(storePlan(), file);
    expect(rt.meta('schema')).toBe(STORE_SCHEMA);
    const s = rt.leadState('L7')!;
    expect(s.id).toBe('L7');
    expect(s.plan).toBe(ix.plan.source.hash);
    rt.ingestBatch(events.slice(3000));
    rt.advanceTo(until);
    expect([...first, ...rt.drainActions()]).toEqual(all);
    rt.close();
  });
});

describe('binary lead states', () => {
  const ix = compilePlanIndex(storePlan());
  const writer = new StateWriter();
  const roundTrip = (s: LeadState) => decodeState(Uint8Array.from(writer.encode(ix, toLead(ix, s))), s.id, s.plan);

  it('every state of a run reads back equal, in a few bytes', () => {
    const rt = createRuntime(ix);
    rt.ingestBatch(events);
    let bytes = 0;
    let json = 0;
    let leads = 0;
    for (const id of rt.store.leads()) {
      const s = rt.leadState(id)!;
      expect(roundTrip(s)).toEqual(s);
      bytes += writer.encode(ix, toLead(ix, s)).length;
      json += serializeLeadState(s).length;
      leads++;
    }
    expect(leads).toBe(300);
    expect(bytes).toBeLessThan(json / 3);
  });

  const num = fc.oneof(fc.integer({ min: -1e6, max: 1e6 }), fc.constantFrom(-1, 0, 2 ** 31, 2 ** 47 - 1, -(2 ** 47), 2 ** 48, 2 ** 53, 1.5, -0.25, 1e300, T0), fc.double({ noNaN: true, noDefaultInfinity: true }));
  const nums = fc.array(num, { maxLength: 6 });
  const text = fc.string({ unit: 'grapheme', maxLength: 12 });
  const value = fc.oneof(fc.constant(null), fc.boolean(), num, text, fc.array(text, { maxLength: 3 }));

  it('any values of the right shape read back equal (numbers, texts, lists, journeys)', () => {
    const base = createRuntime(ix);
    base.ingestBatch(events.slice(0, 50));
    const template = base.leadState(base.store.leads()[Symbol.iterator]().next().value as string)!;
    fc.assert(
      fc.property(
        fc.record({ at: fc.array(value, { minLength: 2, maxLength: 2 }), eg: fc.array(num, { minLength: 1, maxLength: 1 }), pl: nums, rc: nums, q: fc.array(text, { maxLength: 3 }), c: num, r: nums }),
        (g) => {
          const s: LeadState = {
            ...structuredClone(template),
            at: g.at.map((v) => (Object.is(v, -0) ? 0 : v)),
            eg: g.eg,
            pl: g.pl,
            rc: g.rc,
            q: g.q,
            c: g.c,
            j: [{ a: 1, s: 2, w: 3, d: g.c, o: -1, e: 5, n: 1, c: 0, h: 1, r: g.r }],
          };
          const norm = (x: unknown) => JSON.parse(JSON.stringify(x, (_k, v: unknown) => (Object.is(v, -0) ? 0 : v))) as unknown;
          expect(norm(roundTrip(s))).toEqual(norm(s));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a damaged state is refused with a reason, never read wrong', () => {
    const rt = createRuntime(ix);
    rt.ingestBatch(events.slice(0, 200));
    const s = rt.leadState('L7') ?? rt.leadState([...rt.store.leads()][0]!)!;
    const bytes = Uint8Array.from(writer.encode(ix, toLead(ix, s)));
    for (let cut = 0; cut < bytes.length; cut++) expect(() => decodeState(bytes.subarray(0, cut), s.id, s.plan)).toThrow(/not a nurture lead state|damaged state/);
    expect(() => decodeState(Uint8Array.from([...bytes, 0]), s.id, s.plan)).toThrow(/damaged state/);
    expect(() => readStoredState(s.id, s.plan, 42)).toThrow(/neither binary nor JSON/);
    expect(readStoredState(s.id, s.plan, serializeLeadState(s))).toEqual(s);
  });
});
