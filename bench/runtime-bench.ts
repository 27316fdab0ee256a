// How fast is the runtime? A realistic plan (8 event types, 12 engagement rules with payload and
// attribute conditions + 4 fit rules, an MQL threshold, three journeys with waits under pressure caps, and
// time-driven conditions: a threshold on a decaying score and an inactivity `entry when`),
// compiled from its sources, runs over N events (default 1,000,000) for L leads (default 100,000), in
// memory, with the audit trail streamed (every record produced and drained) — events ingested one by one,
// and in batches (`ingestBatch`, which reads the next leads' memory ahead) — and without it; then, in the
// same run, the same workload
//   (c) by hand in plain JS (Maps and closures: the practical limit of a hand-written host), on all events;
//   (a) for json-rules-engine and (b) for @gorules/zen-engine when installed (runtime-competitors.ts), on a
//       slice: the events of the first S leads (default 5,000), where the engine and the hand-written run again;
//       and zen-engine once more with an empty decision, to show what its calls alone cost on this machine.
// On each set of events every contender must agree on the checksum (engagement points kept, MQLs, sends,
// suppressed, `gone_cold` handoffs). Reports events/s (wall and CPU), the ratios, and the heap per lead of the engine's runtime
// and of the hand-written states on all events (heap after full GCs with the states alive, minus the heap
// after full GCs before the run; the engine's figure includes its timers and measures). The time of each
// contender covers the events and the timers up to the end; the engine's report (`measures()`) and its
// checksum's reading of every lead's state are timed apart and shown with its checksum.
//
//   npm run build && node --expose-gc dist/bench/runtime-bench.js [--events N] [--leads L] [--slice S] [--seed X] [--warmup W] [--rounds R] [--settle S] [--batch B]
//   (--slice 0 skips the rules engines, --slice L (all the leads) runs them on every event: ~3 minutes
//   each for 1,000,000 events here; every contender first runs on W other events, default 50,000;
//   --rounds R runs the engine and the hand-written R times in turn and reports the median, default 1,
//   after S untimed rounds on the same events, default 1 (see `main`);
//   --batch B: the size of the batches, default 4,096)
import { checkSources } from '../compiler/workspace.js';
import { compilePlan } from '../compiler/lower/index.js';
import type { Plan } from '../runtime/plan-types.js';
import { createRuntime } from '../runtime/engine/index.js';
import { jsonRulesEngineRun, loadZen, zenEmptyRun, zenEngineRun } from './runtime-competitors.js';
import { BENCH_SOURCE, generateEvents, handWritten, sliceLeads, type Checksum, type HLead, type RawEvent } from './runtime-workload.js';

export { BENCH_SOURCE, generateEvents, handWritten };

const DAY = 86_400_000;

// ---------------------------------------------------------------------------------------------

function cpuMs(u: NodeJS.CpuUsage): number {
  return (u.user + u.system) / 1000;
}

/** Memory in use after full, synchronous GCs: the JS heap and the array buffers outside it. */
function heapUsed(): number {
  // Plain `gc()`: a full, synchronous collection. (`gc({ type: 'major', execution: 'sync' })` collects
  // nothing on Node 20: the figures measured with it counted the garbage left in the heap.)
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) for (let i = 0; i < 3; i++) g();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

interface Run {
  name: string;
  events: number;
  wallMs: number;
  cpuMs: number;
  sum: Checksum;
  /** Heap per lead of the states kept (engine: the whole runtime), when measured. */
  bytesPerLead?: number;
  note?: string;
}

async function timed(name: string, events: number, fn: () => Checksum | Promise<Checksum>): Promise<Run> {
  const cpu = process.cpuUsage();
  const t = process.hrtime.bigint();
  const sum = await fn();
  return { name, events, wallMs: Number(process.hrtime.bigint() - t) / 1e6, cpuMs: cpuMs(process.cpuUsage(cpu)), sum };
}

/**
 * The engine over `events`, then every timer up to `end`; audit records are drained as a host would.
 * `batch` 0: one `ingest` per event, drained every 4,096 events; else `ingestBatch` of that many, drained after each.
 * Timed: the events and the timers (what the hand-written baseline's time covers too). Then, timed apart
 * and reported in the note: the report (`measures()`, section 9) and the checksum's reading of every lead's
 * state through the public API (`leadState`, a copy per lead), which the baseline has no counterpart for.
 */
