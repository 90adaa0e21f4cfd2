// `medic ARGS` in a process of its own, as a user runs it, that reports what it cost when it ends:
// one last stdout line {"cost":{seconds, cpuSeconds, peakRssMb}}. bench/flash reads it; the
// benchmark's own code and output stay out of the figures.
//   node dist/bench/measured-medic.js flash PACKAGE --tcp … --json
import { main } from '../src/cli/main.js';

const started = performance.now();
const code = await main(process.argv.slice(2));
const seconds = (performance.now() - started) / 1000;
const usage = process.resourceUsage();
process.stdout.write(`${JSON.stringify({ cost: { code, seconds, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, peakRssMb: usage.maxRSS / 1024 } })}\n`);
process.exitCode = code;
