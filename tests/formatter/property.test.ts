// Property-based test: random valid programs, laid out with random whitespace and random comments,
// format idempotently, to the same syntax tree, keeping every comment; and the layout (other than
// blank lines and comments) never influences the result.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSource } from '../../formatter/format.js';
import { layoutProblems, meaning } from './helpers.js';

/** A token of a generated program; `stmt` marks the first token of a statement or declaration. */
interface Tok {
  t: string;
  stmt?: boolean;
}
type Toks = Tok[];

const tok = (...words: string[]): Toks => words.map((t) => ({ t }));
const stmt = (...words: string[]): Toks => words.map((t, i) => (i === 0 ? { t, stmt: true } : { t }));
const cat = (...parts: (Toks | Tok)[]): Toks => parts.flatMap((p) => (Array.isArray(p) ? p : [p]));

// Words that open a statement: at the start of a line in a value position the parser takes them as
// a new statement (LANGUAGE.md: keeps a half-typed line from swallowing the next one), so the layout
// only breaks a line before them where a statement really starts.
const STATEMENT_WORDS = new Set([
  'timezone', 'lead', 'event', 'channel', 'topics', 'content', 'stream', 'stages', 'segment', 'score', 'threshold',
  'on', 'pressure', 'journey', 'test', 'max', 'min', 'quiet', 'delay', 'skip', 'decay', 'range', 'entry', 'audience',
  'reentry', 'exit', 'goal', 'holdout', 'priority', 'send', 'wait', 'split', 'repeat', 'move', 'end', 'set',
  'handoff', 'enroll', 'remove', 'at', 'after', 'expect',
]);

// --- values and conditions ----------------------------------------------------------------------

const name = fc.constantFrom('alpha', 'beta', 'gamma', 'delta_2', 'web', 'topic', 'livre_blanc_été', '_x', 'a_rather_long_name_for_wrapping');
const number = fc.constantFrom('0', '1', '12', '3.5', '10000', '0.05');
const text = fc.constantFrom('"pricing"', '"a b"', '""', '"say \\"hi\\""', '"tab\\t\\\\"', '"\\u{1F600}"', '"# not a comment"', '"a long text that makes a line too long to fit in eighty columns"');
const duration = fc.constantFrom('1 day', '7 days', '2 hours', '30 minutes', '1 week', '3 months', '1 year');
const percent = fc.constantFrom('0%', '10%', '50%', '2.5%', '100%');
const points = fc.constantFrom('+1', '+10', '+100', '-5', '-15', '7');
const value: fc.Arbitrary<Toks> = fc.oneof(
  name.map((n) => tok(n)),
  number.map((n) => tok(n)),
  text.map((t) => tok(t)),
  fc.constantFrom('true', 'false', '2026-01-05', '09:30').map((t) => tok(t)),
  percent.map((p) => tok(p)),
);
const list = fc.array(name, { minLength: 1, maxLength: 3 }).map((ns) =>
  cat(tok('['), ns.flatMap((n, i) => (i === 0 ? tok(n) : tok(',', n))), tok(']')),
);

const atom: fc.Arbitrary<Toks> = fc.oneof(
  fc.tuple(name, fc.constantFrom('==', '!=', '<', '<=', '>', '>=', 'is'), value).map(([n, op, v]) => cat(tok(n, op), v)),
  fc.tuple(name, value).map(([n, v]) => cat(tok(n, 'is', 'not'), v)),
  fc.tuple(name, fc.constantFrom('known', 'missing')).map(([n, k]) => tok(n, 'is', k)),
  fc.tuple(name, fc.boolean(), list).map(([n, neg, l]) => cat(tok(n), neg ? tok('not', 'in') : tok('in'), l)),
  fc.tuple(name, text).map(([n, t]) => tok(n, 'contains', t)),
  name.map((n) => tok(n)),
  fc
    .tuple(name, fc.option(fc.tuple(name, text)), fc.option(number), fc.option(duration))
    .map(([e, w, n, d]) =>
      cat(tok('has', e), w ? tok('where', w[0], 'is', w[1]) : [], n ? tok('at', 'least', n, 'times') : [], d ? tok('within', d) : []),
    ),
  fc.tuple(fc.boolean(), name, fc.option(duration)).map(([any, c, d]) =>
    cat(tok('received'), any ? tok('any', 'of') : [], tok(c), d ? tok('within', d) : []),
  ),
  fc.tuple(fc.constantFrom('in', 'completed'), name).map(([k, j]) => tok(k, 'journey', j)),
  fc.option(text).map((q) => (q ? tok('handed', 'off', 'to', q) : tok('handed', 'off'))),
  fc.tuple(name, fc.constantFrom('+', '-', '*', '/'), name, number).map(([a, op, b, n]) => tok('(', a, op, b, ')', '>=', n)),
);
const condition: fc.Arbitrary<Toks> = fc.letrec<{ c: Toks }>((tie) => ({
  c: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    atom,
    fc.tuple(tie('c'), fc.constantFrom('and', 'or'), tie('c')).map(([a, op, b]) => cat(a, tok(op), b)),
    tie('c').map((c) => cat(tok('not', '('), c, tok(')'))),
    tie('c').map((c) => cat(tok('('), c, tok(')'))),
  ),
})).c;

