import { access } from 'node:fs/promises';
import { TimeoutError } from '../../core/errors.js';
import { logDebug, silentLogger, type Logger } from '../../core/logger.js';
import { sleep } from '../../core/time.js';
import { AtClient } from '../../protocols/at/client.js';
import type { Urc } from '../../protocols/at/urc.js';
import { openSerial } from '../../transport/serial.js';

// The module's AT port as the guard sees it: it comes and goes with the module (USB drops at
// power-off and reset), so the channel reopens it on demand and keeps URC listeners across
// reopenings.

export interface AtChannel {
  /** How many times a port was opened: a new one while nobody restarted the module means it restarted by itself. */
  readonly generation: number;
  /** The open client, opening the port if it exists now; undefined when there is no port. */
  client(): Promise<AtClient | undefined>;
  /**
   * Waits until the module is ready: `RDY`, or — when the port was opened after RDY went by,
   * which at small time scales and on slow hosts happens — an answer to `AT`.
   */
  awaitReady(timeoutMs: number, signal?: AbortSignal): Promise<'rdy' | 'at-probe'>;
  /** Every URC of every client this channel opens. */
  onUrc(listener: (urc: Urc) => void): () => void;
  /** Closes the current client (the port comes back at the next `client()`). */
  drop(): Promise<void>;
  close(): Promise<void>;
}

export interface PortAtChannelOptions {
  /** Where the AT port is now (a path), or undefined when the module shows none. */
  readonly resolvePort: () => Promise<string | undefined>;
  readonly logger?: Logger;
  /** Real ms between looks for the port and between AT probes while waiting. Default 50. */
  readonly pollMs?: number;
}

export class PortAtChannel implements AtChannel {
  readonly #options: PortAtChannelOptions;
  readonly #logger: Logger;
  readonly #pollMs: number;
  readonly #listeners = new Set<(urc: Urc) => void>();
  #client: AtClient | undefined;
  #rdySeen = false;
  #generation = 0;

  constructor(options: PortAtChannelOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#pollMs = options.pollMs ?? 50;
  }

  get generation(): number {
    return this.#generation;
  }

  async client(): Promise<AtClient | undefined> {
    if (this.#client?.isOpen === true) return this.#client;
    this.#client = undefined;
    const path = await this.#options.resolvePort();
    if (path === undefined) return undefined;
    try {
      await access(path);
      const transport = await openSerial({ path });
      // One short resync probe: the guard has its own retries (the alive probe, the ladder), and a
      // silent module must not hold every command for three full AT budgets.
      const client = new AtClient(transport, { logger: this.#logger, quietMs: 20, quietMaxMs: 500, probeTimeoutMs: 500, resyncAttempts: 1 });
      client.onUrc((urc) => {
        if (urc.name === 'ready') this.#rdySeen = true;
        for (const listener of this.#listeners) listener(urc);
      });
      this.#client = client;
      this.#generation++;
      return client;
    } catch (error) {
      logDebug(this.#logger, `guard: AT port ${path} not open yet: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  async awaitReady(timeoutMs: number, signal?: AbortSignal): Promise<'rdy' | 'at-probe'> {
    this.#rdySeen = false;
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const client = await this.client();
      if (this.#sawRdy()) return 'rdy';
      if (client !== undefined) {
        const rdy = client.waitForUrc((urc) => urc.name === 'ready', { timeoutMs: Math.max(1, Math.min(this.#pollMs * 4, until - Date.now())), ...(signal === undefined ? {} : { signal }) }).then(
          () => 'rdy' as const,
          () => undefined,
        );
        const probe = client.send('AT', { timeoutMs: Math.max(100, this.#pollMs * 4), ...(signal === undefined ? {} : { signal }) }).then(
          () => 'at-probe' as const,
          () => undefined,
        );
        const first = await Promise.race([rdy, probe]);
        const outcome = first ?? (await rdy) ?? (await probe);
        if (this.#sawRdy()) return 'rdy';
        if (outcome !== undefined) return outcome;
      }
      signal?.throwIfAborted();
      await sleep(this.#pollMs, signal);
    }
    throw new TimeoutError(`the module did not become ready (no RDY, no answer to AT) within ${Math.round(timeoutMs)} ms`, { hint: 'Check the AT port setting and the module\'s USB; "if no RDY, power off and restart" (quectel-ec25.md §4.2).' });
  }

  /** A method, not the field: the URC listener sets it while awaitReady waits. */
  #sawRdy(): boolean {
    return this.#rdySeen;
  }

  onUrc(listener: (urc: Urc) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async drop(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    await client?.close().catch(() => undefined);
  }

  close(): Promise<void> {
    return this.drop();
  }
}