async function engineRun(plan: Plan, events: RawEvent[], end: number, audit: 'stream' | 'off', leads: number, batch = 0): Promise<Run> {
  const before = heapUsed();
  const rt = createRuntime(plan, { audit });
  let mqls = 0;
  let sends = 0;
  let colds = 0;
  let records = 0;
  const drain = () => {
    for (const a of rt.drainActions()) {
      if (a.type === 'send') sends++;
      else if (a.type === 'stage' && a.to === 'mql') mqls++;
      else if (a.type === 'handoff' && a.to === 'winback') colds++;
    }
    records += rt.drainAudit().length;
  };
  const run = await timed(`engine, audit ${audit}${batch > 0 ? `, batches of ${fmt(batch)}` : ''}`, events.length, () => {
    const r = rt;
    if (batch > 0) {
      for (let i = 0; i < events.length; i += batch) {
        const x = r.ingestBatch(events.slice(i, i + batch));
        if (x.rejected.length > 0) throw new Error(`rejected: ${x.rejected[0]!.reason}`);
        drain();
      }
    } else {
      for (let i = 0; i < events.length; i++) {
        const x = r.ingest(events[i]);
        if (!x.ok) throw new Error(`rejected: ${x.reason}`);
        if ((i & 4095) === 4095) drain();
      }
    }
    r.advanceTo(end);
    drain();
    return { points: 0, mqls, sends, suppressed: 0, colds };
  });
  let t = process.hrtime.bigint();
  const m = rt.measures();
  const reportMs = Number(process.hrtime.bigint() - t) / 1e6;
  run.sum.suppressed = m.suppressed.reduce((n, c) => n + c.count, 0);
  t = process.hrtime.bigint();
  const engSlot = rt.index.scores[rt.index.scoreSlot.get('engagement')!]!.slot;
  for (let i = 0; i < leads; i++) {
    const s = rt.leadState(`L${i}`);
    if (s) run.sum.points += s.eg[engSlot]!;
  }
  const statesMs = Number(process.hrtime.bigint() - t) / 1e6;
  run.bytesPerLead = (heapUsed() - before) / leads;
  run.note = `${audit !== 'off' ? `${fmt(records)} audit records (${(records / events.length).toFixed(2)} per event); ` : ''}then the report in ${reportMs.toFixed(0)} ms, ${fmt(leads)} lead states read in ${statesMs.toFixed(0)} ms`;
  return run;
}

async function handRun(events: RawEvent[], end: number, leads: number): Promise<Run> {
  const before = heapUsed();
  let kept: Map<string, HLead> | null = null;
  const run = await timed('hand-written', events.length, () => handWritten(events, end, (m) => (kept = m)));
  run.bytesPerLead = (heapUsed() - before) / leads;
  if (kept === null) throw new Error('the hand-written states were not kept');
  kept = null;
  return run;
}

/** The whole number (at least `min`) after `--name`, or `def`; anything else stops the bench with a message. */
function opt(argv: string[], name: string, def: number, min = 0): number {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return def;
  const v = Number(argv[i + 1]);
  if (!Number.isSafeInteger(v) || v < min) {
    console.error(`runtime-bench: --${name} takes a whole number ≥ ${min}, not ${JSON.stringify(argv[i + 1] ?? '(nothing)')}`);
    process.exit(2);
  }
  return v;
}

const eps = (r: Run, ms: number) => Math.round(r.events / (ms / 1000));
const fmt = (n: number) => n.toLocaleString('en');

function table(title: string, runs: Run[]): boolean {
  console.log(title);
  const w = Math.max(...runs.map((r) => r.name.length));
  for (const r of runs) {
    const mem = r.bytesPerLead === undefined ? '' : `  heap ${fmt(Math.round(r.bytesPerLead)).padStart(6)} B/lead`;
    console.log(
      `  ${r.name.padEnd(w)} wall ${r.wallMs.toFixed(0).padStart(7)} ms (${fmt(eps(r, r.wallMs)).padStart(9)} events/s)  cpu ${r.cpuMs.toFixed(0).padStart(7)} ms (${fmt(eps(r, r.cpuMs)).padStart(9)} events/s)${mem}`,
    );
    console.log(`  ${''.padEnd(w)} checksum ${JSON.stringify(r.sum)}${r.note ? `; ${r.note}` : ''}`);
  }
  const same = runs.every((r) => JSON.stringify(r.sum) === JSON.stringify(runs[0]!.sum));
  console.log(same ? '  checksums agree' : '  CHECKSUMS DIFFER');
  return same;
}

