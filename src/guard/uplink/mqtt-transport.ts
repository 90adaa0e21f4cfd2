import type { IClientOptions, MqttClient } from 'mqtt';
import { CancelledError } from '../../core/errors.js';
import { logDebug, type Logger } from '../../core/logger.js';
import { deadline, toCancelled } from '../../core/time.js';
import type { RiskEvent } from '../events/event.js';
import { errorText, UplinkError, uplinkErrorCodes } from './errors.js';
import type { UplinkTransport } from './transport.js';
import { answerFits, batchPayload, parseServerAnswer, STATUS_OFFLINE, STATUS_ONLINE, unitTopic, type ServerAnswer } from './wire-format.js';

// MQTT 3.1.1 (protocolVersion 4): both the embedded aedes broker (3.1.1 only,
// ecosystem-aesthetics.md §2.4) and Mosquitto speak it. The client never reconnects by itself
// (reconnectPeriod 0): the uplink's own backoff decides when to try again, one policy for both
// transports. The will `offline` (retained) tells the server when the unit vanishes without a word.

export interface MqttTransportOptions {
  readonly url: string;
  readonly unit: string;
  readonly username?: string;
  readonly password?: string;
  readonly topicPrefix: string;
  readonly timeoutMs: number;
  readonly logger: Logger;
}

interface Waiter {
  readonly events: readonly RiskEvent[];
  readonly resolve: (answer: ServerAnswer) => void;
  readonly reject: (error: Error) => void;
}

// CONNACK return codes of MQTT 3.1.1 §3.2.2.3 and their MQTT 5 counterparts.
const LOGIN_REFUSED = new Set([4, 5, 0x86, 0x87]);

function connectError(url: string, unit: string, error: unknown): UplinkError {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'number' && LOGIN_REFUSED.has(code)) {
    return new UplinkError(uplinkErrorCodes.unauthenticated, `the broker ${url} refused the login of unit "${unit}": ${errorText(error)}`, {
      cause: error,
      hint: 'Check the MQTT user name and password (with the embedded broker of `medic fleet serve`: the unit id and its secret).',
    });
  }
  return new UplinkError(uplinkErrorCodes.unreachable, `cannot connect to the MQTT broker ${url}: ${errorText(error)}`, {
    cause: error,
    hint: 'Check the broker URL and the network; the guard keeps the events and retries.',
  });
}

