// Host-side bytes for driving the simulated EDL targets in tests, written from the fact sheets
// (edl sheet §1.3 Sahara layouts, §2.1 Firehose envelopes) — deliberately not from src/.

export function hex(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** A Sahara packet: command, total length, then u32 LE words. */
export function sahara(command: number, ...words: number[]): Uint8Array {
  const out = Buffer.alloc(8 + 4 * words.length);
  out.writeUInt32LE(command, 0);
  out.writeUInt32LE(out.length, 4);
  words.forEach((word, index) => out.writeUInt32LE(word >>> 0, 8 + 4 * index));
  return Uint8Array.from(out);
}

/** HELLO_RESP as QFirehose sends it: version 2, compatible 1, status, mode, reserved 1..6 (§1.7). */
export function helloResp(mode = 0, options: { version?: number; versionSupported?: number; status?: number } = {}): Uint8Array {
  return sahara(0x02, options.version ?? 2, options.versionSupported ?? 1, options.status ?? 0, mode, 1, 2, 3, 4, 5, 6);
}

export interface SaharaRead {
  readonly command: number;
  readonly imageId: number;
  readonly offset: number;
  readonly length: number;
}

export function words(packet: Uint8Array): number[] {
  const buffer = Buffer.from(packet);
  const out: number[] = [];
  for (let at = 0; at + 4 <= buffer.length; at += 4) out.push(buffer.readUInt32LE(at));
  return out;
}

/** A Firehose document in QFirehose's dialect: declaration, LF, <data>, LF, element, LF, </data>. */
export function firehoseDoc(element: string): Uint8Array {
  return Uint8Array.from(Buffer.from(`<?xml version="1.0" encoding="UTF-8" ?>\n<data>\n${element}\n</data>`, 'latin1'));
}

/** The exact device log message of the NAND programmer (§2.1). */
export function deviceLog(text: string): string {
  return `<?xml version="1.0" encoding="UTF-8" ?>\n<data>\n<log value="${text}"/>\n</data>`;
}

/** The exact device response message, attributes in order (§2.1). */
export function deviceResponse(value: 'ACK' | 'NAK', attributes: Record<string, string | number> = {}): string {
  const extra = Object.entries(attributes).map(([name, v]) => `${name}="${v}" `).join('');
  return `<?xml version="1.0" encoding="UTF-8" ?>\n<data>\n<response value="${value}" ${extra}/>\n</data>`;
}
