// NUR300 / NUR301: interval analysis of scores.
//
// Each score's reachable range (`scoreRange`, also used by the language server's hover):
// - the fit part of a score lies between the sum of its negative points and the sum of its positive
//   points (every rule may hold or not: a sound over-approximation);
// - the engagement part starts at 0; it can reach the range's maximum only if some engagement rule adds
//   points, its minimum only if some rule removes points or the score decays; a `set score = N`
//   anywhere (journeys, thresholds, handlers) adds N (clamped), a `set` to a computed value the whole range;
// - the value is clamp(fit part + engagement part) to the range (default 0 to 100);
// - a derived score is interval arithmetic over its expression (a division by an interval containing
//   0 is unbounded). A score with an invalid range (NUR310) has no range: nothing is claimed about it.
//
// Conditions are read as constraints on scores: a comparison between a score (or arithmetic over
// scores and numbers) and a number is intersected with the score's range; `and` intersects, `or`
// unites, `not` negates. Everything else — attributes (which may be missing), stages, events, segments,
// comparisons between two scores — is opaque: it may be true or false, so it never makes a condition
// impossible or always true. Findings are reported on the smallest part that shows them:
// - a single comparison that can never hold is NUR300 on that comparison, one that always holds NUR301;
// - otherwise a whole condition whose comparisons exclude every reachable value (`engagement >= 150
//   and engagement < 100`) is NUR300 on the condition, one that every value satisfies NUR301.
import type { ArithExpr, CompareExpr, CompareOp, Expr } from '../../grammar/ast.js';
import type { Diagnostic } from '../../grammar/diagnostic.js';
import type { EventSymbol, Model, ScoreSymbol } from '../model.js';
import { error, forEachCondition, num, stepIndex, warning } from './common.js';
import { SOUND, type Soundness } from './soundness.js';

/** A score's reachable range, with the reason for each bound (for messages and hover). */
export interface ScoreRange {
  min: number;
  max: number;
  /** Why the minimum is what it is: "range 0 to 200", "no rule removes points from it". */
  minReason: string;
  maxReason: string;
}

interface Iv {
  lo: number;
  hi: number;
  loOpen: boolean;
  hiOpen: boolean;
}

const closed = (lo: number, hi: number): Iv => ({ lo, hi, loOpen: false, hiOpen: false });

// ---------------------------------------------------------------------------------------------
// Score ranges

interface SetInfo {
  values: number[];
  computed: boolean;
}

interface RangeCache {
  ranges: Map<string, ScoreRange | null>;
  sets: Map<ScoreSymbol, SetInfo>;
  inProgress: Set<string>;
}

const caches = new WeakMap<Model, RangeCache>();
/** The soundness the analyses ran with (hover reads ranges later): a score with an error has no range. */
const soundnessOf = new WeakMap<Model, Soundness>();

function cacheOf(model: Model): RangeCache {
  let cache = caches.get(model);
  if (!cache) {
    const sets = new Map<ScoreSymbol, SetInfo>();
    const sound = soundnessOf.get(model) ?? SOUND;
    for (const { file, decl, step } of stepIndex(model).sets) {
      // Actions see the lead's names only (not event fields): a score is found by its name.
      const target = model.scores.get(step.target.text);
      if (!target) continue;
      let info = sets.get(target);
      if (!info) sets.set(target, (info = { values: [], computed: false }));
      // A `set` in a declaration with an error may say anything: it counts as computed.
      const v = sound.clean(file, decl) ? constValue(step.value) : undefined;
      if (v === undefined) info.computed = true;
      else info.values.push(v);
    }
    cache = { ranges: new Map(), sets, inProgress: new Set() };
    caches.set(model, cache);
  }
  return cache;
}

function constValue(e: Expr): number | undefined {
  if (e.kind === 'number') return e.value;
  if (e.kind === 'paren') return constValue(e.inner);
  return undefined;
}

/**
 * The reachable range of score `name` (undefined for an unknown score, a score with an invalid
 * range, or a derived score defined in terms of itself).
 */
