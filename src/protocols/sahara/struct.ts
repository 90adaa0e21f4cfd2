// Little-endian field codecs and struct tables (ya-webadb's declared-once structs, ecosystem sheet
// §3.1): a packet is a table of named fields, and both its encoder/decoder and its TS type are
// derived from that table.

export interface FieldCodec<T> {
  readonly size: number;
  read(view: DataView, offset: number): T;
  write(view: DataView, offset: number, value: T): void;
}

export const u32: FieldCodec<number> = {
  size: 4,
  read: (view, offset) => view.getUint32(offset, true),
  write: (view, offset, value) => {
    view.setUint32(offset, value, true);
  },
};

export const u64: FieldCodec<bigint> = {
  size: 8,
  read: (view, offset) => view.getBigUint64(offset, true),
  write: (view, offset, value) => {
    view.setBigUint64(offset, value, true);
  },
};

/** `count` consecutive u32 (Sahara's reserved words). */
export function u32Array(count: number): FieldCodec<readonly number[]> {
  return {
    size: 4 * count,
    read: (view, offset) => Array.from({ length: count }, (_, i) => view.getUint32(offset + 4 * i, true)),
    write: (view, offset, value) => {
      for (let i = 0; i < count; i += 1) view.setUint32(offset + 4 * i, value[i] ?? 0, true);
    },
  };
}

/** Any codec, whatever its value type (write's parameter is `never` so every codec fits). */
export interface AnyFieldCodec {
  readonly size: number;
  read(view: DataView, offset: number): unknown;
  write(view: DataView, offset: number, value: never): void;
}

export type StructFields = Readonly<Record<string, AnyFieldCodec>>;

export type StructValue<F extends StructFields> = {
  readonly [K in keyof F]: F[K] extends FieldCodec<infer T> ? T : never;
};

export function structSize(fields: StructFields): number {
  return Object.values(fields).reduce((sum, field) => sum + field.size, 0);
}

/** Writes `value` at `offset`; fields go in declaration order. */
export function writeStruct<F extends StructFields>(fields: F, view: DataView, offset: number, value: StructValue<F>): void {
  let at = offset;
  for (const [name, field] of Object.entries(fields) as [keyof F & string, FieldCodec<unknown>][]) {
    field.write(view, at, value[name]);
    at += field.size;
  }
}

/** Reads the fields present in `view` from `offset`; fields cut off by the end read as zero. */
export function readStruct<F extends StructFields>(fields: F, view: DataView, offset: number): StructValue<F> {
  const result: Record<string, unknown> = {};
  const padded = new DataView(new ArrayBuffer(offset + structSize(fields)));
  new Uint8Array(padded.buffer).set(new Uint8Array(view.buffer, view.byteOffset, Math.min(view.byteLength, padded.byteLength)));
  let at = offset;
  for (const [name, field] of Object.entries(fields) as [string, FieldCodec<unknown>][]) {
    result[name] = field.read(padded, at);
    at += field.size;
  }
  return result as StructValue<F>;
}
