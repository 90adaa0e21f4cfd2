// The md5-mismatch defect's one changed byte (corruptions.ts).
import { open } from 'node:fs/promises';

/**
 * Changes one byte in the middle of a file. In XML it turns an indenting space into a tab, so the
 * file still parses and the md5 is the only defect; elsewhere it inverts the byte.
 */
export async function damageOneByte(path: string): Promise<number> {
  const file = await open(path, 'r+');
  try {
    const { size } = await file.stat();
    let offset = Math.floor(size / 2);
    let replacement: number | undefined;
    if (path.endsWith('.xml')) {
      const text = Buffer.alloc(size);
      await file.read(text, 0, size, 0);
      const indent = text.indexOf('\n  ', offset);
      if (indent >= 0) {
        offset = indent + 1;
        replacement = 0x09;
      }
    }
    const byte = new Uint8Array(1);
    await file.read(byte, 0, 1, offset);
    byte[0] = replacement ?? (byte[0] ?? 0) ^ 0xff;
    await file.write(byte, 0, 1, offset);
    return offset;
  } finally {
    await file.close();
  }
}
