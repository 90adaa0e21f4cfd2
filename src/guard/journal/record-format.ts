import { crc32 } from 'node:zlib';
import type { RiskEvent } from '../events/event.js';
import { checkEvent } from '../events/validate.js';

// One journal record is one line of JSON: {"event":<the event>,"crc32":"<8 hex digits>"}\n.
// The CRC-32 covers the exact bytes of <the event> as written, so a line cut short by a power cut
// (no newline, or a partial write) and a line whose bytes changed are both detected, and the file
// stays plain JSON lines for jq and grep. JSON.stringify escapes every newline inside strings, so
// the newline is an unambiguous record boundary.

const PREFIX = '{"event":';
const SUFFIX_START = ',"crc32":"';
const SUFFIX_LENGTH = SUFFIX_START.length + 8 + 2; // ,"crc32":"xxxxxxxx"}
const HEX8 = /^[0-9a-f]{8}$/;

function crcHex(bytes: Uint8Array): string {
  return crc32(bytes).toString(16).padStart(8, '0');
}

/** The bytes of one record, newline included. */
export function encodeRecord(event: RiskEvent): Buffer {
  const json = Buffer.from(JSON.stringify(event), 'utf8');
  return Buffer.concat([Buffer.from(PREFIX, 'utf8'), json, Buffer.from(`${SUFFIX_START}${crcHex(json)}"}\n`, 'utf8')]);
}

export type DecodedRecord = { readonly ok: true; readonly event: RiskEvent } | { readonly ok: false; readonly reason: string };

/** Decodes one line (without its newline). */
export function decodeRecord(line: Buffer): DecodedRecord {
  if (line.length < PREFIX.length + SUFFIX_LENGTH) return { ok: false, reason: `too short for a record (${line.length} bytes)` };
  if (line.subarray(0, PREFIX.length).toString('latin1') !== PREFIX) return { ok: false, reason: 'does not start like a record' };
  const suffix = line.subarray(line.length - SUFFIX_LENGTH).toString('latin1');
  const storedCrc = suffix.slice(SUFFIX_START.length, SUFFIX_START.length + 8);
  if (!suffix.startsWith(SUFFIX_START) || !suffix.endsWith('"}') || !HEX8.test(storedCrc)) return { ok: false, reason: 'no checksum at the end (record cut short?)' };
  const json = line.subarray(PREFIX.length, line.length - SUFFIX_LENGTH);
  const actualCrc = crcHex(json);
  if (actualCrc !== storedCrc) return { ok: false, reason: `checksum mismatch (stored ${storedCrc}, computed ${actualCrc})` };
  let value: unknown;
  try {
    value = JSON.parse(json.toString('utf8'));
  } catch {
    return { ok: false, reason: 'checksum matches but the event is not JSON' };
  }
  const check = checkEvent(value);
  return check.ok ? check : { ok: false, reason: `not a valid event: ${check.path}: ${check.reason}` };
}

export interface ScannedRecord {
  readonly event: RiskEvent;
  /** Byte offset just after this record's newline. */
  readonly end: number;
}

export interface BadLine {
  readonly start: number;
  readonly end: number;
  readonly reason: string;
}

export interface SegmentScan {
  readonly records: readonly ScannedRecord[];
  /** Lines that failed, in file order (a torn last line included). */
  readonly bad: readonly BadLine[];
  /** Byte offset after the last valid record: everything behind it is a torn or damaged tail. */
  readonly validEnd: number;
}

/** Splits a segment's bytes into records. A last line without its newline is torn by definition. */
export function scanSegment(bytes: Buffer): SegmentScan {
  const records: ScannedRecord[] = [];
  const bad: BadLine[] = [];
  let validEnd = 0;
  let start = 0;
  while (start < bytes.length) {
    const newline = bytes.indexOf(0x0a, start);
    if (newline === -1) {
      bad.push({ start, end: bytes.length, reason: 'no newline: the last write was cut short' });
      break;
    }
    const decoded = decodeRecord(bytes.subarray(start, newline));
    if (decoded.ok) {
      records.push({ event: decoded.event, end: newline + 1 });
      validEnd = newline + 1;
    } else {
      bad.push({ start, end: newline + 1, reason: decoded.reason });
    }
    start = newline + 1;
  }
  return { records, bad, validEnd };
}
