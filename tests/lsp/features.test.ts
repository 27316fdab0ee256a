// Every language feature through the real server over stdio, with exact results on the `basic`
// fixture workspace (model.nurture declares, journeys.nurture uses).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Client, FIXTURES, positionOf, type Range } from './client.js';

let c: Client;
let journeysText: string;
let modelText: string;
let journeys: string;
let model: string;

beforeAll(async () => {
  c = await Client.start(join(FIXTURES, 'basic'));
  journeysText = readFileSync(c.path('journeys.nurture'), 'utf8');
  modelText = readFileSync(c.path('model.nurture'), 'utf8');
  journeys = await c.open('journeys.nurture');
  model = c.uri('model.nurture');
  await c.diagnosticsFor(journeys);
});
afterAll(async () => {
  await c.stop();
});

const r = (l1: number, c1: number, l2: number, c2: number): Range => ({ start: { line: l1, character: c1 }, end: { line: l2, character: c2 } });

interface Item { label: string; kind?: number; detail?: string; documentation?: { value: string } }

/** Completion labels (sorted) at the `|` of `source`, in a scratch document. */
async function labelsAt(source: string): Promise<string[]> {
  return (await itemsAt(source)).map((i) => i.label).sort();
}
let scratchN = 0;
async function itemsAt(source: string): Promise<Item[]> {
  const offset = source.indexOf('|');
  const text = source.slice(0, offset) + source.slice(offset + 1);
  const uri = await c.open(`scratch-${scratchN++}.nurture`, text);
  const before = text.slice(0, offset);
  const position = { line: before.split('\n').length - 1, character: offset - (before.lastIndexOf('\n') + 1) };
  const items = await c.request<Item[]>('textDocument/completion', { textDocument: { uri }, position });
  await c.close(uri);
  return items;
}

const EVENTS = ['demo_requested', 'email_clicked', 'form_submitted'];
const CONDITION = ['completed journey', 'decision_makers', 'email_consent', 'employees', 'fit', 'handed off', 'has', 'in journey', 'job_level', 'not', 'received', 'stage'];

