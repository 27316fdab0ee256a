// Generates syntaxes/nurture.tmLanguage.json, the TextMate grammar of the nurture language
// (LANGUAGE.md sections 3-5). Run by `npm run build`; the generated file is committed, and the root
// test suite (tests/vscode/grammar.test.ts) checks that it is up to date with this generator.
//
// Keywords are contextual in nurture (only `and or not is in has received true false if else` are
// reserved), so keywords are matched by context: each declaration opens a scope (begin/end rule)
// whose body knows the words that are keywords there. Scopes by role:
//   storage.type.<kind>                      declaration keywords (`journey`, `score`, `event`…)
//   entity.name.<…>.<kind>                   declared names and names in a typed position
//   keyword.control.<…>                      journey flow (`if`, `wait`, `split`, `repeat`, `move to`…)
//   keyword.other.action / .setting / .clause / .test / .pressure / .predicate
//   keyword.operator.logical / .word / .comparison / .arithmetic / .assignment
//   constant.numeric.{duration,percent,time,date,points} + keyword.other.unit.*, constant.language.*
//   string.quoted.double + constant.character.escape(.unicode) + invalid.illegal.escape
//   comment.line.number-sign
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const L = 'nurture';
/** A character of a name (letters, marks, digits, `_`): names are Unicode (`livre_blanc_été`). */
const W = '[\\p{L}\\p{M}\\p{N}_]';
/** A name. */
const N = `[\\p{L}_]${W}*`;
/** A whole word. */
const w = (words) => `(?<!${W})(?:${words})(?!${W})`;
/** A whole word, captured. */
const wc = (words) => `(?<!${W})(${words})(?!${W})`;
/**
 * A top-level declaration keyword at column 0: closes whatever is still open (an unterminated text or
 * a missing `}` must not colour the rest of the file as the inside of one block).
 */
const TOP = '(?=^(?:timezone|control|lead|event|channel|topics|content|stream|stages|segment|score|threshold|on|pressure|journey|test)(?:\\s|\\{|"|$))';
/** End of a comma-separated list: right after an item (not a comma), when only a comment or the end of the line follows. */
const LIST_END = `(?<=[^\\s,])(?=\\s*(?:#|$))|${TOP}`;
/** End of a declaration: after its block, or at the end of its line when it has none. */
const DECL_END = `(?<=\\})|$|${TOP}`;
/** End of a declaration that has a block. */
const BLOCK_DECL_END = `(?<=\\})|${TOP}`;
const UNITS = 'minutes?|hours?|days?|weeks?|months?|years?';
const WEEKDAYS = 'monday|tuesday|wednesday|thursday|friday|saturday|sunday';

const s = (scope) => `${scope}.${L}`;
const cap = (...names) => Object.fromEntries(names.map((n, i) => [String(i + 1), { name: s(n) }]));
const inc = (...names) => names.map((n) => ({ include: `#${n}` }));

/** `{ … }` whose body is the given repository entries. */
const block = (...body) => ({
  begin: '\\{',
  beginCaptures: { 0: { name: s('punctuation.section.block.begin') } },
  end: `\\}|${TOP}`,
  endCaptures: { 0: { name: s('punctuation.section.block.end') } },
  patterns: inc('comment', ...body),
});

