// The NAND programmer's attribute table and its assignment rules (edl sheet §2.1, §2.3; QC-FH-NAND
// AllAttributes / AssignAttribute / InitAttributes). Behaviour worth reproducing because hosts
// depend on it without knowing:
// - a received name matches a table entry when it *starts with* that entry, case-insensitively,
//   first entry wins ("storagedrive" is an old name of physical_partition_number);
// - unknown attributes are ignored (with a log only when Verbose is on);
// - numeric values of MaxPayloadSizeToTargetInBytes, MaxDigestTableSizeInBytes and
//   SECTOR_SIZE_IN_BYTES must be multiples of 512, except inside <read>;
// - values persist from one command to the next until the programmer restarts (a program that
//   omits PAGES_PER_BLOCK uses the last one sent); <configure> resets a few switches first.

type AttributeType = 'number' | 'string' | 'sector';

interface AttributeSpec {
  readonly name: string;
  readonly type: AttributeType;
  readonly multipleOf?: number;
  /** The variable it sets when that differs from its name. */
  readonly alias?: string;
}

/** In table order (the NAND build, without the eMMC/UFS entries). */
export const FIREHOSE_ATTRIBUTE_TABLE = [
  { name: 'Verbose', type: 'number' },
  { name: 'MaxPayloadSizeToTargetInBytes', type: 'number', multipleOf: 512 },
  { name: 'MaxDigestTableSizeInBytes', type: 'number', multipleOf: 512 },
  { name: 'AckRawDataEveryNumPackets', type: 'number' },
  { name: 'delayinseconds', type: 'number' },
  { name: 'address64', type: 'number' },
  { name: 'value64', type: 'number' },
  { name: 'storagedrive', type: 'number', alias: 'physical_partition_number' },
  { name: 'SECTOR_SIZE_IN_BYTES', type: 'number', multipleOf: 512 },
  { name: 'byte_offset', type: 'number' },
  { name: 'physical_partition_number', type: 'number' },
  { name: 'size_in_bytes', type: 'number' },
  { name: 'num_partition_sectors', type: 'number' },
  { name: 'PAGES_PER_BLOCK', type: 'number' },
  { name: 'file_sector_offset', type: 'number' },
  { name: 'ZlpAwareHost', type: 'number' },
  { name: 'SkipWrite', type: 'number' },
  { name: 'BufferWrites', type: 'number' },
  { name: 'AlwaysValidate', type: 'number' },
  { name: 'commit', type: 'string' },
  { name: 'TestWritePerformance', type: 'number' },
  { name: 'TestReadPerformance', type: 'number' },
  { name: 'TestDigestPerformance', type: 'number' },
  { name: 'SkipStorageInit', type: 'number' },
  { name: 'SkipSettingMinClocks', type: 'number' },
  { name: 'SkipSettingMaxClocks', type: 'number' },
  { name: 'actual_size_in_bytes', type: 'number' },
  { name: 'ecc_enabled', type: 'number' },
  { name: 'get_spare', type: 'number' },
  { name: 'bad_block_at_end', type: 'number' },
  { name: 'MemoryName', type: 'string' },
  { name: 'TargetName', type: 'string' },
  { name: 'filename', type: 'string' },
  { name: 'value', type: 'string' },
  { name: 'start_sector', type: 'sector' },
] as const satisfies readonly AttributeSpec[];

type TableEntry = (typeof FIREHOSE_ATTRIBUTE_TABLE)[number];
export type NumericAttribute = Exclude<Extract<TableEntry, { type: 'number' }>['name'], 'storagedrive'>;
export type StringAttribute = Extract<TableEntry, { type: 'string' }>['name'];

/** Values after power-on (InitAttributes); everything else starts at 0 / empty. */
const INITIAL_NUMBERS: Partial<Record<NumericAttribute | 'start_sector', number>> = {
  MaxPayloadSizeToTargetInBytes: 131072,
  MaxDigestTableSizeInBytes: 8192,
  delayinseconds: 1,
  SECTOR_SIZE_IN_BYTES: 512,
  ZlpAwareHost: 1,
};
const INITIAL_STRINGS: Partial<Record<StringAttribute, string>> = { MemoryName: 'eMMC' };