export function scoreRange(model: Model, name: string): ScoreRange | undefined {
  const cache = cacheOf(model);
  const cached = cache.ranges.get(name);
  if (cached !== undefined) return cached ?? undefined;
  const sym = model.scores.get(name);
  if (!sym || cache.inProgress.has(name)) return undefined;
  if (!(soundnessOf.get(model) ?? SOUND).clean(sym.file, sym.declSpan)) return undefined; // nothing claimed
  cache.inProgress.add(name);
  const range = computeRange(model, sym, cache) ?? null;
  cache.inProgress.delete(name);
  cache.ranges.set(name, range);
  return range ?? undefined;
}

function computeRange(model: Model, sym: ScoreSymbol, cache: RangeCache): ScoreRange | undefined {
  if (sym.decl.kind === 'derivedScore') {
    const iv = arithInterval(model, sym.decl.expr);
    if (!iv) return undefined;
    const reason = `\`${sym.name}\` = ${printExpr(sym.decl.expr) ?? '…'}`;
    return { min: iv.lo, max: iv.hi, minReason: reason, maxReason: reason };
  }
  const range = sym.range ?? { min: 0, max: 100 };
  const { min: rmin, max: rmax } = range;
  if (!(rmin <= rmax)) return undefined;
  let fitPos = 0;
  let fitNeg = 0;
  let adds = false;
  let removes = false;
  let decays = false;
  for (const rule of sym.decl.rules) {
    if (rule.kind === 'fitRule') {
      if (rule.points.value > 0) fitPos += rule.points.value;
      else fitNeg += rule.points.value;
    } else if (rule.kind === 'engagementRule') {
      if (rule.points.value > 0) adds = true;
      if (rule.points.value < 0) removes = true;
    } else if (rule.kind === 'decay') {
      decays = true;
    }
  }
  // The engagement part: starts at 0, clamped after every change.
  let eLo = 0;
  let eHi = 0;
  if (adds) eHi = rmax;
  if (removes || (decays && adds)) eLo = Math.min(eLo, rmin);
  const sets = cache.sets.get(sym);
  if (sets) {
    if (sets.computed) {
      eLo = Math.min(eLo, rmin);
      eHi = Math.max(eHi, rmax);
    }
    for (const v of sets.values) {
      const c = clamp(v, rmin, rmax);
      eLo = Math.min(eLo, c);
      eHi = Math.max(eHi, c);
    }
  }
  const lo = clamp(fitNeg + eLo, rmin, rmax);
  const hi = clamp(fitPos + eHi, rmin, rmax);
  const rangeText = `range ${num(rmin)} to ${num(rmax)}`;
  const hasFit = sym.category === 'fit' || sym.category === 'mixed';
  const hasEngagement = sym.category === 'engagement' || sym.category === 'mixed';
  let maxReason: string;
  if (fitPos + eHi >= rmax) maxReason = rangeText;
  else if (!hasEngagement && !sets) maxReason = fitPos > 0 ? `its positive points add up to ${num(fitPos)}` : 'none of its rules adds points';
  else if (fitPos === 0 && eHi === 0) maxReason = hasEngagement || hasFit ? 'no rule adds points to it' : 'it has no rules and is never set above 0';
  else maxReason = `${num(fitPos)} from its fit rules and at most ${num(eHi)} from its engagement part`;
  let minReason: string;
  if (fitNeg + eLo <= rmin) minReason = rangeText;
  else if (!hasEngagement && !sets) minReason = fitNeg < 0 ? `its negative points add up to ${num(fitNeg)}` : 'none of its rules removes points';
  else if (fitNeg === 0 && eLo === 0) minReason = hasEngagement || hasFit ? 'no rule removes points from it' : 'it has no rules and is never set below 0';
  else minReason = `${num(fitNeg)} from its fit rules and at least ${num(eLo)} from its engagement part`;
  return { min: lo, max: hi, minReason, maxReason };
}

/**
 * The score a bare name denotes in a condition: once the checker has accepted the workspace, a name
 * that is a score's is that score, unless an event field of the same name hides it in a `where`.
 * (Looking names up by text avoids building the reference index's node table: `check` stays fast.)
 */
