// The little XML writing the package needs; the simulator shares no XML code with the host side.
// Quectel's flashing XML is read line by line by QFirehose (quectel sheet §2.7), so an element is
// always written whole on one line.

export type XmlAttributes = readonly (readonly [string, string | number])[];

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** `<name a="1" b="2"/>` on one line, attributes in the order given. */
export function emptyElement(name: string, attributes: XmlAttributes): string {
  const text = attributes.map(([key, value]) => ` ${key}="${escapeXml(String(value))}"`).join('');
  return `<${name}${text}/>`;
}

/** `<name a="1">text</name>` on one line. */
export function textElement(name: string, text: string, attributes: XmlAttributes = []): string {
  const attrs = attributes.map(([key, value]) => ` ${key}="${escapeXml(String(value))}"`).join('');
  return `<${name}${attrs}>${escapeXml(text)}</${name}>`;
}

/** Attributes sorted the way Qualcomm's generators emit them: plain ASCII order, upper case first. */
export function asciiSorted(attributes: XmlAttributes): XmlAttributes {
  return [...attributes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
