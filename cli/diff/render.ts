// The three forms of `nurture diff`: text (terminal), markdown (a pull-request comment: the changes as a
// `diff` block, the numbers as tables) and JSON (`DiffReport`, format `nurture-diff` version 1, docs/diff.md).
import type { DeclarationChange, PartChange, Place } from './changes.js';
import type { ThresholdResult } from './fail-if.js';
import type { InFlight } from './in-flight.js';
import type { Metric, Outcomes } from './outcomes.js';

export const DIFF_FORMAT = 'nurture-diff';
export const DIFF_VERSION = 1;

export interface SideInfo {
  label: string;
  commit: string | null;
  plan: string;
}

export interface DiffReport {
  format: typeof DIFF_FORMAT;
  version: typeof DIFF_VERSION;
  old: SideInfo;
  new: SideInfo;
  changes: DeclarationChange[];
  outcomes: Outcomes | null;
  inFlight: InFlight | null;
  thresholds: ThresholdResult[];
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
const at = (p: Place | null): string => (p === null ? '' : `${p.file}:${p.line}`);
const side = (s: SideInfo): string => (s.commit === null ? s.label : `${s.label} (${s.commit.slice(0, 10)})`);

function title(c: DeclarationChange): string {
  const name = c.name === '' ? c.declaration : `${c.declaration} ${c.name}`;
  return c.kind === 'renamed' ? `${c.declaration} ${c.from} → ${c.name}` : name;
}

/** The change as diff lines: `- file:line  text` (OLD) and `+ file:line  text` (NEW). */
function diffLines(c: { kind: string; old: Place | null; new: Place | null }): string[] {
  const out: string[] = [];
  if (c.old !== null && c.kind !== 'added') out.push(`- ${at(c.old)}  ${c.old.text}`);
  if (c.new !== null && c.kind !== 'removed') out.push(`+ ${at(c.new)}  ${c.new.text}`);
  return out;
}

function partTitle(p: PartChange): string {
  return `${p.kind} ${p.part}`;
}

/** Sign and unit of a change; the relative change when OLD is not 0. */
export function changeText(m: { name?: string; old: number | null; new: number | null }): string {
  if (m.old === null || m.new === null) return m.old === m.new ? '' : m.old === null ? 'new' : 'gone';
  const d = m.new - m.old;
  if (d === 0) return '0';
  const abs = `${d > 0 ? '+' : ''}${round(d)}`;
  // a lift is already in points: a relative change of it would mislead
  return m.old === 0 || m.name?.startsWith('lift') ? abs : `${abs} (${d > 0 ? '+' : ''}${((d / Math.abs(m.old)) * 100).toFixed(1)}%)`;
}

const round = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(2).replace(/\.?0+$/, ''));
const value = (x: number | null): string => (x === null ? '—' : round(x));

/** The headline rows always, the others when they changed. */
function shownMetrics(metrics: readonly Metric[]): Metric[] {
  const always = new Set(['leads', 'mqls', 'sends', 'leads-differing']);
  return metrics.filter((m) => always.has(m.name) || m.old !== m.new);
}

function pad(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd());
}

export function renderText(r: DiffReport): string {
  const out: string[] = [`OLD ${side(r.old)}`, `NEW ${side(r.new)}`, ''];
  if (r.changes.length === 0) out.push('No declaration changed.');
  else out.push(`${plural(r.changes.length, 'declaration')} changed:`);
  for (const c of r.changes) {
    out.push('', `${c.kind} ${title(c)}  ${at(c.new ?? c.old)}`);
    if (c.parts.length === 0) out.push(...diffLines(c).map((l) => `  ${l}`));
    for (const p of c.parts) out.push(`  ${partTitle(p)}`, ...diffLines(p).map((l) => `    ${l}`));
  }
  const o = r.outcomes;
  if (o !== null) {
    const rejected = o.rejected.old + o.rejected.new > 0 ? `; events rejected: OLD ${o.rejected.old}, NEW ${o.rejected.new}` : '';
    out.push('', `Outcomes over ${o.events} (${plural(o.lines, 'line')}${o.from === null ? '' : `, ${o.from.slice(0, 10)} to ${o.until.slice(0, 10)}`}${rejected}):`);
    const rows = [['', 'OLD', 'NEW', 'change'], ...shownMetrics(o.metrics).map((m) => [`${m.label} [${m.name}]`, value(m.old), value(m.new), changeText(m)])];
    out.push(...pad(rows).map((l) => `  ${l}`));
    if (o.pressure.length > 0) {
      out.push('', 'Pressure outcomes by rule:');
      const rows = [['', 'OLD', 'NEW', 'change'], ...o.pressure.map((p) => [`${p.outcome} by ${p.rule}${p.place === null ? '' : ` (${at(p.place)})`}`, String(p.old), String(p.new), changeText(p)])];
      out.push(...pad(rows).map((l) => `  ${l}`));
    }
    if (o.leadsDiffering > 0) {
      out.push('', `${plural(o.leadsDiffering, 'lead')} whose actions differ${o.leads.length < o.leadsDiffering ? `; the first ${o.leads.length}` : ''}:`);
      for (const l of o.leads) {
        out.push(`  lead ${l.lead}: first different action`);
        out.push(`    OLD: ${l.old === null ? '(none)' : `${l.old.at} ${l.old.text}`}`);
        out.push(`    NEW: ${l.new === null ? '(none)' : `${l.new.at} ${l.new.text}`}`);
        if (l.because !== null) {
          out.push('    decided differently:');
          for (const [name, d] of [['OLD', l.because.old], ['NEW', l.because.new]] as const) {
            out.push(`      ${name}: ${d === null ? '(nothing)' : `${d.at} ${d.text}${d.place === null ? '' : ` at ${at(d.place)}: ${d.place.text}`}`}`);
          }
        }
      }
    }
  }
  const f = r.inFlight;
  if (f !== null) {
    out.push('', `Leads in flight in ${f.store}: ${inFlightSummary(f)}`);
    if (!f.planIsOld) out.push(`  (the store runs plan ${f.plan}, not OLD's: the moves are from the store's plan)`);
    if (f.steps.length > 0) {
      const rows = [['', 'stay', 'move', 'leave'], ...f.steps.map((s) => [`${s.journey}: ${s.step} (${at(s.old)}${s.new === null ? ', gone' : ` → ${at(s.new)}`})`, String(s.stay), String(s.move), String(s.leave)])];
      out.push(...pad(rows).map((l) => `  ${l}`));
      for (const s of f.steps) if (s.reason !== null) out.push(`  ${s.journey}: ${s.reason}`);
    }
  }
  if (r.thresholds.length > 0) {
    out.push('', 'Thresholds:');
    for (const t of r.thresholds) out.push(`  ${t.tripped ? 'TRIPPED' : 'ok'}  ${thresholdLine(t)}`);
  }
  return out.join('\n') + '\n';
}

