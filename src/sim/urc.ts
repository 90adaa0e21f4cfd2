// Unsolicited result codes go to the port AT+QURCCFG="urcport" names (§3.7; default usbat).
// AT+QCFG="urc/cache",1 holds them back until it is set to 0 again (eg25-manager's suspend, §5.3).
import type { UrcPort } from './state-store.js';

export type AtPortRole = 'at' | 'modem';

const TARGETS: Record<UrcPort, readonly AtPortRole[]> = {
  usbat: ['at'],
  usbmodem: ['modem'],
  all: ['at', 'modem'],
  // The UARTs are not simulated: their URCs go nowhere a host can see here.
  uart1: [],
  uart2: [],
};

export interface UrcSettings {
  urcport(): UrcPort;
  cacheOn(): boolean;
}

export class UrcRouter {
  readonly #sinks = new Map<AtPortRole, (text: string) => void>();
  readonly #settings: UrcSettings;
  #cached: string[] = [];

  constructor(settings: UrcSettings) {
    this.#settings = settings;
  }

  attach(role: AtPortRole, sink: (text: string) => void): void {
    this.#sinks.set(role, sink);
  }

  detach(role: AtPortRole): void {
    this.#sinks.delete(role);
  }

  /**
   * Sends `text` as a URC. RDY and POWERED DOWN are never cached: hosts (ModemManager,
   * eg25-manager) rely on them to follow reboots and shutdowns (§1.4, §5.3) — UNVERIFIED detail.
   */
  emit(text: string): void {
    if (this.#settings.cacheOn() && text !== 'RDY' && text !== 'POWERED DOWN') {
      this.#cached.push(text);
      return;
    }
    this.#deliver(text);
  }

  /** urc/cache went back to 0: what was held back comes out in order. */
  release(): void {
    const cached = this.#cached;
    this.#cached = [];
    for (const text of cached) this.#deliver(text);
  }

  /** The firmware stopped: the cache lived in RAM. */
  reset(): void {
    this.#cached = [];
  }

  #deliver(text: string): void {
    for (const role of TARGETS[this.#settings.urcport()]) this.#sinks.get(role)?.(text);
  }
}
