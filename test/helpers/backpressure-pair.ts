import type { ByteTransport } from '../../src/transport/byte-transport.js';
import { ChunkQueue } from '../../src/transport/chunk-queue.js';
import { TransportClosedError } from '../../src/transport/errors.js';

/**
 * Like createTransportPair(), except that a host write resolves only once the device has read it —
 * a pipe with no buffer, as a USB bulk OUT that the device NAKs until it has room. With it, a test
 * can see whether a host pulls data from its source faster than the device takes it.
 */
export function createBackpressurePair(): [ByteTransport, ByteTransport] {
  const toDevice = new ChunkQueue();
  const toHost = new ChunkQueue();
  const unread: (() => void)[] = [];
  const host: ByteTransport = {
    description: 'memory host (back-pressured)',
    get isOpen() {
      return !toHost.ended;
    },
    read: (signal) => toHost.read(signal),
    readInto: (into, signal) => toHost.readInto(into, signal),
    write: (data) => {
      if (toDevice.ended) return Promise.reject(new TransportClosedError('memory host: the peer went away', true));
      return new Promise<void>((resolve) => {
        unread.push(resolve);
        toDevice.push(data.slice());
      });
    },
    close: () => {
      toHost.end(new TransportClosedError('memory host is closed', false));
      toDevice.end(new TransportClosedError('memory device: the peer went away', true));
      return Promise.resolve();
    },
  };
  const device: ByteTransport = {
    description: 'memory device (back-pressured)',
    get isOpen() {
      return !toDevice.ended;
    },
    read: async (signal) => {
      const chunk = await toDevice.read(signal);
      unread.shift()?.();
      return chunk;
    },
    readInto: async (into, signal) => {
      const count = await toDevice.readInto(into, signal);
      // A write taken in part counts as read: the simulated devices here read whole chunks.
      unread.shift()?.();
      return count;
    },
    write: (data) => {
      toHost.push(data.slice());
      return Promise.resolve();
    },
    close: () => {
      toDevice.end(new TransportClosedError('memory device is closed', false));
      toHost.end(new TransportClosedError('memory host: the peer went away', true));
      for (const resolve of unread.splice(0)) resolve();
      return Promise.resolve();
    },
  };
  return [host, device];
}