function inFlightSummary(f: InFlight): string {
  const stage = f.stageRemapped > 0 ? `; ${plural(f.stageRemapped, 'lead')} whose stage no longer exists` : '';
  return `${plural(f.leads, 'lead')}, ${f.inJourneys} in a journey: ${f.stay} stay, ${f.move} move, ${f.leave} leave${stage}`;
}

export function thresholdLine(t: ThresholdResult): string {
  const change = t.change === null ? 'no value on both sides' : `${value(t.old)} → ${value(t.new)}, change ${t.change > 0 ? '+' : ''}${Number.isFinite(t.change) ? round(Math.round(t.change * 10) / 10) : t.change > 0 ? '∞' : '-∞'}${/%\s*$/.test(t.threshold) ? '%' : ''}`;
  return `--fail-if "${t.threshold}" (${change})`;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|');

export function renderMarkdown(r: DiffReport): string {
  const out: string[] = ['## nurture diff', '', `**OLD** \`${side(r.old)}\` → **NEW** \`${side(r.new)}\``, ''];
  if (r.changes.length === 0) out.push('No declaration changed.');
  else {
    out.push(`### ${plural(r.changes.length, 'declaration')} changed`, '', '```diff');
    for (const c of r.changes) {
      out.push(`@@ ${c.kind} ${title(c)}  ${at(c.new ?? c.old)} @@`);
      if (c.parts.length === 0) out.push(...diffLines(c));
      for (const p of c.parts) out.push(`# ${partTitle(p)}`, ...diffLines(p));
    }
    out.push('```');
  }
  const o = r.outcomes;
  if (o !== null) {
    out.push('', `### Outcomes over \`${o.events}\``, '');
    if (o.rejected.old + o.rejected.new > 0) out.push(`Events rejected: OLD ${o.rejected.old}, NEW ${o.rejected.new}.`, '');
    out.push('| | OLD | NEW | change |', '|---|--:|--:|--:|');
    for (const m of shownMetrics(o.metrics)) out.push(`| ${cell(m.label)} \`${m.name}\` | ${value(m.old)} | ${value(m.new)} | ${changeText(m)} |`);
    if (o.pressure.length > 0) {
      out.push('', '| pressure outcome by rule | OLD | NEW | change |', '|---|--:|--:|--:|');
      for (const p of o.pressure) out.push(`| ${p.outcome} by ${cell(p.rule)}${p.place === null ? '' : ` (\`${at(p.place)}\`)`} | ${p.old} | ${p.new} | ${changeText(p)} |`);
    }
    if (o.leads.length > 0) {
      out.push('', `<details><summary>${plural(o.leadsDiffering, 'lead')} whose actions differ (first ${o.leads.length})</summary>`, '');
      for (const l of o.leads) {
        out.push(`- **${l.lead}**: OLD ${l.old === null ? '(none)' : `${l.old.at} ${l.old.text}`}; NEW ${l.new === null ? '(none)' : `${l.new.at} ${l.new.text}`}`);
        if (l.because !== null) {
          for (const [name, d] of [['OLD', l.because.old], ['NEW', l.because.new]] as const) {
            out.push(`  - ${name} decided: ${d === null ? '(nothing)' : `${d.at} ${d.text}${d.place === null ? '' : ` — \`${at(d.place)}\` \`${d.place.text}\``}`}`);
          }
        }
      }
      out.push('', '</details>');
    }
  }
  const f = r.inFlight;
  if (f !== null) {
    out.push('', `### Leads in flight in \`${f.store}\``, '', inFlightSummary(f) + '.');
    if (f.steps.length > 0) {
      out.push('', '| journey | step | OLD | NEW | stay | move | leave |', '|---|---|---|---|--:|--:|--:|');
      for (const s of f.steps) out.push(`| ${s.journey} | ${cell(s.step)} | \`${at(s.old)}\` | ${s.new === null ? 'gone' : `\`${at(s.new)}\``} | ${s.stay} | ${s.move} | ${s.leave} |`);
    }
  }
  if (r.thresholds.length > 0) {
    out.push('', '### Thresholds', '');
    for (const t of r.thresholds) out.push(`- ${t.tripped ? ':x: **tripped**' : ':white_check_mark: ok'}: ${thresholdLine(t).replace(/^--fail-if "(.*?)"/, '`$1`')}`);
  }
  return out.join('\n') + '\n';
}

export function renderJson(r: DiffReport): string {
  return JSON.stringify(r, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? (v > 0 ? 'Infinity' : '-Infinity') : v), 2) + '\n';
}
