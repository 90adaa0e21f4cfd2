// The descriptor every synthetic image carries, so the simulator can tell a good image from
// garbage, an erased partition or a write that stopped part-way, and read which firmware it holds
// after a flash. Real images carry nothing we could check without Qualcomm's signing keys, so
// this is our own format — the one thing in a package that is not Quectel's.
//
// 176 bytes, little-endian, ASCII strings NUL-padded:
//   0x00  8  magic "MEDICIMG"          0x30 48  image file name ("NON-HLOS.ubi")
//   0x08  2  format version (1)        0x60 16  partition it is written to ("modem"; "" if none)
//   0x0a  2  descriptor size (176)     0x70 16  model ("EC25")
//   0x0c  4  image length in bytes     0x80 32  revision ("EC25AFAR05A04M4G")
//   0x10 32  SHA-256 of the image      0xa0 16  sub-version ("01.001.01.001", the AT+QGMR suffix)
// The length counts the whole file, container bytes and descriptor included. The digest covers
// those same bytes with the 32 digest bytes read as zero, so a flipped bit anywhere — names and
// ELF headers too — is caught.
//
// Where it sits depends on the container (package-layout.ts), found from the file's first bytes:
// plain images start with it; in an ELF it opens the hash segment at 0x1000, where Qualcomm's
// MBN images keep their own metadata (sbl1.mbn must start with the ELF magic, edl sheet §1.6 and
// the NAND model's bootImageLooksValid); in the MIBIB block and the bare partition table it sits
// at 0x400, past the table's 16 + 32 × 28 bytes (mibib.ts).

import { SimPackageError } from './package-errors.js';

export const IMAGE_MAGIC = 'MEDICIMG';
export const IMAGE_FORMAT_VERSION = 1;

export const DESCRIPTOR_FIELDS = {
  magic: { offset: 0x00, length: 8 },
  version: { offset: 0x08, length: 2 },
  size: { offset: 0x0a, length: 2 },
  length: { offset: 0x0c, length: 4 },
  digest: { offset: 0x10, length: 32 },
  image: { offset: 0x30, length: 48 },
  partition: { offset: 0x60, length: 16 },
  model: { offset: 0x70, length: 16 },
  revision: { offset: 0x80, length: 32 },
  subVersion: { offset: 0xa0, length: 16 },
} as const;

export const DESCRIPTOR_SIZE = 0xb0;

export type DescriptorContainer = 'plain' | 'elf' | 'mibib' | 'partition-table';

/** Descriptor offset per container. */
export const DESCRIPTOR_OFFSETS: Readonly<Record<DescriptorContainer, number>> = {
  plain: 0,
  elf: 0x1000,
  mibib: 0x400,
  'partition-table': 0x400,
};

/** Leading bytes that identify a container; anything else is `plain`. */
const CONTAINER_MAGICS: readonly { readonly container: DescriptorContainer; readonly bytes: readonly number[] }[] = [
  { container: 'elf', bytes: [0x7f, 0x45, 0x4c, 0x46] },
  // MIBIB header magic FE569FAC CD7F127A and partition-table magic 55EE73AA E35EBDDB, as edl
  // looks for them at sector 640 (edl sheet §2.9; bkerler/edl firehose.py).
  { container: 'mibib', bytes: [0xac, 0x9f, 0x56, 0xfe, 0x7a, 0x12, 0x7f, 0xcd] },
  { container: 'partition-table', bytes: [0xaa, 0x73, 0xee, 0x55, 0xdb, 0xbd, 0x5e, 0xe3] },
];

/** Bytes needed to find and read the descriptor of any container. */
export const DESCRIPTOR_PROBE_BYTES = Math.max(...Object.values(DESCRIPTOR_OFFSETS)) + DESCRIPTOR_SIZE;

/** Bytes needed to tell the container apart. */
export const CONTAINER_PROBE_BYTES = 8;

export interface ImageIdentity {
  /** The image's file name. */
  readonly image: string;
  readonly partition: string;
  readonly model: string;
  readonly revision: string;
  readonly subVersion: string;
}

export interface ImageDescriptor extends ImageIdentity {
  readonly version: number;
  readonly length: number;
  readonly digest: Uint8Array;
}

export function containerOf(prefix: Uint8Array): DescriptorContainer {
  const match = CONTAINER_MAGICS.find(({ bytes }) => prefix.length >= bytes.length && bytes.every((byte, index) => prefix[index] === byte));
  return match?.container ?? 'plain';
}

