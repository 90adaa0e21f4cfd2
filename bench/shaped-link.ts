// A TCP proxy that shapes both directions to a fixed byte rate: the bench's stand-in for a USB 2.0
// high-speed bulk pipe (edl sheet §4: 53.2 MB/s theoretical, ~48 MB/s best practical). It runs as
// its own process so its CPU time and memory stay out of the figures of the host under test.
//   node dist/bench/shaped-link.js <listenPort> <targetHost:port> <bytesPerSecond>
// Prints {"listening": port} on stdout once ready.
import { createConnection, createServer, type Socket } from 'node:net';

const [listenArg = '0', target = '', rateArg = '48000000'] = process.argv.slice(2);
const [targetHost = '127.0.0.1', targetPort = '0'] = target.split(':');
const bytesPerMs = Number(rateArg) / 1000;
/** Bytes in flight inside the shaper before the sender is paused (a USB host's queued URBs). */
const MAX_QUEUED = 1 << 20;

/**
 * Forwards `from` → `to` no faster than the rate: each chunk leaves, in order, when the link would
 * have finished sending it, so the receiver sees the shaped throughput.
 */
function shape(from: Socket, to: Socket): void {
  const queue: { readonly chunk: Buffer; readonly due: number }[] = [];
  let nextFree = 0;
  let queued = 0;
  let timer: NodeJS.Timeout | undefined;
  let ended = false;
  const pump = (): void => {
    timer = undefined;
    const now = performance.now();
    while (queue[0] !== undefined && queue[0].due <= now) {
      const { chunk } = queue[0];
      queue.shift();
      queued -= chunk.length;
      to.write(chunk);
    }
    if (queued <= MAX_QUEUED && from.isPaused()) from.resume();
    if (queue[0] !== undefined) timer = setTimeout(pump, queue[0].due - now);
    else if (ended) to.end();
  };
  from.on('data', (chunk: Buffer) => {
    const now = performance.now();
    nextFree = Math.max(now, nextFree) + chunk.length / bytesPerMs;
    queue.push({ chunk, due: nextFree });
    queued += chunk.length;
    if (queued > MAX_QUEUED) from.pause();
    timer ??= setTimeout(pump, nextFree - now);
  });
  from.on('end', () => {
    ended = true;
    timer ??= setTimeout(pump, 0);
  });
  from.on('error', () => to.destroy());
}

const server = createServer((client) => {
  const upstream = createConnection({ host: targetHost, port: Number(targetPort) });
  client.setNoDelay(true);
  upstream.setNoDelay(true);
  shape(client, upstream);
  shape(upstream, client);
  upstream.on('close', () => client.destroy());
  client.on('close', () => upstream.destroy());
});
server.listen(Number(listenArg), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ listening: typeof address === 'object' && address !== null ? address.port : 0 })}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  process.exit(0);
});
