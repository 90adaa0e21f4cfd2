import type { ByteTransport } from './byte-transport.js';
import { ChunkQueue } from './chunk-queue.js';
import { TransportClosedError } from './errors.js';

/**
 * Two ByteTransports joined back to back in memory: what one writes the other reads. For unit
 * tests of protocol layers and for wiring a protocol to an in-process peer; end-to-end tests use
 * real pseudo-terminals and TCP instead.
 */
export function createTransportPair(names: readonly [string, string] = ['host', 'device']): [ByteTransport, ByteTransport] {
  const queues = [new ChunkQueue(), new ChunkQueue()] as const;
  const make = (mine: ChunkQueue, theirs: ChunkQueue, name: string): ByteTransport => ({
    description: `memory ${name}`,
    get isOpen() {
      return !mine.ended;
    },
    read: (signal) => mine.read(signal),
    readInto: (into, signal) => mine.readInto(into, signal),
    write: (data) => {
      if (mine.ended) return Promise.reject(new TransportClosedError(`memory ${name} is closed`, false));
      if (theirs.ended) return Promise.reject(new TransportClosedError(`memory ${name}: the peer went away`, true));
      theirs.push(data.slice());
      return Promise.resolve();
    },
    close: () => {
      mine.end(new TransportClosedError(`memory ${name} is closed`, false));
      theirs.end(new TransportClosedError(`memory ${name}: the peer went away`, true));
      return Promise.resolve();
    },
  });
  return [make(queues[0], queues[1], names[0]), make(queues[1], queues[0], names[1])];
}