export function createMqttTransport(options: MqttTransportOptions): UplinkTransport {
  const { url, unit, topicPrefix, timeoutMs, logger } = options;
  const topics = { events: unitTopic(topicPrefix, unit, 'events'), status: unitTopic(topicPrefix, unit, 'status'), ack: unitTopic(topicPrefix, unit, 'ack') };
  let client: MqttClient | undefined;
  let waiter: Waiter | undefined;

  const drop = (reason: UplinkError): void => {
    const gone = client;
    client = undefined;
    gone?.removeAllListeners();
    gone?.on('error', () => undefined);
    gone?.end(true);
    waiter?.reject(reason);
  };

  const onMessage = (topic: string, payload: Buffer): void => {
    if (topic !== topics.ack) return;
    const answer = parseServerAnswer(payload.toString('utf8'));
    if (answer !== undefined && waiter !== undefined && answerFits(answer, waiter.events)) waiter.resolve(answer);
    else logDebug(logger, 'uplink: ack that answers no batch in flight, ignored (a late answer to an earlier attempt)');
  };

  const open = async (signal: AbortSignal): Promise<MqttClient> => {
    // Loaded on first use: MQTT.js is ~17 MB of a guard's resident memory, and an HTTP uplink or
    // none at all needs none of it (bench/guard: RSS target < 60 MB).
    const { connect } = await import('mqtt');
    const clientOptions: IClientOptions = {
      protocolVersion: 4,
      // One id per unit: a new session of a restarted guard takes over a half-open old one at once.
      // MQTT 3.1.1 only guarantees 23 bytes; Mosquitto and aedes take the longer ids unit ids make.
      clientId: `medic-guard-${unit}`,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: timeoutMs,
      will: { topic: topics.status, payload: Buffer.from(STATUS_OFFLINE), qos: 1, retain: true },
      ...(options.username === undefined ? {} : { username: options.username }),
      ...(options.password === undefined ? {} : { password: options.password }),
    };
    const fresh = connect(url, clientOptions);
    return await new Promise<MqttClient>((resolve, reject) => {
      const fail = (error: unknown): void => {
        signal.removeEventListener('abort', onAbort);
        fresh.removeAllListeners();
        fresh.on('error', () => undefined);
        fresh.end(true);
        reject(error instanceof CancelledError ? error : connectError(url, unit, error));
      };
      const onAbort = (): void => {
        fail(toCancelled(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      fresh.once('error', fail);
      fresh.once('close', () => {
        fail(new Error('connection closed before CONNACK'));
      });
      fresh.once('connect', () => {
        signal.removeEventListener('abort', onAbort);
        fresh.removeAllListeners();
        resolve(fresh);
      });
    });
  };

  const connected = async (signal: AbortSignal): Promise<MqttClient> => {
    if (client?.connected === true) return client;
    if (client !== undefined) drop(new UplinkError(uplinkErrorCodes.unreachable, 'the MQTT connection was lost'));
    const fresh = await open(signal);
    fresh.on('message', onMessage);
    const lost = (error?: Error): void => {
      if (client !== fresh) return;
      drop(new UplinkError(uplinkErrorCodes.unreachable, `the connection to ${url} was lost${error === undefined ? '' : `: ${error.message}`}`, { hint: 'The guard keeps the events and retries.' }));
    };
    fresh.on('close', () => {
      lost();
    });
    fresh.on('error', lost);
    client = fresh;
    // Subscribe before the first publish: the embedded broker answers before its PUBACK.
    await fresh.subscribeAsync(topics.ack, { qos: 1 });
    await fresh.publishAsync(topics.status, STATUS_ONLINE, { qos: 1, retain: true });
    return fresh;
  };

  const send = async (events: readonly RiskEvent[], signal: AbortSignal): Promise<ServerAnswer> => {
    const limit = deadline(timeoutMs, `MQTT batch of ${events.length} event(s)`, signal);
    try {
      const session = await connected(limit.signal).catch((error: unknown) => {
        if (limit.signal.aborted && !signal.aborted) throw new UplinkError(uplinkErrorCodes.timeout, `no CONNACK from ${url} within ${timeoutMs} ms`, { cause: error, hint: 'The broker is slow or unreachable; the guard retries.' });
        throw error;
      });
      const answer = new Promise<ServerAnswer>((resolve, reject) => {
        waiter = { events, resolve, reject };
        const onAbort = (): void => {
          const reason = limit.signal.reason as unknown;
          reject(signal.aborted ? toCancelled(signal) : new UplinkError(uplinkErrorCodes.timeout, `no answer from the fleet server on ${topics.ack} within ${timeoutMs} ms`, {
            cause: reason,
            hint: `Is \`medic fleet serve\` running, connected to this broker with topic prefix "${topicPrefix}", and does it know unit "${unit}"?`,
          }));
        };
        if (limit.signal.aborted) onAbort();
        else limit.signal.addEventListener('abort', onAbort, { once: true });
      });
      session.publish(topics.events, batchPayload(events), { qos: 1 }, (error: Error | null | undefined) => {
        // mqtt.js calls back with null on success, whatever its types say.
        if (error !== undefined && error !== null) waiter?.reject(new UplinkError(uplinkErrorCodes.unreachable, `publish to ${url} failed: ${error.message}`, { cause: error }));
      });
      return await answer;
    } finally {
      waiter = undefined;
      limit.dispose();
    }
  };

  const close = async (): Promise<void> => {
    const session = client;
    client = undefined;
    if (session === undefined) return;
    session.removeAllListeners();
    session.on('error', () => undefined);
    if (session.connected) {
      // A clean goodbye: the broker drops the will on DISCONNECT, so say `offline` ourselves.
      const limit = deadline(timeoutMs, 'publish offline');
      try {
        await Promise.race([session.publishAsync(topics.status, STATUS_OFFLINE, { qos: 1, retain: true }), new Promise((resolve) => {
            limit.signal.addEventListener('abort', resolve, { once: true });
          })]);
        await session.endAsync();
      } catch {
        session.end(true);
      } finally {
        limit.dispose();
      }
    } else {
      session.end(true);
    }
  };

  return {
    kind: 'mqtt',
    get connected() {
      return client?.connected === true;
    },
    send,
    close,
  };
}
