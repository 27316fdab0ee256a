// How symbols are described in completion items and hovers: one-line detail, the declaration's
// source line, and the facts that matter for each kind (type, channel/topic, fields, range…).
import { basename } from 'node:path';
import type { Expr } from '../grammar/ast.js';
import { scoreRange } from '../compiler/analysis/index.js';
import type { Model, ScoreSymbol, Sym, SymbolKind } from '../compiler/model.js';
import type { Type } from '../compiler/types.js';
import type { Documents } from './documents.js';

export function typeText(t: Type): string {
  switch (t.kind) {
    case 'list': return `list of ${typeText(t.item)}`;
    case 'enum': return `one of [${t.info.members.map((m) => m.name).join(', ')}]`;
    default: return t.kind;
  }
}

export function kindLabel(kind: SymbolKind): string {
  switch (kind) {
    case 'enumMember': return 'enumeration member';
    case 'field': return 'event field';
    case 'builtin': return 'built-in';
    default: return kind;
  }
}

/** The declaration's first source line, trimmed (for code blocks). */
export function declarationLine(sym: Sym, docs: Documents): string | undefined {
  if (sym.file === '') return undefined;
  if (sym.kind === 'enumMember' && sym.enum.owner) return declarationLine(sym.enum.owner, docs);
  const idx = docs.lineIndex(sym.file);
  if (!idx) return undefined;
  if (sym.kind === 'attribute' || sym.kind === 'field') {
    const text = idx.text.slice(sym.decl.span.start, sym.decl.span.end);
    if (!text.includes('\n')) return sym.kind === 'field' ? `event ${sym.event.name} { ${text} }` : `lead { ${text} }`;
  }
  const line = idx.lineText(sym.declSpan.line - 1).trim();
  return line.length > 200 ? line.slice(0, 200) + '…' : line;
}

/** A short line: "content · email / onboarding", "attribute · number". */
export function symbolDetail(sym: Sym, model: Model | undefined): string {
  switch (sym.kind) {
    case 'attribute': return `attribute: ${typeText(sym.type)}`;
    case 'field': return `field of ${sym.event.name}: ${typeText(sym.type)}`;
    case 'event': return sym.fields.size ? `event { ${[...sym.fields.values()].map((f) => `${f.name}: ${typeText(f.type)}`).join(', ')} }` : 'event';
    case 'enumMember': return `member of ${sym.enum.name}`;
    case 'content': return `content · channel ${sym.channel?.name ?? '?'}${sym.topic ? `, topic ${sym.topic.name}` : ''}`;
    case 'stream': return `stream: ${sym.items.map((c) => c.name).join(', ')}`;
    case 'stage': return `stage ${sym.index + 1}${model ? ` of ${model.stages.size}` : ''}`;
    case 'score': {
      const r = model ? reachableRange(model, sym) : undefined;
      return `score (${sym.category})${r ? ` · ${fmtRange(r)}` : ''}`;
    }
    case 'channel': return sym.consent ? `channel · consent ${sym.consent.name}` : 'channel';
    case 'builtin': return sym.name === 'stage' ? 'the lead\'s lifecycle stage' : 'built-in profile event';
    default: return kindLabel(sym.kind);
  }
}

export function fmtRange(r: { min: number; max: number }): string {
  return `${fmtNum(r.min)} to ${fmtNum(r.max)}`;
}

function fmtNum(n: number): string {
  return Number.isFinite(n) ? String(Math.round(n * 1000) / 1000) : n > 0 ? '∞' : '-∞';
}

export function relativeFile(file: string, roots: readonly string[]): string {
  for (const r of roots) {
    const root = r.endsWith('/') ? r : r + '/';
    if (file.startsWith(root)) return file.slice(root.length);
  }
  return basename(file);
}

type Interval = { min: number; max: number; minReason?: string; maxReason?: string };

/**
 * The values a score can reach: the analyses' `scoreRange` (the interval analysis behind NUR300), or,
 * when it has no answer, a rough estimate computed here —
 * fit part in [sum of negative points, sum of positive points], engagement part within the range
 * (0 when no rule adds points), the total clamped to the range; derived scores by interval arithmetic.
 */
export function reachableRange(model: Model, score: ScoreSymbol, seen = new Set<ScoreSymbol>()): Interval | undefined {
  try {
    const r = scoreRange(model, score.name);
    if (r) return r;
  } catch {
    // the estimate below
  }
  if (seen.has(score)) return undefined;
  seen.add(score);
  const decl = score.decl;
  if (decl.kind === 'derivedScore') return exprRange(model, decl.expr, seen);
  const range = score.range ?? { min: 0, max: 100 };
  let fitMin = 0;
  let fitMax = 0;
  let engMax = 0;
  let engMin = 0;
  let engagementRules = 0;
  for (const rule of decl.rules) {
    if (rule.kind === 'fitRule') {
      if (rule.points.value > 0) fitMax += rule.points.value;
      else fitMin += rule.points.value;
    } else if (rule.kind === 'engagementRule') {
      engagementRules++;
      if (rule.points.value > 0) engMax = range.max;
      if (rule.points.value < 0) engMin = range.min;
    }
  }
  if (score.category === 'manual') return { ...range };
  if (engagementRules === 0) engMin = engMax = 0;
  const clamp = (v: number) => Math.max(range.min, Math.min(range.max, v));
  return { min: clamp(fitMin + engMin), max: clamp(fitMax + engMax) };
}

function exprRange(model: Model, e: Expr, seen: Set<ScoreSymbol>): Interval | undefined {
  switch (e.kind) {
    case 'number': return { min: e.value, max: e.value };
    case 'paren': return exprRange(model, e.inner, seen);
    case 'name': {
      const s = model.scores.get(e.name.text);
      return s ? reachableRange(model, s, new Set(seen)) : undefined;
    }
    case 'arith': {
      const a = exprRange(model, e.left, seen);
      const b = exprRange(model, e.right, seen);
      if (!a || !b) return undefined;
      if (e.op === '+') return { min: a.min + b.min, max: a.max + b.max };
      if (e.op === '-') return { min: a.min - b.max, max: a.max - b.min };
      if (e.op === '*') {
        const p = [a.min * b.min, a.min * b.max, a.max * b.min, a.max * b.max];
        return { min: Math.min(...p), max: Math.max(...p) };
      }
      if (b.min <= 0 && b.max >= 0) return undefined;
      const q = [a.min / b.min, a.min / b.max, a.max / b.min, a.max / b.max];
      return { min: Math.min(...q), max: Math.max(...q) };
    }
    default: return undefined;
  }
}
