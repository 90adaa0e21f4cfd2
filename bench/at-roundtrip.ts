// bench/at-roundtrip: AT commands per second through a real pty against the simulator answering
// at once (a time scale of 1e-6: module delays vanish), beside a bare write/read loop on the same pty in the same run. The
// ratio is the overhead of our stack (framing, routing, queue, timeouts). Run by hand:
//   npm run build && node dist/bench/at-roundtrip.js [count]
import { AtClient } from '../src/protocols/at/client.js';
import { startSimulator } from '../src/sim/simulator.js';
import { openSerial } from '../src/transport/serial.js';

const count = Number(process.argv[2] ?? 2000);
const decoder = new TextDecoder();
const encoder = new TextEncoder();

const sim = await startSimulator({ timeScale: 1e-6, seed: 1 });
await sim.waitFor((state) => state.mode === 'normal' && state.firmware.rdy, 30_000, 'boot');
const atPort = sim.info.ports.at;
if (atPort === undefined) throw new Error('no AT port');
const port: string = atPort;

async function bareLoop(): Promise<number> {
  const transport = await openSerial({ path: port });
  const command = encoder.encode('AT\r');
  const started = performance.now();
  for (let i = 0; i < count; i += 1) {
    await transport.write(command);
    let text = '';
    while (!text.includes('OK\r\n')) text += decoder.decode(await transport.read(AbortSignal.timeout(5000)));
  }
  const seconds = (performance.now() - started) / 1000;
  await transport.close();
  return count / seconds;
}

async function clientLoop(): Promise<number> {
  const client = new AtClient(await openSerial({ path: port }));
  await client.sync();
  const started = performance.now();
  for (let i = 0; i < count; i += 1) await client.send('AT');
  const seconds = (performance.now() - started) / 1000;
  await client.close();
  return count / seconds;
}

// Alternate and keep the better of two runs each, so warm-up does not favour either side.
const bare = Math.max(await bareLoop(), await bareLoop());
const stack = Math.max(await clientLoop(), await clientLoop());
await sim.stop();
console.log(`AT round trips through a pty, simulator answering at once, ${count} commands per run`);
console.log(`  bare write/read loop : ${bare.toFixed(0)} commands/s`);
console.log(`  AtClient.send        : ${stack.toFixed(0)} commands/s`);
console.log(`  ratio (stack / bare) : ${(stack / bare).toFixed(2)}`);
