// Checking a synthetic image (descriptor format: image-descriptor.ts) — for the simulator's boot
// logic: is the boot chain in the NAND valid (→ normal mode, with the revision of the modem image)
// or is sbl erased or corrupt (→ the PBL falls to EDL)? Three ways in:
//   inspectImage(bytes)          a whole image (bytes past its length are ignored: NAND reads
//                                come in pages, the last one padded)
//   readImageDescriptor(prefix)  just the descriptor, from the first few KiB — says how many
//                                bytes it needs when the prefix is too short
//   new ImageVerifier()          streaming: update(chunk)… then result(); memory stays at a few
//                                KiB whatever the image size, for a 48 MiB NON-HLOS read page by page
import { createHash, type Hash } from 'node:crypto';
import {
  CONTAINER_PROBE_BYTES,
  DESCRIPTOR_OFFSETS,
  DESCRIPTOR_PROBE_BYTES,
  DESCRIPTOR_SIZE,
  containerOf,
  decodeDescriptor,
  digestRange,
  type DescriptorContainer,
  type ImageDescriptor,
} from './image-descriptor.js';

/** Why an image is not valid. */
export type ImageDefect =
  /** The bytes are all 0xFF: an erased NAND region, nothing was written. */
  | 'erased'
  /** No descriptor where the container keeps it: garbage, or not one of our images. */
  | 'no-descriptor'
  /** A descriptor with an unknown version or size, or unreadable names. */
  | 'bad-descriptor'
  /** Fewer bytes than the descriptor's length: a cut-off file or read. */
  | 'truncated'
  /** The bytes do not hash to the descriptor's digest: a flipped bit, or a write that stopped part-way. */
  | 'checksum-mismatch';

export interface ValidImage {
  readonly valid: true;
  readonly container: DescriptorContainer;
  readonly image: string;
  readonly partition: string;
  readonly model: string;
  readonly revision: string;
  readonly subVersion: string;
  /** Bytes of the image, descriptor and container included. */
  readonly length: number;
}

export interface InvalidImage {
  readonly valid: false;
  readonly reason: ImageDefect;
  /** For people: what exactly is wrong. */
  readonly detail: string;
  readonly container: DescriptorContainer;
  /** What the descriptor claims, when there is one (a corrupt image still says what it was meant to be). */
  readonly image: string | undefined;
  readonly model: string | undefined;
  readonly revision: string | undefined;
  readonly descriptor: ImageDescriptor | undefined;
}

export type ImageInspection = ValidImage | InvalidImage;

export type DescriptorProbe =
  | { readonly status: 'found'; readonly container: DescriptorContainer; readonly offset: number; readonly descriptor: ImageDescriptor }
  /** Call again with at least `bytes` bytes. */
  | { readonly status: 'need-more'; readonly bytes: number }
  | { readonly status: 'invalid'; readonly container: DescriptorContainer; readonly reason: 'erased' | 'no-descriptor' | 'bad-descriptor'; readonly detail: string };

export function readImageDescriptor(prefix: Uint8Array): DescriptorProbe {
  if (prefix.length < CONTAINER_PROBE_BYTES) return { status: 'need-more', bytes: CONTAINER_PROBE_BYTES };
  const container = containerOf(prefix);
  const offset = DESCRIPTOR_OFFSETS[container];
  const needed = offset + DESCRIPTOR_SIZE;
  if (prefix.length < needed) return { status: 'need-more', bytes: needed };
  const read = decodeDescriptor(prefix.subarray(offset, needed));
  if (read.ok) return { status: 'found', container, offset, descriptor: read.descriptor };
  if (read.reason === 'no-descriptor' && prefix.subarray(0, needed).every((byte) => byte === 0xff)) {
    return { status: 'invalid', container, reason: 'erased', detail: 'erased (all 0xFF): nothing was written here' };
  }
  return { status: 'invalid', container, reason: read.reason, detail: read.detail };
}

export function inspectImage(bytes: Uint8Array): ImageInspection {
  const verifier = new ImageVerifier();
  verifier.update(bytes);
  return verifier.result();
}

/** Streaming check: feed the image in any slices, then ask for the result. */
export class ImageVerifier {
  /** Bytes kept until the descriptor can be read (at most a few KiB). */
  #prefix: Uint8Array[] = [];
  #prefixLength = 0;
  #probe: DescriptorProbe | undefined;
  #hash: Hash | undefined;
  /** Image bytes hashed so far. */
  #hashed = 0;
  #seen = 0;
  #result: ImageInspection | undefined;

