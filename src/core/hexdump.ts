// A trace line per transfer, in the classic 16-bytes-per-row hex dump (esptool-js's trace idea):
// something a user can paste into a bug report and we can read back byte for byte.

export function hexdump(bytes: Uint8Array, width = 16): string {
  const rows: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += width) {
    const slice = bytes.subarray(offset, offset + width);
    const hex = Array.from(slice, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(slice, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    rows.push(`${offset.toString(16).padStart(8, '0')}  ${hex.padEnd(width * 3 - 1)}  |${ascii}|`);
  }
  return rows.join('\n');
}
