import { createServer, type AddressInfo, type Server } from 'node:net';
import { Aedes, type AuthenticateError } from 'aedes';
import { logWarn } from '../../core/logger.js';
import { countRefusals, type UnitAuthenticator } from '../ingest/index.js';
import { ackPayload, ingestMqttEvents, recordStatus, type MqttIngestContext } from './unit-message.js';
import { parseUnitTopic, unitTopic } from './topics.js';

// The no-setup broker of `fleet serve` (ecosystem-aesthetics.md §2.4: aedes 1 speaks MQTT 3.1.1
// only, and has no shared subscriptions — one embedded server is one process; to scale out use
// --mqtt with Mosquitto). Being the broker, we see each unit's login and every publish, so the
// checks live in aedes' hooks: CONNECT needs the unit's id and secret, a unit publishes only
// under its own topics, and an events message is stored before its PUBACK goes out (authorizePublish
// runs before aedes acknowledges QoS 1), so an acknowledged event is on disk.

export interface EmbeddedBrokerOptions {
  readonly context: MqttIngestContext;
  readonly authenticator: UnitAuthenticator;
  readonly prefix: string;
  readonly host: string;
  readonly port: number;
}

export interface EmbeddedBroker {
  readonly url: string;
  close(): Promise<void>;
}

// AuthErrorCode is a `const enum` in aedes' types, which isolatedModules cannot import: its values, from MQTT 3.1.1 §3.2.2.3.
// aedes types these as a `const enum`, which isolatedModules cannot import: the values of MQTT 3.1.1 §3.2.2.3.
const BAD_USERNAME_OR_PASSWORD = 4;
const NOT_AUTHORIZED = 5;

function authError(message: string, returnCode: number): AuthenticateError {
  const error: Error & { returnCode?: number } = new Error(message);
  error.returnCode = returnCode;
  return error as unknown as AuthenticateError;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const { context, authenticator, prefix } = options;
  const units = new WeakMap<object, string>();
  const broker = await Aedes.createBroker({
    authenticate: (client, username, password, done) => {
      const unit = username ?? '';
      authenticator.authenticate(unit, password === undefined ? '' : Buffer.from(password).toString('utf8')).then(
        async (ok) => {
          if (ok) {
            units.set(client, unit);
            done(null, true);
            return;
          }
          await countRefusals(context.store, '', [{ reason: 'unauthenticated', detail: `MQTT CONNECT as "${unit.slice(0, 64)}" with wrong or no credentials` }]).catch(() => undefined);
          done(authError('bad unit id or secret', BAD_USERNAME_OR_PASSWORD), false);
        },
        (error: unknown) => {
          logWarn(context.logger, `MQTT authentication failed: ${error instanceof Error ? error.message : String(error)}`);
          done(authError('server error while checking credentials', BAD_USERNAME_OR_PASSWORD), false);
        },
      );
    },
    authorizeSubscribe: (client, subscription, done) => {
      // A unit may read its own ack topic (and its own subtree); nothing of other units.
      const unit = units.get(client);
      const own = unit === undefined ? undefined : `${prefix}/units/${unit}/`;
      if (own !== undefined && subscription.topic.startsWith(own)) done(null, subscription);
      else done(authError(`not allowed to subscribe to ${subscription.topic}`, NOT_AUTHORIZED));
    },
    authorizePublish: (client, packet, done) => {
      if (client === null) {
        done(null);
        return;
      }
      const unit = units.get(client) ?? '';
      const target = parseUnitTopic(prefix, packet.topic);
      if (target?.unit !== unit || target.kind === 'ack') {
        countRefusals(context.store, unit, [{ reason: 'unit-mismatch', detail: `publish to ${packet.topic.slice(0, 200)}, allowed: ${unitTopic(prefix, unit, 'events')}, ${unitTopic(prefix, unit, 'status')}` }]).then(
          () => {
            done(new Error('not your topic'));
          },
          () => {
            done(new Error('not your topic'));
          },
        );
        return;
      }
      const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
      const work =
        target.kind === 'status'
          ? recordStatus(context, unit, payload)
          : ingestMqttEvents(context, unit, payload).then((result) => {
              broker.publish({ cmd: 'publish', topic: unitTopic(prefix, unit, 'ack'), payload: Buffer.from(ackPayload(result)), qos: 0, retain: false, dup: false }, () => undefined);
            });
      work.then(
        () => {
          done(null);
        },
        (error: unknown) => {
          // The store failed: no PUBACK, the unit keeps the message and resends it.
          logWarn(context.logger, `could not store a message from ${unit}: ${error instanceof Error ? error.message : String(error)}`);
          done(error instanceof Error ? error : new Error(String(error)));
        },
      );
    },
  });
  const server = createServer(broker.handle);
  let address: AddressInfo;
  try {
    address = await listen(server, options.port, options.host);
  } catch (error) {
    await new Promise<void>((resolve) => {
      broker.close(() => {
        resolve();
      });
    });
    throw error;
  }
  return {
    url: `mqtt://${address.address}:${address.port}`,
    close: async () => {
      await new Promise<void>((resolve) => {
        broker.close(() => {
          resolve();
        });
      });
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}
