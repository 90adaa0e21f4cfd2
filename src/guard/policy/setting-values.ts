import type { CommandArg } from './command-line.js';

// Comparing a persistent setting's current value with the one asked for, for query-then-set
// (eg25-manager, quectel-ec25.md §5.3). The rule is one-sided on purpose: "equal" must never be
// said of values that differ (the write would be lost), while "different" for equal values
// only costs the NV write the app asked for anyway.

function unquote(text: string): string {
  const trimmed = text.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
}

/** Splits `a,"b,c",0x1F` into values, quotes removed. */
export function splitValues(text: string): string[] {
  const values: string[] = [];
  let current = '';
  let inQuotes = false;
  for (const char of text) {
    if (char === '"') inQuotes = !inQuotes;
    if (char === ',' && !inQuotes) {
      values.push(unquote(current));
      current = '';
      continue;
    }
    current += char;
  }
  if (current.trim() !== '' || values.length > 0) values.push(unquote(current));
  return values;
}

const HEX = /^0x([0-9a-f]+)$/i;
const DECIMAL = /^\d+$/;

/**
 * One value: the module prints hex masks as `0x…` (band, usbcfg), and for those parameters bare
 * digits sent by the host are hex too (AT manual §6.13: `AT+QCFG="band",260,…`); integers print in
 * decimal. So the module's form decides how the wanted value is read.
 */
export function sameValue(current: string, wanted: string): boolean {
  const hex = HEX.exec(current);
  if (hex?.[1] !== undefined) {
    const digits = HEX.exec(wanted)?.[1] ?? (/^[0-9a-f]+$/i.test(wanted) ? wanted : undefined);
    return digits !== undefined && BigInt(`0x${hex[1]}`) === BigInt(`0x${digits}`);
  }
  if (DECIMAL.test(current)) {
    if (DECIMAL.test(wanted)) return BigInt(current) === BigInt(wanted);
    const wantedHex = HEX.exec(wanted)?.[1];
    return wantedHex !== undefined && BigInt(current) === BigInt(`0x${wantedHex}`);
  }
  return current.toLowerCase() === wanted.toLowerCase();
}

/**
 * Whether the module already has `wanted`. The module may print fewer values than a set takes
 * (band's and nwscanmode's trailing <effect> is not stored, §3.9): the extra wanted values are
 * then not compared. More values printed than asked for: not the same (we cannot tell).
 */
export function sameValues(current: readonly string[], wanted: readonly string[]): boolean {
  if (wanted.length === 0 || current.length === 0 || current.length > wanted.length) return false;
  return current.every((value, index) => {
    const other = wanted[index];
    return other !== undefined && sameValue(value, other);
  });
}

export function argValues(args: readonly CommandArg[]): string[] {
  return args.map((arg) => arg.text);
}

/**
 * The values after the key in the module's answer to a query: `+QCFG: "usbnet",0` → ["0"].
 * Undefined when no line carries the key.
 */
export function valuesInResponse(lines: readonly string[], prefix: string, key: string): string[] | undefined {
  for (const line of lines) {
    if (!line.toUpperCase().startsWith(prefix.toUpperCase())) continue;
    const [first, ...rest] = splitValues(line.slice(prefix.length));
    if (first !== undefined && first.toLowerCase() === key.toLowerCase()) return rest;
  }
  return undefined;
}
