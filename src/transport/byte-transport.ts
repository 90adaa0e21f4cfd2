// The one seam between protocols and platforms (ya-webadb's AdbTransport, node-serialport's
// binding): AT, DIAG, Sahara and Firehose speak to this interface and never to a device API.

export interface ByteTransport {
  /**
   * The next chunk of received bytes (never empty). A cancelled or timed-out read loses nothing:
   * bytes that arrive later are returned by the next read. Rejects with TransportClosedError once
   * the transport is closed or the device went away and every received byte has been read.
   */
  read(signal?: AbortSignal): Promise<Uint8Array>;
  /** Resolves when the bytes are handed to the device (or its driver). */
  write(data: Uint8Array, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
  readonly isOpen: boolean;
  /** What this is, for messages: "serial /dev/ttyUSB2", "tcp 10.0.0.5:9008". */
  readonly description: string;
}