describe('completion', () => {
  test('declaration keywords at top level', async () => {
    expect(await labelsAt('|')).toEqual([
      'channel', 'content', 'control group', 'event', 'journey', 'lead', 'on', 'pressure', 'score', 'segment', 'stages', 'stream', 'test',
      'threshold', 'timezone', 'topics',
    ]);
    expect(await labelsAt('test "t" {\n  |\n}')).toEqual(expect.arrayContaining(['after', 'at', 'control group', 'expect', 'holdout', 'lead']));
    expect(await labelsAt('event x\n\nst|')).toContain('stream');
  });

  test('step and setting keywords in a journey, steps in nested blocks, actions in handlers', async () => {
    expect(await labelsAt('journey j {\n  |\n}')).toEqual([
      'audience', 'end', 'enroll', 'entry on', 'entry when', 'exit on', 'exit when', 'goal', 'goal on', 'handoff', 'holdout',
      'if', 'move to', 'priority', 'reentry', 'remove from', 'repeat every', 'send', 'send next from', 'set', 'split', 'wait',
      'wait for', 'wait until',
    ]);
    expect(await labelsAt('journey j {\n  send case_study\n  if fit > 3 {\n    |\n  }\n}')).toEqual([
      'end', 'enroll', 'handoff', 'if', 'move to', 'remove from', 'repeat every', 'send', 'send next from', 'set', 'split',
      'wait', 'wait for', 'wait until',
    ]);
    expect(await labelsAt('on demo_requested {\n  |\n}')).toEqual(['enroll', 'handoff', 'remove from', 'send', 'set']);
    expect(await labelsAt('score s {\n  |\n}')).toEqual(['decay', 'range']);
    expect(await labelsAt('score s {\n  +5 |\n}')).toEqual(['if', 'on']);
    expect(await labelsAt('pressure {\n  |\n}')).toEqual([
      'delay capped messages up to', 'max', 'min', 'quiet days', 'quiet hours', 'skip capped messages',
    ]);
  });

  test('contents after send, streams after send next from, journeys after move to / enroll', async () => {
    const items = await itemsAt('journey j {\n  send |\n}');
    expect(items.map((i) => i.label).sort()).toEqual(['case_study', 'next from', 'welcome_email']);
    const item = items.find((i) => i.label === 'welcome_email');
    expect(item).toEqual({
      label: 'welcome_email', kind: 12, detail: 'content · channel email, topic onboarding', sortText: '1welcome_email',
      data: { k: 'content', n: 'welcome_email' },
    });
    // the declaration comes with completionItem/resolve
    expect(await c.request('completionItem/resolve', item)).toEqual({
      ...item, documentation: { kind: 'markdown', value: '```nurture\ncontent welcome_email { channel: email, topic: onboarding }\n```' },
    });
    const member = (await itemsAt('segment s = job_level is |')).find((i) => i.label === 'vp');
    expect(await c.request('completionItem/resolve', member)).toMatchObject({
      documentation: { value: '```nurture\nlead { job_level: one of [intern, employee, manager, vp] }\n```' },
    });
    const field = (await itemsAt('on email_clicked where |')).find((i) => i.label === 'url');
    expect(await c.request('completionItem/resolve', field)).toMatchObject({
      documentation: { value: '```nurture\nevent email_clicked { url: text }\n```' },
    });
    expect(await c.request('completionItem/resolve', { label: 'x', data: { k: 'nonsense', n: 1 } })).toEqual({ label: 'x', data: { k: 'nonsense', n: 1 } });
    expect(await labelsAt('journey j {\n  send next from |\n}')).toEqual(['education']);
    expect(await labelsAt('journey j {\n  move to |\n}')).toEqual(['nurture', 'welcome']);
    expect(await labelsAt('on demo_requested {\n  enroll |\n}')).toEqual(['nurture', 'welcome']);
    expect(await labelsAt('segment s = in journey |')).toEqual(['nurture', 'welcome']);
  });

  test('events after on, entry on, wait for, has', async () => {
    expect(await labelsAt('on |')).toEqual(EVENTS);
    expect(await labelsAt('journey j {\n  entry on |\n}')).toEqual(EVENTS);
    expect(await labelsAt('journey j {\n  wait for |\n}')).toEqual(EVENTS);
    expect(await labelsAt('segment s = has |')).toEqual(EVENTS);
    expect(await labelsAt('score s {\n  +5 on |\n}')).toEqual(EVENTS);
  });

  test("the event's fields (then the lead's names) after where", async () => {
    expect(await labelsAt('on form_submitted where |')).toEqual(['form', ...CONDITION].sort());
    const items = await itemsAt('on email_clicked where |');
    expect(items.slice(0, 2).map((i) => [i.label, i.detail])).toEqual([['message', 'field of email_clicked: content'], ['url', 'field of email_clicked: text']]);
  });

  test('enumeration members after is / in, stages after stage, typed values', async () => {
    expect(await labelsAt('segment s = job_level is |')).toEqual(['employee', 'intern', 'known', 'manager', 'missing', 'not', 'vp']);
    expect(await labelsAt('segment s = job_level in [vp, |')).toEqual(['employee', 'intern', 'manager', 'vp']);
    expect(await labelsAt('segment s = job_level not in [|')).toEqual(['employee', 'intern', 'manager', 'vp']);
    expect(await labelsAt('segment s = stage >= |')).toEqual(['lead', 'mql', 'subscriber']);
    expect(await labelsAt('on demo_requested {\n  set stage = |\n}')).toEqual(['lead', 'mql', 'subscriber']);
    expect(await labelsAt('on email_clicked where message is |')).toEqual(['case_study', 'known', 'missing', 'not', 'welcome_email']);
    expect(await labelsAt('content x { channel: |')).toEqual(['email']);
    expect(await labelsAt('content x { channel: email, topic: |')).toEqual(['onboarding', 'product']);
    expect(await labelsAt('channel sms { consent: |')).toEqual(['email_consent']);
  });

  test('units after a number in a duration', async () => {
    expect(await labelsAt('journey j {\n  wait 2 |\n}')).toEqual(['days', 'hours', 'minutes', 'months', 'weeks', 'years']);
    expect(await labelsAt('journey j {\n  wait 1 |\n}')).toEqual(['day', 'hour', 'minute', 'month', 'week', 'year']);
    expect(await labelsAt('journey j {\n  wait for demo_requested up to 14 |\n}')).toContain('days');
    expect(await labelsAt('pressure {\n  max 3 |\n}')).toEqual(['message', 'messages']);
    expect(await labelsAt('pressure {\n  quiet days |\n}')).toEqual(['friday', 'monday', 'saturday', 'sunday', 'thursday', 'tuesday', 'wednesday']);
  });

  test('nothing inside comments and texts', async () => {
    expect(await labelsAt('# send |')).toEqual([]);
    expect(await labelsAt('journey j {\n  handoff "sal|"\n}')).toEqual([]);
  });
});

