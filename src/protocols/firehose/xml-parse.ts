// Device → host documents are flat: `<data>` holding one `<response …/>` or `<log …/>`
// (edl-protocols.md §2.1). A small attribute-only scanner reads them; it is lenient where device
// firmware is sloppy (no space before `/>`, a stray `"` inside a log value, comments).

export interface FirehoseElement {
  readonly tag: string;
  /** Attribute names as sent; look them up with `attribute()` (the protocol is case-insensitive). */
  readonly attributes: Readonly<Record<string, string>>;
}

/** Every element inside `<data>` (the declaration, comments and `<data>` itself skipped). */
export function parseFirehoseDocument(text: string): FirehoseElement[] {
  const elements: FirehoseElement[] = [];
  let at = 0;
  for (;;) {
    const open = text.indexOf('<', at);
    if (open < 0) return elements;
    if (text.startsWith('<?', open)) at = skipPast(text, open, '?>');
    else if (text.startsWith('<!--', open)) at = skipPast(text, open, '-->');
    else if (text.startsWith('</', open)) at = skipPast(text, open, '>');
    else {
      const [element, end] = parseElement(text, open + 1);
      if (element !== undefined && element.tag.toLowerCase() !== 'data') elements.push(element);
      at = end;
    }
  }
}

/** Case-insensitive attribute lookup (§2.1: names are matched case-insensitively). */
export function attribute(element: FirehoseElement, name: string): string | undefined {
  const exact = element.attributes[name];
  if (exact !== undefined) return exact;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(element.attributes)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

function skipPast(text: string, from: number, marker: string): number {
  const end = text.indexOf(marker, from);
  return end < 0 ? text.length : end + marker.length;
}

function parseElement(text: string, from: number): [FirehoseElement | undefined, number] {
  const nameMatch = /^[A-Za-z_][\w.:-]*/.exec(text.slice(from, from + 64));
  if (nameMatch === null) return [undefined, from];
  const tag = nameMatch[0];
  const attributes: Record<string, string> = {};
  let at = from + tag.length;
  for (;;) {
    while (at < text.length && /\s/.test(text.charAt(at))) at += 1;
    if (at >= text.length) return [{ tag, attributes }, at];
    const ch = text.charAt(at);
    if (ch === '>') return [{ tag, attributes }, at + 1];
    if (ch === '/') {
      at += 1;
      continue;
    }
    const attrName = /^[^\s=/>]+/.exec(text.slice(at, at + 128));
    if (attrName === null) {
      at += 1;
      continue;
    }
    at += attrName[0].length;
    while (at < text.length && /\s/.test(text.charAt(at))) at += 1;
    if (text.charAt(at) !== '=') {
      attributes[attrName[0]] = '';
      continue;
    }
    at += 1;
    while (at < text.length && /\s/.test(text.charAt(at))) at += 1;
    const [value, end] = readValue(text, at);
    attributes[attrName[0]] = decodeEntities(value);
    at = end;
  }
}

/**
 * A quoted value. A quote closes it only when what follows is the end of the tag or another
 * `name=`, so a log line with a stray `"` inside keeps its text.
 */
function readValue(text: string, at: number): [string, number] {
  const quote = text.charAt(at);
  if (quote !== '"' && quote !== "'") {
    const bare = /^[^\s/>]*/.exec(text.slice(at))?.[0] ?? '';
    return [bare, at + bare.length];
  }
  let end = at + 1;
  for (;;) {
    end = text.indexOf(quote, end);
    if (end < 0) return [text.slice(at + 1), text.length];
    if (CLOSES_VALUE.test(text.slice(end + 1, end + 130))) return [text.slice(at + 1, end), end + 1];
    end += 1;
  }
}

const CLOSES_VALUE = /^(?:$|\s*\/?>|\s+[^\s=/>"']+\s*=)/;

const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (whole, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    return NAMED[entity] ?? whole;
  });
}
