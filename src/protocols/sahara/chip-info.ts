// What Sahara command mode tells about the chip (edl-protocols.md §1.4), parsed from the raw
// replies. MSM_ID names are edl's table (edlclient/Config/qualcomm_config.py) as quoted there.

export const knownMsmIds: Readonly<Record<number, string>> = {
  0x0004a0e1: 'MDM9607',
  0x000480e1: 'MDM9207',
  0x009730e1: 'MDM9206/MDM9607tx',
};

export interface SaharaHwId {
  /** The 64-bit HW id as the target sent it (first copy). */
  readonly raw: bigint;
  /** Bits 63..32. 0x0004A0E1 on an EC25 (MDM9607). */
  readonly msmId: number;
  /** Bits 31..16. */
  readonly oemId: number;
  /** Bits 15..0. */
  readonly modelId: number;
  /** From `knownMsmIds`, when we know it. */
  readonly chip: string | undefined;
}

const HW_ID_COPY = 8;
const PK_HASH_COPY = 32;

/** MSM_HW_ID_READ reply: 8 bytes per copy, little-endian (targets send three copies, 24 bytes). */
export function parseHwId(data: Uint8Array): SaharaHwId | undefined {
  if (data.length < HW_ID_COPY) return undefined;
  const raw = new DataView(data.buffer, data.byteOffset, HW_ID_COPY).getBigUint64(0, true);
  const msmId = Number(raw >> 32n);
  return { raw, msmId, oemId: Number((raw >> 16n) & 0xffffn), modelId: Number(raw & 0xffffn), chip: knownMsmIds[msmId] };
}

/**
 * READ_CHIP_ID_V3 reply of version-3 PBLs (≥ 48 bytes): MSM_ID u32 at +36, OEM_ID u16 at +40 (edl
 * also saw it at +44), MODEL_ID u16 at +42. UNVERIFIED: the offsets are from edl's README as quoted
 * in §1.4, not from a capture; EC25 PBLs are version 2 and never take this path.
 */
export function parseChipIdV3(data: Uint8Array): SaharaHwId | undefined {
  if (data.length < 48) return undefined;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const msmId = view.getUint32(36, true);
  const oemId = view.getUint16(40, true);
  const modelId = view.getUint16(42, true);
  const raw = (BigInt(msmId) << 32n) | (BigInt(oemId) << 16n) | BigInt(modelId);
  return { raw, msmId, oemId, modelId, chip: knownMsmIds[msmId] };
}

/** SERIAL_NUM_READ reply: one u32. */
export function parseSerialNumber(data: Uint8Array): number | undefined {
  return data.length < 4 ? undefined : new DataView(data.buffer, data.byteOffset, 4).getUint32(0, true);
}

/** OEM_PK_HASH_READ reply: 32-byte copies (96 bytes seen), as lowercase hex. */
export function parsePkHash(data: Uint8Array): readonly string[] {
  const copies: string[] = [];
  for (let at = 0; at + PK_HASH_COPY <= data.length; at += PK_HASH_COPY) copies.push(toHex(data.subarray(at, at + PK_HASH_COPY)));
  return copies;
}

/**
 * Qualcomm's default test root hash (§1.4 quotes it as `cc3153a8…380f`, edl root_cert_hash): a
 * module with it accepts unsigned programmers. Matched on the ends the sheet gives, nothing more.
 */
export function looksLikeQualcommTestRoot(pkHash: string): boolean {
  return pkHash.startsWith('cc3153a8') && pkHash.endsWith('380f');
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