describe('hover', () => {
  test('on `control group`: the declaration and the test statement (and its outline entry)', async () => {
    const text = 'control group 5%\ntest "t" {\n  control group\n}\n';
    const uri = await c.open('scratch-cg.nurture', text);
    const at = async (line: number, character: number) =>
      c.request<{ contents: { value: string }; range: Range } | null>('textDocument/hover', { textDocument: { uri }, position: { line, character } });
    const decl = await at(0, 3);
    expect(decl!.range).toEqual(r(0, 0, 0, 16));
    expect(decl!.contents.value).toMatch(/^\*\*control group\*\*\n\n5% of all leads, chosen by a stable hash of the lead id alone, receive no non-transactional message/);
    const st = await at(2, 10);
    expect(st!.range).toEqual(r(2, 2, 2, 15));
    expect(st!.contents.value).toContain("Puts this test's lead in the control group");
    expect(await at(1, 1)).toBeNull();
    const symbols = await c.request<{ name: string; detail: string }[]>('textDocument/documentSymbol', { textDocument: { uri } });
    expect(symbols.map((x) => `${x.name} ${x.detail}`)).toEqual(['control group 5%', 't test']);
    await c.close(uri);
  });

  const hover = async (needle: string, n = 0) =>
    (await c.request<{ contents: { value: string }; range: Range } | null>('textDocument/hover', { textDocument: { uri: journeys }, position: positionOf(journeysText, needle, n) }));

  test("a score's reachable range", async () => {
    expect(await hover('fit')).toEqual({
      contents: {
        kind: 'markdown',
        value: '```nurture\nscore fit {\n```\n\n**score** `fit`: number\n\n- category: fit\n- reachable range: 0 to 30 (min: range 0 to 100; max: its positive points add up to 30)\n- declared range: 0 to 100\n\nDeclared in `model.nurture`, line 27',
      },
      range: r(6, 5, 6, 8),
    });
  });

  test("a content's channel and topic, an event's fields, an attribute's type, a stage", async () => {
    expect((await hover('welcome_email'))!.contents.value).toBe(
      '```nurture\ncontent welcome_email { channel: email, topic: onboarding }\n```\n\n**content** `welcome_email`\n\n- channel: `email`\n- topic: `onboarding`\n\nDeclared in `model.nurture`, line 18',
    );
    expect((await hover('form_submitted'))!.contents.value).toBe(
      '```nurture\nevent form_submitted { form: text }\n```\n\n**event** `form_submitted`\n\n- fields: `form: text`\n\nDeclared in `model.nurture`, line 10',
    );
    expect((await hover('form is'))!.contents.value).toBe(
      '```nurture\nevent form_submitted { form: text }\n```\n\n**event field** `form`: text\n\n- of event `form_submitted`\n\nDeclared in `model.nurture`, line 10',
    );
    expect((await hover('mql'))!.contents.value).toBe(
      '```nurture\nstages subscriber, lead, mql\n```\n\n**stage** `mql`\n\n- stage 3 of 3: subscriber < lead < mql\n\nDeclared in `model.nurture`, line 23',
    );
    expect((await hover('decision_makers'))!.contents.value).toContain('**segment** `decision_makers`: condition');
  });

  test('nothing on keywords and blanks', async () => {
    expect(await hover('journey')).toBeNull();
    expect(await c.request('textDocument/hover', { textDocument: { uri: journeys }, position: { line: 3, character: 0 } })).toBeNull();
  });
});

