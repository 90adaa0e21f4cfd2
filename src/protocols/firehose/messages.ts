import { attribute, parseFirehoseDocument, type FirehoseElement } from './xml-parse.js';

// The two things a programmer says (edl-protocols.md §2.1): `<response value="ACK|NAK" …/>`, with
// `rawmode="true"` when raw data follows and `rawmode="false"` when it is over, and
// `<log value="…"/>` lines. Anything else is kept as `other` and ignored by the client.

export type FirehoseMessage =
  | {
      readonly kind: 'response';
      readonly acknowledged: boolean;
      /** The value as sent: "ACK" or "NAK". */
      readonly value: string;
      /** `rawmode`; undefined when the attribute is absent. */
      readonly rawMode: boolean | undefined;
      readonly element: FirehoseElement;
    }
  | { readonly kind: 'log'; readonly text: string }
  | { readonly kind: 'other'; readonly element: FirehoseElement };

export type FirehoseResponse = Extract<FirehoseMessage, { kind: 'response' }>;

export function parseFirehoseMessages(documentText: string): FirehoseMessage[] {
  return parseFirehoseDocument(documentText).map(toMessage);
}

export function toMessage(element: FirehoseElement): FirehoseMessage {
  const tag = element.tag.toLowerCase();
  if (tag === 'log') return { kind: 'log', text: attribute(element, 'value') ?? '' };
  if (tag === 'response') {
    const value = attribute(element, 'value') ?? '';
    const rawmode = attribute(element, 'rawmode')?.toLowerCase();
    return { kind: 'response', acknowledged: value.toUpperCase() === 'ACK', value, rawMode: rawmode === undefined ? undefined : rawmode === 'true', element };
  }
  return { kind: 'other', element };
}

/** A numeric attribute of a response, if present and a whole number (decimal or 0x hex). */
export function numericAttribute(element: FirehoseElement, name: string): number | undefined {
  const text = attribute(element, name)?.trim();
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}
