import { problem, type PackageProblem } from './problems.js';

// Quectel's rawprogram/patch XML read the way QFirehose reads it: line by line, one self-closing
// element per line inside <data>…</data> (quectel-ec25.md §2.7; edl-protocols.md §2.9 — QFirehose
// forwards each line verbatim, so a tag split over lines is not a tag). Anything else is reported
// with the file and line, and a file that stops before </data> is called truncated.

export interface XmlAttribute {
  readonly name: string;
  readonly value: string;
}

export interface XmlLineElement {
  /** 1-based. */
  readonly line: number;
  readonly tag: string;
  /** In file order, names as written. */
  readonly attributes: readonly XmlAttribute[];
}

export interface LineXmlResult {
  readonly elements: readonly XmlLineElement[];
  readonly problems: readonly PackageProblem[];
}

/** Attribute names are matched case-insensitively, as the NAND programmer does (edl-protocols.md §2.1). */
export function attributeOf(element: XmlLineElement, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return element.attributes.find((entry) => entry.name.toLowerCase() === wanted)?.value;
}

/** A garbage file would otherwise give one problem per line. */
const MAX_PROBLEMS_PER_FILE = 10;

const TAG = /^<([A-Za-z_][\w.-]*)/y;
const ATTRIBUTE = /\s+([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/y;
const CLOSE = /\s*\/>$/y;

type State = 'prolog' | 'data' | 'done';

export function parseLineXml(text: string, file: string): LineXmlResult {
  const elements: XmlLineElement[] = [];
  const problems: PackageProblem[] = [];
  const report = (entry: PackageProblem): void => {
    if (problems.length < MAX_PROBLEMS_PER_FILE) problems.push(entry);
    else if (problems.length === MAX_PROBLEMS_PER_FILE) problems.push(problem('XML_MALFORMED', 'more problems follow; not listed', { file }));
  };
  // A control character means this is not a text file at all: one problem says so.
  const binary = firstControlCharacter(text);
  if (binary >= 0) {
    const line = text.slice(0, binary).split(/\r\n|\r|\n/).length;
    return { elements, problems: [problem('XML_MALFORMED', 'is not a text file (binary bytes)', { file, line })] };
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const lastContent = findLastContentLine(lines);
  let state: State = 'prolog';
  let inComment = false;
  let declarations = 0;
  for (const [index, raw] of lines.entries()) {
    const line = index + 1;
    const where = { file, line };
    const trimmed = raw.trim();
    if (trimmed === '') continue;
    if (inComment) {
      const end = trimmed.indexOf('-->');
      if (end >= 0) {
        inComment = false;
        if (trimmed.slice(end + 3).trim() !== '') report(problem('XML_MALFORMED', 'text after the end of a comment', where));
      }
      continue;
    }
    if (trimmed.startsWith('<!--')) {
      const end = trimmed.indexOf('-->', 4);
      if (end < 0) inComment = true;
      else if (end + 3 !== trimmed.length) report(problem('XML_MALFORMED', 'text after a comment on the same line', where));
      continue;
    }
    if (trimmed.startsWith('<?xml')) {
      declarations += 1;
      if (state !== 'prolog' || declarations > 1 || !trimmed.endsWith('?>')) report(problem('XML_MALFORMED', 'misplaced or broken XML declaration', where));
      continue;
    }
    if (/^<data\s*>$/i.test(trimmed)) {
      if (state !== 'prolog') report(problem('XML_MALFORMED', 'a second <data>', where));
      state = 'data';
      continue;
    }
    if (/^<\/data\s*>$/i.test(trimmed)) {
      if (state !== 'data') report(problem('XML_MALFORMED', '</data> without <data>', where));
      state = 'done';
      continue;
    }
    if (state === 'done') {
      report(problem('XML_MALFORMED', 'content after </data>', where));
      continue;
    }
    const element = parseElementLine(trimmed, line);
    if (typeof element === 'string') {
      const truncated = index === lastContent && trimmed.startsWith('<') && !trimmed.endsWith('>');
      report(problem(truncated ? 'XML_TRUNCATED' : 'XML_MALFORMED', truncated ? `the file ends inside an element: ${clip(trimmed)}` : `${element}: ${clip(trimmed)}`, where));
      continue;
    }
    if (state !== 'data') {
      report(problem('XML_MALFORMED', `<${element.tag}> outside <data>`, where));
      continue;
    }
    elements.push(element);
  }
  const endLine = lines.length;
  if (inComment) report(problem('XML_TRUNCATED', 'the file ends inside a comment', { file, line: endLine }));
  else if (state === 'prolog') report(problem('XML_TRUNCATED', 'no <data> element (empty or cut short)', { file, line: endLine }));
  else if (state === 'data') report(problem('XML_TRUNCATED', 'no closing </data>: the file was cut short', { file, line: endLine }));
  return { elements, problems };
}

/** The element, or why the line is not one. */
function parseElementLine(text: string, line: number): XmlLineElement | string {
  TAG.lastIndex = 0;
  const tag = TAG.exec(text);
  if (tag === null) return 'not an element';
  let at = TAG.lastIndex;
  const attributes: XmlAttribute[] = [];
  const seen = new Set<string>();
  for (;;) {
    ATTRIBUTE.lastIndex = at;
    const match = ATTRIBUTE.exec(text);
    if (match === null) break;
    const name = match[1] ?? '';
    if (seen.has(name.toLowerCase())) return `attribute ${name} given twice`;
    seen.add(name.toLowerCase());
    const value = decodeEntities(match[2] ?? match[3] ?? '');
    if (value === undefined) return `attribute ${name} has an unknown &entity;`;
    attributes.push({ name, value });
    at = ATTRIBUTE.lastIndex;
  }
  CLOSE.lastIndex = at;
  if (CLOSE.exec(text) === null) return text.endsWith('/>') ? 'an attribute is not name="value"' : 'the element is not self-closing on one line';
  return { line, tag: tag[1] ?? '', attributes };
}

const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(value: string): string | undefined {
  let decoded = '';
  let at = 0;
  for (const match of value.matchAll(/&(#x[0-9a-fA-F]+|#\d+|[A-Za-z]+);?/g)) {
    const whole = match[0];
    const body = match[1] ?? '';
    let text: string | undefined;
    if (!whole.endsWith(';')) text = undefined;
    else if (body.startsWith('#')) text = fromCodePoint(body.startsWith('#x') ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10));
    else text = NAMED[body];
    if (text === undefined) return undefined;
    decoded += value.slice(at, match.index) + text;
    at = match.index + whole.length;
  }
  return decoded + value.slice(at);
}

function fromCodePoint(code: number): string | undefined {
  return Number.isSafeInteger(code) && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}

/** Index of the first C0 control character other than tab, LF, VT, FF, CR; -1 if none. */
function firstControlCharacter(text: string): number {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x20 && (code < 0x09 || code > 0x0d)) return index;
  }
  return -1;
}

function findLastContentLine(lines: readonly string[]): number {
  for (let index = lines.length - 1; index >= 0; index -= 1) if ((lines[index] ?? '').trim() !== '') return index;
  return -1;
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
