// What the boot.bf NAND programmer writes (edl sheet §2.1): the XML declaration, LF, `<data>`, LF,
// one element, LF, `</data>` — no trailing newline, no indentation, one message per USB transfer.
// Logs close with `"/>` (no space), responses with `" />`. Strings are byte strings (latin1), as in
// the C programmer; a log value is cut at 255 bytes like its 256-byte vsnprintf buffer, which also
// keeps every message far below the 1024 bytes QFirehose reads at once.

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" ?>\n';
export const MAX_LOG_VALUE = 255;

export type ResponseField = readonly [name: string, value: string | number];

export function logMessage(text: string): Uint8Array {
  return latin1(`${XML_DECLARATION}<data>\n<log value="${text.slice(0, MAX_LOG_VALUE)}"/>\n</data>`);
}

/** `<response value="ACK" />`, or with fields: `<response value="ACK" rawmode="true" />`. */
export function responseMessage(ack: boolean, fields: readonly ResponseField[] = []): Uint8Array {
  const attributes = fields.map(([name, value]) => `${name}="${value}" `).join('');
  return latin1(`${XML_DECLARATION}<data>\n<response value="${ack ? 'ACK' : 'NAK'}" ${attributes}/>\n</data>`);
}

export function latin1(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text, 'latin1'));
}

export function fromLatin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
