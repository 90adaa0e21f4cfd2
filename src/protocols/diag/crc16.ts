// DIAG frames carry the HDLC frame check sequence: CRC-16/X.25 (CCITT polynomial, reflected,
// init 0xFFFF, final XOR 0xFFFF), sent low byte first. Pinned by the EDL-switch frame QFirehose
// and fwupd send: 4B 65 01 00 → CRC 0x0F54 → bytes 54 0F (quectel-ec25.md §2.4).

const table = buildTable();

function buildTable(): Uint16Array {
  const result = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte += 1) {
    let crc = byte;
    for (let bit = 0; bit < 8; bit += 1) crc = (crc & 1) !== 0 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
    result[byte] = crc;
  }
  return result;
}

export function diagCrc16(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of bytes) crc = (crc >>> 8) ^ (table[(crc ^ byte) & 0xff] ?? 0);
  return (crc ^ 0xffff) & 0xffff;
}
