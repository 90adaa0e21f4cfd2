// How the boot.bf NAND programmer reads a host packet (edl sheet §2.1: hand-written parser;
// QC-FH-NAND RemoveEverythingButTags / DetermineTag / DetermineAttributes). It is not an XML
// parser, and hosts that work with real modules work with its quirks, so we keep them:
// - comments are blanked; the `<?xml version … >` declaration is blanked up to its '>' and a
//   second declaration ends the packet; a packet without a declaration keeps its `<data>` and
//   fails as an unrecognised tag 'data';
// - the last closing tag (`</data>`) and everything up to its opening tag are blanked;
// - the tag name runs to the first space or '>'; a command's name matches when it is a
//   case-insensitive *prefix* of a table entry (`<prog …` is program);
// - attributes are `name="value"` separated by whitespace and end at '/'; a tag without
//   attributes is rejected ("Could not find '=' character") — so `<nop />` is NAKed (§2.7);
// - names and values longer than 80 characters are refused; `"`, `<`, `>` inside become '_'.
// The ERROR texts below are the programmer's own.

/** The tag table of the boot.bf 3.1.2 NAND build, in order (§2.2 "Supported Functions"). */
export const FIREHOSE_TAGS = ['program', 'configure', 'power', 'benchmark', 'read', 'getstorageinfo', 'erase', 'nop'] as const;
export type FirehoseTag = (typeof FIREHOSE_TAGS)[number];

const MAX_TAG_NAME = 30;
const MAX_ATTRIBUTE_TEXT = 80;
const MAX_PACKET = 4096;

export interface RawAttribute {
  readonly name: string;
  readonly value: string;
}

export type ReadPacket =
  /** The tag could not be determined: log `logs`, NAK. */
  | { readonly ok: false; readonly logs: readonly string[] }
  /**
   * The tag and the attributes read before any error. When `attributeError` is set the packet is
   * NAKed after those attributes were assigned, with these logs (possibly none).
   */
  | { readonly ok: true; readonly tag: FirehoseTag; readonly attributes: readonly RawAttribute[]; readonly attributeError?: readonly string[] };

export function readPacket(text: string): ReadPacket {
  const { packet, logs } = stripEnvelope(text);
  let pos = 0;
  while (pos < packet.length && isSpace(packet[pos])) pos += 1;
  if (pos >= packet.length) return { ok: false, logs: [...logs, 'ERROR: XML packet not formed correctly. Ran out of room looking for TAG'] };
  if (packet[pos] !== '<') return { ok: false, logs: [...logs, `ERROR: XML not formed correctly. Expected a &lt; character at loc ${pos}`] };
  pos += 1;
  let name: string;
  const close = firstOf(packet, pos, ['>', ' ']);
  if (close !== -1 && packet[close] === '>') {
    name = packet.slice(pos, close);
    pos = close + 1;
  } else {
    if (close === -1) return { ok: false, logs: [...logs, `ERROR: XML not formed correctly. Expected one SPACE character at loc ${pos}`] };
    if (close - pos > MAX_TAG_NAME) return { ok: false, logs: [...logs, `ERROR: The XML TAG is too long (${close - pos} chars) only ${MAX_TAG_NAME} chars allowed`] };
    name = packet.slice(pos, close);
    pos = close + 1;
  }
  name = unbanned(name);
  const tag = FIREHOSE_TAGS.find((entry) => entry.startsWith(name.toLowerCase()));
  if (tag === undefined) return { ok: false, logs: [...logs, `**WARNING Ignoring Unrecognized tag '${name}'`] };
  return { ok: true, tag, ...readAttributes(packet, pos) };
}

function readAttributes(packet: string, start: number): { attributes: RawAttribute[]; attributeError?: string[] } {
  const attributes: RawAttribute[] = [];
  const fail = (...logs: string[]): { attributes: RawAttribute[]; attributeError: string[] } => ({ attributes, attributeError: logs });
  let pos = start;
  while (pos < packet.length) {
    const equals = packet.indexOf('=', pos);
    if (equals === -1) return fail("XML not formed correctly. Could not find '=' character");
    if (equals - pos > MAX_ATTRIBUTE_TEXT) return fail(`The value for XML attribute is too long (${equals - pos} chars) only ${MAX_ATTRIBUTE_TEXT} chars allowed`);
    const name = unbanned(packet.slice(pos, equals));
    pos = equals + 1;
    if (packet[pos] !== '"') return fail(`XML not formed correctly. Expected one &quot; character at loc ${pos}`);
    pos += 1;
    const quote = packet.indexOf('"', pos);
    if (quote === -1) return fail(`XML not formed correctly. Expected one &quot; character at loc ${pos}`);
    if (quote - pos > MAX_ATTRIBUTE_TEXT) return fail(`The value for XML attribute '${name}' is too long (${quote - pos} chars) only ${MAX_ATTRIBUTE_TEXT} chars allowed`);
    attributes.push({ name, value: unbanned(packet.slice(pos, quote)) });
    pos = quote + 1;
    while (pos < packet.length && isSpace(packet[pos])) pos += 1;
    if (pos >= packet.length) return fail('XML packet not formed correctly. Ran out of room looking for ATTRIBUTES');
    if (packet[pos] === '/') return { attributes };
  }
  return fail();
}

function stripEnvelope(text: string): { packet: string; logs: string[] } {
  let packet = blankComments(text);
  const logs: string[] = [];
  const declaration = packet.indexOf('xml version');
  if (declaration === -1) return { packet, logs };
  const end = packet.indexOf('>', declaration);
  if (end !== -1) packet = ' '.repeat(end + 1) + packet.slice(end + 1);
  const second = packet.indexOf('xml version');
  if (second !== -1) packet = packet.slice(0, second);
  const closing = lastClosingTag(packet);
  if (closing === undefined) return { packet, logs };
  packet = packet.slice(0, closing.start) + ' '.repeat(closing.end - closing.start) + packet.slice(closing.end);
  const opening = `<${closing.name}>`;
  const at = packet.indexOf(opening);
  if (at === -1) {
    logs.push(`ERROR: Either closing tag is bigger than ${MAX_PACKET} bytes, or the XML file is not formed correctly`, `ERROR: Could not find '${opening}' tag`);
    return { packet, logs };
  }
  packet = ' '.repeat(at + opening.length) + packet.slice(at + opening.length);
  return { packet, logs };
}

/** The last `</name>` of the packet, found scanning backwards as the programmer does. */
function lastClosingTag(packet: string): { start: number; end: number; name: string } | undefined {
  let right = -1;
  let slash = -1;
  for (let index = packet.length - 1; index > 0; index -= 1) {
    const char = packet[index];
    if (char === '>') right = index;
    if (right > 0 && char === '/') slash = index;
    if (right > 0 && slash > 0 && char === '<') {
      if (slash !== index + 1) return undefined;
      return { start: index, end: right + 1, name: packet.slice(slash + 1, right) };
    }
  }
  return undefined;
}

function blankComments(text: string): string {
  return text.replace(/<!--[\s\S]*?(-->|$)/g, (comment) => ' '.repeat(comment.length));
}

function firstOf(text: string, from: number, chars: readonly string[]): number {
  for (let index = from; index < text.length; index += 1) if (chars.includes(text[index] ?? '')) return index;
  return -1;
}

function isSpace(char: string | undefined): boolean {
  return char === '\n' || char === '\r' || char === '\t' || char === ' ';
}

function unbanned(text: string): string {
  return text.replace(/["<>]/g, '_');
}
