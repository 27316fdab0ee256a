// A small, strict XML well-formedness check for the SVG output (no dependency): an optional XML
// declaration, then one root element; tags balanced; names and attributes well formed, no attribute
// twice; `<` never in text or attribute values; `&` only as a predefined or numeric entity; nothing
// but white space after the root. Returns the element tree for further assertions.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text, entities decoded. */
  text: string;
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*$/;
const ENTITY = /&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/g;

function decode(raw: string, where: string): string {
  if (raw.includes('<')) throw new Error(`\`<\` in ${where}`);
  if (/&/.test(raw.replace(ENTITY, ''))) throw new Error(`a bare \`&\` in ${where}: ${JSON.stringify(raw)}`);
  return raw.replace(ENTITY, (e) => {
    const named: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };
    if (named[e]) return named[e]!;
    return String.fromCodePoint(e[2] === 'x' ? parseInt(e.slice(3, -1), 16) : parseInt(e.slice(2, -1), 10));
  });
}

function parseAttrs(src: string, tag: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  let rest = src;
  while (rest.trim() !== '') {
    const m = /^\s+([^\s=]+)\s*=\s*("([^"]*)"|'([^']*)')/.exec(rest);
    if (!m) throw new Error(`malformed attributes in <${tag}>: ${JSON.stringify(rest)}`);
    const name = m[1]!;
    if (!NAME.test(name)) throw new Error(`bad attribute name \`${name}\` in <${tag}>`);
    if (Object.hasOwn(attrs, name)) throw new Error(`attribute \`${name}\` twice in <${tag}>`);
    attrs[name] = decode(m[3] ?? m[4]!, `attribute ${name} of <${tag}>`);
    rest = rest.slice(m[0].length);
  }
  return attrs;
}

export function parseXml(text: string): XmlElement {
  let i = 0;
  const decl = /^<\?xml\s[^?]*\?>/.exec(text);
  if (decl) i = decl[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = text.slice(i, lt < 0 ? text.length : lt);
    if (stack.length === 0) {
      if (chunk.trim() !== '') throw new Error(`text outside the root element: ${JSON.stringify(chunk.slice(0, 40))}`);
    } else {
      stack[stack.length - 1]!.text += decode(chunk, `the text of <${stack[stack.length - 1]!.name}>`);
    }
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end < 0) throw new Error('unterminated comment');
      i = end + 3;
      continue;
    }
    const gt = text.indexOf('>', lt);
    if (gt < 0) throw new Error('unterminated tag');
    const tag = text.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`</${name}> closes <${open?.name ?? 'nothing'}>`);
      continue;
    }
    if (tag.startsWith('?') || tag.startsWith('!')) throw new Error(`unexpected <${tag.slice(0, 20)}>`);
    const selfClosing = tag.endsWith('/');
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const m = /^([^\s/>]+)([\s\S]*)$/.exec(body);
    if (!m || !NAME.test(m[1]!)) throw new Error(`bad tag <${tag.slice(0, 30)}>`);
    const el: XmlElement = { name: m[1]!, attrs: parseAttrs(m[2]!, m[1]!), children: [], text: '' };
    if (stack.length === 0) {
      if (root) throw new Error(`a second root element <${el.name}>`);
      root = el;
    } else {
      stack[stack.length - 1]!.children.push(el);
    }
    if (!selfClosing) stack.push(el);
  }
  if (stack.length > 0) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (!root) throw new Error('no root element');
  return root;
}

/** Every element of the tree, depth first. */
export function elements(el: XmlElement): XmlElement[] {
  return [el, ...el.children.flatMap(elements)];
}