/** Switches <configure> clears before reading its own attributes (handleResettingAttributesBasedOnTag). */
const CLEARED_BY_CONFIGURE: readonly NumericAttribute[] = [
  'SkipWrite',
  'BufferWrites',
  'AckRawDataEveryNumPackets',
  'AlwaysValidate',
  'SkipStorageInit',
  'SkipSettingMinClocks',
  'SkipSettingMaxClocks',
  'actual_size_in_bytes',
];

export interface AssignOutcome {
  readonly ok: boolean;
  readonly logs: readonly string[];
}

export class FirehoseAttributes {
  readonly #numbers = new Map<string, number>();
  readonly #strings = new Map<string, string>();
  #sectorRaw = '';
  readonly #assigned = new Set<string>();

  constructor() {
    for (const [name, value] of Object.entries(INITIAL_NUMBERS)) this.#numbers.set(name, value);
    for (const [name, value] of Object.entries(INITIAL_STRINGS)) this.#strings.set(name, value);
    this.#numbers.set('start_sector', 0);
  }

  number(name: NumericAttribute | 'start_sector'): number {
    return this.#numbers.get(name) ?? 0;
  }

  string(name: StringAttribute): string {
    return this.#strings.get(name) ?? '';
  }

  setNumber(name: NumericAttribute, value: number): void {
    this.#numbers.set(name, value);
  }

  /** Whether the current command carried the attribute (the Assigned flags, reset per packet). */
  assigned(name: string): boolean {
    return this.#assigned.has(name);
  }

  beginPacket(tag: string): void {
    this.#assigned.clear();
    if (tag === 'configure') for (const name of CLEARED_BY_CONFIGURE) this.#numbers.set(name, 0);
  }

  /** One attribute as received; `inRead` lifts the multiple-of-512 rule. */
  assign(name: string, value: string, inRead: boolean): AssignOutcome {
    const verbose = this.number('Verbose') !== 0;
    const index = FIREHOSE_ATTRIBUTE_TABLE.findIndex((spec) => name.toLowerCase().startsWith(spec.name.toLowerCase()));
    const spec = FIREHOSE_ATTRIBUTE_TABLE[index];
    if (spec === undefined) {
      return { ok: true, logs: verbose ? [`IGNORING UNRECOGNIZED Attribute '${name}' with value '${value}'`] : [] };
    }
    const logs = verbose ? [`Recognized Attribute Number ${index} ('${name}') with value '${value}' type is '${TYPE_LETTER[spec.type]}'`] : [];
    const target = 'alias' in spec ? spec.alias : spec.name;
    if (spec.type === 'number') {
      const parsed = parseNumber(value);
      if (parsed === undefined) return { ok: false, logs: [...logs, `Call to stringToNumber failed on attribute '${name}' with value '${value}'`] };
      const multipleOf = 'multipleOf' in spec ? spec.multipleOf : 1;
      if (!inRead && parsed % multipleOf !== 0) return { ok: false, logs: [...logs, `Attribute '${name}' is not a multiple of ${multipleOf}`] };
      this.#numbers.set(target, parsed);
    } else if (spec.type === 'string') {
      this.#strings.set(target, value);
    } else {
      this.#sectorRaw = value;
    }
    this.#assigned.add(target);
    return { ok: true, logs };
  }

  /**
   * start_sector is parsed after all attributes (ParseComplicatedAttributes). The NAND build takes
   * a plain number; the trailing '.' of rawprogram files is dropped, expressions like
   * NUM_DISK_SECTORS-33 are eMMC/UFS only (§2.1).
   */
  finishPacket(): AssignOutcome {
    if (!this.#assigned.has('start_sector')) return { ok: true, logs: [] };
    const cleaned = this.#sectorRaw.replaceAll('.', '');
    const parsed = parseNumber(cleaned);
    if (parsed === undefined) {
      return { ok: false, logs: [`Can't convert attribute 'start_sector'='${cleaned}' to number`, 'parseSectorValue could not handle start_sector value'] };
    }
    this.#numbers.set('start_sector', parsed);
    return { ok: true, logs: [] };
  }
}

const TYPE_LETTER: Record<AttributeType, string> = { number: 'i', string: 's', sector: 'x' };

/** Decimal, or hex with 0x (UNVERIFIED which forms the programmer's stringToNumber takes beyond decimal). */
export function parseNumber(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  if (/^0x[0-9a-f]+$/i.test(text)) return Number.parseInt(text.slice(2), 16);
  return undefined;
}
