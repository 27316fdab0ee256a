// Plan versions: moving a lead state built with one plan onto another plan.
//
// A state is index-based (slots of the plan it was built with), so it is translated BY NAME:
// attributes (same type; enum value still a member), stages, scores, thresholds, contents, channels,
// topics, tracked events (row fields by name), queues, journeys. Inside a journey, a lead's place (the
// step where it waits) is the step's path through the blocks and its kind, not its parameters (§8.6,
// step-places.ts: the old and new journeys are aligned block by block, so inserting or removing a step
// does not move the leads at the others). A lead kept at a wait whose duration changed is due that
// duration after it started waiting (at once if that instant has passed); the change is REPORTED
// (`moved: 'kept'`).
//
// The rule for a lead whose step no longer exists (no step at its place in the new journey), or
// whose journey no longer exists: the lead LEAVES that journey at the migration — nothing is sent, its
// pending wait/timeout is dropped, the instance is no longer active (counts, entries and completions are
// kept so `reentry` and `completed journey` still see the history) — and the move is REPORTED
// (`MigrationEntry`, also kept in the store's `migrations` table). Entry, exit and threshold memories are
// kept by name, so nothing fires again merely because the plan changed. A stage that no longer exists maps
// to the highest remaining stage at or below it (reported); new scores start at their defaults.
import type { Journey, Step } from '../plan-types.js';
import type { PlanIndex } from '../engine/plan-index.js';
import { Engine } from '../engine/core.js';
import { W_FOR, W_REPEAT, W_UNTIL, W_WAIT, type HistoryCell, type JourneyState, type LeadState } from '../engine/state.js';
import { matchSteps, sameParams, stepWords } from './step-places.js';

export interface MigrationEntry {
  lead: string;
  /** The lead's clock when it was migrated (epoch ms). */
  at: number;
  fromPlan: string;
  toPlan: string;
  /** The journey concerned, or null (stage). */
  journey: string | null;
  /** The old step id where the lead was, or null. */
  step: number | null;
  /** What happened: `exited` (left the journey), `kept` (at a step whose parameters changed), `stage` (stage remapped). */
  moved: 'exited' | 'kept' | 'stage';
  reason: string;
}

function stepSubject(s: Step): string {
  switch (s.kind) {
    case 'send':
      return s.content;
    case 'sendNext':
      return s.stream;
    case 'wait':
      return String(s.durationMs);
    case 'waitFor':
      return `${s.event}/${s.upToMs}`;
    case 'waitUntil':
      return String(s.upToMs);
    case 'repeat':
      return String(s.everyMs);
    case 'moveTo':
      return s.journey;
    case 'enroll':
    case 'removeFrom':
      return s.journey;
    case 'setAttr':
      return s.attribute;
    case 'setScore':
      return s.score;
    case 'setStage':
      return String(s.stage);
    case 'handoff':
      return s.queue;
    default:
      return '';
  }
}

/** The duration a lead waiting at `s` (wait kind `w`) waits, or null. */
function waitMs(s: Step, w: number): number | null {
  if (w === W_WAIT && s.kind === 'wait') return s.durationMs;
  if (w === W_FOR && s.kind === 'waitFor') return s.upToMs;
  if (w === W_UNTIL && s.kind === 'waitUntil') return s.upToMs;
  if (w === W_REPEAT && s.kind === 'repeat') return s.everyMs;
  return null;
}

/** The key of every step of a journey by kind, subject and occurrence (what `nurture diff` may show; places are step-places.ts). */
export function stepKeys(j: Journey): string[] {
  const seen = new Map<string, number>();
  return j.steps.map((s) => {
    const base = `${s.kind}:${stepSubject(s)}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return `${base}#${n}`;
  });
}

function slotMap(oldNames: readonly string[], newNames: readonly string[]): number[] {
  const m = new Map(newNames.map((n, i) => [n, i]));
  return oldNames.map((n) => m.get(n) ?? -1);
}

function occurrenceKeys(keys: string[]): string[] {
  const seen = new Map<string, number>();
  return keys.map((k) => {
    const n = seen.get(k) ?? 0;
    seen.set(k, n + 1);
    return `${k}#${n}`;
  });
}