// --- declarations -----------------------------------------------------------------------------

const typeExpr = fc.oneof(
  fc.constantFrom('text', 'number', 'bool', 'date', 'content').map((t) => tok(t)),
  fc.constant(tok('list', 'of', 'text')),
  list.map((l) => cat(tok('one', 'of'), l)),
);
const commaSep = (items: Toks[], commas: boolean): Toks =>
  items.flatMap((it, i) => (i > 0 && commas ? cat(tok(','), it) : it));
const field = fc.tuple(name, typeExpr).map(([n, t]) => cat(stmt(n, ':'), t));
const property = fc.tuple(name, value).map(([n, v]) => cat(stmt(n, ':'), v));
const props = (item: fc.Arbitrary<Toks>, min = 0): fc.Arbitrary<Toks> =>
  fc.tuple(fc.array(item, { minLength: min, maxLength: 5 }), fc.boolean()).map(([items, commas]) =>
    cat(tok('{'), commaSep(items, commas), tok('}')),
  );
const names = fc.array(name, { minLength: 1, maxLength: 6 }).map((ns) => commaSep(ns.map((n) => tok(n)), true));

const step: fc.Arbitrary<Toks> = fc.letrec<{ s: Toks; body: Toks }>((tie) => ({
  body: fc.array(tie('s'), { maxLength: 3 }).map((ss) => cat(tok('{'), ...ss, tok('}'))),
  s: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    name.map((c) => stmt('send', c)),
    name.map((s) => stmt('send', 'next', 'from', s)),
    duration.map((d) => stmt('wait', d)),
    fc.tuple(name, fc.option(condition), duration, fc.option(fc.tuple(tie('body'), tie('body')))).map(([e, w, d, blocks]) =>
      cat(stmt('wait', 'for', e), w ? cat(tok('where'), w) : [], tok('up', 'to', d), blocks ? cat(blocks[0], tok('timeout'), blocks[1]) : []),
    ),
    fc.tuple(condition, duration).map(([c, d]) => cat(stmt('wait', 'until'), c, tok('up', 'to', d))),
    fc
      .tuple(condition, tie('body'), fc.array(fc.tuple(condition, tie('body')), { maxLength: 2 }), fc.option(tie('body')))
      .map(([c, b, elifs, otherwise]) =>
        cat(stmt('if'), c, b, ...elifs.map(([c2, b2]) => cat(tok('else', 'if'), c2, b2)), otherwise ? cat(tok('else'), otherwise) : []),
      ),
    fc.array(fc.tuple(percent, tie('body')), { minLength: 1, maxLength: 3 }).map((bs) =>
      cat(stmt('split', '{'), ...bs.map(([p, b]) => cat(stmt(p), b)), tok('}')),
    ),
    fc.tuple(duration, fc.option(number), fc.option(condition), tie('body')).map(([d, n, u, b]) =>
      cat(stmt('repeat', 'every', d), n ? tok('max', n, 'times') : [], u ? cat(tok('until'), u) : [], b),
    ),
    name.map((j) => stmt('move', 'to', j)),
    fc.constant(stmt('end')),
    fc.tuple(name, value).map(([n, v]) => cat(stmt('set', n, '='), v)),
    text.map((q) => stmt('handoff', q)),
    name.map((j) => stmt('enroll', j)),
    name.map((j) => stmt('remove', 'from', j)),
  ),
})).s;
const steps = fc.array(step, { maxLength: 4 }).map((ss) => cat(tok('{'), ...ss, tok('}')));

