import { UsageError } from '../../core/errors.js';

// Host → device documents (edl-protocols.md §2.1): one XML document per transfer, in edl's dialect
// `<?xml version="1.0" ?><data><tag a="b" /></data>` — unindented, one line, attributes as
// name="value" separated by spaces, which the NAND programmer's hand-written parser needs.

export type FirehoseAttributeValue = string | number;
export type FirehoseAttributes = Readonly<Record<string, FirehoseAttributeValue>>;

/** §2.1: the NAND programmer rejects attribute values longer than this. */
export const MAX_ATTRIBUTE_VALUE_LENGTH = 80;
/** §2.1: MaxXMLSizeInBytes, until configure reports another. */
export const DEFAULT_MAX_XML_SIZE = 4096;

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const encoder = new TextEncoder();

export function firehoseCommandText(tag: string, attributes: FirehoseAttributes = {}): string {
  if (!NAME.test(tag)) throw new UsageError(`invalid Firehose tag name ${JSON.stringify(tag)}`);
  const parts = Object.entries(attributes).map(([name, value]) => {
    if (!NAME.test(name)) throw new UsageError(`invalid Firehose attribute name ${JSON.stringify(name)} on <${tag}>`);
    const text = typeof value === 'number' ? formatNumber(value, name) : value;
    if (text.length > MAX_ATTRIBUTE_VALUE_LENGTH) {
      throw new UsageError(`<${tag}> attribute ${name} is ${text.length} characters; the programmer accepts at most ${MAX_ATTRIBUTE_VALUE_LENGTH}`, {
        hint: 'Shorten the value (a filename attribute is informational: the base name is enough).',
      });
    }
    return ` ${name}="${escapeAttribute(text)}"`;
  });
  return `<?xml version="1.0" ?><data><${tag}${parts.join('')} /></data>`;
}

export function encodeFirehoseCommand(tag: string, attributes: FirehoseAttributes = {}): Uint8Array {
  return encoder.encode(firehoseCommandText(tag, attributes));
}

function formatNumber(value: number, name: string): string {
  if (!Number.isSafeInteger(value) || value < 0) throw new UsageError(`Firehose attribute ${name} must be a whole number ≥ 0, got ${value}`);
  return String(value);
}

function escapeAttribute(text: string): string {
  return text.replace(/[&<>"]/g, (ch) => (ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : '&quot;'));
}