const repository = {
  comment: {
    match: '(#).*$',
    name: s('comment.line.number-sign'),
    captures: cap('punctuation.definition.comment'),
  },
  string: {
    begin: '"',
    beginCaptures: { 0: { name: s('punctuation.definition.string.begin') } },
    end: '(")|$',
    endCaptures: cap('punctuation.definition.string.end'),
    name: s('string.quoted.double'),
    patterns: inc('escape'),
  },
  escape: {
    patterns: [
      { match: '\\\\u\\{[0-9A-Fa-f]{1,6}\\}', name: s('constant.character.escape.unicode') },
      { match: '\\\\["\\\\nt]', name: s('constant.character.escape') },
      { match: '\\\\(?:u\\{[^}"]*\\}?|.)?', name: s('invalid.illegal.escape') },
    ],
  },
  literal: {
    patterns: [
      ...inc('string'),
      // a date (date-times are a date then a time): digits-digits-digits, as the lexer reads it
      { match: `(?<!${W}|\\.)\\d+-\\d+-\\d+(?!${W})`, name: s('constant.numeric.date') },
      { match: `(?<!${W}|\\.)\\d+:\\d+(?!${W})`, name: s('constant.numeric.time') },
      {
        match: `(?<!${W}|\\.)(\\d+(?:\\.\\d+)?)(%)`,
        captures: cap('constant.numeric.percent', 'keyword.other.unit.percent'),
      },
      {
        match: `(?<!${W}|\\.)(\\d+(?:\\.\\d+)?)\\s*(${UNITS})(?!${W})`,
        captures: cap('constant.numeric.duration', 'keyword.other.unit.duration'),
      },
      {
        match: `(?<!${W})(per)\\s+(minute|hour|day|week|month|year)(?!${W})`,
        captures: cap('keyword.other.clause', 'keyword.other.unit.duration'),
      },
      // a time in the 12-hour style (`9pm`): an error the checker explains (times are HH:MM)
      { match: `(?<!${W}|\\.)\\d+(?:am|pm)(?!${W})`, name: s('invalid.illegal.time') },
      { match: `(?<!${W}|\\.)\\d+(?:\\.\\d+)?(?!${W})`, name: s('constant.numeric') },
      { match: w('true|false'), name: s('constant.language.boolean') },
    ],
  },
  punctuation: {
    patterns: [
      { match: '\\[', name: s('punctuation.section.brackets.begin') },
      { match: '\\]', name: s('punctuation.section.brackets.end') },
      { match: '\\(', name: s('punctuation.section.parens.begin') },
      { match: '\\)', name: s('punctuation.section.parens.end') },
      { match: ',', name: s('punctuation.separator.comma') },
      { match: ':', name: s('punctuation.separator.key-value') },
    ],
  },
  operator: {
    patterns: [
      { match: '==|!=|<=|>=|<|>', name: s('keyword.operator.comparison') },
      { match: '=', name: s('keyword.operator.assignment') },
      { match: '[+\\-*/]', name: s('keyword.operator.arithmetic') },
    ],
  },
  // conditions and expressions (section 5): reserved words, predicates, literals, names
  expression: {
    patterns: [
      ...inc('comment', 'literal'),
      {
        match: `${wc('in|completed')}\\s+(journey)\\s+(${N})`,
        captures: cap('keyword.other.predicate', 'keyword.other.predicate', 'entity.name.function.journey'),
      },
      {
        match: `${wc('has')}\\s+(?!${w('not|and|or')})(${N})`,
        captures: cap('keyword.other.predicate', 'entity.name.type.event'),
      },
      {
        match: `${wc('received')}\\s+(any)\\s+(of)\\s+(${N})`,
        captures: cap('keyword.other.predicate', 'keyword.other.predicate', 'keyword.other.predicate', 'variable.other.constant.stream'),
      },
      {
        match: `${wc('received')}\\s+(?!${w('any')}\\s+of)(${N})`,
        captures: cap('keyword.other.predicate', 'variable.other.constant.content'),
      },
      {
        match: `${wc('handed')}\\s+(off)(?:\\s+(to)(?!${W}))?`,
        captures: cap('keyword.other.predicate', 'keyword.other.predicate', 'keyword.other.predicate'),
      },
      { match: w('and|or|not'), name: s('keyword.operator.logical') },
      { match: w('is|in|contains|known|missing'), name: s('keyword.operator.word') },
      { match: w('has|received'), name: s('keyword.other.predicate') },
      { match: `${wc('at')}\\s+(least)(?!${W})`, captures: cap('keyword.other.clause', 'keyword.other.clause') },
      { match: w('where|within|times|at|any|of'), name: s('keyword.other.clause') },
      { match: w('if|else'), name: s('keyword.control.conditional') },
      ...inc('operator', 'punctuation', 'invalid'),
      { match: N, name: s('variable.other') },
    ],
  },
  // characters that are not part of the language (`&&`, `||`, `;`, curly quotes…): NUR002
  invalid: { match: "[^\\s\\p{L}\\p{M}\\p{N}_{}\\[\\](),:=<>+\\-*/\"#.%]+", name: s('invalid.illegal.character') },
  // 4.2 lead { name: type }, 4.3 event fields
  type: {
    patterns: [
      {
        begin: `${wc('one')}\\s+(of)\\s*(\\[)`,
        beginCaptures: cap('support.type.enum', 'support.type.enum', 'punctuation.section.brackets.begin'),
        end: '\\]',
        endCaptures: { 0: { name: s('punctuation.section.brackets.end') } },
        patterns: [
          ...inc('comment'),
          { match: N, name: s('entity.name.constant.enum-member') },
          { match: ',', name: s('punctuation.separator.comma') },
        ],
      },
      {
        match: `${wc('list')}\\s+(of)\\s+(text)(?!${W})`,
        captures: cap('support.type.list', 'support.type.list', 'support.type.primitive'),
      },
      { match: w('text|number|bool|date|content|channel|topic'), name: s('support.type.primitive') },
    ],
  },
  'attribute-body': {
    patterns: [
      { match: `(${N})\\s*(:)`, captures: cap('entity.name.variable.attribute', 'punctuation.separator.key-value') },
      ...inc('type', 'punctuation'),
      { match: N, name: s('invalid.illegal.type') },
    ],
  },
  'field-body': {
    patterns: [
      { match: `(${N})\\s*(:)`, captures: cap('entity.name.variable.field', 'punctuation.separator.key-value') },
      ...inc('type', 'punctuation'),
      { match: N, name: s('invalid.illegal.type') },
    ],
  },
  // `key: value` pairs of channels and contents (known keys, then metadata keys)
  'property-body': {
    patterns: [
      {
        match: `(?<!${W})(channel|topic|template|subject|cost|transactional|consent)\\s*(:)`,
        captures: cap('support.type.property-name', 'punctuation.separator.key-value'),
      },
      { match: `(${N})\\s*(:)`, captures: cap('variable.other.property', 'punctuation.separator.key-value') },
      ...inc('literal', 'operator', 'punctuation', 'invalid'),
      { match: N, name: s('variable.other') },
    ],
  },
  // `key: value` pairs of test profiles and event data (keys are attributes and event fields)
  'data-body': {
    patterns: [
      { match: `(${N})\\s*(:)`, captures: cap('variable.other.property', 'punctuation.separator.key-value') },
      ...inc('literal', 'operator', 'punctuation', 'invalid'),
      { match: N, name: s('variable.other') },
    ],
  },
  // actions (section 4.14): in steps, thresholds and `on` handlers
  action: {
    patterns: [
      {
        match: `${wc('set')}\\s+(${N})\\s*(=)(?!=)`,
        captures: cap('keyword.other.action', 'variable.other', 'keyword.operator.assignment'),
      },
      { match: w('set|handoff'), name: s('keyword.other.action') },
      {
        match: `${wc('enroll')}\\s+(${N})`,
        captures: cap('keyword.other.action', 'entity.name.function.journey'),
      },
      {
        match: `${wc('remove')}\\s+(from)\\s+(${N})`,
        captures: cap('keyword.other.action', 'keyword.other.action', 'entity.name.function.journey'),
      },
      {
        match: `${wc('send')}\\s+(next)\\s+(from)\\s+(${N})`,
        captures: cap('keyword.other.action', 'keyword.other.action', 'keyword.other.action', 'variable.other.constant.stream'),
      },
      {
        match: `${wc('send')}\\s+(${N})`,
        captures: cap('keyword.other.action', 'variable.other.constant.content'),
      },
      { match: w('send|enroll|remove'), name: s('keyword.other.action') },
    ],
  },
  'action-body': { patterns: [...inc('action', 'expression')] },
  // 4.10 score rules
  'score-body': {
    patterns: [
      { match: `^\\s*([+-]\\d+(?:\\.\\d+)?)(?!${W})`, captures: cap('constant.numeric.points') },
      ...inc('comment', 'literal'),
      {
        match: `${wc('on')}\\s+(${N})`,
        captures: cap('keyword.other.clause', 'entity.name.type.event'),
      },
      { match: w('if'), name: s('keyword.control.conditional') },
      { match: w('max|per|once|every|idle|to'), name: s('keyword.other.clause') },
      { match: `^\\s*(decay|range)(?!${W})`, captures: cap('keyword.other.setting') },
      ...inc('expression'),
    ],
  },
  // 4.13 pressure rules
  'pressure-body': {
    patterns: [
      {
        begin: `^\\s*(quiet)\\s+(days)(?!${W})`,
        beginCaptures: cap('keyword.other.pressure', 'keyword.other.pressure'),
        end: LIST_END,
        patterns: [
          ...inc('comment'),
          { match: w(WEEKDAYS), name: s('constant.language.weekday') },
          { match: ',', name: s('punctuation.separator.comma') },
          { match: N, name: s('invalid.illegal.weekday') },
        ],
      },
      {
        match: `^\\s*(quiet)\\s+(hours)(?!${W})`,
        captures: cap('keyword.other.pressure', 'keyword.other.pressure'),
      },
      {
        match: `${wc('on')}\\s+(the)\\s+(same)\\s+(topic)(?!${W})`,
        captures: cap('keyword.other.clause', 'keyword.other.clause', 'keyword.other.clause', 'keyword.other.clause'),
      },
      {
        match: `${wc('on')}\\s+(${N})`,
        captures: cap('keyword.other.clause', 'entity.name.type.channel'),
      },
      {
        match: `^\\s*(delay|skip)\\s+(capped)\\s+(messages?)(?!${W})`,
        captures: cap('keyword.other.pressure', 'keyword.other.pressure', 'keyword.other.pressure'),
      },
      { match: `^\\s*(max|min)(?!${W})`, captures: cap('keyword.other.pressure') },
      ...inc('literal'),
      { match: w('messages?|between|per|up|to'), name: s('keyword.other.clause') },
      ...inc('literal', 'punctuation'),
    ],
  },
  // 4.14 journey settings and steps (blocks nest: if, else, wait … timeout, split, repeat)
  'journey-body': {
    patterns: [
      {
        match: `^\\s*(entry|exit|goal)\\s+(on)\\s+(${N})`,
        captures: cap('keyword.other.setting', 'keyword.other.clause', 'entity.name.type.event'),
      },
      { match: `^\\s*(entry|exit)\\s+(when)(?!${W})`, captures: cap('keyword.other.setting', 'keyword.other.clause') },
      {
        match: `^\\s*(reentry)\\s+(never|always|after)(?!${W})`,
        captures: cap('keyword.other.setting', 'keyword.other.clause'),
      },
      { match: `^\\s*(entry|goal|audience|holdout|priority|reentry)(?!${W})`, captures: cap('keyword.other.setting') },
      {
        match: `${wc('before|after')}\\s+(${N})(?:\\s+(yearly)(?!${W}))?`,
        captures: cap('keyword.other.clause', 'variable.other.attribute', 'keyword.other.clause'),
      },
      {
        match: `^\\s*(wait)\\s+(for)\\s+(${N})`,
        captures: cap('keyword.control.wait', 'keyword.control.wait', 'entity.name.type.event'),
      },
      { match: `^\\s*(wait)\\s+(until)(?!${W})`, captures: cap('keyword.control.wait', 'keyword.control.wait') },
      { match: `^\\s*(wait)(?!${W})`, captures: cap('keyword.control.wait') },
      { match: `${wc('up')}\\s+(to)(?!${W})`, captures: cap('keyword.control.wait', 'keyword.control.wait') },
      { match: w('timeout'), name: s('keyword.control.wait') },
      { match: `${wc('else')}\\s+(if)(?!${W})`, captures: cap('keyword.control.conditional', 'keyword.control.conditional') },
      { match: `^\\s*(split)(?!${W})`, captures: cap('keyword.control.split') },
      { match: `^\\s*(repeat)\\s+(every)(?!${W})`, captures: cap('keyword.control.loop', 'keyword.control.loop') },
      { match: w('max|until|times'), name: s('keyword.control.loop') },
      {
        match: `^\\s*(move)\\s+(to)\\s+(${N})`,
        captures: cap('keyword.control.flow', 'keyword.control.flow', 'entity.name.function.journey'),
      },
      { match: `^\\s*(end)(?!${W})`, captures: cap('keyword.control.flow') },
      block('journey-body'),
      ...inc('action', 'expression'),
    ],
  },
  // 4.15 test timelines
  'test-body': {
    patterns: [
      {
        begin: `^\\s*(lead|profile)(?=\\s*(?:"|\\{))`,
        beginCaptures: cap('keyword.other.test'),
        end: '(?<=\\})|$',
        patterns: [...inc('comment', 'string'), block('data-body')],
      },
      { match: `^\\s*(holdout)\\s+(${N})`, captures: cap('keyword.other.test', 'entity.name.function.journey') },
      { match: `^\\s*(control\\s+group)(?=\\s*(?:#|$))`, captures: cap('keyword.other.test') },
      { match: `^\\s*(at|after|expect)(?!${W})`, captures: cap('keyword.other.test') },
      {
        begin: `^\\s*(${N})(?=\\s*(?:\\{|#|$))`,
        beginCaptures: cap('entity.name.type.event'),
        end: '(?<=\\})|$',
        patterns: [...inc('comment'), block('data-body')],
      },
      ...inc('expression'),
    ],
  },
};