/** The descriptor with its digest zeroed; `sealImage` or a streaming writer fills the digest in. */
export function encodeDescriptor(identity: ImageIdentity, length: number): Uint8Array {
  if (!Number.isSafeInteger(length) || length < DESCRIPTOR_SIZE || length > 0xffffffff) throw new SimPackageError('SIM_PACKAGE_LAYOUT', `image length ${length} does not fit the descriptor`);
  const bytes = new Uint8Array(DESCRIPTOR_SIZE);
  const view = new DataView(bytes.buffer);
  putAscii(bytes, 'magic', IMAGE_MAGIC);
  view.setUint16(DESCRIPTOR_FIELDS.version.offset, IMAGE_FORMAT_VERSION, true);
  view.setUint16(DESCRIPTOR_FIELDS.size.offset, DESCRIPTOR_SIZE, true);
  view.setUint32(DESCRIPTOR_FIELDS.length.offset, length, true);
  putAscii(bytes, 'image', identity.image);
  putAscii(bytes, 'partition', identity.partition);
  putAscii(bytes, 'model', identity.model);
  putAscii(bytes, 'revision', identity.revision);
  putAscii(bytes, 'subVersion', identity.subVersion);
  return bytes;
}

export type DescriptorRead = { readonly ok: true; readonly descriptor: ImageDescriptor } | { readonly ok: false; readonly reason: 'no-descriptor' | 'bad-descriptor'; readonly detail: string };

/** Reads the descriptor at the start of `bytes` (already sliced at the container's offset). */
export function decodeDescriptor(bytes: Uint8Array): DescriptorRead {
  if (bytes.length < DESCRIPTOR_SIZE || getAscii(bytes, 'magic') !== IMAGE_MAGIC) {
    return { ok: false, reason: 'no-descriptor', detail: `no ${IMAGE_MAGIC} descriptor` };
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(DESCRIPTOR_FIELDS.version.offset, true);
  if (version !== IMAGE_FORMAT_VERSION) return { ok: false, reason: 'bad-descriptor', detail: `descriptor version ${version}, expected ${IMAGE_FORMAT_VERSION}` };
  const size = view.getUint16(DESCRIPTOR_FIELDS.size.offset, true);
  if (size !== DESCRIPTOR_SIZE) return { ok: false, reason: 'bad-descriptor', detail: `descriptor size ${size}, expected ${DESCRIPTOR_SIZE}` };
  const strings = (['image', 'partition', 'model', 'revision', 'subVersion'] as const).map((field) => [field, getAscii(bytes, field)] as const);
  const broken = strings.find(([, value]) => value === undefined);
  if (broken !== undefined) return { ok: false, reason: 'bad-descriptor', detail: `descriptor field ${broken[0]} is not printable ASCII` };
  const text = Object.fromEntries(strings) as Record<(typeof strings)[number][0], string>;
  const { digest } = DESCRIPTOR_FIELDS;
  return {
    ok: true,
    descriptor: {
      version,
      length: view.getUint32(DESCRIPTOR_FIELDS.length.offset, true),
      digest: bytes.slice(digest.offset, digest.offset + digest.length),
      image: text.image,
      partition: text.partition,
      model: text.model,
      revision: text.revision,
      subVersion: text.subVersion,
    },
  };
}

/** Absolute range of the digest field in an image of this container. */
export function digestRange(container: DescriptorContainer): { readonly start: number; readonly end: number } {
  const start = DESCRIPTOR_OFFSETS[container] + DESCRIPTOR_FIELDS.digest.offset;
  return { start, end: start + DESCRIPTOR_FIELDS.digest.length };
}

function putAscii(bytes: Uint8Array, field: keyof typeof DESCRIPTOR_FIELDS, value: string): void {
  const { offset, length } = DESCRIPTOR_FIELDS[field];
  // The magic fills its field; strings keep at least one NUL so readers can stop at it.
  const room = field === 'magic' ? length : length - 1;
  if (value.length > room || !/^[\x20-\x7e]*$/.test(value)) throw new SimPackageError('SIM_PACKAGE_LAYOUT', `${field} "${value}" is not printable ASCII of at most ${room} characters`);
  for (let index = 0; index < value.length; index += 1) bytes[offset + index] = value.charCodeAt(index);
}

/** The field up to its first NUL; undefined if it holds anything but printable ASCII before it or non-NUL after it. */
function getAscii(bytes: Uint8Array, field: keyof typeof DESCRIPTOR_FIELDS): string | undefined {
  const { offset, length } = DESCRIPTOR_FIELDS[field];
  const raw = bytes.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  const text = raw.subarray(0, end === -1 ? raw.length : end);
  if (text.some((byte) => byte < 0x20 || byte > 0x7e)) return undefined;
  if (end !== -1 && raw.subarray(end).some((byte) => byte !== 0)) return undefined;
  return String.fromCharCode(...text);
}
