// Collects what a simulated device sends, one entry per send() call (one USB transfer each), and
// reads Firehose messages out of it the way hosts do.

export class DeviceOutput {
  readonly writes: Uint8Array[] = [];
  #cursor = 0;

  readonly send = (bytes: Uint8Array): void => {
    this.writes.push(bytes.slice());
  };

  /** Writes not taken yet, then marks them taken. */
  take(): Uint8Array[] {
    const fresh = this.writes.slice(this.#cursor);
    this.#cursor = this.writes.length;
    return fresh;
  }

  /** The untaken writes as latin1 strings. */
  takeText(): string[] {
    return this.take().map((bytes) => Buffer.from(bytes).toString('latin1'));
  }

}

/** The values of the log messages among `messages`, in order. */
export function logValues(messages: readonly string[]): string[] {
  return messages.flatMap((message) => {
    const match = /<log value="([\s\S]*)"\/>/.exec(message);
    return match?.[1] === undefined ? [] : [match[1]];
  });
}

export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(chunks.map((chunk) => Buffer.from(chunk))));
}
