// The runtime keeps its leads in the engine's working form (runtime/engine/lead.ts) and hands out
// `LeadState` copies: the results must be exactly those of a runtime over a store of `LeadState`s, and a
// copy must behave as the runtime's own state did (the engine's methods act on the lead behind it).
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compilePlan } from '../../compiler/lower/index.js';
import { checkSources } from '../../compiler/workspace.js';
import { BENCH_SOURCE, generateEvents } from '../../bench/runtime-workload.js';
import { actionId, compileCondition, createRuntime, hash32, inHoldout, MemoryStore, serializeLeadState, splitPoint, type Runtime } from '../../runtime/engine/index.js';
import { EMPTY_LIST } from '../../runtime/engine/state.js';
import { layoutOf, X_HC } from '../../runtime/engine/lead.js';
import type { Plan } from '../../runtime/plan-types.js';
import { DAY, ge, score } from './helpers.js';
import { nurtureFiles } from '../files.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function compile(sources: { path: string; text: string }[]): Plan {
  const { model, diagnostics } = checkSources(sources);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return compilePlan(model, sources);
}

function example(name: string): { plan: Plan; events: unknown[] } {
  const dir = join(REPO, 'examples', name);
  const plan = compile(nurtureFiles(dir).map((p) => ({ path: relative(REPO, p), text: readFileSync(p, 'utf8') })));
  const events = readFileSync(join(dir, 'events.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as unknown);
  return { plan, events };
}

/** Everything a run shows: results of ingest, actions, audit (queued and per lead), measures, states. */
function everything(rt: Runtime, events: unknown[], until: number) {
  const results = events.map((e) => rt.ingest(e));
  rt.advanceTo(until);
  const leads = [...rt.store.leads()].sort();
  return {
    results,
    actions: rt.drainActions(),
    audit: rt.drainAudit(),
    perLead: leads.map((id) => rt.audit(id)),
    measures: rt.measures(),
    states: leads.map((id) => serializeLeadState(rt.leadState(id)!)),
    dues: leads.map((id) => rt.store.getDue(id)),
  };
}

describe('the runtime keeps its leads in working form', () => {
  const workloads = [
    ...['b2b', 'ecommerce', 'events', 'saas'].map((name) => ({ name, ...example(name) })),
    { name: 'bench', plan: compile([{ path: 'bench.nurture', text: BENCH_SOURCE }]), events: generateEvents(6_000, 600, 3) as unknown[] },
  ];

  it.each(workloads)('$name: the same results as a runtime over a store of LeadStates', ({ plan, events }) => {
    const last = Date.parse((events[events.length - 1] as { at: string }).at);
    const own = everything(createRuntime(plan), events, last + 400 * DAY);
    const stored = everything(createRuntime(plan, { store: new MemoryStore() }), events, last + 400 * DAY);
    expect(own.actions.length).toBeGreaterThan(0);
    expect(own).toEqual(stored);
  }, 60_000);

  it('hands out copies that act as the lead itself: the engine moves the lead, a copy put back updates it', () => {
    const plan = compile([{ path: 'bench.nurture', text: BENCH_SOURCE }]);
    const rt = createRuntime(plan);
    rt.ingest({ lead: 'L1', type: 'profile', at: '2026-01-05T09:00:00Z', data: { job_level: 'vp', email_consent: true } });
    rt.ingest({ lead: 'L1', type: 'webinar_attended', at: '2026-01-05T10:00:00Z', data: { webinar: 'w' } });
    const copy = rt.leadState('L1')!;
    const later = Date.parse('2026-01-09T00:00:00Z');
    // `evaluate` brings the lead's clock to the instant it evaluates at: the runtime's lead, not only the copy.
    expect(rt.engine.evaluate(copy, compileCondition(rt.index, ge(score('engagement'), 15)), later)).toBe(true);
    expect(copy.c).toBe(later);
    expect(rt.leadState('L1')!.c).toBe(later);
    // A host changing a lead's stage directly: change a copy and put it back.
    const s = rt.leadState('L1')!;
    s.st = 1;
    s.ms = 1;
    rt.store.put(s);
    expect(rt.leadState('L1')!.st).toBe(1);
    expect(rt.engine.scoresOf(rt.leadState('L1')!)).toEqual([20, 15, 0]) // fit, engagement, activity;
  });

  it('lays the numbers every input touches first: the parts follow each other without overlap, windows last', () => {
    const L = layoutOf({ tracked: 2, rulesScores: 3, thresholds: 2, entriesWhen: 1, dateEntries: 2, limitKeeps: [5, 1], fitCaches: 1 });
    const parts: [number, number][] = [
      [L.hc, L.tracked],
      [L.eg, L.rules],
      [L.ea, L.rules],
      [L.ed, L.rules],
      [L.tm, L.thresholds],
      [L.fc, L.fitCaches],
      [L.em, L.entriesWhen],
      [L.de, L.dateEntries],
      [L.rh[0]!, 1 + 5],
      [L.rh[1]!, 1 + 1],
    ];
    let at = X_HC;
    for (const [start, n] of parts) {
      expect(start).toBe(at);
      at += n;
    }
    expect(L.size).toBe(at);
    expect(L.hot).toBe(L.fc + L.fitCaches - 1); // the last of the hot parts: what a read-ahead touches
  });

  it('never writes the shared empty list (frozen; lists that grow are replaced)', () => {
    const plan = compile([{ path: 'bench.nurture', text: BENCH_SOURCE }]);
    const rt = createRuntime(plan, { audit: 'off' });
    for (const e of generateEvents(20_000, 1_000, 5)) rt.ingest(e);
    rt.advanceTo(Date.parse('2027-01-01T00:00:00Z'));
    expect(Object.isFrozen(EMPTY_LIST)).toBe(true);
    expect(EMPTY_LIST).toEqual([]);
    expect(rt.measures().sends).toBeGreaterThan(0);
  });
});

describe('hashes of composite keys are computed part by part', () => {
  const SEP = '\u0000';
  it('equal the hash of the concatenated key', () => {
    for (const lead of ['L1', '', 'été', 'lead-0000012345', '😀', SEP]) {
      for (const n of [0, 7, 10, 99, 1234567, 2 ** 40, 1.5, -3]) {
        const key = lead + SEP + n;
        const hex = (h: number) => h.toString(16).padStart(8, '0');
        expect(actionId(lead, n)).toBe(hex(hash32(key, 0x49644131)) + hex(hash32(key, 0x49644232)));
        for (const journey of ['welcome', '', 'journée']) {
          expect(splitPoint(lead, journey, n)).toBe((hash32(lead + SEP + journey + SEP + n, 0x53706c74) / 4294967296) * 100);
          expect(inHoldout(lead + n, journey, 37)).toBe((hash32(lead + n + SEP + journey, 0x486f6c64) / 4294967296) * 100 < 37);
        }
      }
    }
  });
});
