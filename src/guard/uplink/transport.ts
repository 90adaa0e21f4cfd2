import type { RiskEvent } from '../events/event.js';
import type { ServerAnswer } from './wire-format.js';

/** How the guard reaches the fleet server: one batch out, the server's answer back. */
export interface UplinkTransport {
  readonly kind: 'mqtt' | 'http';
  /** Whether the last contact with the broker or server worked (MQTT: the session is up). */
  readonly connected: boolean;
  /**
   * Sends one batch and resolves with the server's answer to it; rejects with an UplinkError when
   * there is none (unreachable, refused login, timeout) or CancelledError when `signal` fires.
   */
  send(events: readonly RiskEvent[], signal: AbortSignal): Promise<ServerAnswer>;
  /** MQTT: publishes the retained `offline` and disconnects. Idempotent. */
  close(): Promise<void>;
}