const scoreRule = fc.oneof(
  fc.tuple(points, condition).map(([p, c]) => cat(stmt(p, 'if'), c)),
  fc
    .tuple(points, name, fc.option(condition), fc.option(fc.oneof(fc.constant(tok('once')), fc.tuple(number, duration).map(([n, d]) => tok('max', n, 'per', d)))))
    .map(([p, e, w, l]) => cat(stmt(p, 'on', e), w ? cat(tok('where'), w) : [], l ?? [])),
  fc.tuple(fc.oneof(percent, number), duration).map(([a, d]) => stmt('decay', a, 'every', d, 'idle')),
  fc.tuple(number, number).map(([a, b]) => stmt('range', a, 'to', b)),
);
const pressureRule = fc.oneof(
  fc.tuple(number, fc.constantFrom('message', 'messages'), fc.oneof(duration, fc.constantFrom('day', 'week')), fc.option(name)).map(
    ([n, m, d, ch]) => cat(stmt('max', n, m, 'per', d), ch ? tok('on', ch) : []),
  ),
  fc.tuple(duration, fc.option(name)).map(([d, ch]) => cat(stmt('min', d, 'between', 'messages'), ch ? tok('on', ch) : [])),
  duration.map((d) => stmt('min', d, 'between', 'messages', 'on', 'the', 'same', 'topic')),
  fc.constant(stmt('quiet', 'hours', '20:00', 'to', '08:00')),
  fc.constant(stmt('quiet', 'days', 'saturday', ',', 'sunday')),
  duration.map((d) => stmt('delay', 'capped', 'messages', 'up', 'to', d)),
  fc.constant(stmt('skip', 'capped', 'messages')),
);
const setting = fc.oneof(
  fc.tuple(name, fc.option(condition)).map(([e, w]) => cat(stmt('entry', 'on', e), w ? cat(tok('where'), w) : [])),
  condition.map((c) => cat(stmt('entry', 'when'), c)),
  fc.tuple(duration, fc.constantFrom('before', 'after'), name, fc.boolean()).map(([d, dir, a, y]) =>
    cat(stmt('entry', d, dir, a), y ? tok('yearly') : []),
  ),
  condition.map((c) => cat(stmt('audience'), c)),
  fc.oneof(fc.constant(stmt('reentry', 'never')), fc.constant(stmt('reentry', 'always')), duration.map((d) => stmt('reentry', 'after', d))),
  condition.map((c) => cat(stmt('exit', 'when'), c)),
  name.map((e) => stmt('exit', 'on', e)),
  // parenthesised: in `goal received c within 3 days` the `within` belongs to `received`
  fc.tuple(condition, duration).map(([c, d]) => cat(stmt('goal', '('), c, tok(')', 'within', d))),
  fc.tuple(name, duration).map(([e, d]) => stmt('goal', 'on', e, 'within', d)),
  percent.map((p) => stmt('holdout', p)),
  number.map((n) => stmt('priority', n)),
);
const testStatement = fc.oneof(
  fc.tuple(fc.option(text), props(property)).map(([id, p]) => cat(stmt('lead'), id ? tok(id) : [], p)),
  name.map((j) => stmt('holdout', j)),
  fc.constant(stmt('at', '2026-01-05 09:00')),
  duration.map((d) => stmt('after', d)),
  fc.tuple(name, fc.option(props(property))).map(([e, p]) => cat(stmt(e), p ?? [])),
  condition.map((c) => cat(stmt('expect'), c)),
  fc.tuple(name, fc.constantFrom('at 2026-01-06 08:00', '2 times')).map(([c, rest]) => stmt('expect', 'received', c, rest)),
);

const declaration: fc.Arbitrary<Toks> = fc.oneof(
  text.map((t) => stmt('timezone', t)),
  props(field).map((p) => cat(stmt('lead'), p)),
  fc.tuple(name, fc.option(props(field, 1))).map(([n, p]) => cat(stmt('event', n), p ?? [])),
  fc.tuple(name, fc.option(props(property, 1))).map(([n, p]) => cat(stmt('channel', n), p ?? [])),
  names.map((ns) => cat(stmt('topics'), ns)),
  fc.tuple(name, props(property)).map(([n, p]) => cat(stmt('content', n), p)),
  fc.tuple(name, names).map(([n, ns]) => cat(stmt('stream', n, ':'), ns)),
  names.map((ns) => cat(stmt('stages'), ns)),
  fc.tuple(name, condition).map(([n, c]) => cat(stmt('segment', n, '='), c)),
  fc.tuple(name, fc.array(scoreRule, { maxLength: 5 })).map(([n, rs]) => cat(stmt('score', n, '{'), ...rs, tok('}'))),
  fc.tuple(name, name, name).map(([n, a, b]) => stmt('score', n, '=', a, '+', b)),
  fc.tuple(name, condition, steps).map(([n, c, s]) => cat(stmt('threshold', n, 'when'), c, s)),
  fc.tuple(name, fc.option(condition), steps).map(([e, w, s]) => cat(stmt('on', e), w ? cat(tok('where'), w) : [], s)),
  fc.array(pressureRule, { maxLength: 4 }).map((rs) => cat(stmt('pressure', '{'), ...rs, tok('}'))),
  fc
    .tuple(name, fc.array(setting, { maxLength: 3 }), fc.array(step, { maxLength: 4 }))
    .map(([n, ss, st]) => cat(stmt('journey', n, '{'), ...ss, ...st, tok('}'))),
  fc.tuple(text, fc.array(testStatement, { maxLength: 4 })).map(([n, ss]) => cat(stmt('test', n, '{'), ...ss, tok('}'))),
);
const program = fc.array(declaration, { minLength: 1, maxLength: 6 }).map((ds) => ds.flat());