describe('navigation', () => {
  test('go to definition across files', async () => {
    expect(await c.request('textDocument/definition', { textDocument: { uri: journeys }, position: positionOf(journeysText, 'welcome_email', 0, 3) }))
      .toEqual({ uri: model, range: r(17, 8, 17, 21) });
    // within the file
    expect(await c.request('textDocument/definition', { textDocument: { uri: journeys }, position: positionOf(journeysText, 'move to nurture', 0, 9) }))
      .toEqual({ uri: journeys, range: r(12, 8, 12, 15) });
    // built-in `stage`: no place to go
    expect(await c.request('textDocument/definition', { textDocument: { uri: journeys }, position: positionOf(journeysText, 'stage') })).toBeNull();
  });

  test('find references across files, with and without the declaration', async () => {
    const position = positionOf(journeysText, 'welcome_email');
    expect(await c.request('textDocument/references', { textDocument: { uri: journeys }, position, context: { includeDeclaration: true } })).toEqual([
      { uri: model, range: r(17, 8, 17, 21) },
      { uri: journeys, range: r(4, 7, 4, 20) },
      { uri: model, range: r(20, 18, 20, 31) },
    ]);
    expect(await c.request('textDocument/references', { textDocument: { uri: journeys }, position, context: { includeDeclaration: false } })).toEqual([
      { uri: journeys, range: r(4, 7, 4, 20) },
      { uri: model, range: r(20, 18, 20, 31) },
    ]);
  });

  test('rename across files', async () => {
    const position = positionOf(journeysText, 'welcome_email');
    expect(await c.request('textDocument/prepareRename', { textDocument: { uri: journeys }, position })).toEqual(r(4, 7, 4, 20));
    expect(await c.request('textDocument/rename', { textDocument: { uri: journeys }, position, newName: 'hello_email' })).toEqual({
      changes: {
        [model]: [{ range: r(17, 8, 17, 21), newText: 'hello_email' }, { range: r(20, 18, 20, 31), newText: 'hello_email' }],
        [journeys]: [{ range: r(4, 7, 4, 20), newText: 'hello_email' }],
      },
    });
    // an event field: its `where` uses follow
    expect(await c.request('textDocument/rename', { textDocument: { uri: journeys }, position: positionOf(journeysText, 'form is'), newName: 'source' })).toEqual({
      changes: {
        [model]: [{ range: r(9, 23, 9, 27), newText: 'source' }],
        [journeys]: [{ range: r(1, 32, 1, 36), newText: 'source' }],
      },
    });
  });

  test('rename refuses invalid names, reserved words, collisions and built-ins', async () => {
    const at = { textDocument: { uri: journeys }, position: positionOf(journeysText, 'welcome_email') };
    await expect(c.request('textDocument/rename', { ...at, newName: '9lives' })).rejects.toThrow('`9lives` is not a valid name');
    await expect(c.request('textDocument/rename', { ...at, newName: 'and' })).rejects.toThrow('`and` is a reserved word');
    await expect(c.request('textDocument/rename', { ...at, newName: 'case_study' })).rejects.toThrow('the content `case_study` already exists');
    await expect(c.request('textDocument/rename', { ...at, newName: 'fit' })).rejects.toThrow('the score `fit` already exists');
    const stage = { textDocument: { uri: journeys }, position: positionOf(journeysText, 'stage') };
    await expect(c.request('textDocument/prepareRename', stage)).rejects.toThrow('built into the language');
    await expect(c.request('textDocument/rename', { ...stage, newName: 'phase' })).rejects.toThrow('built into the language');
    // stages have their own namespace: a stage may share a journey's name
    const mql = { textDocument: { uri: journeys }, position: positionOf(journeysText, 'mql') };
    await expect(c.request('textDocument/rename', { ...mql, newName: 'lead' })).rejects.toThrow('the stage `lead` already exists');
    expect(await c.request('textDocument/rename', { ...mql, newName: 'welcome' })).toMatchObject({ changes: { [journeys]: [{ newText: 'welcome' }] } });
  });
});

