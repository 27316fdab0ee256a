// A strict little XML parser for the tests (no XML library among the dependencies): elements,
// attributes, text, the five entities and character references, one root, a prolog. It throws on what
// is not well-formed (unclosed or mismatched tags, a bare `&` or `<`, a duplicate attribute, a
// character XML 1.0 forbids), which is what a CI's JUnit reader would choke on.
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_:][\w.:-]*/;
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

function decode(raw: string, where: string): string {
  if (/<|&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(raw)) throw new Error(`bare < or & in ${where}: ${raw.slice(0, 60)}`);
  return raw.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) =>
    e === 'amp' ? '&' : e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : e === 'apos' ? "'"
      : String.fromCodePoint(e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)));
}

export function parseXml(xml: string): XmlElement {
  if (FORBIDDEN.test(xml)) throw new Error('a character XML 1.0 forbids');
  let i = 0;
  const prolog = /^<\?xml[^?]*\?>\s*/.exec(xml);
  if (prolog) i = prolog[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < xml.length) {
    if (xml.startsWith('</', i)) {
      const m = /^<\/([A-Za-z_:][\w.:-]*)\s*>/.exec(xml.slice(i));
      const open = stack.pop();
      if (!m || !open || m[1] !== open.name) throw new Error(`mismatched closing tag at ${i}`);
      i += m[0].length;
    } else if (xml[i] === '<') {
      const name = NAME.exec(xml.slice(i + 1));
      if (!name) throw new Error(`bad tag at ${i}`);
      i += 1 + name[0].length;
      const el: XmlElement = { name: name[0], attrs: {}, children: [], text: '' };
      for (;;) {
        const ws = /^\s*/.exec(xml.slice(i))![0];
        i += ws.length;
        if (xml.startsWith('/>', i) || xml[i] === '>') break;
        const a = /^([A-Za-z_:][\w.:-]*)="([^"]*)"/.exec(xml.slice(i));
        if (!a || ws === '') throw new Error(`bad attribute in <${el.name}> at ${i}`);
        if (a[1]! in el.attrs) throw new Error(`duplicate attribute ${a[1]} in <${el.name}>`);
        el.attrs[a[1]!] = decode(a[2]!, `attribute ${a[1]}`);
        i += a[0].length;
      }
      if (stack.length > 0) stack[stack.length - 1]!.children.push(el);
      else if (root) throw new Error('a second root element');
      else root = el;
      if (xml.startsWith('/>', i)) i += 2;
      else {
        i += 1;
        stack.push(el);
      }
    } else {
      const end = xml.indexOf('<', i);
      const raw = xml.slice(i, end < 0 ? xml.length : end);
      if (stack.length === 0) {
        if (raw.trim() !== '') throw new Error('text outside the root element');
      } else {
        stack[stack.length - 1]!.text += decode(raw, 'text');
      }
      i += raw.length;
    }
  }
  if (stack.length > 0) throw new Error(`<${stack[stack.length - 1]!.name}> is not closed`);
  if (!root) throw new Error('no root element');
  return root;
}