function limitedRuleKeys(ix: PlanIndex): string[] {
  const keys: string[] = new Array(ix.limitedRules).fill('');
  const raw: [number, string][] = [];
  for (const list of ix.engByEvent.values()) for (const r of list) if (r.limitSlot >= 0) raw.push([r.limitSlot, `${ix.scores[r.score]!.name}|${r.rule}`]);
  raw.sort((a, b) => a[0] - b[0]);
  const occ = occurrenceKeys(raw.map((r) => r[1]));
  raw.forEach(([slot], i) => (keys[slot] = occ[i]!));
  return keys;
}

/** Translates `s` (built with `from`) to `to`; appends what had to move to `report`. Returns a new state. */
export function migrateState(from: PlanIndex, to: PlanIndex, s: LeadState, report: MigrationEntry[]): LeadState {
  const fromHash = from.plan.source.hash;
  const toHash = to.plan.source.hash;
  const engine = new Engine(to);
  const n = engine.newLead(s.id, s.t0);
  n.c = s.c;
  n.n = s.n;
  n.f = s.f;
  n.late = s.late;
  n.q = s.q.slice();

  // attributes
  const attrMap = slotMap(from.attrNames, to.attrNames);
  attrMap.forEach((ni, oi) => {
    if (ni < 0) return;
    const v = s.at[oi] ?? null;
    const ot = from.attrTypes[oi]!;
    const nt = to.attrTypes[ni]!;
    if (v === null || ot.type !== nt.type) return;
    if (nt.type === 'enum' && !(nt.members ?? []).includes(v as string)) return;
    n.at[ni] = v;
  });

  // stages
  const stageMap = slotMap(from.stages, to.stages);
  const mapStage = (st: number): number => {
    for (let i = st; i >= 0; i--) if ((stageMap[i] ?? -1) >= 0) return stageMap[i]!;
    return 0;
  };
  n.st = mapStage(s.st);
  n.ms = Math.max(n.st, mapStage(s.ms));
  if (from.stages.length > 0 && (stageMap[s.st] ?? -1) < 0) {
    report.push({ lead: s.id, at: s.c, fromPlan: fromHash, toPlan: toHash, journey: null, step: null, moved: 'stage', reason: `stage ${from.stages[s.st]} no longer exists: now ${to.stages[n.st] ?? '(none)'}` });
  }

  // rules scores
  from.rulesScores.forEach((scoreIndex, oldSlot) => {
    const ni = to.scoreSlot.get(from.scores[scoreIndex]!.name);
    const slot = ni === undefined ? -1 : to.scores[ni]!.slot;
    if (slot < 0) return;
    n.eg[slot] = Math.min(to.scores[ni!]!.max, Math.max(to.scores[ni!]!.min, s.eg[oldSlot]!));
    n.ea[slot] = s.ea[oldSlot]!;
    n.ed[slot] = s.ed[oldSlot]!;
  });
  const rhMap = slotMap(limitedRuleKeys(from), limitedRuleKeys(to));
  rhMap.forEach((ni, oi) => ni >= 0 && (n.rh[ni] = s.rh[oi]!.slice()));

  // thresholds, entry-when memories
  slotMap(from.thresholds.map((t) => t.name), to.thresholds.map((t) => t.name)).forEach((ni, oi) => ni >= 0 && (n.tm[ni] = s.tm[oi]!));
  const whenKeys = (ix: PlanIndex) => occurrenceKeys(ix.entriesWhen.map((e) => ix.journeys[e.journey]!.name));
  slotMap(whenKeys(from), whenKeys(to)).forEach((ni, oi) => ni >= 0 && (n.em[ni] = s.em[oi]!));

  // history of tracked events
  from.tracked.forEach((ot, oi) => {
    const ni = to.tracked.findIndex((t) => t.event === ot.event);
    if (ni < 0) return;
    const nt = to.tracked[ni]!;
    n.hc[ni] = s.hc[oi]!;
    const oldNames = new Map<string, number>();
    const oev = from.events.get(ot.event)!;
    ot.fieldPositions.forEach((p, k) => oldNames.set(oev.fields[p]!.name, k + 1));
    const nev = to.events.get(nt.event)!;
    const pick = nt.fieldPositions.map((p) => oldNames.get(nev.fields[p]!.name) ?? -1);
    const rows = s.hr[oi]!;
    const out: HistoryCell[] = [];
    for (let r = 0; r + ot.stride <= rows.length; r += ot.stride) {
      out.push(rows[r]!);
      for (const k of pick) out.push(k < 0 ? null : rows[r + k]!);
    }
    n.hr[ni] = out;
  });

  // contents, channels, topics
  const cMap = slotMap(
    from.contents.map((c) => c.name),
    to.contents.map((c) => c.name),
  );
  for (let i = 0; i + 2 < s.rc.length; i += 3) {
    const c = cMap[s.rc[i]!] ?? -1;
    if (c >= 0) n.rc.push(c, s.rc[i + 1]!, s.rc[i + 2]!);
  }
  for (const c of s.rx) if ((cMap[c] ?? -1) >= 0) n.rx.push(cMap[c]!);
  for (let i = 0; i + 1 < s.sl.length; i += 2) if ((cMap[s.sl[i]!] ?? -1) >= 0) n.sl.push(cMap[s.sl[i]!]!, s.sl[i + 1]!);
  const chMap = slotMap(from.channels, to.channels);
  const tpMap = slotMap(from.topics, to.topics);
  for (let i = 0; i + 2 < s.pl.length; i += 3) {
    const ch = chMap[s.pl[i + 1]!] ?? -1;
    if (ch < 0) continue;
    const tp = s.pl[i + 2]! < 0 ? -1 : (tpMap[s.pl[i + 2]!] ?? -1);
    n.pl.push(s.pl[i]!, ch, tp);
  }
  for (let i = 0; i + 2 < s.ps.length; i += 3) if ((cMap[s.ps[i + 1]!] ?? -1) >= 0) n.ps.push(s.ps[i]!, cMap[s.ps[i + 1]!]!, s.ps[i + 2]!);

  // journeys
  const jMap = slotMap(
    from.journeys.map((j) => j.name),
    to.journeys.map((j) => j.name),
  );
  n.hf = s.hf.map((j) => jMap[j] ?? -1).filter((j) => j >= 0);
  s.j.forEach((js, oi) => {
    if (js === null) return;
    const name = from.journeys[oi]!.name;
    const ni = jMap[oi]!;
    const active = js.a === 1;
    if (ni < 0) {
      if (active) report.push({ lead: s.id, at: s.c, fromPlan: fromHash, toPlan: toHash, journey: name, step: js.s, moved: 'exited', reason: `journey ${name} no longer exists` });
      return;
    }
    const copy: JourneyState = { ...js, r: [] };
    if (active) {
      const oldJ = from.plan.journeys[name]!;
      const newJ = to.plan.journeys[name]!;
      const stepMap = matchSteps(oldJ, newJ);
      const ns = stepMap.get(js.s) ?? -1;
      const words = oldJ.steps[js.s] ? stepWords(oldJ.steps[js.s]!) : String(js.s);
      const move = (moved: 'exited' | 'kept', reason: string) =>
        report.push({ lead: s.id, at: s.c, fromPlan: fromHash, toPlan: toHash, journey: name, step: js.s, moved, reason });
      if (ns < 0) {
        copy.a = 0;
        copy.w = 0;
        copy.d = -1;
        copy.o = -1;
        move('exited', `step ${js.s} (${words}) of journey ${name} no longer exists: the lead left the journey`);
      } else {
        copy.s = ns;
        for (let i = 0; i + 1 < js.r.length; i += 2) {
          const rs = stepMap.get(js.r[i]!) ?? -1;
          if (rs >= 0) copy.r.push(rs, js.r[i + 1]!);
        }
        const oldStep = oldJ.steps[js.s]!;
        const newStep = newJ.steps[ns]!;
        if (!sameParams(oldStep, newStep)) {
          const was = waitMs(oldStep, js.w);
          const now = waitMs(newStep, js.w);
          if (was !== null && now !== null && js.d >= 0) copy.d = js.d - was + now; // from when it started waiting
          const due = copy.d !== js.d ? `, now due ${new Date(copy.d).toISOString()}` : '';
          move('kept', `step ${js.s} of journey ${name} changed (${words} → ${stepWords(newStep)}): the lead stays there as step ${ns}${due}`);
        }
      }
    }
    n.j[ni] = copy;
  });

  // date entries (by journey, attribute, offset, time, yearly)
  const deKey = (ix: PlanIndex) => occurrenceKeys(ix.dateEntries.map((d) => `${ix.journeys[d.journey]!.name}|${ix.attrNames[d.attr]}|${d.offsetMs}|${d.atMinute}|${d.yearly}`));
  slotMap(deKey(from), deKey(to)).forEach((ni, oi) => ni >= 0 && (n.de[ni] = s.de[oi]!));
  return n;
}