/** The run of median wall time. */
function median(runs: Run[]): Run {
  return [...runs].sort((a, b) => a.wallMs - b.wallMs)[runs.length >> 1]!;
}

/** `a` is how many times faster than `b` (events/s, wall and CPU). */
function ratio(a: Run, b: Run): string {
  return `${(eps(a, a.wallMs) / eps(b, b.wallMs)).toFixed(2)}x wall, ${(eps(a, a.cpuMs) / eps(b, b.cpuMs)).toFixed(2)}x CPU`;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const nEvents = opt(argv, 'events', 1_000_000, 1);
  const nLeads = opt(argv, 'leads', 100_000, 1);
  const rounds = opt(argv, 'rounds', 1, 1);
  const settle = opt(argv, 'settle', 1);
  const batch = opt(argv, 'batch', 4096, 1);
  const nSlice = Math.min(nLeads, opt(argv, 'slice', 5_000));
  const seed = opt(argv, 'seed', 42);
  const sources = [{ path: 'bench.nurture', text: BENCH_SOURCE }];
  const { model, diagnostics } = checkSources(sources);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`bench plan has errors: ${errors.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  const plan = compilePlan(model, sources);

  const t = process.hrtime.bigint();
  const events = generateEvents(nEvents, nLeads, seed);
  const genMs = Number(process.hrtime.bigint() - t) / 1e6;
  const endOf = (evs: RawEvent[]) => Date.parse(evs[evs.length - 1]!.at) + 30 * DAY;
  console.log(`runtime bench: ${fmt(events.length)} events, ${fmt(nLeads)} leads (generated in ${genMs.toFixed(0)} ms), node ${process.version}`);
  if (!(globalThis as { gc?: unknown }).gc) console.log('  (run with node --expose-gc for exact memory figures)');

  // Warm-up: every contender first runs once on other events (50,000 for 5,000 leads; the rules engines on
  // 2,000), so that no one is timed while the JIT compiler is still at work.
  const nWarm = opt(argv, 'warmup', 50_000);
  if (nWarm > 0) {
    const warm = generateEvents(nWarm, Math.max(1, Math.round(nWarm / 10)), seed + 1);
    const wEnd = endOf(warm);
    await engineRun(plan, warm, wEnd, 'stream', 1);
    await engineRun(plan, warm, wEnd, 'stream', 1, batch);
    await engineRun(plan, warm, wEnd, 'off', 1);
    handWritten(warm, wEnd);
    if (nSlice > 0) {
      const few = sliceLeads(warm, 200);
      await jsonRulesEngineRun(few, endOf(few));
      await zenEngineRun(few, endOf(few)); // nothing when not installed
    }
  }

  // On a shared machine the speed of a run varies with the load of the others: `--rounds R` runs the four
  // contenders R times in turn and reports, for each, the run of median wall time, and the ratio per round.
  // Fairness of the turns: first, `--settle S` untimed rounds (default 1) on the same events, so that every
  // timed run finds the heap already grown to the run's size, as a long-running host does (without it, the
  // mark-compacts of a heap growing from the warm-up's size fell on the first run: in two runs the engine's
  // first round measured 0.41× and 0.42× hand-written where the others measured 0.50–0.58×); then the order of the
  // contenders alternates, forward in even rounds, backward in odd ones.
  const end = endOf(events);
  const ons: Run[] = [];
  const batches: Run[] = [];
  const offs: Run[] = [];
  const hands: Run[] = [];
  const contenders: [Run[], () => Promise<Run>][] = [
    [ons, () => engineRun(plan, events, end, 'stream', nLeads)],
    [batches, () => engineRun(plan, events, end, 'stream', nLeads, batch)],
    [offs, () => engineRun(plan, events, end, 'off', nLeads)],
    [hands, () => handRun(events, end, nLeads)],
  ];
  for (let r = -settle; r < rounds; r++) {
    const turn = r % 2 === 0 ? contenders : [...contenders].reverse();
    for (const [runs, run] of turn) {
      const result = await run();
      if (r >= 0) runs.push(result);
    }
  }
  const [on, onBatch, off, hand] = [median(ons), median(batches), median(offs), median(hands)];
  let ok = table(`all events (${fmt(events.length)})${rounds > 1 ? `, the median of ${rounds} rounds` : ''}:`, [on, onBatch, off, hand]);
  ok &&= [...ons, ...batches, ...offs, ...hands].every((r) => JSON.stringify(r.sum) === JSON.stringify(on.sum));
  console.log(`  engine / hand-written speed: audit on ${ratio(on, hand)}; audit on, batches ${ratio(onBatch, hand)}; audit off ${ratio(off, hand)}`);
  if (rounds > 1) {
    // Each round's ratio compares runs made seconds apart, under the same load: its median is the steadier figure.
    const perRound = (runs: Run[]) => {
      const rs = runs.map((o, i) => eps(o, o.wallMs) / eps(hands[i]!, hands[i]!.wallMs));
      const mid = [...rs].sort((a, b) => a - b)[rs.length >> 1]!;
      return `${rs.map((x) => x.toFixed(2)).join(', ')} (median ${mid.toFixed(2)})`;
    };
    console.log(`  audit on / hand-written per round (wall): ${perRound(ons)}; in batches: ${perRound(batches)}`);
  }
  console.log(`  heap per lead: the engine's runtime (lead states, timers, measures) ${((on.bytesPerLead ?? 0) / (hand.bytesPerLead ?? 1)).toFixed(2)}x the hand-written states`);

  if (nSlice > 0) {
    const slice = sliceLeads(events, nSlice);
    const sEnd = endOf(slice);
    heapUsed();
    // No memory column here: for a few thousand leads the heap's own noise (code flushed or compiled by
    // the GCs in between: a few MB) outweighs the states, and the figure can even come out negative.
    const runs: Run[] = [await engineRun(plan, slice, sEnd, 'stream', nSlice), await handRun(slice, sEnd, nSlice)];
    for (const r of runs) delete r.bytesPerLead;
    runs.push(await timed('json-rules-engine', slice.length, () => jsonRulesEngineRun(slice, sEnd)));
    const jre = runs[2]!;
    const zen = (await loadZen()) === null ? null : await timed('zen-engine', slice.length, async () => (await zenEngineRun(slice, sEnd))!);
    if (zen !== null) runs.push(zen);
    ok = table(`slice: the events of the first ${fmt(nSlice)} leads (${fmt(slice.length)}):`, runs) && ok;
    if (zen === null) console.log('  zen-engine is not installed (npm install --no-save @gorules/zen-engine@0.54.0): skipped');
    const vsZen = (r: Run) => (zen === null ? '' : `; vs zen-engine: ${ratio(r, zen)}`);
    console.log(`  engine (audit on, all events) vs json-rules-engine: ${ratio(on, jre)}${vsZen(on)}`);
    console.log(`  engine (audit on, all events, batches) vs json-rules-engine: ${ratio(onBatch, jre)}${vsZen(onBatch)}`);
    console.log(`  hand-written (all events) vs json-rules-engine: ${ratio(hand, jre)}${vsZen(hand)}`);
    if (zen !== null) {
      // Each call of zen-engine is a round trip to its worker thread, whose cost depends on the machine (its
      // cores, their load): the same host calling an empty decision shows how much of the figure is the call.
      const nFew = Math.max(1, Math.round(nSlice / 5));
      const few = sliceLeads(slice, nFew);
      const empty = await timed('zen-engine, empty decision', few.length, async () => (await zenEmptyRun(few, endOf(few)))!);
      console.log(`  zen-engine, an empty decision (input → output) called the same way: ${fmt(eps(empty, empty.wallMs))} events/s wall, ${fmt(eps(empty, empty.cpuMs))} CPU (the events of the first ${fmt(nFew)} leads)`);
    }
  }
  if (!ok) process.exitCode = 1;
}

if (process.argv[1] && /runtime-bench\.(js|ts)$/.test(process.argv[1])) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