describe('symbols', () => {
  test('document symbols (outline)', async () => {
    const symbols = await c.request<{ name: string; kind: number; range: Range; selectionRange: Range; children?: { name: string }[] }[]>(
      'textDocument/documentSymbol', { textDocument: { uri: model } });
    expect(symbols.map((s) => [s.name, s.kind, (s.children ?? []).map((x) => x.name).join(' ')])).toEqual([
      ['timezone', 3, ''], ['lead', 23, 'job_level employees email_consent'], ['form_submitted', 24, 'form'],
      ['email_clicked', 24, 'message url'], ['demo_requested', 24, ''], ['email', 11, ''], ['topics', 3, 'onboarding product'],
      ['welcome_email', 19, ''], ['case_study', 19, ''], ['education', 18, ''], ['stages', 10, 'subscriber lead mql'],
      ['decision_makers', 17, ''], ['fit', 16, ''],
    ]);
    expect(symbols.at(-1)).toMatchObject({ range: r(26, 0, 30, 1), selectionRange: r(26, 6, 26, 9) });
    const js = await c.request<{ name: string; children?: { name: string }[] }[]>('textDocument/documentSymbol', { textDocument: { uri: journeys } });
    expect(js.map((s) => [s.name, (s.children ?? []).map((x) => x.name)])).toEqual([['welcome', ['entry on form_submitted']], ['nurture', []]]);
  });

  test('workspace symbols', async () => {
    const found = await c.request<{ name: string; kind: number; location: { uri: string; range: Range } }[]>('workspace/symbol', { query: 'welc' });
    expect(found).toEqual([
      { name: 'welcome_email', kind: 19, location: { uri: model, range: r(17, 8, 17, 21) } },
      { name: 'welcome', kind: 5, location: { uri: journeys, range: r(0, 8, 0, 15) } },
    ]);
    const all = await c.request<{ name: string }[]>('workspace/symbol', { query: '' });
    expect(all.length).toBe(22); // 19 declarations and 3 event fields
  });
});

describe('folding, semantic tokens, formatting', () => {
  test('folding ranges', async () => {
    expect(await c.request('textDocument/foldingRange', { textDocument: { uri: journeys } })).toEqual([
      { startLine: 0, endLine: 9 }, { startLine: 6, endLine: 7 }, { startLine: 12, endLine: 16 }, { startLine: 14, endLine: 15 },
    ]);
    const text = '# one\n# two\n# three\nscore s {\n  range 0 to 10\n}\n';
    const uri = await c.open('fold.nurture', text);
    expect(await c.request('textDocument/foldingRange', { textDocument: { uri } })).toEqual([
      { startLine: 0, endLine: 2, kind: 'comment' }, { startLine: 3, endLine: 4 },
    ]);
    await c.close(uri);
  });

  test('semantic tokens', async () => {
    const legend = (c.capabilities['semanticTokensProvider'] as { legend: { tokenTypes: string[]; tokenModifiers: string[] } }).legend;
    const { data } = await c.request<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri: journeys } });
    const tokens: string[] = [];
    let line = 0;
    let ch = 0;
    for (let i = 0; i < data.length; i += 5) {
      line += data[i];
      ch = data[i] === 0 ? ch + data[i + 1] : data[i + 1];
      const mods = legend.tokenModifiers.filter((_, b) => data[i + 4] & (1 << b));
      tokens.push(`${line}:${ch} ${journeysText.split('\n')[line].slice(ch, ch + data[i + 2])} ${legend.tokenTypes[data[i + 3]]}${mods.length ? '.' + mods.join('.') : ''}`);
    }
    expect(tokens.slice(0, 16)).toEqual([
      '0:0 journey keyword', '0:8 welcome class.declaration', '1:2 entry keyword', '1:8 on keyword', '1:11 form_submitted event',
      '1:26 where keyword', '1:32 form parameter', '1:37 is keyword', '1:40 "newsletter" string', '2:2 exit keyword', '2:7 when keyword',
      '2:12 stage variable.defaultLibrary', '2:18 >= operator', '2:21 mql enumMember', '4:2 send keyword', '4:7 welcome_email struct',
    ]);
    expect(tokens).toContain('5:7 2 number');
    expect(tokens).toContain('15:19 education namespace');
  });

  test('formatting through the formatter', async () => {
    const uri = await c.open('fmt.nurture', 'content   a {channel:email}\njourney j {\nsend a\n}\n');
    expect(await c.request('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } })).toEqual([
      { range: r(0, 0, 4, 0), newText: 'content a { channel: email }\n\njourney j {\n  send a\n}\n' },
    ]);
    // already formatted: no edit; syntax errors: nothing (the text is left as it is)
    expect(await c.request('textDocument/formatting', { textDocument: { uri: journeys }, options: { tabSize: 2, insertSpaces: true } })).toEqual([]);
    await c.change(uri, 'journey j {\n  send\n');
    expect(await c.request('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } })).toBeNull();
    await c.close(uri);
  });
});