// --- layout -----------------------------------------------------------------------------------

/** What goes between two tokens: `free` gaps may hold line breaks and comments. */
type Gap = { kind: 'space' | 'newline' | 'blank' | 'eolComment' | 'ownComment'; n: number };
const gap: fc.Arbitrary<Gap> = fc.record({
  kind: fc.constantFrom('space', 'space', 'space', 'newline', 'newline', 'blank', 'eolComment', 'ownComment'),
  n: fc.integer({ min: 0, max: 3 }),
});

function breakable(next: Tok): boolean {
  return next.stmt === true || !(STATEMENT_WORDS.has(next.t.split(' ')[0]!) || /^[+-]/.test(next.t));
}

const COMMENT_BODIES = ['note', '{ not code }', '"quoted" text', '#hash', 'trailing spaces   ', 'été ✓'];

/** Lays the tokens out; returns the text and the comments inserted. */
function layout(toks: Toks, gaps: Gap[], withComments: boolean, withBlankLines: boolean, breakStatements = false): string {
  let out = '';
  let counter = 0;
  const comment = (n: number): string => `# c${counter++} ${COMMENT_BODIES[n % COMMENT_BODIES.length]}`;
  toks.forEach((t, i) => {
    const g = gaps[i % gaps.length] ?? { kind: 'space', n: 0 };
    if (i > 0) {
      let kind = g.kind;
      if (!withComments && (kind === 'eolComment' || kind === 'ownComment')) kind = 'newline';
      if (!withBlankLines && kind === 'blank') kind = 'newline';
      if (!breakable(t)) kind = 'space';
      if (breakStatements && t.stmt && kind === 'space') kind = 'newline';
      const pad = ' '.repeat(g.n);
      switch (kind) {
        case 'space': out += ' ' + pad; break;
        case 'newline': out += '\n' + pad; break;
        case 'blank': out += '\n\n'.repeat(1 + (g.n % 2)) + pad; break;
        case 'eolComment': out += ' '.repeat(g.n) + ' ' + comment(g.n) + '\n' + pad; break;
        case 'ownComment': out += '\n' + pad + comment(g.n) + '\n' + pad; break;
      }
    } else if (withComments && g.kind === 'ownComment') {
      out += comment(g.n) + '\n';
    }
    out += t.t;
  });
  if (withComments && gaps.length > 0 && gaps[0]!.kind === 'eolComment') out += ' ' + comment(0);
  return out + '\n';
}

// NURTURE_FC_RUNS=5000 for a longer hunt.
const RUNS = Number(process.env['NURTURE_FC_RUNS'] ?? 150);
const TIMEOUT = Math.max(30_000, RUNS * 40);

describe('formatting random programs', () => {
  it('is idempotent, keeps the tree and every comment', async () => {
    await fc.assert(
      fc.asyncProperty(program, fc.array(gap, { minLength: 1, maxLength: 40 }), async (toks, gaps) => {
        const input = layout(toks, gaps, true, true);
        const before = meaning(input);
        expect(before.errors, input).toEqual([]);
        const once = await formatSource(input);
        expect(await formatSource(once)).toBe(once);
        const after = meaning(once);
        expect(after.errors).toEqual([]);
        expect(after.tree).toEqual(before.tree);
        expect(after.comments).toEqual(before.comments);
        for (const c of before.comments) expect(once).toContain(c);
        expect(layoutProblems(once)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);

  it('does not depend on the layout (other than blank lines and comments)', async () => {
    await fc.assert(
      fc.asyncProperty(program, fc.array(gap, { minLength: 1, maxLength: 40 }), async (toks, gaps) => {
        // statements start on a new line in both: `expect received c` + `at …` on one line is one statement
        const spaced = layout(toks, [{ kind: 'space', n: 0 }], false, false, true);
        const shuffled = layout(toks, gaps, false, false, true);
        expect(await formatSource(shuffled)).toBe(await formatSource(spaced));
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);
});
