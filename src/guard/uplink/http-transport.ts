import type { HttpAnswer } from '../../core/http-request.js';
import { deadline } from '../../core/time.js';
import type { RiskEvent } from '../events/event.js';
import { errorText, UplinkError, uplinkErrorCodes } from './errors.js';
import type { UplinkTransport } from './transport.js';
import { batchPayload, EVENTS_PATH, parseServerAnswer, type ServerAnswer } from './wire-format.js';

// POST /api/v1/events of `medic fleet serve` (README "Sending events"): Basic unit:secret, the
// batch as {"events":[…]}; 200 = all stored, 422 = some refused one by one, other 4xx = the whole
// message refused, every one with the same answer body.

export interface HttpTransportOptions {
  /** The server's base URL, e.g. http://fleet.example:8080 (the events path is added). */
  readonly url: string;
  readonly unit: string;
  readonly secret: string;
  readonly timeoutMs: number;
}

function eventsUrl(base: string): string {
  const url = new URL(base);
  if (!url.pathname.endsWith(EVENTS_PATH)) url.pathname = `${url.pathname.replace(/\/+$/u, '')}${EVENTS_PATH}`;
  return url.toString();
}

export function createHttpTransport(options: HttpTransportOptions): UplinkTransport {
  let target: string;
  try {
    target = eventsUrl(options.url);
  } catch (error) {
    throw new UplinkError(uplinkErrorCodes.options, `uplink URL "${options.url}" is not a URL`, { cause: error, hint: 'Give the fleet server as http://host:8080.' });
  }
  const authorization = `Basic ${Buffer.from(`${options.unit}:${options.secret}`).toString('base64')}`;
  let connected = false;

  const send = async (events: readonly RiskEvent[], signal: AbortSignal): Promise<ServerAnswer> => {
    // Loaded with the first batch, as MQTT.js is (mqtt-transport.ts): node:http is ~1 MB of a
    // guard's resident memory, and a guard with an MQTT uplink or none never needs it.
    const { httpRequest } = await import('../../core/http-request.js');
    const limit = deadline(options.timeoutMs, `POST ${target}`, signal);
    try {
      let response: HttpAnswer;
      try {
        response = await httpRequest(target, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: batchPayload(events), signal: limit.signal });
      } catch (error) {
        connected = false;
        if (signal.aborted) throw error;
        if (limit.signal.aborted) throw new UplinkError(uplinkErrorCodes.timeout, `no answer from ${target} within ${options.timeoutMs} ms`, { cause: error, hint: 'The fleet server is slow or the network drops packets; the guard retries.' });
        throw new UplinkError(uplinkErrorCodes.unreachable, `cannot reach ${target}: ${errorText(error)}`, { cause: error, hint: 'Check the uplink URL and the network; the guard keeps the events and retries.' });
      }
      connected = true;
      const { text } = response;
      const answer = parseServerAnswer(text);
      if (response.status === 401) {
        throw new UplinkError(uplinkErrorCodes.unauthenticated, `${target} refused unit "${options.unit}": ${answer?.refused[0]?.detail ?? `HTTP 401`}`, {
          hint: 'Check the unit id and secret in the guard configuration against `medic fleet unit add` on the server.',
        });
      }
      if (answer === undefined) {
        throw new UplinkError(uplinkErrorCodes.protocol, `${target} answered HTTP ${response.status} without the fleet server's answer: ${text.slice(0, 200)}`, {
          hint: 'Is the URL the fleet server (medic fleet serve), not a proxy or another service?',
        });
      }
      return answer;
    } finally {
      limit.dispose();
    }
  };

  return {
    kind: 'http',
    get connected() {
      return connected;
    },
    send,
    close: () => {
      connected = false;
      return Promise.resolve();
    },
  };
}
