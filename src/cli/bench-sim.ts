// The simulator as a bench (`medic diagnose --bench sim:STATEDIR`): its control interface read
// the way a technician reads a meter and watches the pins for a while — VBAT at the pins and on
// the supply's display, the current (a range when it wanders, with a little meter noise), STATUS
// (toggling if it keeps changing), the NET_STATUS blink, VDD_EXT, USB_BOOT and what USB shows.
// Only what a meter or an eye can see is read: never the simulator's firmware or NAND state.
import type { BenchReader } from '../diagnose/bench-reader.js';
import type { RawObservation } from '../diagnose/observations/index.js';
import { isMedicError, UsageError } from '../core/errors.js';
import { SimControlClient } from '../sim/control/client.js';
import type { SimState } from '../sim/control/api.js';

export interface SimBenchOptions {
  /** How long to watch, in module time (a person watches STATUS ~30 s, §4.2 brown-out cycles). */
  readonly watchModuleMs?: number;
  /** But never longer than this in real time. */
  readonly maxRealMs?: number;
  readonly samples?: number;
  /** Relative meter noise on the current (default ±1.5 %). */
  readonly noise?: number;
  readonly random?: () => number;
}

/** `sim:/tmp/medic-sim-x` → the simulator's state directory. */
export function parseBenchSpec(spec: string): { kind: 'sim'; stateDir: string } {
  const match = /^sim:(.+)$/.exec(spec);
  if (match?.[1] === undefined) {
    throw new UsageError(`--bench ${spec}: unknown bench`, { hint: 'Use --bench sim:STATEDIR for a running `medic sim --state STATEDIR`; real meters are typed with --observe or answered in the wizard.' });
  }
  return { kind: 'sim', stateDir: match[1] };
}

export function simBenchReader(stateDir: string, options: SimBenchOptions = {}): BenchReader {
  return {
    name: `simulator ${stateDir}`,
    read: async (signal) => {
      // A directory where no simulator runs is a wrong --bench argument: a usage error (exit 2).
      const client = await SimControlClient.fromStateDir(stateDir).catch((error: unknown) => {
        throw isMedicError(error) ? new UsageError(`--bench sim:${stateDir}: ${error.message}`, { ...(error.hint === undefined ? {} : { hint: error.hint }), cause: error }) : error;
      });
      const first = await client.state();
      const samples = options.samples ?? 25;
      const windowMs = Math.min(options.maxRealMs ?? 4000, (options.watchModuleMs ?? 30_000) * first.timeScale);
      const states: SimState[] = [first];
      for (let i = 1; i < samples; i += 1) {
        signal?.throwIfAborted();
        await new Promise((resolve) => setTimeout(resolve, Math.max(5, windowMs / samples)));
        states.push(await client.state());
      }
      return readMeters(states, { noise: options.noise ?? 0.015, random: options.random ?? Math.random });
    },
  };
}

/** What a person would write down after watching these states. */
export function readMeters(states: readonly SimState[], meter: { noise: number; random: () => number }): RawObservation[] {
  const last = states[states.length - 1];
  if (last === undefined) return [];
  const currents = states.map((state) => state.currentMa * (1 + (meter.random() * 2 - 1) * meter.noise)).sort((a, b) => a - b);
  // A meter's display averages over ~0.3 s: the 10th–90th percentile drops single burst spikes.
  const low = percentile(currents, 0.1);
  const high = percentile(currents, 0.9);
  const middle = percentile(currents, 0.5);
  const wanders = high - low > Math.max(8, 0.15 * middle);
  const statusChanges = states.slice(1).filter((state, i) => state.pins.status.level !== states[i]?.pins.status.level).length;
  return [
    { key: 'usb', value: mostCommon(states.map((state) => usbOf(state.usb.id))), note: 'what the simulated host shows' },
    { key: 'supply_v', value: last.vbat.supplyVolts.toFixed(3), note: 'the bench supply\'s display' },
    { key: 'vbat', value: percentile(states.map((state) => state.vbat.volts).sort((a, b) => a - b), 0.5).toFixed(3), note: 'meter on the VBAT pins' },
    { key: 'current_ma', value: wanders ? `${low.toFixed(0)}-${high.toFixed(0)}` : middle.toFixed(1), note: wanders ? 'wandering on the supply\'s display' : 'the supply\'s display' },
    { key: 'status', value: statusChanges >= 2 ? 'toggling' : last.pins.status.level, note: 'STATUS watched for a while' },
    { key: 'net_status', value: mostCommon(states.map((state) => netStatusOf(state.pins.netStatus.pattern))), note: 'the NET_STATUS LED' },
    { key: 'vdd_ext', value: percentile(states.map((state) => state.pins.vddExt.volts).sort((a, b) => a - b), 0.5).toFixed(2), note: 'meter on pin 7' },
    { key: 'usb_boot', value: last.pins.usbBoot.level, note: 'meter on pin 115' },
  ];
}

function usbOf(id: string | null): string {
  if (id === null) return 'none';
  if (id === '05c6:9008') return '9008';
  if (id.startsWith('2c7c:')) return 'normal';
  if (id === '18d1:d00d') return 'fastboot';
  return 'other';
}

function netStatusOf(pattern: SimState['pins']['netStatus']['pattern']): string {
  switch (pattern) {
    case 'off':
      return 'off';
    case 'steady-high':
      return 'on';
    case 'data':
      return 'fast-blink';
    case 'searching':
    case 'registered':
      return 'slow-blink';
  }
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(fraction * (sorted.length - 1))))] ?? 0;
}

function mostCommon(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
}