  update(chunk: Uint8Array): void {
    if (this.#result !== undefined) return;
    this.#seen += chunk.length;
    if (this.#probe?.status === 'invalid') return;
    if (this.#hash !== undefined) {
      this.#feed(chunk);
      return;
    }
    // Keep (a copy of) no more than the descriptor needs; the rest is hashed once it is read.
    const room = Math.max(DESCRIPTOR_PROBE_BYTES - this.#prefixLength, 0);
    const head = chunk.subarray(0, room);
    this.#prefix.push(head.slice());
    this.#prefixLength += head.length;
    if (this.#tryDescriptor()) this.#feed(chunk.subarray(head.length));
  }

  /** The verdict on what was fed so far; the verifier is finished after this (same answer on every call). */
  result(): ImageInspection {
    this.#result ??= this.#verdict();
    return this.#result;
  }

  #verdict(): ImageInspection {
    const probe = this.#probe;
    if (probe === undefined || probe.status === 'need-more') return this.#tooShort();
    if (probe.status === 'invalid') return invalid(probe.reason, probe.detail, probe.container, undefined);
    const { descriptor, container } = probe;
    if (this.#hashed < descriptor.length) {
      return invalid('truncated', `truncated: ${this.#hashed} of ${descriptor.length} bytes`, container, descriptor);
    }
    const digest = this.#hash?.digest();
    this.#hash = undefined;
    if (digest === undefined || !digest.equals(descriptor.digest)) {
      return invalid('checksum-mismatch', `checksum mismatch: ${descriptor.image} is corrupt or was not written completely`, container, descriptor);
    }
    return { valid: true, container, image: descriptor.image, partition: descriptor.partition, model: descriptor.model, revision: descriptor.revision, subVersion: descriptor.subVersion, length: descriptor.length };
  }

  /** Reads the descriptor once enough bytes are in; true once hashing has started. */
  #tryDescriptor(): boolean {
    const wanted = this.#probe?.status === 'need-more' ? this.#probe.bytes : CONTAINER_PROBE_BYTES;
    if (this.#prefixLength < wanted) return false;
    const prefix = concat(this.#prefix, this.#prefixLength);
    this.#prefix = [prefix];
    const probe = readImageDescriptor(prefix);
    this.#probe = probe;
    if (probe.status === 'need-more') return false;
    if (probe.status === 'invalid') {
      this.#prefix = [];
      return false;
    }
    const { descriptor, offset } = probe;
    if (descriptor.length < offset + DESCRIPTOR_SIZE) {
      this.#probe = { status: 'invalid', container: probe.container, reason: 'bad-descriptor', detail: `descriptor length ${descriptor.length} ends before the descriptor itself` };
      this.#prefix = [];
      return false;
    }
    this.#hash = createHash('sha256');
    this.#prefix = [];
    this.#prefixLength = 0;
    this.#feed(prefix);
    return true;
  }

  /** Hashes image bytes (in file order) with the digest field read as zero; ignores bytes past the length. */
  #feed(chunk: Uint8Array): void {
    const probe = this.#probe;
    const hash = this.#hash;
    if (probe?.status !== 'found' || hash === undefined) return;
    const take = Math.min(chunk.length, probe.descriptor.length - this.#hashed);
    if (take <= 0) return;
    const { start, end } = digestRange(probe.container);
    const zeroFrom = clamp(start - this.#hashed, 0, take);
    const zeroTo = clamp(end - this.#hashed, 0, take);
    hash.update(chunk.subarray(0, zeroFrom));
    if (zeroTo > zeroFrom) hash.update(new Uint8Array(zeroTo - zeroFrom));
    hash.update(chunk.subarray(zeroTo, take));
    this.#hashed += take;
  }

  #tooShort(): InvalidImage {
    const prefix = concat(this.#prefix, this.#prefixLength);
    const container = prefix.length >= CONTAINER_PROBE_BYTES ? containerOf(prefix) : 'plain';
    if (prefix.length > 0 && prefix.every((byte) => byte === 0xff)) return invalid('erased', 'erased (all 0xFF): nothing was written here', container, undefined);
    return invalid('truncated', `truncated: ${this.#seen} bytes are too few to hold a descriptor`, container, undefined);
  }
}

/**
 * Writes the digest of an image held in memory whose descriptor (from encodeDescriptor, digest
 * still zero) is already in place.
 */
export function sealImage(bytes: Uint8Array): void {
  const container = containerOf(bytes);
  const { start, end } = digestRange(container);
  bytes.fill(0, start, end);
  bytes.set(createHash('sha256').update(bytes).digest(), start);
}

function invalid(reason: ImageDefect, detail: string, container: DescriptorContainer, descriptor: ImageDescriptor | undefined): InvalidImage {
  return { valid: false, reason, detail, container, image: descriptor?.image, model: descriptor?.model, revision: descriptor?.revision, descriptor };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]?.length === length) return chunks[0];
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