function scoreNamed(model: Model, name: string, fields: EventSymbol['fields'] | undefined): ScoreSymbol | undefined {
  if (fields?.has(name)) return undefined;
  return model.scores.get(name);
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** The interval of arithmetic over scores and numbers; undefined when something else is in it. */
function arithInterval(model: Model, e: Expr, fields?: EventSymbol['fields']): Iv | undefined {
  switch (e.kind) {
    case 'number':
      return closed(e.value, e.value);
    case 'paren':
      return arithInterval(model, e.inner, fields);
    case 'name': {
      const sym = scoreNamed(model, e.name.text, fields);
      const r = sym && scoreRange(model, sym.name);
      return r ? closed(r.min, r.max) : undefined;
    }
    case 'arith': {
      const l = arithInterval(model, e.left, fields);
      const r = arithInterval(model, e.right, fields);
      return l && r ? arith(e.op, l, r) : undefined;
    }
    default:
      return undefined;
  }
}

function arith(op: ArithExpr['op'], a: Iv, b: Iv): Iv {
  switch (op) {
    case '+': return closed(a.lo + b.lo, a.hi + b.hi);
    case '-': return closed(a.lo - b.hi, a.hi - b.lo);
    case '*': return hull([mul(a.lo, b.lo), mul(a.lo, b.hi), mul(a.hi, b.lo), mul(a.hi, b.hi)]);
    case '/':
      if (b.lo <= 0 && b.hi >= 0) return closed(-Infinity, Infinity);
      return hull([a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi]);
  }
}

function mul(x: number, y: number): number {
  return x === 0 || y === 0 ? 0 : x * y;
}

function hull(values: number[]): Iv {
  return closed(Math.min(...values), Math.max(...values));
}

/** Source-like text of a name, a number, or arithmetic over them (undefined for anything else). */
export function printExpr(e: Expr): string | undefined {
  switch (e.kind) {
    case 'name': return e.name.text || undefined;
    case 'number': return e.raw;
    case 'paren': {
      const inner = printExpr(e.inner);
      return inner === undefined ? undefined : `(${inner})`;
    }
    case 'arith': {
      const l = printExpr(e.left);
      const r = printExpr(e.right);
      return l === undefined || r === undefined ? undefined : `${l} ${e.op} ${r}`;
    }
    default: return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Conditions

type Term =
  | { kind: 'const'; value: number }
  | { kind: 'var'; key: string; iv: Iv; text: string; range?: ScoreRange };

function termOf(model: Model, e: Expr, fields: EventSymbol['fields'] | undefined): Term | undefined {
  switch (e.kind) {
    case 'number':
      return { kind: 'const', value: e.value };
    case 'paren':
      return termOf(model, e.inner, fields);
    case 'name': {
      const sym = scoreNamed(model, e.name.text, fields);
      if (!sym) return undefined;
      const range = scoreRange(model, sym.name);
      if (!range) return undefined;
      return { kind: 'var', key: sym.name, iv: closed(range.min, range.max), text: sym.name, range };
    }
    case 'arith': {
      const text = printExpr(e);
      const iv = arithInterval(model, e, fields);
      if (!iv || text === undefined) return undefined;
      if (iv.lo === iv.hi && !hasName(e)) return { kind: 'const', value: iv.lo };
      return { kind: 'var', key: text, iv, text: `(${text})` };
    }
    default:
      return undefined;
  }
}

function hasName(e: Expr): boolean {
  if (e.kind === 'name') return true;
  if (e.kind === 'paren') return hasName(e.inner);
  if (e.kind === 'arith') return hasName(e.left) || hasName(e.right);
  return false;
}

type Op = '==' | '!=' | '<' | '<=' | '>' | '>=';

function normalOp(op: CompareOp): Op {
  return op === 'is' ? '==' : op === 'is not' ? '!=' : op;
}

const FLIP: Record<Op, Op> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
const NEGATE: Record<Op, Op> = { '==': '!=', '!=': '==', '<': '>=', '<=': '>', '>': '<=', '>=': '<' };

/** A comparison between a score term and a number, as `term op c`. */
interface Atom {
  term: Extract<Term, { kind: 'var' }>;
  op: Op;
  c: number;
}

type Compared =
  | { kind: 'atom'; atom: Atom }
  | { kind: 'const'; value: boolean }
  | { kind: 'opaque' };

function compared(model: Model, e: CompareExpr, fields: EventSymbol['fields'] | undefined): Compared {
  const l = termOf(model, e.left, fields);
  const r = termOf(model, e.right, fields);
  if (!l || !r) return { kind: 'opaque' };
  const op = normalOp(e.op);
  if (l.kind === 'const' && r.kind === 'const') return { kind: 'const', value: evaluate(l.value, op, r.value) };
  if (l.kind === 'var' && r.kind === 'const') return { kind: 'atom', atom: { term: l, op, c: r.value } };
  if (l.kind === 'const' && r.kind === 'var') return { kind: 'atom', atom: { term: r, op: FLIP[op], c: l.value } };
  return { kind: 'opaque' };
}

function evaluate(a: number, op: Op, b: number): boolean {
  switch (op) {
    case '==': return a === b;
    case '!=': return a !== b;
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
  }
}

/** The values `x op c` allows, as intervals. */
function allowed(op: Op, c: number): Iv[] {
  switch (op) {
    case '>=': return [{ lo: c, hi: Infinity, loOpen: false, hiOpen: false }];
    case '>': return [{ lo: c, hi: Infinity, loOpen: true, hiOpen: false }];
    case '<=': return [{ lo: -Infinity, hi: c, loOpen: false, hiOpen: false }];
    case '<': return [{ lo: -Infinity, hi: c, loOpen: false, hiOpen: true }];
    case '==': return [closed(c, c)];
    case '!=': return [
      { lo: -Infinity, hi: c, loOpen: false, hiOpen: true },
      { lo: c, hi: Infinity, loOpen: true, hiOpen: false },
    ];
  }
}

function intersect(a: Iv, b: Iv): Iv | undefined {
  let lo = a.lo, loOpen = a.loOpen;
  if (b.lo > lo || (b.lo === lo && b.loOpen)) (lo = b.lo), (loOpen = b.loOpen);
  let hi = a.hi, hiOpen = a.hiOpen;
  if (b.hi < hi || (b.hi === hi && b.hiOpen)) (hi = b.hi), (hiOpen = b.hiOpen);
  if (lo > hi || (lo === hi && (loOpen || hiOpen))) return undefined;
  return { lo, hi, loOpen, hiOpen };
}

/** A conjunction of constraints, one interval per term; a list of boxes is their disjunction. */
type Box = Map<string, Iv>;
const ANY: Box = new Map();
/** Beyond this many boxes a condition is treated as "may be true or false" (a sound answer). */
const MAX_BOXES = 64;

function atomBoxes(atom: Atom, positive: boolean): Box[] {
  const out: Box[] = [];
  for (const iv of allowed(positive ? atom.op : NEGATE[atom.op], atom.c)) {
    const meet = intersect(iv, atom.term.iv);
    if (meet) out.push(new Map([[atom.term.key, meet]]));
  }
  return out;
}

function satisfiable(atom: Atom, positive: boolean): boolean {
  for (const iv of allowed(positive ? atom.op : NEGATE[atom.op], atom.c)) if (intersect(iv, atom.term.iv)) return true;
  return false;
}

/** The assignments under which `e` is `positive` (true) or false, over-approximated. */
function boxes(model: Model, e: Expr, positive: boolean, fields: EventSymbol['fields'] | undefined): Box[] {
  switch (e.kind) {
    case 'paren':
      return boxes(model, e.inner, positive, fields);
    case 'not':
      return boxes(model, e.operand, !positive, fields);
    case 'and':
    case 'or': {
      const conjunction = (e.kind === 'and') === positive;
      const l = boxes(model, e.left, positive, fields);
      if (conjunction && l.length === 0) return l;
      const r = boxes(model, e.right, positive, fields);
      return conjunction ? conj(l, r) : disj(l, r);
    }
    case 'bool':
      return e.value === positive ? [ANY] : [];
    case 'compare': {
      const c = compared(model, e, fields);
      if (c.kind === 'const') return c.value === positive ? [ANY] : [];
      if (c.kind === 'atom') return atomBoxes(c.atom, positive);
      return [ANY];
    }
    default:
      return [ANY];
  }
}

function conj(a: Box[], b: Box[]): Box[] {
  if (a.length === 0 || b.length === 0) return [];
  if (a.length * b.length > MAX_BOXES) return [ANY];
  const out: Box[] = [];
  for (const x of a) {
    for (const y of b) {
      const merged = merge(x, y);
      if (merged) out.push(merged);
    }
  }
  return out;
}

function merge(x: Box, y: Box): Box | undefined {
  if (x.size === 0) return y;
  if (y.size === 0) return x;
  const out = new Map(x);
  for (const [key, iv] of y) {
    const prev = out.get(key);
    if (!prev) {
      out.set(key, iv);
      continue;
    }
    const meet = intersect(prev, iv);
    if (!meet) return undefined;
    out.set(key, meet);
  }
  return out;
}

function disj(a: Box[], b: Box[]): Box[] {
  if (a.length + b.length > MAX_BOXES) return [ANY];
  return a.length === 0 ? b : b.length === 0 ? a : [...a, ...b];
}

// ---------------------------------------------------------------------------------------------
// Reporting

export function analyzeConditions(model: Model, sound: Soundness): Diagnostic[] {
  const out: Diagnostic[] = [];
  soundnessOf.set(model, sound);
  forEachCondition(model, (file, decl, condition, event) => {
    if (sound.clean(file, decl)) analyzeCondition(model, file, condition, event?.fields, out);
  });
  return out;
}

interface Scan {
  model: Model;
  file: string;
  fields: EventSymbol['fields'] | undefined;
  out: Diagnostic[];
  /** The score terms compared in the condition (allocated on the first one). */
  terms: Map<string, Atom['term']> | undefined;
}

function analyzeCondition(model: Model, file: string, condition: Expr, fields: EventSymbol['fields'] | undefined, out: Diagnostic[]): void {
  const before = out.length;
  const scan: Scan = { model, file, fields, out, terms: undefined };
  visit(scan, condition);
  let core = condition;
  while (core.kind === 'paren') core = core.inner;
  if (out.length > before || core.kind === 'compare') return;
  const terms = scan.terms;
  if (!terms && !hasBool(condition)) return;
  const names = terms ? [...terms.values()] : [];
  const what = names.length === 0 ? '' : describeTerms(names);
  if (boxes(model, condition, true, fields).length === 0) {
    out.push(error('NUR300', file, condition.span, names.length === 0
      ? 'this condition can never be true'
      : `this condition can never be true: no reachable value of ${what} satisfies all its comparisons`, {
      help: names.length === 0 ? 'remove it, or write the condition you meant' : 'check the comparisons: together they exclude every value the score can take',
    }));
  } else if (boxes(model, condition, false, fields).length === 0) {
    out.push(warning('NUR301', file, condition.span, names.length === 0
      ? 'this condition is always true'
      : `this condition is always true: every reachable value of ${what} satisfies it`, {
      help: 'remove it, or compare with a value the score can actually cross',
    }));
  }
}

/** Reports each comparison on its own; collects the score terms; analyzes nested `where` clauses. */
function visit(scan: Scan, e: Expr): void {
  switch (e.kind) {
    case 'paren': visit(scan, e.inner); return;
    case 'not': visit(scan, e.operand); return;
    case 'and': case 'or': visit(scan, e.left); visit(scan, e.right); return;
    case 'has':
      if (e.where) analyzeCondition(scan.model, scan.file, e.where, scan.model.events.get(e.event.text)?.fields, scan.out);
      return;
    case 'compare': {
      const c = compared(scan.model, e, scan.fields);
      if (c.kind === 'atom') {
        (scan.terms ??= new Map()).set(c.atom.term.key, c.atom.term);
        reportAtom(scan.file, e, c.atom, scan.out);
      } else if (c.kind === 'const') {
        reportConstant(scan.file, e, c.value, scan.out);
      }
      return;
    }
    default:
      return;
  }
}

function hasBool(e: Expr): boolean {
  switch (e.kind) {
    case 'bool': return true;
    case 'paren': return hasBool(e.inner);
    case 'not': return hasBool(e.operand);
    case 'and': case 'or': return hasBool(e.left) || hasBool(e.right);
    default: return false;
  }
}

function describeTerms(terms: Atom['term'][]): string {
  return terms.map((t) => `\`${t.text}\` (${rangeText(t.iv)})`).join(' and ');
}

function rangeText(iv: Iv): string {
  if (iv.lo === -Infinity && iv.hi === Infinity) return 'unbounded';
  if (iv.hi === Infinity) return `at least ${num(iv.lo)}`;
  if (iv.lo === -Infinity) return `at most ${num(iv.hi)}`;
  return `reachable range ${num(iv.lo)} to ${num(iv.hi)}`;
}

function reportAtom(file: string, e: CompareExpr, atom: Atom, out: Diagnostic[]): void {
  const { term, op, c } = atom;
  const canBeTrue = satisfiable(atom, true);
  const canBeFalse = satisfiable(atom, false);
  const x = `\`${term.text}\``;
  const lo = term.iv.lo;
  const hi = term.iv.hi;
  const maxWhy = ` (${term.range ? term.range.maxReason : 'from the reachable ranges of its scores'})`;
  const minWhy = ` (${term.range ? term.range.minReason : 'from the reachable ranges of its scores'})`;
  const comparison = comparisonText(e, term, op, c);
  if (!canBeTrue) {
    let message: string;
    let help: string;
    switch (op) {
      case '>=':
        message = `${x} can never reach ${num(c)}: its reachable maximum is ${num(hi)}${maxWhy}`;
        help = `compare with a value it can reach, for example \`${term.text} >= ${num(hi)}\``;
        break;
      case '>':
        message = `${x} can never exceed ${num(c)}: its reachable maximum is ${num(hi)}${maxWhy}`;
        help = `compare with a value it can reach, for example \`${term.text} >= ${num(hi)}\``;
        break;
      case '<=':
      case '<':
        message = `${x} can never go ${op === '<' ? 'below' : 'down to'} ${num(c)}: its reachable minimum is ${num(lo)}${minWhy}`;
        help = `compare with a value it can reach, for example \`${term.text} <= ${num(lo)}\``;
        break;
      case '==':
        message = `${x} can never be ${num(c)}: it stays between ${num(lo)} and ${num(hi)}`;
        help = `compare with a value between ${num(lo)} and ${num(hi)}`;
        break;
      case '!=':
        message = `${x} is always ${num(c)}, so \`${comparison}\` is never true`;
        help = 'remove this comparison, or give the score rules that change it';
        break;
    }
    out.push(error('NUR300', file, e.span, message, { help }));
    return;
  }
  if (!canBeFalse) {
    const why = lo === hi ? `${x} is always ${num(lo)}` : `${x} always stays between ${num(lo)} and ${num(hi)}`;
    out.push(warning('NUR301', file, e.span, `\`${comparison}\` is always true: ${why}`, {
      help: 'remove this comparison, or compare with a value the score can actually cross',
    }));
  }
}

function comparisonText(e: CompareExpr, term: Atom['term'], op: Op, c: number): string {
  const l = printExpr(e.left);
  const r = printExpr(e.right);
  if (l !== undefined && r !== undefined) return `${l} ${e.op} ${r}`;
  return `${term.text} ${op} ${num(c)}`;
}

function reportConstant(file: string, e: CompareExpr, value: boolean, out: Diagnostic[]): void {
  const text = comparisonText(e, { kind: 'var', key: '', iv: closed(0, 0), text: '' }, normalOp(e.op), 0);
  if (value) {
    out.push(warning('NUR301', file, e.span, `\`${text}\` compares two numbers: it is always true`, { help: 'remove this comparison' }));
  } else {
    out.push(error('NUR300', file, e.span, `\`${text}\` compares two numbers: it is never true`, { help: 'remove this comparison, or compare a score or an attribute' }));
  }
}
