// What changed between two plans, in source terms: declarations matched by kind and name, journey steps
// matched by their place (LANGUAGE.md §8.6: the step's path through the blocks and its kind, the same
// alignment that moves leads in flight, runtime/store/step-places.ts), and inside a changed declaration or
// step the innermost located parts that differ — each shown as `file:line` and the source line on both
// sides. A removed and an added item that are equal but for their name (or, for steps, their place) are
// shown as renamed (moved).
import type { Journey, Loc, Plan, Step } from '../../runtime/plan-types.js';
import { matchSteps, sameParams, stepWords } from '../../runtime/store/step-places.js';
import { exprText } from '../../runtime/expr-text.js';
import type { LoadedPlan } from '../workspace-plan.js';

/** A place in one side's sources: `file:line` and what is written there (the source line, or words from the plan). */
export interface Place {
  file: string;
  line: number;
  text: string;
}

export type ChangeKind = 'added' | 'removed' | 'changed' | 'moved' | 'renamed';

/** One changed part of a declaration: a step, a rule, a setting. */
export interface PartChange {
  kind: ChangeKind;
  /** `step`, or the part's name in the plan (`entries`, `caps`, `fit`, …). */
  part: string;
  old: Place | null;
  new: Place | null;
}

export interface DeclarationChange {
  kind: Exclude<ChangeKind, 'moved'>;
  /** `journey`, `content`, `score`, `pressure`, … */
  declaration: string;
  name: string;
  /** The old name, when renamed. */
  from?: string;
  old: Place | null;
  new: Place | null;
  parts: PartChange[];
}

type Json = unknown;

/** Keys that hold step numbers (they move when steps are inserted) or places, not meaning. */
const IGNORED = new Set(['loc', 'id', 'next', 'target', 'onEvent', 'onTimeout', 'onTrue', 'else', 'body', 'exhausted']);

/** The value without its locations and step numbers, as comparable text. */
const bare = (v: Json): string => JSON.stringify(v, (k, x: unknown) => (IGNORED.has(k) ? undefined : x));

/** Words for a plan node when no source text is at hand. */
function words(plan: Plan, v: Json): string {
  if (v === null || v === undefined) return '';
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if (typeof o['kind'] === 'string' && typeof o['id'] === 'number') return stepWords(o as unknown as Step);
    if (typeof o['op'] === 'string') return exprText(plan, o as never);
  }
  const text = bare(v);
  return text.length > 70 ? text.slice(0, 67) + '...' : text;
}

/** A side of the comparison: its plan and how to show a location. */
export class SideText {
  constructor(readonly loaded: LoadedPlan) {}
  get plan(): Plan {
    return this.loaded.plan;
  }
  /** The place of `loc`; without source text, `node` in words (or `fallback`). */
  place(loc: Loc | null | undefined, node: Json, fallback?: string): Place | null {
    if (loc === null || loc === undefined) return null;
    const text = this.loaded.text(loc[0]);
    const line = text?.split('\n')[loc[1] - 1];
    const shown = line === undefined ? (fallback ?? words(this.plan, node)) : line.trim().replace(/\s*\{$/, '');
    return { file: this.loaded.display(loc[0]), line: loc[1], text: shown };
  }
}

const isRecord = (v: Json): v is Record<string, Json> => v !== null && typeof v === 'object' && !Array.isArray(v);

const locOf = (v: Json): Loc | null => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
  const l = (v as { loc?: unknown }).loc;
  return Array.isArray(l) ? (l as Loc) : null;
};

/**
 * The innermost located parts where `a` and `b` differ. Lists are aligned on equal items (longest common
 * subsequence); unequal runs are compared pairwise, the surplus reported as added or removed.
 */
function partsDiff(a: Json, b: Json, old: SideText, neu: SideText, part: string, out: PartChange[], aNode: Json = a, bNode: Json = b): void {
  if (bare(a) === bare(b)) return;
  const aLoc = locOf(a) !== null ? a : aNode;
  const bLoc = locOf(b) !== null ? b : bNode;
  if (Array.isArray(a) && Array.isArray(b)) {
    const pairs = alignLists(a, b);
    for (const [x, y] of pairs) {
      if (x !== null && y !== null) partsDiff(x, y, old, neu, part, out, aLoc, bLoc);
      else if (x !== null) out.push({ kind: 'removed', part, old: old.place(locOf(x) ?? locOf(aLoc), x), new: null });
      else out.push({ kind: 'added', part, old: null, new: neu.place(locOf(y) ?? locOf(bLoc), y) });
    }
    return;
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const before = out.length;
    let direct = false;
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (IGNORED.has(key)) continue;
      const x = (a as Record<string, Json>)[key];
      const y = (b as Record<string, Json>)[key];
      if (bare(x) === bare(y)) continue;
      const nested = x !== null && y !== null && typeof x === 'object' && typeof y === 'object';
      if (nested) partsDiff(x, y, old, neu, part, out, aLoc, bLoc);
      else direct = true;
    }
    if (!direct && out.length > before) return;
  }
  out.push({ kind: 'changed', part, old: old.place(locOf(aLoc), aLoc), new: neu.place(locOf(bLoc), bLoc) });
}

