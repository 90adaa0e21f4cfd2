// The one seam between protocols and platforms (ya-webadb's AdbTransport, node-serialport's
// binding): AT, DIAG, Sahara and Firehose speak to this interface and never to a device API.

export interface ByteTransport {
  /**
   * The next chunk of received bytes (never empty). A cancelled or timed-out read loses nothing:
   * bytes that arrive later are returned by the next read. Rejects with TransportClosedError once
   * the transport is closed or the device went away and every received byte has been read.
   */
  read(signal?: AbortSignal): Promise<Uint8Array>;
  /**
   * Like `read`, but copies the bytes into the caller's buffer (at most its length; at least one
   * byte) and leaves the rest for the next read: a partition read fills one reused buffer instead
   * of taking a new chunk per transfer.
   */
  readInto(into: Uint8Array, signal?: AbortSignal): Promise<number>;
  /**
   * Resolves when the bytes are handed to the device (or its driver, or the kernel's socket). The
   * transport keeps no reference to `data` after that: the caller may fill it with the next
   * transfer, as a flash does with its one payload buffer.
   */
  write(data: Uint8Array, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
  readonly isOpen: boolean;
  /** What this is, for messages: "serial /dev/ttyUSB2", "tcp 10.0.0.5:9008". */
  readonly description: string;
}