describe('code actions', () => {
  const source = [
    'journey demo {',
    '  entry on form_submited',
    '  send welcom_email',
    '  send brand_new',
    '  if job_level is director {',
    '    wait 2 dayz',
    '  }',
    '}',
    '',
  ].join('\n');
  let uri: string;
  beforeAll(async () => {
    uri = await c.open('actions.nurture', source);
    await c.diagnosticsFor(uri, (d) => d.length > 0);
  });
  afterAll(async () => {
    await c.close(uri);
  });

  interface Action { title: string; kind: string; isPreferred?: boolean; diagnostics: { code: string }[]; edit: { changes: Record<string, { range: Range; newText: string }[]> } }
  const actionsOn = async (line: number) =>
    c.request<Action[]>('textDocument/codeAction', { textDocument: { uri }, range: r(line, 4, line, 4), context: { diagnostics: [] } });
  const end = r(8, 0, 8, 0);

  test('did you mean, and declare the missing event', async () => {
    const actions = await actionsOn(1);
    expect(actions.map((a) => [a.title, a.isPreferred ?? false, a.diagnostics[0].code])).toEqual([
      ['Replace with `form_submitted`', true, 'NUR100'], ['Declare event `form_submited`', false, 'NUR100'],
    ]);
    expect(actions[0].edit).toEqual({ changes: { [uri]: [{ range: r(1, 11, 1, 24), newText: 'form_submitted' }] } });
    expect(actions[1].edit).toEqual({ changes: { [uri]: [{ range: end, newText: '\nevent form_submited\n' }] } });
  });

  test('declare the missing content', async () => {
    expect((await actionsOn(2)).map((a) => a.title)).toEqual(['Replace with `welcome_email`', 'Declare content `welcom_email`']);
    const [declare] = await actionsOn(3);
    expect(declare).toMatchObject({ title: 'Declare content `brand_new`', kind: 'quickfix' });
    expect(declare.edit).toEqual({ changes: { [uri]: [{ range: end, newText: '\ncontent brand_new { channel: email }\n' }] } });
  });

  test('add the missing enumeration member (in the file that declares it)', async () => {
    const actions = await actionsOn(4);
    expect(actions.map((a) => a.title)).toEqual(['Add `director` to the members of `job_level`']);
    expect(actions[0].edit).toEqual({ changes: { [model]: [{ range: r(4, 50, 4, 50), newText: ', director' }] } });
  });

  test('add the missing stage', async () => {
    const other = await c.open('stage-action.nurture', 'on demo_requested {\n  set stage = customer\n}\n');
    await c.diagnosticsFor(other, (d) => d.length > 0);
    const actions = await c.request<Action[]>('textDocument/codeAction', { textDocument: { uri: other }, range: r(1, 16, 1, 16), context: { diagnostics: [] } });
    expect(actions.map((a) => [a.title, a.diagnostics[0].code])).toEqual([['Add `customer` to the stages', 'NUR104']]);
    expect(actions[0].edit).toEqual({ changes: { [model]: [{ range: r(22, 28, 22, 28), newText: ', customer' }] } });
    await c.close(other);
  });

  test('the checker\'s own fixes (a misspelt unit)', async () => {
    const actions = await actionsOn(5);
    expect(actions.map((a) => a.title)).toEqual(['Replace with `days`']);
    expect(actions[0].edit).toEqual({ changes: { [uri]: [{ range: r(5, 11, 5, 15), newText: 'days' }] } });
  });
});
