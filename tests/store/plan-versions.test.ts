// §8.6 plan versions over a SQLite store: a lead's place is the step's path and kind, not its parameters.
// A changed wait keeps its leads (due the new duration after they started waiting), an inserted step moves
// nobody, a removed place takes its leads out of the journey; every move is in the report and the audit.
import { describe, expect, it } from 'vitest';
import { checkSources } from '../../compiler/workspace.js';
import { compilePlan } from '../../compiler/lower/index.js';
import type { Plan } from '../../runtime/plan-types.js';
import { openSqliteRuntime } from '../../runtime/store/index.js';
import { matchSteps } from '../../runtime/store/step-places.js';
import { ev, T } from '../runtime/helpers.js';
import { tempStores } from './temp-stores.js';

const dbFile = tempStores('versions');

function compile(steps: string): Plan {
  const text = `
lead { email_consent: bool, vip: bool }
event signup
channel email { consent: email_consent }
content hello { channel: email }
content tips { channel: email }
content offer { channel: email }
journey welcome {
  entry on signup
${steps}
}
`;
  const sources = [{ path: 'p.nurture', text }];
  const { model, diagnostics } = checkSources(sources);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return compilePlan(model, sources);
}

const V1 = `
  send hello
  if vip is true {
    wait 1 day
    send offer
  }
  wait 3 days
  send tips
`;

/** Leads A (vip: waits 1 day in the branch) and B (waits 3 days) signed up on Jan 5, 09:00; the store is closed. */
function start(): string {
  const file = dbFile();
  const rt = openSqliteRuntime(compile(V1), file);
  for (const [lead, vip] of [['A', true], ['B', false]] as const) {
    rt.ingest(ev(lead, 'profile', '2026-01-05 08:00', { email_consent: true, vip }));
    rt.ingest(ev(lead, 'signup', '2026-01-05 09:00'));
  }
  rt.advanceTo(T('2026-01-05 12:00'));
  rt.drainActions();
  rt.close();
  return file;
}

const sends = (rt: ReturnType<typeof openSqliteRuntime>) => rt.drainActions().map((a) => `${a.lead} ${new Date(a.at).toISOString().slice(0, 16)} ${a.type === 'send' ? a.content : a.type}`);

describe('§8.6: a lead keeps its place (path and kind) across plan versions', () => {
  it('a changed wait keeps its leads, due the new duration after they started waiting; reported and audited', () => {
    const file = start();
    const rt = openSqliteRuntime(compile(V1.replace('wait 3 days', 'wait 4 days').replace('wait 1 day', 'wait 2 hours')), file);
    expect(rt.migration.map((m) => [m.lead, m.moved])).toEqual([
      ['A', 'kept'],
      ['B', 'kept'],
    ]);
    expect(rt.migration[1]!.reason).toMatch(/wait 3 days → wait 4 days.*now due 2026-01-09T09:00:00.000Z/);
    expect(rt.audit('B').map((r) => [r.kind, r.rule, r.note])).toEqual([['migrated', 'plan version', rt.migration[1]!.reason]]);
    expect(rt.drainAudit().filter((r) => r.kind === 'migrated')).toHaveLength(2);
    // A's 2 hours have passed (due 11:00, before the host's 12:00): the first advance runs it, at its instant
    rt.advanceTo(T('2026-01-05 12:00'));
    expect(sends(rt)).toEqual(['A 2026-01-05T11:00 offer']);
    rt.advanceTo(T('2026-01-20 00:00'));
    expect(sends(rt)).toEqual([ 'B 2026-01-09T09:00 tips', 'A 2026-01-09T11:00 tips']);
    rt.close();
  });

  it('an inserted step moves nobody; a removed place takes its leads out of the journey (reported, audited)', () => {
    const file = start();
    // a send inserted before the branch, the branch's wait removed
    const v2 = compile(`
  send hello
  send offer
  if vip is true {
    send offer
  }
  wait 3 days
  send tips
`);
    const rt = openSqliteRuntime(v2, file);
    expect(rt.migration.map((m) => [m.lead, m.journey, m.moved])).toEqual([['A', 'welcome', 'exited']]);
    expect(rt.migration[0]!.reason).toMatch(/wait 1 day.*no longer exists: the lead left the journey/);
    expect(rt.audit('A').map((r) => r.kind)).toEqual(['exited']);
    expect(rt.leadState('A')!.j[0]).toMatchObject({ a: 0 });
    rt.advanceTo(T('2026-01-20 00:00'));
    expect(sends(rt)).toEqual(['B 2026-01-08T09:00 tips']); // B still at its wait: nothing re-sent
    rt.close();
  });

  it('places are matched through the blocks: the m-th branch, the n-th step, by kind', () => {
    const v1 = compile(V1);
    const v2 = compile(`
  send offer
  send hello
  if vip is true {
    wait 5 days
    send tips
  }
  wait 3 days
`);
    // v1: 0 send hello, 1 if, 2 wait 1 day, 3 send offer, 4 wait 3 days, 5 send tips
    // v2: 0 send offer, 1 send hello, 2 if, 3 wait 5 days, 4 send tips, 5 wait 3 days
    expect([...matchSteps(v1.journeys.welcome!, v2.journeys.welcome!)].sort((a, b) => a[0] - b[0])).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 4], // same kind (send), other content: the same place
      [4, 5],
    ]);
  });
});