/** Aligns two lists: equal items matched in order, then the unmatched runs between them paired up. */
function alignLists(a: Json[], b: Json[]): [Json | null, Json | null][] {
  const ka = a.map(bare);
  const kb = b.map(bare);
  const n = a.length;
  const m = b.length;
  const dp = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let k = m - 1; k >= 0; k--) dp[i]![k] = ka[i] === kb[k] ? dp[i + 1]![k + 1]! + 1 : Math.max(dp[i + 1]![k]!, dp[i]![k + 1]!);
  const out: [Json | null, Json | null][] = [];
  let i = 0;
  let k = 0;
  let runA: Json[] = [];
  let runB: Json[] = [];
  const flush = () => {
    for (let x = 0; x < Math.max(runA.length, runB.length); x++) out.push([runA[x] ?? null, runB[x] ?? null]);
    runA = [];
    runB = [];
  };
  while (i < n || k < m) {
    if (i < n && k < m && ka[i] === kb[k]) {
      flush();
      out.push([a[i++]!, b[k++]!]);
    } else if (k >= m || (i < n && dp[i + 1]![k]! >= dp[i]![k + 1]!)) runA.push(a[i++]!);
    else runB.push(b[k++]!);
  }
  flush();
  return out;
}

/** The declarations of a plan by kind and name, in a comparable form. */
function declarations(plan: Plan): Map<string, { declaration: string; name: string; value: Json; loc: Loc | null }> {
  const out = new Map<string, { declaration: string; name: string; value: Json; loc: Loc | null }>();
  const add = (declaration: string, name: string, value: Json, loc: Loc | null) => out.set(`${declaration} ${name}`, { declaration, name, value, loc });
  const records: [string, Record<string, { loc: Loc }>][] = [
    ['attribute', plan.attributes],
    ['event', plan.events],
    ['channel', plan.channels],
    ['topic', plan.topics],
    ['content', plan.contents],
    ['stream', plan.streams],
    ['segment', plan.segments],
    ['score', plan.scores],
    ['threshold', plan.thresholds],
    ['journey', plan.journeys],
  ];
  for (const [declaration, record] of records) for (const name of Object.keys(record)) add(declaration, name, record[name], record[name]!.loc);
  if (plan.stages.length > 0) add('stages', '', plan.stages, plan.stages[0]!.loc);
  const seen = new Map<string, number>();
  for (const h of plan.handlers) {
    const n = seen.get(h.event) ?? 0;
    seen.set(h.event, n + 1);
    add('on', n === 0 ? h.event : `${h.event} (${n + 1})`, h, h.loc);
  }
  if (plan.pressure.loc !== null) add('pressure', '', plan.pressure, plan.pressure.loc);
  if (plan.controlGroup !== null) add('control group', '', plan.controlGroup, plan.controlGroup.loc);
  add('timezone', '', plan.timezone, null);
  for (const t of plan.tests) add('test', JSON.stringify(t.name), t, t.loc);
  return out;
}

/** The changed steps of a journey: matched by place (§8.6), compared without their step numbers. */
function stepChanges(a: Journey, b: Journey, old: SideText, neu: SideText): PartChange[] {
  const out: PartChange[] = [];
  const map = matchSteps(a, b);
  const matched = new Set(map.values());
  const removed = a.steps.filter((s) => !map.has(s.id));
  const added = b.steps.filter((s) => !matched.has(s.id));
  for (const s of a.steps) {
    const t = map.get(s.id);
    if (t === undefined || sameParams(s, b.steps[t]!)) continue;
    partsDiff(s, b.steps[t]!, old, neu, 'step', out);
  }
  // an equal step at another place: moved (its leads in flight still leave the old place)
  for (const s of removed) {
    const k = added.findIndex((t) => t.kind === s.kind && sameParams(s, t));
    if (k >= 0) {
      out.push({ kind: 'moved', part: 'step', old: old.place(s.loc, s), new: neu.place(added[k]!.loc, added[k]) });
      added.splice(k, 1);
    } else out.push({ kind: 'removed', part: 'step', old: old.place(s.loc, s), new: null });
  }
  for (const t of added) out.push({ kind: 'added', part: 'step', old: null, new: neu.place(t.loc, t) });
  return out;
}

