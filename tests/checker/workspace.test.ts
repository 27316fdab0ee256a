// The Workspace API and the model's reference index, as the language server will use them.
import { describe, expect, it } from 'vitest';
import { Workspace, checkSources } from '../../compiler/workspace.js';
import { pos } from './helpers.js';

const MODEL = 'lead { budget: number, email_ok: bool }\nevent demo\nchannel email { consent: email_ok }\ncontent promo { channel: email }\n';
const USES = 'journey j {\n  entry on demo\n  if budget > 3 { send promo }\n  send promo\n}\n';

describe('Workspace', () => {
  it('checks many files as one namespace and sorts diagnostics', () => {
    const ws = new Workspace();
    ws.setFile('b.nurture', 'journey k { entry on demo  send promoo }');
    ws.setFile('a.nurture', MODEL);
    const { diagnostics } = ws.check();
    expect(diagnostics.map((d) => [d.file, d.code])).toEqual([['b.nurture', 'NUR100']]);
  });

  it('includes the parser diagnostics', () => {
    const { diagnostics } = checkSources([{ path: 'x.nurture', text: 'segment s = \nsegment t = budget > 1' }]);
    expect(diagnostics.map((d) => d.code)).toEqual(['NUR001', 'NUR100']);
  });

  it('caches the result until a file changes', () => {
    const ws = new Workspace();
    ws.setFile('a.nurture', MODEL);
    const first = ws.check();
    expect(ws.check().model).toBe(first.model);
    ws.setFile('a.nurture', MODEL); // same text: nothing changes
    expect(ws.check().model).toBe(first.model);
    const expected = ws.check().diagnostics;
    expect(expected.map((d) => d.code)).toEqual(['NUR307']); // `promo` is not sent yet
    first.diagnostics.length = 0;
    first.diagnostics.push({ ...expected[0]!, code: 'NUR001' }); // a caller's array is its own
    expect(ws.check().diagnostics).toEqual(expected);
    ws.setFile('b.nurture', USES);
    const second = ws.check();
    expect(second.model).not.toBe(first.model);
    expect(second.diagnostics).toEqual([]);
    ws.removeFile('a.nurture');
    const third = ws.check();
    expect(third.diagnostics.map((d) => d.message)).toEqual([
      'unknown event `demo`', 'unknown attribute, score or segment `budget`', 'unknown content `promo`', 'unknown content `promo`',
    ]);
    expect(ws.files()).toEqual(['b.nurture']);
  });

  it('re-parses only the changed file', () => {
    const ws = new Workspace();
    ws.setFile('a.nurture', MODEL);
    ws.setFile('b.nurture', USES);
    const treeA = ws.parseResult('a.nurture')!.file;
    ws.setFile('b.nurture', USES + '\n');
    expect(ws.parseResult('a.nurture')!.file).toBe(treeA);
    expect(ws.text('b.nurture')).toBe(USES + '\n');
  });
});

describe('the reference index', () => {
  const { model } = checkSources([{ path: 'model.nurture', text: MODEL }, { path: 'uses.nurture', text: USES }]);
  const refs = model.references;

  it('finds the definition under a cursor in another file', () => {
    const at = pos(USES, 'send promo').offset + 'send '.length;
    const ref = refs.at('uses.nurture', at)!;
    expect(ref.declaration).toBe(false);
    expect(ref.symbol.kind).toBe('content');
    expect([ref.symbol.file, ref.symbol.span.line, ref.symbol.span.column]).toEqual(['model.nurture', 4, 9]);
    // the cursor just after the name still counts
    expect(refs.at('uses.nurture', at + 'promo'.length)?.symbol).toBe(ref.symbol);
  });

  it('lists every occurrence of a symbol for find-references and rename', () => {
    const promo = model.contents.get('promo')!;
    const occurrences = refs.referencesTo(promo).map((r) => [r.file, r.span.line, r.declaration]);
    expect(occurrences).toEqual([['model.nurture', 4, true], ['uses.nurture', 3, false], ['uses.nurture', 4, false]]);
    const spansAreTheName = refs.referencesTo(promo).every((r) => r.span.end - r.span.start === 'promo'.length);
    expect(spansAreTheName).toBe(true);
  });

  it('lists a file\'s references in position order', () => {
    const inUses = refs.inFile('uses.nurture').map((r) => r.symbol.name);
    expect(inUses).toEqual(['j', 'demo', 'budget', 'promo', 'promo']);
  });

  it('indexes consent attributes, channels, fields and members', () => {
    const { model: m } = checkSources([{
      path: 'a.nurture',
      text: 'lead { ok: bool, level: one of [low, high] }\nchannel email { consent: ok }\nevent e { f: text }\nsegment s = level is high and has e where f is "x"',
    }]);
    const kinds = m.references.inFile('a.nurture').filter((r) => !r.declaration).map((r) => `${r.symbol.kind}:${r.symbol.name}`);
    expect(kinds).toEqual(['attribute:ok', 'attribute:level', 'enumMember:high', 'event:e', 'field:f']);
  });
});