/** A declaration `keyword name …` whose rest (block, condition…) is described by `patterns`. */
const decl = (keyword, nameScope, patterns, end = DECL_END) => ({
  begin: `^\\s*(${keyword})\\s+(${N})`,
  beginCaptures: cap(`storage.type.${keyword}`, nameScope),
  end,
  patterns,
});

/** A list declaration `keyword a, b, c` (may continue on the next line after a comma). */
const list = (begin, captures, itemScope) => ({
  begin,
  beginCaptures: cap(...captures),
  end: LIST_END,
  patterns: [
    ...inc('comment'),
    { match: N, name: s(itemScope) },
    { match: ',', name: s('punctuation.separator.comma') },
  ],
});

const declarations = [
  { match: `^\\s*(timezone)(?!${W})`, captures: cap('storage.type.timezone') },
  { match: `^\\s*(control\\s+group)(?!${W})`, captures: cap('storage.type.control-group') },
  {
    begin: `^\\s*(lead)\\s*(?=\\{)`,
    beginCaptures: cap('storage.type.lead'),
    end: DECL_END,
    patterns: [block('attribute-body')],
  },
  decl('event', 'entity.name.type.event', [...inc('comment'), block('field-body')]),
  decl('channel', 'entity.name.type.channel', [...inc('comment'), block('property-body')]),
  list(`^\\s*(topics)(?!${W})`, ['storage.type.topics'], 'entity.name.constant.topic'),
  decl('content', 'entity.name.constant.content', [...inc('comment'), block('property-body')]),
  list(`^\\s*(stream)\\s+(${N})\\s*(:)`, ['storage.type.stream', 'entity.name.constant.stream', 'punctuation.separator.key-value'], 'variable.other.constant.content'),
  list(`^\\s*(stages)(?!${W})`, ['storage.type.stages'], 'entity.name.constant.stage'),
  {
    begin: `^\\s*(segment)\\s+(${N})\\s*(=)`,
    beginCaptures: cap('storage.type.segment', 'entity.name.function.segment', 'keyword.operator.assignment'),
    end: '$',
    patterns: inc('expression'),
  },
  decl('score', 'entity.name.variable.score', [...inc('comment'), block('score-body'), ...inc('expression')]),
  decl('threshold', 'entity.name.function.threshold', [
    ...inc('comment'),
    { match: w('when'), name: s('keyword.other.clause') },
    block('action-body'),
    ...inc('expression'),
  ], BLOCK_DECL_END),
  {
    begin: `^\\s*(on)\\s+(${N})`,
    beginCaptures: cap('storage.type.handler', 'entity.name.type.event'),
    end: BLOCK_DECL_END,
    patterns: [...inc('comment'), block('action-body'), ...inc('expression')],
  },
  {
    begin: `^\\s*(pressure)(?=\\s*(?:\\{|#|$))`,
    beginCaptures: cap('storage.type.pressure'),
    end: BLOCK_DECL_END,
    patterns: [...inc('comment'), block('pressure-body')],
  },
  decl('journey', 'entity.name.function.journey', [...inc('comment'), block('journey-body')], BLOCK_DECL_END),
  {
    begin: `^\\s*(test)(?=\\s*")`,
    beginCaptures: cap('storage.type.test'),
    end: BLOCK_DECL_END,
    patterns: [
      ...inc('comment'),
      {
        begin: '"',
        beginCaptures: { 0: { name: s('punctuation.definition.string.begin') } },
        end: '(")|$',
        endCaptures: cap('punctuation.definition.string.end'),
        name: `${s('string.quoted.double')} ${s('entity.name.function.test')}`,
        patterns: inc('escape'),
      },
      block('test-body'),
    ],
  },
];

export const grammar = {
  $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
  name: 'nurture',
  scopeName: 'source.nurture',
  fileTypes: ['nurture'],
  comment: 'Generated by scripts/grammar.mjs: edit that file, then run `npm run build` in vscode-extension/.',
  patterns: [...inc('comment'), ...declarations, ...inc('expression')],
  repository,
};

/** The JSON text of the grammar, as written to syntaxes/nurture.tmLanguage.json. */
export function grammarJson() {
  return JSON.stringify(grammar, null, 2) + '\n';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'syntaxes', 'nurture.tmLanguage.json');
  writeFileSync(out, grammarJson());
  console.log(`wrote ${out}`);
}
