// DIAG's async-HDLC framing on the DM port (quectel sheet §2.4): payload, CRC-16 little-endian,
// 0x7E flag; 0x7E and 0x7D inside are sent as 0x7D followed by the byte XOR 0x20. A frame may
// also start with a flag (`7E 7C 93 49 7E`). The CRC is CRC-16/X.25 (reflected 0x1021, init and
// final XOR 0xFFFF): it is the one that gives the sheet's two vectors, 0x0F54 for 4B 65 01 00
// and 0x4993 for 7C — the sheet gives the values, not the name.

export const HDLC_FLAG = 0x7e;
export const HDLC_ESCAPE = 0x7d;
const ESCAPE_XOR = 0x20;

export function crc16X25(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  return (crc ^ 0xffff) & 0xffff;
}

/** payload + CRC, escaped, closed by a flag (no leading flag, as the module's echo has none). */
export function encodeHdlc(payload: Uint8Array): Uint8Array {
  const crc = crc16X25(payload);
  const raw = [...payload, crc & 0xff, crc >>> 8];
  const out: number[] = [];
  for (const byte of raw) {
    if (byte === HDLC_FLAG || byte === HDLC_ESCAPE) out.push(HDLC_ESCAPE, byte ^ ESCAPE_XOR);
    else out.push(byte);
  }
  out.push(HDLC_FLAG);
  return Uint8Array.from(out);
}

export type HdlcFrame = { readonly ok: true; readonly payload: Uint8Array } | { readonly ok: false; readonly reason: 'short' | 'crc' | 'escape' };

/** One frame's bytes between flags (flags excluded) → its payload, CRC checked. */
export function decodeHdlcFrame(escaped: Uint8Array): HdlcFrame {
  const raw: number[] = [];
  for (let index = 0; index < escaped.length; index += 1) {
    const byte = escaped[index] ?? 0;
    if (byte !== HDLC_ESCAPE) {
      raw.push(byte);
      continue;
    }
    const next = escaped[index + 1];
    if (next === undefined) return { ok: false, reason: 'escape' };
    raw.push(next ^ ESCAPE_XOR);
    index += 1;
  }
  if (raw.length < 3) return { ok: false, reason: 'short' };
  const payload = Uint8Array.from(raw.slice(0, -2));
  const crc = (raw[raw.length - 2] ?? 0) | ((raw[raw.length - 1] ?? 0) << 8);
  return crc === crc16X25(payload) ? { ok: true, payload } : { ok: false, reason: 'crc' };
}
