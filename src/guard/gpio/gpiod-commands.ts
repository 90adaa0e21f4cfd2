// The command lines of libgpiod's tools, v1 and v2 (ecosystem-aesthetics.md §2.3). The two CLIs
// differ: v1 takes the chip as the first argument and needs a mode to hold a level (--mode=signal
// holds until SIGTERM, --mode=time for a timed level; the default "exit" releases at once, a
// glitch); v2 takes --chip, holds until killed by default, and times a level with --toggle.
// Debian bookworm ships 1.6.3; trixie ships 2.x.

export type GpiodVersion = 1 | 2;

/** argv (the tool first) for each operation. */
export interface GpiodCommands {
  /** Drive `value` and keep it until the process is killed. */
  hold(chip: string, offset: number, value: 0 | 1): readonly string[];
  /** Drive `value` for `ms`, then exit (v2: toggle back first, then exit). */
  pulse(chip: string, offset: number, value: 0 | 1, ms: number): readonly string[];
  /** Read the line; prints 0 or 1. */
  get(chip: string, offset: number): readonly string[];
}

const CONSUMER = 'medic-guard';

const v1: GpiodCommands = {
  hold: (chip, offset, value) => ['gpioset', '--mode=signal', chip, `${offset}=${value}`],
  pulse: (chip, offset, value, ms) => {
    const us = Math.max(0, Math.round(ms * 1000));
    return ['gpioset', '--mode=time', `--sec=${Math.floor(us / 1_000_000)}`, `--usec=${us % 1_000_000}`, chip, `${offset}=${value}`];
  },
  get: (chip, offset) => ['gpioget', chip, String(offset)],
};

const v2: GpiodCommands = {
  hold: (chip, offset, value) => ['gpioset', '--consumer', CONSUMER, '--chip', chip, `${offset}=${value}`],
  // "If the last period is 0 then gpioset exits" (gpioset(1), libgpiod 2.2); 2.0/2.1 document only
  // that a non-zero last period repeats — the exit on 0 there is UNVERIFIED, so the caller also
  // kills the process after the pulse has had its time.
  pulse: (chip, offset, value, ms) => ['gpioset', '--consumer', CONSUMER, '--chip', chip, '--toggle', `${Math.max(1, Math.round(ms))}ms,0`, `${offset}=${value}`],
  get: (chip, offset) => ['gpioget', '--consumer', CONSUMER, '--chip', chip, '--numeric', String(offset)],
};

export function gpiodCommands(version: GpiodVersion): GpiodCommands {
  return version === 1 ? v1 : v2;
}

/** The major version in `gpioset --version` ("gpioset (libgpiod) v1.6.3", "gpioset (libgpiod) v2.1"). */
export function parseGpiodVersion(output: string): GpiodVersion | undefined {
  const match = /libgpiod\)?\s*v?(\d+)\.\d+/i.exec(output) ?? /\bv(\d+)\.\d+/.exec(output);
  const major = Number(match?.[1]);
  if (major === 1) return 1;
  if (major >= 2) return 2;
  return undefined;
}

/** gpioget's answer: v1 prints 0/1; v2 with --numeric too, without it `"35"=active`. */
export function parseGpiogetOutput(output: string): 0 | 1 | undefined {
  const last = output.trim().split(/\s+/).at(-1) ?? '';
  const value = /(?:^|=)(0|1|active|inactive)$/.exec(last)?.[1];
  if (value === '1' || value === 'active') return 1;
  if (value === '0' || value === 'inactive') return 0;
  return undefined;
}