function journeyChanges(a: Journey, b: Journey, old: SideText, neu: SideText): PartChange[] {
  const out: PartChange[] = [];
  const settings = ['entries', 'audience', 'reentry', 'exits', 'goal', 'holdoutPercent', 'priority'] as const;
  for (const key of settings) partsDiff(a[key], b[key], old, neu, key, out, a, b);
  return [...out, ...stepChanges(a, b, old, neu)];
}

const byPlace = (p: Place | null): string => (p === null ? '\uffff' : `${p.file}\u0000${String(p.line).padStart(8, '0')}`);

/** Every changed declaration, in the order of the new sources (removed ones at their old place, after). */
export function planChanges(oldLoaded: LoadedPlan, newLoaded: LoadedPlan): DeclarationChange[] {
  const old = new SideText(oldLoaded);
  const neu = new SideText(newLoaded);
  const a = declarations(old.plan);
  const b = declarations(neu.plan);
  const out: DeclarationChange[] = [];
  const removed: DeclarationChange[] = [];
  const added: DeclarationChange[] = [];
  const named = (d: { declaration: string; name: string }) => (d.name === '' ? d.declaration : `${d.declaration} ${d.name}`);
  for (const [key, x] of a) {
    const y = b.get(key);
    const oldPlace = old.place(x.loc, x.value, named(x));
    if (y === undefined) {
      removed.push({ kind: 'removed', declaration: x.declaration, name: x.name, old: oldPlace, new: null, parts: [] });
      continue;
    }
    if (bare(x.value) === bare(y.value)) continue;
    const parts: PartChange[] = [];
    if (x.declaration === 'journey') parts.push(...journeyChanges(x.value as Journey, y.value as Journey, old, neu));
    else if (isRecord(x.value) && isRecord(y.value)) {
      // each setting under its own name: `changed caps`, `changed condition`, `added fit`
      for (const key of new Set([...Object.keys(x.value), ...Object.keys(y.value)])) if (!IGNORED.has(key)) partsDiff(x.value[key], y.value[key], old, neu, key, parts, x.value, y.value);
    } else partsDiff(x.value, y.value, old, neu, x.declaration, parts);
    out.push({ kind: 'changed', declaration: x.declaration, name: x.name, old: oldPlace, new: neu.place(y.loc, y.value, named(y)), parts: dedupe(parts) });
  }
  for (const [key, y] of b) if (!a.has(key)) added.push({ kind: 'added', declaration: y.declaration, name: y.name, old: null, new: neu.place(y.loc, y.value, named(y)), parts: [] });
  // Equal but for the name: renamed. A journey renamed and edited too is recognised by its steps' kinds.
  const value = (m: typeof a, d: DeclarationChange) => m.get(`${d.declaration} ${d.name}`)!.value;
  const kinds = (j: Json) => (j as Journey).steps.map((s) => s.kind).sort().join(' ');
  const sameBut = [
    (r: DeclarationChange, d: DeclarationChange) => bare(value(a, r)) === bare(value(b, d)),
    (r: DeclarationChange, d: DeclarationChange) => r.declaration === 'journey' && kinds(value(a, r)) === kinds(value(b, d)),
  ];
  for (const same of sameBut) {
    for (const r of [...removed]) {
      const k = added.findIndex((d) => d.declaration === r.declaration && same(r, d));
      if (k < 0) continue;
      const parts = r.declaration === 'journey' ? dedupe(journeyChanges(value(a, r) as Journey, value(b, added[k]!) as Journey, old, neu)) : [];
      out.push({ ...added[k]!, kind: 'renamed', from: r.name, old: r.old, parts });
      added.splice(k, 1);
      removed.splice(removed.indexOf(r), 1);
    }
  }
  out.push(...added);
  out.sort((p, q) => (byPlace(p.new) < byPlace(q.new) ? -1 : byPlace(p.new) > byPlace(q.new) ? 1 : 0));
  return [...out, ...removed.sort((p, q) => (byPlace(p.old) < byPlace(q.old) ? -1 : 1))];
}

/** One report per pair of lines (a node and its parent on the same line are the same line to a reader). */
function dedupe(parts: PartChange[]): PartChange[] {
  const seen = new Set<string>();
  return parts.filter((p) => {
    const key = `${p.kind} ${byPlace(p.old)} ${byPlace(p.new)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
