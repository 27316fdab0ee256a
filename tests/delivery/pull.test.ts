// Pull delivery over HTTP from a real SQLite outbox: pages in decision order, acknowledgement by id,
// the scopes and the errors of bad requests; and the outbox's delivery columns added to a store file
// written before them.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { actionToJson } from '../../runtime/engine/runtime.js';
import { openSqliteRuntime } from '../../runtime/store/index.js';
import { storeEvents, storePlan } from '../store/fixture.js';
import { deliveryApp, feed, metric, sqliteWithActions, TOKENS } from './harness.js';

let cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

describe('pull delivery (SQLite)', () => {
  it('pages through the un-acknowledged actions; acknowledged ones leave; scopes and bad bodies are refused', async () => {
    const store = sqliteWithActions(400, 80);
    const app = await deliveryApp({ outbox: store.rt.outbox });
    cleanups.push(store.cleanup, () => app.close());
    const all = store.rt.outbox.all();
    expect(all.length).toBeGreaterThan(40);

    const pages: { action: Record<string, unknown>; seq: number; attempts: number; error: null }[] = [];
    let after = 0;
    for (;;) {
      const page = await app.call('GET', `/v1/actions?limit=16&after=${after}`, TOKENS.read);
      expect(page.status).toBe(200);
      pages.push(...page.json.actions);
      if (page.json.actions.length < 16) break; // a short page: the end for now
      after = page.json.next;
    }
    expect(pages.map((p) => p.action)).toEqual(all.map((e) => actionToJson(e.action)));
    expect(pages.map((p) => p.seq)).toEqual(all.map((e) => e.seq));
    expect(pages.every((p) => p.attempts === 0 && p.error === null)).toBe(true);

    const first = pages.slice(0, 10).map((p) => p.action['id'] as string);
    expect((await app.call('POST', '/v1/actions/ack', TOKENS.read, { ids: first })).status).toBe(403); // acknowledging writes
    expect((await app.call('POST', '/v1/actions/ack', null, { ids: first })).status).toBe(401);
    expect((await app.call('GET', '/v1/actions', null)).status).toBe(401);
    const acked = await app.call('POST', '/v1/actions/ack', TOKENS.ingest, { ids: [...first, 'no-such-action'] });
    expect(acked).toEqual({ status: 200, json: { acked: 10 } });
    expect((await app.call('POST', '/v1/actions/ack', TOKENS.ingest, { ids: first })).json).toEqual({ acked: 0 }); // again: nothing left
    const rest = await app.call('GET', '/v1/actions?limit=1000', TOKENS.read);
    expect(rest.json.actions.map((p: { action: { id: string } }) => p.action.id)).toEqual(all.slice(10).map((e) => e.action.id));
    expect(rest.json.next).toBe(all[all.length - 1]!.seq);
    expect(store.rt.outbox.size()).toBe(all.length - 10);
    expect(await metric(app.registry, 'nurture_actions_delivered_total{mode="pull"}')).toBe(10);
    expect(await metric(app.registry, 'nurture_delivery_latency_seconds_count{mode="pull"}')).toBe(10);
    expect(await metric(app.registry, 'nurture_outbox_size')).toBe(all.length - 10);

    for (const [body, why] of [
      [{}, "must have required property 'ids'"],
      [{ ids: [{}] }, 'must be string'],
      [{ ids: [''] }, 'must NOT have fewer than 1 characters'],
      [{ ids: new Array(10_001).fill('x') }, 'must NOT have more than 10000 items'],
    ] as const) {
      const r = await app.call('POST', '/v1/actions/ack', TOKENS.ingest, body);
      expect(r.status).toBe(400);
      expect(r.json.error.message).toContain(why);
    }
    for (const q of ['limit=0', 'limit=1001', 'limit=x', 'after=-1']) {
      expect((await app.call('GET', `/v1/actions?${q}`, TOKENS.read)).status).toBe(400);
    }
    expect(store.rt.outbox.size()).toBe(all.length - 10);
  });

  it('a client at the end keeps its place: `next` is a position to ask again from, and later actions come after it', async () => {
    const store = sqliteWithActions(100, 20);
    const app = await deliveryApp({ outbox: store.rt.outbox });
    cleanups.push(store.cleanup, () => app.close());
    const before = store.rt.outbox.all();
    const end = await app.call('GET', '/v1/actions?limit=1000', TOKENS.read);
    expect(end.json.actions).toHaveLength(before.length);
    expect(end.json.next).toBe(before[before.length - 1]!.seq);
    const empty = await app.call('GET', `/v1/actions?after=${end.json.next}`, TOKENS.read);
    expect(empty.json).toEqual({ actions: [], next: end.json.next }); // nothing new: the same place
    store.rt.ingestBatch(storeEvents(100, 160, 40)); // new leads: new welcome actions
    const later = store.rt.outbox.all().slice(before.length);
    expect(later.length).toBeGreaterThan(0);
    const fresh = await app.call('GET', `/v1/actions?after=${empty.json.next}`, TOKENS.read);
    expect(fresh.json.actions.map((p: { action: { id: string } }) => p.action.id)).toEqual(later.map((e) => e.action.id));
    expect(fresh.json.next).toBe(later[later.length - 1]!.seq);
    const dead = await app.call('GET', '/v1/actions/dead?after=7', TOKENS.read);
    expect(dead.json).toEqual({ dead: [], next: 7 });
  });

  it('a store file from before the delivery columns gets them when opened, its actions kept and deliverable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nurture-delivery-old-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'state.db');
    const rt = openSqliteRuntime(storePlan(), file);
    feed(rt, 60, 12);
    const before = rt.outbox.all();
    rt.close();
    // back to the layout of schema 3: the outbox without its delivery columns, no dead letters
    const db = new Database(file);
    db.exec(`DROP INDEX outbox_ready; DROP TABLE outbox_dead;
      CREATE TABLE old (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, lead TEXT NOT NULL, at INTEGER NOT NULL, action TEXT NOT NULL);
      INSERT INTO old SELECT seq, id, lead, at, action FROM outbox; DROP TABLE outbox; ALTER TABLE old RENAME TO outbox;
      CREATE INDEX outbox_id ON outbox (id);`);
    expect(db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('outbox')).toEqual(['seq', 'id', 'lead', 'at', 'action']);
    db.close();
    for (let k = 0; k < 2; k++) {
      const again = openSqliteRuntime(storePlan(), file); // twice: the upgrade is idempotent
      expect(again.outbox.all()).toEqual(before.slice(5 * k));
      const claimed = again.outbox.claim(5, 1000, 'me');
      expect(claimed.map((e) => e.seq)).toEqual(before.slice(5 * k, 5 * k + 5).map((e) => e.seq));
      expect(claimed.every((e) => e.attempts === 1 && e.committed === null)).toBe(true); // no commit time for old rows
      expect(again.outbox.ackAged(claimed.map((e) => e.action.id))).toEqual({ removed: 5, agesMs: [] });
      again.close();
    }
  });
});
