// Raw data for `<program>` (edl-protocols.md §2.4): exactly num_partition_sectors × sector size
// bytes, in transfers of at most the negotiated payload size. The source is a buffer or an async
// iterable (a file stream), pulled one transfer at a time so a 90 MB image never sits in memory
// twice; the last sector is padded with the NAND erased value 0xFF (as fwupd does; qdl, edl and
// QFirehose pad with 0x00 — on NAND 0xFF leaves the unused bytes erased).

export type FirehoseDataSource = Uint8Array | AsyncIterable<Uint8Array>;

export interface TransferPlan {
  /** Bytes the programmer will read. */
  readonly total: number;
  readonly transferSize: number;
  readonly padByte: number;
}

export interface SourceTally {
  /** Bytes taken from the source (at most `total`). */
  taken: number;
  /** Whether the source had more bytes than `total`. */
  overflow: boolean;
}

/**
 * Yields the transfers; each is only produced when the previous one was consumed, and is valid
 * until the next one is asked for. Transfers gathered from smaller source chunks (a file is read
 * 64 KiB at a time) are filled into one payload buffer, again and again, as the programmer does on
 * its side: a new buffer per transfer made a flash allocate as many bytes as it wrote, and the
 * garbage, not the data, set the host's peak memory.
 */
export async function* planTransfers(source: FirehoseDataSource, plan: TransferPlan, tally: SourceTally): AsyncGenerator<Uint8Array> {
  const { total, transferSize, padByte } = plan;
  let sent = 0;
  let payload: Uint8Array | undefined;
  const nextPending = (): Uint8Array => {
    payload ??= new Uint8Array(Math.min(transferSize, total));
    return payload.subarray(0, Math.min(transferSize, total - sent));
  };
  let pending: Uint8Array | undefined;
  let filled = 0;
  for await (const piece of source instanceof Uint8Array ? [source] : source) {
    let chunk = piece;
    if (tally.taken + chunk.length > total) {
      tally.overflow = true;
      chunk = chunk.subarray(0, total - tally.taken);
    }
    tally.taken += chunk.length;
    while (chunk.length > 0) {
      if (pending === undefined && chunk.length >= transferSize) {
        // Whole transfers straight from the source, without a copy.
        yield chunk.subarray(0, transferSize);
        sent += transferSize;
        chunk = chunk.subarray(transferSize);
        continue;
      }
      pending ??= nextPending();
      const take = Math.min(pending.length - filled, chunk.length);
      pending.set(chunk.subarray(0, take), filled);
      filled += take;
      chunk = chunk.subarray(take);
      if (filled === pending.length) {
        yield pending;
        sent += pending.length;
        pending = undefined;
        filled = 0;
      }
    }
    if (tally.overflow) break;
  }
  while (sent < total) {
    pending ??= nextPending();
    pending.fill(padByte, filled);
    yield pending;
    sent += pending.length;
    pending = undefined;
    filled = 0;
  }
}
