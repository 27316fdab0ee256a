// Escaping, format by format: what each renderer does to quotes, `<>&`, its own special characters and
// Unicode names, and that the texts come back unchanged once decoded the way each tool decodes them.
import { describe, expect, it } from 'vitest';
import { dotEscape, journeyGraph, mermaidEscape, nodeText, renderDot, renderMermaid, renderSvgDocument, xmlEscape } from '../../compiler/graph/index.js';
import { checkDot } from './dot-check.js';
import { checkMermaid } from './mermaid-check.js';
import { planOf, planOfFile, STEPS } from './helpers.js';
import { elements, parseXml } from './xml.js';

const NASTY = 'say "hi" <b> & #1 | `x` \\ end';

describe('mermaid', () => {
  it('writes quotes, markup, entities, backslashes, backticks and pipes as entity codes', () => {
    expect(mermaidEscape(NASTY)).toBe('say #quot;hi#quot; #lt;b#gt; #amp; #35;1 #124; #96;x#96; #92; end');
    expect(mermaidEscape('#quot;')).toBe('#35;quot;'); // a literal entity code stays literal
    expect(mermaidEscape('a\\nb')).toBe('a#92;nb'); // not a line break
  });

  it('leaves Unicode letters and the rest of the punctuation alone', () => {
    expect(mermaidEscape('accueil_été 日本 50% (a) [b] {c} x:y; end')).toBe('accueil_été 日本 50% (a) [b] {c} x:y; end');
  });

  it('never lets a name become a node id', () => {
    const p = planOf([{ path: 'a.nurture', text: 'event e\ncontent x { channel: email }\nchannel email\njourney end {\n  entry on e\n  send x\n}\n' }]);
    const chart = checkMermaid(renderMermaid(p, ['end']));
    expect([...chart.nodes.keys()]).toEqual(['j0_start', 'j0_s0', 'j0_done']);
    expect(chart.subgraphs.get('j0')).toBe('journey end');
  });
});

describe('dot', () => {
  it('backslash-escapes quotes and backslashes, writes & as an entity and line breaks as \\n', () => {
    expect(dotEscape(NASTY)).toBe('say \\"hi\\" <b> &amp; #1 | `x` \\\\ end');
    expect(dotEscape('a\nb')).toBe('a\\nb');
    expect(dotEscape('\\N \\G')).toBe('\\\\N \\\\G'); // not Graphviz's node-name escapes
    expect(dotEscape('accueil_été')).toBe('accueil_été');
  });
});

describe('svg', () => {
  it('escapes the XML specials and drops what XML cannot hold', () => {
    expect(xmlEscape(NASTY)).toBe('say &quot;hi&quot; &lt;b&gt; &amp; #1 | `x` \\ end');
    expect(xmlEscape('a\u0001b\u000bc\td\ne')).toBe('a\ufffdb\ufffdc\td\ne');
    expect(xmlEscape('x\ud800y 😀')).toBe('x\ufffdy 😀');
  });
});

describe('the fixture, decoded as each tool reads it', () => {
  const plan = planOfFile(STEPS);
  const names = ['onboarding', 'renewals', 'accueil_été'];
  const texts = names.flatMap((j) => journeyGraph(plan, j).nodes.filter((n) => n.header.length === 0).map(nodeText));
  const edgeLabels = names.flatMap((j) => journeyGraph(plan, j).edges.map((e) => e.label)).filter((l) => l);

  it('mermaid: every label decodes back to the text', () => {
    const chart = checkMermaid(renderMermaid(plan, names));
    const decode = (s: string) =>
      s.replace(/#(quot|amp|lt|gt|[0-9]+);/g, (_, c: string) => ({ quot: '"', amp: '&', lt: '<', gt: '>' })[c] ?? String.fromCharCode(Number(c)));
    const shown = [...chart.nodes.values()].filter((l) => !l.includes('<br/>')).map(decode);
    expect(shown).toEqual(texts);
    expect(chart.edges.map((e) => e.label).filter((l) => l !== null).map((l) => decode(l!))).toEqual(edgeLabels);
    const header = decode(chart.nodes.get('j0_start')!).split('<br/>');
    expect(header[1]).toBe(`entry on signed_up where source is ${JSON.stringify(NASTY)}`);
  });

  it('dot: every label decodes back to the text', () => {
    const g = checkDot(renderDot(plan, names));
    expect([...g.nodes.values()].filter((l) => !l.includes('\n'))).toEqual(texts);
    expect(g.edges.map((e) => e.label).filter((l) => l !== null)).toEqual(edgeLabels);
    expect(g.clusters).toEqual(names.map((n) => `journey ${n}`));
    expect(g.nodes.get('j0_start')!.split('\n')[1]).toBe(`entry on signed_up where source is ${JSON.stringify(NASTY)}`);
  });

  it('svg: the texts come back from the parsed document (short ones whole, long ones as the tooltip)', () => {
    const doc = parseXml(renderSvgDocument(plan, names));
    const all = elements(doc);
    const shown = all.filter((e) => e.name === 'text').map((e) => e.text);
    expect(shown).toContain('set company = "A&B <Co>"'.slice(4)); // the detail line of the `set` node
    expect(shown).toContain('"sales & \\"success\\""');
    expect(shown).toContain('remove from');
    expect(shown).toContain('accueil_été');
    expect(shown).toContain('journey accueil_été');
    const tooltips = all.filter((e) => e.name === 'title').map((e) => e.text);
    expect(tooltips.some((t) => t.includes(`entry on signed_up where source is ${JSON.stringify(NASTY)}`))).toBe(true);
    expect(tooltips).toContain('else if plan is pro and company is known');
  });
});
