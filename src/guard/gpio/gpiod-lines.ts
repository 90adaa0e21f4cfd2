import { spawn, type ChildProcess } from 'node:child_process';
import { sleep } from '../../core/time.js';
import type { GpiodConfig, Level, Signal } from '../config/config.js';
import { GpioError, gpioErrorCodes } from './errors.js';
import { gpiodCommands, parseGpiodVersion, parseGpiogetOutput, type GpiodCommands, type GpiodVersion } from './gpiod-commands.js';
import { otherLevel, pollForLevel, refuseOutput, type GpioLine, type GpioLines } from './lines.js';

// GPIO through libgpiod's command-line tools (ecosystem-aesthetics.md §2.3: onoff's sysfs ABI is
// gone on new kernels and the native bindings need a compiler at install). An output is held by a
// long-running gpioset per line; a new level replaces that process.

export interface GpiodLinesOptions {
  /** Environment of the tools (PATH decides which gpioset runs). Default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** STATUS polling period, real ms. Default 50. */
  readonly pollMs?: number;
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(argv: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const [tool, ...args] = argv;
    const child = spawn(tool ?? 'gpioset', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(toolError(tool ?? '', error));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function toolError(tool: string, error: Error): GpioError {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
    return new GpioError(gpioErrorCodes.toolsMissing, `${tool} is not installed (libgpiod's tools)`, { hint: 'Install them (Debian: `apt install gpiod`), or use [gpio] backend = "none".', cause: error });
  }
  return new GpioError(gpioErrorCodes.toolFailed, `${tool}: ${error.message}`, { cause: error });
}

/** Runs `gpioset --version` and tells v1 from v2. */
export async function probeGpiodVersion(env: NodeJS.ProcessEnv = process.env): Promise<GpiodVersion> {
  const result = await run(['gpioset', '--version'], env, 5000);
  const version = parseGpiodVersion(`${result.stdout}\n${result.stderr}`);
  if (version === undefined) throw new GpioError(gpioErrorCodes.unknownVersion, `cannot tell the libgpiod version from \`gpioset --version\`: ${JSON.stringify(result.stdout.trim().slice(0, 80))}`, { hint: 'The guard knows libgpiod 1.x and 2.x tools; install one of them.' });
  return version;
}

/** How long a new holder must stay up to count as holding its line. */
const HOLDER_SETTLE_MS = 50;

class HeldLine implements GpioLine {
  readonly signal: Signal;
  readonly direction: 'output' | 'input';
  readonly #owner: GpiodLines;
  readonly #offset: number;
  #holder: ChildProcess | undefined;
  #level: Level | undefined;

  constructor(owner: GpiodLines, signal: Signal, offset: number) {
    this.#owner = owner;
    this.signal = signal;
    this.#offset = offset;
    this.direction = signal === 'status' ? 'input' : 'output';
  }

  async set(level: Level): Promise<void> {
    if (this.direction === 'input') refuseOutput(this.signal);
    await this.release();
    this.#holder = await this.#owner.spawnHolder(this.#offset, level);
    this.#level = level;
  }

  async get(): Promise<Level> {
    if (this.direction === 'output' && this.#level !== undefined) return this.#level;
    return this.#owner.read(this.#offset);
  }

  async pulse(level: Level, ms: number): Promise<void> {
    if (this.direction === 'input') refuseOutput(this.signal);
    await this.release();
    await this.#owner.runPulse(this.#offset, level, ms);
    await this.set(otherLevel(level));
  }

  waitFor(level: Level, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return pollForLevel(this, { level, timeoutMs, pollMs: this.#owner.pollMs }, signal);
  }

  async release(): Promise<void> {
    const holder = this.#holder;
    this.#holder = undefined;
    if (holder === undefined || holder.exitCode !== null || holder.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => holder.once('close', () => { resolve(); }));
    holder.kill('SIGTERM');
    await exited;
  }
}

export class GpiodLines implements GpioLines {
  readonly description: string;
  readonly version: GpiodVersion;
  readonly pollMs: number;
  readonly #config: GpiodConfig;
  readonly #commands: GpiodCommands;
  readonly #env: NodeJS.ProcessEnv;
  readonly #lines = new Map<Signal, HeldLine>();

  private constructor(config: GpiodConfig, version: GpiodVersion, options: GpiodLinesOptions) {
    this.#config = config;
    this.version = version;
    this.#commands = gpiodCommands(version);
    this.#env = options.env ?? process.env;
    this.pollMs = options.pollMs ?? 50;
    this.description = `gpiod v${version} (${config.chip})`;
    for (const [signal, offset] of Object.entries(config.lines) as [Signal, number][]) this.#lines.set(signal, new HeldLine(this, signal, offset));
  }

  /** Probes the tools' version and returns the lines of the board file. Nothing is driven yet. */
  static async open(config: GpiodConfig, options: GpiodLinesOptions = {}): Promise<GpiodLines> {
    return new GpiodLines(config, await probeGpiodVersion(options.env ?? process.env), options);
  }

  line(signal: Signal): GpioLine | undefined {
    return this.#lines.get(signal);
  }

  async close(): Promise<void> {
    await Promise.all([...this.#lines.values()].map((line) => line.release()));
  }

  /**
   * @internal Starts the process that holds `level`. Neither CLI says when the line is set (v1
   * prints nothing), so a holder that is still running after HOLDER_SETTLE_MS is taken as holding;
   * one that exited by then failed (line busy, no permission) and its stderr says why.
   */
  async spawnHolder(offset: number, level: Level): Promise<ChildProcess> {
    const argv = this.#commands.hold(this.#config.chip, offset, level === 'high' ? 1 : 0);
    const [tool, ...args] = argv;
    const child = spawn(tool ?? 'gpioset', args, { env: this.#env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const outcome = await new Promise<Error | undefined>((resolve) => {
      const timer = setTimeout(() => { resolve(undefined); }, HOLDER_SETTLE_MS);
      child.once('error', (error) => {
        clearTimeout(timer);
        resolve(toolError(tool ?? '', error));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve(new GpioError(gpioErrorCodes.toolFailed, `${argv.join(' ')} exited (${code ?? 'signal'}) instead of holding the line: ${stderr.trim()}`, { hint: 'Is the line free (`gpioinfo`) and may the guard use /dev/gpiochip*?' }));
      });
    });
    if (outcome !== undefined) throw outcome;
    // Later errors (the process dies) show at the next read or pulse; they must not crash the agent.
    child.on('error', () => undefined);
    return child;
  }

  /** @internal */
  async runPulse(offset: number, level: Level, ms: number): Promise<void> {
    const argv = this.#commands.pulse(this.#config.chip, offset, level === 'high' ? 1 : 0, ms);
    const started = Date.now();
    const result = await run(argv, this.#env, ms + 2000);
    if (result.code !== 0 && result.code !== null) throw new GpioError(gpioErrorCodes.toolFailed, `${argv.join(' ')} failed (${result.code}): ${result.stderr.trim()}`, { hint: 'Is the line free (`gpioinfo`) and may the guard use /dev/gpiochip*?' });
    // A tool that returned early (a v1 --mode=time that did not wait) must not shorten the pulse.
    const left = ms - (Date.now() - started);
    if (left > 0) await sleep(left);
  }

  /** @internal */
  async read(offset: number): Promise<Level> {
    const argv = this.#commands.get(this.#config.chip, offset);
    const result = await run(argv, this.#env, 5000);
    const value = parseGpiogetOutput(result.stdout);
    if (result.code !== 0 || value === undefined) throw new GpioError(gpioErrorCodes.toolFailed, `${argv.join(' ')} failed (${result.code ?? 'killed'}): ${result.stderr.trim() || result.stdout.trim()}`, { hint: 'Check the chip and line offset in [gpio] (`gpioinfo` lists them).' });
    return value === 1 ? 'high' : 'low';
  }
}
