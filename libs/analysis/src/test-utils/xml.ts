/**
 * A tiny strict XML parser for tests: elements, attributes, text, comments; entities limited to
 * the five predefined ones and numeric references. Throws on anything not well-formed (unclosed or
 * mismatched tags, unquoted or duplicate attributes, '<' in attribute values, bare '&', text
 * outside the root). Returns the root element as a small tree.
 */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_:][A-Za-z0-9_:.-]*/;
const ENTITY = /^&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);/;

function decode(raw: string, where: number): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== '&') {
      out += raw[i];
      continue;
    }
    const m = ENTITY.exec(raw.slice(i));
    if (!m) throw new Error(`xml: bare '&' near offset ${where + i}`);
    const e = m[1];
    out += e === 'amp' ? '&' : e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : e === 'apos' ? "'" : String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    i += m[0].length - 1;
  }
  return out;
}

export function parseXml(text: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const skipWs = (): void => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  if (text.startsWith('<?xml')) i = text.indexOf('?>') + 2;
  while (i < text.length) {
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i);
      if (end < 0) throw new Error('xml: unclosed comment');
      i = end + 3;
    } else if (text.startsWith('</', i)) {
      i += 2;
      const m = NAME.exec(text.slice(i));
      if (!m) throw new Error(`xml: bad closing tag at ${i}`);
      i += m[0].length;
      skipWs();
      if (text[i] !== '>') throw new Error(`xml: expected '>' at ${i}`);
      i++;
      const open = stack.pop();
      if (!open || open.name !== m[0]) throw new Error(`xml: </${m[0]}> closes <${open?.name ?? 'nothing'}>`);
    } else if (text[i] === '<') {
      i++;
      const m = NAME.exec(text.slice(i));
      if (!m) throw new Error(`xml: bad tag name at ${i}`);
      i += m[0].length;
      const attrs: Record<string, string> = {};
      for (;;) {
        const before = i;
        skipWs();
        if (text.startsWith('/>', i) || text[i] === '>') break;
        if (i === before) throw new Error(`xml: expected whitespace before attribute at ${i}`);
        const a = NAME.exec(text.slice(i));
        if (!a) throw new Error(`xml: bad attribute name at ${i}`);
        i += a[0].length;
        if (text[i] !== '=') throw new Error(`xml: attribute ${a[0]} without '=' at ${i}`);
        i++;
        const q = text[i];
        if (q !== '"' && q !== "'") throw new Error(`xml: unquoted attribute ${a[0]} at ${i}`);
        const end = text.indexOf(q, i + 1);
        if (end < 0) throw new Error(`xml: unclosed attribute ${a[0]}`);
        const raw = text.slice(i + 1, end);
        if (raw.includes('<')) throw new Error(`xml: '<' in attribute ${a[0]}`);
        if (Object.prototype.hasOwnProperty.call(attrs, a[0])) throw new Error(`xml: duplicate attribute ${a[0]}`);
        attrs[a[0]] = decode(raw, i + 1);
        i = end + 1;
      }
      const el: XmlElement = { name: m[0], attrs, children: [], text: '' };
      if (stack.length > 0) stack[stack.length - 1].children.push(el);
      else if (root) throw new Error('xml: more than one root element');
      else root = el;
      if (text.startsWith('/>', i)) i += 2;
      else {
        i++;
        stack.push(el);
      }
    } else {
      const next = text.indexOf('<', i);
      const raw = text.slice(i, next < 0 ? text.length : next);
      if (stack.length === 0 && raw.trim() !== '') throw new Error(`xml: text outside the root at ${i}`);
      if (raw.includes('>') && raw.includes(']]>')) throw new Error("xml: ']]>' in text");
      if (stack.length > 0) stack[stack.length - 1].text += decode(raw, i);
      i = next < 0 ? text.length : next;
    }
  }
  if (stack.length > 0) throw new Error(`xml: unclosed <${stack[stack.length - 1].name}>`);
  if (!root) throw new Error('xml: no root element');
  return root;
}

/** Every element in document order (the root first) that satisfies `pred`. */
export function findAll(el: XmlElement, pred: (e: XmlElement) => boolean): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    if (pred(e)) out.push(e);
    e.children.forEach(walk);
  };
  walk(el);
  return out;
}

/** Elements whose class attribute contains `cls`. */
export const byClass = (el: XmlElement, cls: string): XmlElement[] => findAll(el, (e) => (e.attrs.class ?? '').split(/\s+/).includes(cls));

/** All text below an element, concatenated. */
export function textOf(el: XmlElement): string {
  return el.text + el.children.map(textOf).join('');
}

/** "x,y x,y" -> [[x, y], ...] */
export function points(attr: string | undefined): number[][] {
  if (!attr) return [];
  return attr.split(' ').map((p) => p.split(',').map(Number));
}
