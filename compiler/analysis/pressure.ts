// NUR305: pressure rules that contradict each other or that another rule makes redundant.
//
// Contradictions: quiet days covering the whole week (no message could ever be sent), both
// `delay capped messages` and `skip capped messages` (or either twice with different values).
//
// Redundancy: a rule is redundant when another rule of the same or a wider scope implies it (every
// message sequence the other allows, this one allows too). Scopes: all messages ⊇ one channel, all
// messages ⊇ "the same topic". Windows are half-open (section 4.13):
// - `max N1 per D1` implies `max N2 per D2` when N1 × ⌈D2 / D1⌉ ≤ N2;
// - `min G1 between` implies `min G2 between` when G1 ≥ G2;
// - across kinds (only with `crossKindRedundancy`, see AnalyzeOptions): `min G between` implies
//   `max N per D` when ⌈D / G⌉ ≤ N, and `max 1 per D` implies `min G between` when D ≥ G.
// Of two equivalent rules, the later one is reported.
import type { PressureRule, Span } from '../../grammar/ast.js';
import type { Diagnostic } from '../../grammar/diagnostic.js';
import type { Model } from '../model.js';
import { num, warning } from './common.js';
import type { Soundness } from './soundness.js';

type Scope = { kind: 'all' } | { kind: 'channel'; name: string } | { kind: 'topic' };

interface Limit {
  rule: PressureRule;
  kind: 'max' | 'gap';
  scope: Scope;
  /** max: count and window (ms); gap: the gap (ms). */
  count: number;
  ms: number;
  text: string;
}

export interface PressureOptions {
  crossKindRedundancy: boolean;
  sound: Soundness;
}

export function analyzePressure(model: Model, options: PressureOptions): Diagnostic[] {
  const out: Diagnostic[] = [];
  const p = model.pressure;
  if (!p || !options.sound.clean(p.file, p.decl.span)) return out;
  const file = p.file;
  const limits: Limit[] = [];
  let capped: { rule: PressureRule; text: string } | undefined;
  for (const rule of p.decl.rules) {
    switch (rule.kind) {
      case 'maxMessages': {
        const scope: Scope = rule.channel ? { kind: 'channel', name: rule.channel.text } : { kind: 'all' };
        const text = `max ${rule.count.raw} message${rule.count.value === 1 ? '' : 's'} per ${rule.per.raw}${rule.channel ? ` on ${rule.channel.text}` : ''}`;
        limits.push({ rule, kind: 'max', scope, count: rule.count.value, ms: rule.per.ms, text });
        break;
      }
      case 'minGap': {
        const scope: Scope = rule.channel ? { kind: 'channel', name: rule.channel.text } : { kind: 'all' };
        const text = `min ${rule.gap.raw} between messages${rule.channel ? ` on ${rule.channel.text}` : ''}`;
        limits.push({ rule, kind: 'gap', scope, count: 1, ms: rule.gap.ms, text });
        break;
      }
      case 'minGapTopic':
        limits.push({ rule, kind: 'gap', scope: { kind: 'topic' }, count: 1, ms: rule.gap.ms, text: `min ${rule.gap.raw} between messages on the same topic` });
        break;
      case 'quietDays': {
        const days = new Set(rule.days.map((d) => d.text));
        if (days.size >= 7) {
          out.push(warning('NUR305', file, rule.span, 'these quiet days cover the whole week: no message could ever be sent', {
            help: 'leave at least one day of the week open',
          }));
        }
        break;
      }
      case 'delayCapped':
      case 'skipCapped': {
        const text = rule.kind === 'skipCapped' ? 'skip capped messages' : `delay capped messages up to ${rule.upTo.raw}`;
        if (capped) {
          const same = capped.text === text;
          out.push(warning('NUR305', file, rule.span, same
            ? `\`${text}\` is given twice`
            : `\`${text}\` contradicts \`${capped.text}\`: capped messages are either delayed or skipped`, {
              help: same ? 'remove one of them' : 'keep only one of these two rules',
              related: [{ file, span: capped.rule.span, message: `\`${capped.text}\` is here` }],
            }));
        } else {
          capped = { rule, text };
        }
        break;
      }
      default:
        break;
    }
  }
  const reported = new Set<Limit>();
  for (let i = 0; i < limits.length; i++) {
    const b = limits[i];
    for (let k = 0; k < limits.length; k++) {
      const a = limits[k];
      if (a === b || reported.has(a) || !covers(a.scope, b.scope)) continue;
      if (!implies(a, b, options)) continue;
      // Equivalent rules of the same scope: report the later one only.
      if (k > i && sameScope(a.scope, b.scope) && implies(b, a, options)) continue;
      reported.add(b);
      out.push(warning('NUR305', file, ruleSpan(b.rule), `\`${b.text}\` is redundant: \`${a.text}\` already ${because(a, b)}`, {
        help: `remove \`${b.text}\`, or make it stricter than \`${a.text}\``,
        related: [{ file, span: ruleSpan(a.rule), message: `\`${a.text}\` is here` }],
      }));
      break;
    }
  }
  return out;
}

function ruleSpan(rule: PressureRule): Span {
  return rule.span;
}

function covers(wide: Scope, narrow: Scope): boolean {
  if (wide.kind === 'all') return true;
  if (wide.kind === 'channel') return narrow.kind === 'channel' && narrow.name === wide.name;
  return narrow.kind === 'topic';
}

function sameScope(a: Scope, b: Scope): boolean {
  return a.kind === b.kind && (a.kind !== 'channel' || (b.kind === 'channel' && a.name === b.name));
}

function implies(a: Limit, b: Limit, options: PressureOptions): boolean {
  if (a.ms <= 0 || b.ms <= 0) return false;
  if (a.kind === 'max' && b.kind === 'max') return a.count * Math.ceil(b.ms / a.ms - 1e-9) <= b.count;
  if (a.kind === 'gap' && b.kind === 'gap') return a.ms >= b.ms;
  if (!options.crossKindRedundancy) return false;
  if (a.kind === 'gap' && b.kind === 'max') return Math.ceil(b.ms / a.ms - 1e-9) <= b.count;
  return a.count === 1 && a.ms >= b.ms; // max 1 per D implies min G between when D >= G
}

/** What `a` already guarantees, in the terms of `b`. */
function because(a: Limit, b: Limit): string {
  const scope = b.scope.kind === 'channel' ? ` on ${b.scope.name}` : b.scope.kind === 'topic' ? ' on the same topic' : '';
  if (b.kind === 'max') {
    const n = a.kind === 'max' ? a.count * Math.ceil(b.ms / a.ms - 1e-9) : Math.ceil(b.ms / a.ms - 1e-9);
    return `allows at most ${num(n)} message${n === 1 ? '' : 's'}${scope} in any ${windowWords(b.rule)}`;
  }
  return `keeps messages${scope} at least ${a.kind === 'gap' ? gapWords(a.rule) : windowWords(a.rule)} apart`;
}

function windowWords(r: PressureRule): string {
  if (r.kind !== 'maxMessages') return '';
  return /^\d/.test(r.per.raw) ? r.per.raw : `1 ${r.per.unit}`;
}

function gapWords(r: PressureRule): string {
  return r.kind === 'minGap' || r.kind === 'minGapTopic' ? r.gap.raw : '';
}
