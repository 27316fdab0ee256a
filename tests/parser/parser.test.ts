import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JourneyDecl, ScoreDecl, SourceFile } from '../../grammar/ast.js';
import { parseFile } from '../../grammar/parse.js';

const SPEC = readFileSync(new URL('../fixtures/valid/spec-example.nurture', import.meta.url), 'utf8');

function codes(text: string): string[] {
  return parseFile(text, 'x.nurture').diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.column}`);
}

/** Every node field is defined: a partial tree never holds `undefined` (the editor walks it). */
function assertNoHoles(value: unknown, path = '$'): void {
  if (value === undefined || value === null) throw new Error(`hole at ${path}`);
  if (Array.isArray(value)) value.forEach((v, i) => assertNoHoles(v, `${path}[${i}]`));
  else if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value as object)) assertNoHoles(v, `${path}.${k}`);
  }
}

describe('parser', () => {
  it('parses the complete example of the spec without diagnostics', () => {
    const { file, diagnostics } = parseFile(SPEC, 'spec.nurture');
    expect(diagnostics).toEqual([]);
    expect(file.declarations.map((d) => d.kind)).toEqual([
      'timezone', 'lead', ...Array(8).fill('event'), 'channel', 'topics', ...Array(7).fill('content'), 'stream',
      'stages', 'segment', 'score', 'score', 'threshold', 'on', 'on', 'pressure', 'journey', 'journey', 'test',
    ]);
    assertNoHoles(file);
    const welcome = file.declarations.find((d) => d.kind === 'journey') as JourneyDecl;
    expect(welcome.items.map((i) => i.kind)).toEqual([
      'entryOn', 'exitWhen', 'goalOn', 'holdout', 'priority', 'send', 'wait', 'if', 'waitFor', 'split', 'moveTo',
    ]);
  });

  it('keeps exact spans (1-based lines and columns, exclusive end)', () => {
    const { file } = parseFile(SPEC, 'spec.nurture');
    const fit = file.declarations.find((d) => d.kind === 'score') as ScoreDecl;
    expect(fit.name.text).toBe('fit');
    expect(fit.name.span).toMatchObject({ line: 41, column: 7, endLine: 41, endColumn: 10 });
    expect(SPEC.slice(fit.span.start, fit.span.end)).toMatch(/^score fit \{[\s\S]*range 0 to 100\n\}$/);
    const minus = fit.rules[2]!;
    expect(minus.kind === 'fitRule' && minus.points.value).toBe(-15);
    expect(minus.span).toMatchObject({ line: 44, column: 3, endLine: 44, endColumn: 29 });
  });

  it('keeps every comment with its span', () => {
    const { file } = parseFile('# head\nevent a # trailing\n  # indented\n', 'c.nurture');
    expect(file.comments.map((c) => [c.text, c.span.line, c.span.column])).toEqual([
      ['# head', 1, 1], ['# trailing', 2, 9], ['# indented', 3, 3],
    ]);
  });

  it('reports three independent syntax errors and keeps the rest of the tree', () => {
    const text = [
      'event a { x: text }',
      'content c { channel: email }',
      'journey j {',
      '  send c',
      '  if x >= { send c }', // 1: missing operand
      '  wait 2 days',
      '}',
      'score s {',
      '  +10 on a max per week', // 2: missing count
      '  range 0 to 100',
      '}',
      'segment g = x is "y" )', // 3: stray parenthesis
      'journey k { send c }',
    ].join('\n');
    const { file, diagnostics } = parseFile(text, 'e.nurture');
    expect(diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.column}`)).toEqual([
      'NUR001 5:11', 'NUR001 9:16', 'NUR001 12:22',
    ]);
    expect(file.declarations.map((d) => d.kind)).toEqual(['event', 'content', 'journey', 'score', 'segment', 'journey']);
    const j = file.declarations[2] as JourneyDecl;
    expect(j.items.map((i) => i.kind)).toEqual(['send', 'if', 'wait']);
    assertNoHoles(file);
  });

  it('returns a partial tree for a half-typed file', () => {
    const { file, diagnostics } = parseFile('content c { channel: email }\njourney welcome {\n  send c\n  wait 2 days\n  send ', 'h.nurture');
    expect(diagnostics.length).toBeGreaterThan(0);
    const j = file.declarations[1] as JourneyDecl;
    expect(j.name.text).toBe('welcome');
    expect(j.items.map((i) => i.kind)).toEqual(['send', 'wait']);
    assertNoHoles(file);
    // a bare `send` inside a closed block stays in the tree, with an empty name
    const inner = parseFile('journey j {\n  send c\n  send\n}\nevent e', 'h.nurture');
    expect(inner.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.column}`)).toEqual(['NUR001 4:1']);
    const items = (inner.file.declarations[0] as JourneyDecl).items;
    expect(items.map((i) => i.kind === 'send' && i.content.text)).toEqual(['c', '']);
    expect(inner.file.declarations.map((d) => d.kind)).toEqual(['journey', 'event']);
  });

  it('does not take the step on the next line as the name after a bare `send`', () => {
    const { file, diagnostics } = parseFile('journey j {\n  entry on e\n  send \n  wait 2 days\n  send c\n}\n', 's.nurture');
    expect(diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.column} ${d.message}`)).toEqual([
      'NUR001 3:3 expected the name of a content after `send`, found the end of the line',
    ]);
    const items = (file.declarations[0] as JourneyDecl).items;
    expect(items.map((i) => i.kind)).toEqual(['entryOn', 'send', 'wait', 'send']);
  });

  it('does not let a half-typed condition swallow the next statement', () => {
    const text = 'journey j {\n  entry on a where x is\n  send c\n}\n';
    const { file, diagnostics } = parseFile(text, 'h.nurture');
    expect(diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.column}`)).toEqual(['NUR001 3:3']);
    expect((file.declarations[0] as JourneyDecl).items.map((i) => i.kind)).toEqual(['entryOn', 'send']);
  });

  it('accepts contextual keywords as names and Unicode names', () => {
    const text = [
      'lead { topic: text, content: number, livre_blanc_été: bool }',
      'event channel { score: text, journey: content }',
      'channel email',
      'content score { channel: email, topic: onboarding }',
      'journey send { entry on channel where score is "x" and livre_blanc_été is true',
      '  send score }',
    ].join('\n');
    const { file, diagnostics } = parseFile(text, 'k.nurture');
    expect(diagnostics).toEqual([]);
    expect(file.declarations.map((d) => ('name' in d ? (d.name as { text: string }).text : d.kind))).toEqual([
      'lead', 'channel', 'email', 'score', 'send',
    ]);
  });

  it('never takes reserved words for names', () => {
    expect(codes('event and')).toEqual(['NUR001 1:7']);
    expect(codes('content if { channel: email }')).toEqual(['NUR001 1:9']);
  });

  it('reports invalid literals with NUR003 and keeps parsing', () => {
    expect(codes('pressure { quiet hours 25:00 to 08:00 }')).toEqual(['NUR003 1:24']);
    expect(codes('test "t" { at 2026-02-30 09:00 }')).toEqual(['NUR003 1:15']);
    expect(codes('journey j { holdout 150% }')).toEqual(['NUR003 1:21']);
    const units = parseFile('journey j { wait 3 dayz }', 'u.nurture').diagnostics;
    expect(units.map((d) => [d.code, d.span.column, d.help])).toEqual([['NUR003', 20, 'did you mean `days`?']]);
    expect(codes('test "t" { at 2026-1-5 09:00 }')).toEqual(['NUR003 1:15']);
  });

  it('reports invalid characters and unterminated texts with NUR002', () => {
    expect(codes('segment s = a is "x" && b is "y"')).toEqual(['NUR002 1:22']);
    expect(codes('content c { channel: email, subject: "Hello\n}\nevent e')).toEqual(['NUR002 1:38']);
    const d = parseFile('event e\n@ event f', 'x.nurture').diagnostics;
    expect(d.map((x) => [x.code, x.span.line, x.span.column, x.message])).toEqual([['NUR002', 2, 1, 'invalid character `@`']]);
  });

  it('decodes text escapes and reports bad ones', () => {
    const { file, diagnostics } = parseFile('timezone "a\\"b\\\\c\\n\\t\\u{1F600}"', 't.nurture');
    expect(diagnostics).toEqual([]);
    expect(file.declarations[0]!.kind === 'timezone' && file.declarations[0]!.value.value).toBe('a"b\\c\n\t😀');
    expect(codes('timezone "a\\qb"')).toEqual(['NUR003 1:12']);
  });

  it('parses arithmetic in parentheses and derived scores with precedence', () => {
    const { file, diagnostics } = parseFile('score total = fit + engagement * 2 - 1\nsegment hot = (fit + engagement) >= 80', 'a.nurture');
    expect(diagnostics).toEqual([]);
    const total = file.declarations[0]!;
    expect(total.kind === 'derivedScore' && JSON.stringify(total.expr, ['kind', 'op', 'left', 'right', 'name', 'text', 'value']))
      .toBe('{"kind":"arith","op":"-","left":{"kind":"arith","op":"+","left":{"kind":"name","name":{"text":"fit"}},"right":{"kind":"arith","op":"*","left":{"kind":"name","name":{"text":"engagement"}},"right":{"kind":"number","value":2}}},"right":{"kind":"number","value":1}}');
  });

  it('ends a fit rule condition at the next signed rule', () => {
    const { file, diagnostics } = parseFile('score s {\n  +30 if vip\n  -15 if intern is true\n}', 's.nurture');
    expect(diagnostics).toEqual([]);
    expect((file.declarations[0] as ScoreDecl).rules.map((r) => r.kind === 'fitRule' && r.points.value)).toEqual([30, -15]);
  });

  it('parses every condition form', () => {
    const text = `segment s = a == 1 or b != 2 and not (c < 3) and d <= 4 and e > 5 and f >= 6 and g is x and h is not y
  and i in [p, q] and j not in ["r"] and k contains "t" and l is known and m is missing
  and has e where u is "v" at least 2 times within 7 days and received c within 3 days
  and received any of st and in journey j1 and completed journey j2 and handed off to "sales" and handed off
  and date_attr >= 2026-01-05 and stage >= mql and -5 < n and pct >= 10%`;
    const { file, diagnostics } = parseFile(text, 'c.nurture');
    expect(diagnostics).toEqual([]);
    const kinds = new Set<string>();
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        if ('kind' in v) kinds.add((v as { kind: string }).kind + ('op' in v ? ` ${(v as { op: string }).op}` : ''));
        Object.values(v).forEach(walk);
      }
    };
    walk(file);
    for (const k of ['or', 'and', 'not', 'paren', 'compare ==', 'compare !=', 'compare <', 'compare <=', 'compare >',
      'compare >=', 'compare is', 'compare is not', 'in', 'contains', 'known', 'has', 'received', 'inJourney',
      'completedJourney', 'handedOff', 'date', 'percent']) {
      expect(kinds, k).toContain(k);
    }
  });

  it('parses every journey setting, step and test statement', () => {
    const text = `journey j {
  entry on e where x is 1
  entry when fit >= 10
  entry 30 days before contract_end yearly
  entry 1 day after signup
  audience decision_makers
  reentry after 90 days
  exit on unsubscribed
  goal fit >= 50 within 30 days
  holdout 10%
  priority -2
  send a
  send next from st
  wait 2 hours
  wait for e where x is 2 up to 3 days { send b } timeout { end }
  wait until engagement >= 20 up to 1 week
  if a is 1 { send a } else if a is 2 { send b } else { send c }
  split { 30% { send a } 70% { send b } }
  repeat every 7 days max 4 times until stage >= mql { send next from st }
  set budget = (budget + 10) * 2
  set stage = lead
  handoff "sales"
  enroll other
  remove from other
  move to other
}
journey k { reentry never exit when stage is customer reentry always }
pressure { max 3 messages per 7 days
  max 1 message per day on email  min 2 days between messages  min 1 day between messages on sms
  min 14 days between messages on the same topic quiet hours 20:00 to 08:00 quiet days saturday, sunday
  delay capped messages up to 3 days skip capped messages }
test "t" {
  lead "L1" { job_level: vp, tags: ["a", "b"], signup: 2026-01-01 }
  holdout j
  at 2026-01-05 09:00
  after 1 day
  e { x: 1 }
  demo_requested
  profile { budget: 10 }
  expect received a at 2026-01-06 08:00
  expect received a 2 times
  expect not in journey j
}`;
    const { file, diagnostics } = parseFile(text, 'all.nurture');
    expect(diagnostics).toEqual([]);
    assertNoHoles(file);
    const j = file.declarations[0] as JourneyDecl;
    expect(j.items.map((i) => i.kind)).toEqual([
      'entryOn', 'entryWhen', 'entryDate', 'entryDate', 'audience', 'reentry', 'exitOn', 'goalWhen', 'holdout', 'priority',
      'send', 'sendNext', 'wait', 'waitFor', 'waitUntil', 'if', 'split', 'repeat', 'set', 'set', 'handoff', 'enroll',
      'removeFrom', 'moveTo',
    ]);
    const p = file.declarations[2]!;
    expect(p.kind === 'pressure' && p.rules.map((r) => r.kind)).toEqual([
      'maxMessages', 'maxMessages', 'minGap', 'minGap', 'minGapTopic', 'quietHours', 'quietDays', 'delayCapped', 'skipCapped',
    ]);
    const t = file.declarations[3]!;
    expect(t.kind === 'test' && t.statements.map((s) => s.kind)).toEqual([
      'testLead', 'testHoldout', 'at', 'after', 'occur', 'occur', 'occur', 'expect', 'expect', 'expect',
    ]);
  });

  it('understands `remove from journey j2` as `remove from j2` (NUR001 with the fix naming j2), same for enroll and move to', () => {
    const { file, diagnostics } = parseFile('journey j {\n  remove from journey j2\n  enroll journey j2\n  move to journey j2\n}', 'j.nurture');
    const j = file.declarations[0] as JourneyDecl;
    expect(j.items.map((i) => ('journey' in i ? `${i.kind} ${i.journey.text}` : i.kind))).toEqual(['removeFrom j2', 'enroll j2', 'moveTo j2']);
    expect(diagnostics.map((d) => [d.code, `${d.span.line}:${d.span.column}-${d.span.endColumn}`, d.help, d.fixes?.[0]?.edits[0]?.newText])).toEqual([
      ['NUR001', '2:15-25', 'write `remove from j2`', 'j2'],
      ['NUR001', '3:10-20', 'write `enroll j2`', 'j2'],
      ['NUR001', '4:11-21', 'write `move to j2`', 'j2'],
    ]);
    // a journey called `journey` is still a journey name
    expect(codes('journey j {\n  move to journey\n}')).toEqual([]);
  });

  it('parses `control group P%` and the test statement `control group`; `control` and `group` stay names elsewhere', () => {
    const text = 'control group 5%\nevent control\nevent group { control: number }\ntest "t" {\n  control group\n  control\n  group { control: 1 }\n}';
    const { file, diagnostics } = parseFile(text, 'cg.nurture');
    expect(diagnostics).toEqual([]);
    assertNoHoles(file);
    const [cg, , , t] = file.declarations;
    expect(cg).toMatchObject({ kind: 'controlGroup', percent: { value: 5, raw: '5%' }, span: { line: 1, column: 1, endColumn: 17 } });
    expect(t!.kind === 'test' && t!.statements.map((s) => s.kind)).toEqual(['testControlGroup', 'occur', 'occur']);
    expect(codes('control group')).toEqual(['NUR001 1:14']);
    expect(codes('control 5%')).toEqual(['NUR001 1:9']);
  });

  it('reads `at` on the next line as a clock statement, not part of `received … at`', () => {
    const { file, diagnostics } = parseFile('test "t" {\n  expect received a\n  at 2026-01-06 09:00\n}', 't.nurture');
    expect(diagnostics).toEqual([]);
    const t = file.declarations[0]!;
    expect(t.kind === 'test' && t.statements.map((s) => s.kind)).toEqual(['expect', 'at']);
  });

  it('says what it expected, where', () => {
    const [d] = parseFile('journey j {\n  send\n}', 'm.nurture').diagnostics;
    expect(d).toMatchObject({ code: 'NUR001', span: { line: 3, column: 1 } });
    expect(d!.message).toBe('expected a name after `send`, found `}`');
    const [top] = parseFile('hello world', 'm.nurture').diagnostics;
    expect(top!.message).toBe('unexpected `hello`: expected a declaration (`lead`, `event`, `content`, `score`, `journey`, …)');
  });

  it('parses an empty file and a file of comments', () => {
    expect(parseFile('', 'e.nurture')).toMatchObject({ diagnostics: [], file: { declarations: [] } });
    expect(parseFile('# only\n# comments', 'e.nurture').file.comments).toHaveLength(2);
  });
});

export type { SourceFile };

describe('pathological input', () => {
  it('reports nesting too deep for the stack instead of crashing', async () => {
    const { checkSources } = await import('../../compiler/workspace.js');
    const parens = 'segment s = ' + '('.repeat(5000) + 'a' + ')'.repeat(5000);
    const nots = 'segment s = ' + 'not '.repeat(20000) + 'a';
    const chain = 'lead { a: bool }\nsegment s = ' + Array(20000).fill('a').join(' and ');
    for (const text of [parens, nots, chain]) {
      const { diagnostics } = checkSources([{ path: 'deep.nurture', text }]);
      expect(diagnostics.map((d) => d.code)).toContain('NUR001');
      expect(diagnostics.find((d) => /levels deep/.test(d.message))).toBeDefined();
    }
  });

  it('says a flat chain is a chain, not nesting (issue 20: "nesting 401 deep")', async () => {
    const { checkSources } = await import('../../compiler/workspace.js');
    const chain = 'lead { a: number }\nsegment s = ' + Array(401).fill('a > 1').join(' and ');
    const [d] = checkSources([{ path: 'chain.nurture', text: chain }]).diagnostics;
    expect(d!.message).toMatch(/^this declaration is too large to check: its expression tree is \d+ levels deep \(each `and`, `or` or arithmetic operator of a chain adds one; the most is 400\)$/);
  });
});
