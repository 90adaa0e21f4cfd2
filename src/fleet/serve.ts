import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { logInfo, silentLogger, type Logger } from '../core/logger.js';
import type { AnalyticsOptions } from './analytics/index.js';
import { registerDashboard } from './dashboard/index.js';
import { FleetError, fleetErrorCodes } from './errors.js';
import { buildHttpServer } from './http/index.js';
import { defaultIngestLimits, newIngestCounters, UnitAuthenticator, type IngestLimits } from './ingest/index.js';
import { DEFAULT_TOPIC_PREFIX, startEmbeddedBroker, startExternalSubscriber } from './mqtt/index.js';
import { openFleetStore, type FleetStore, type MigrationReport } from './store/index.js';

export interface FleetServerOptions {
  /** postgres://… ; otherwise the embedded PGlite store. */
  readonly db?: string;
  /** With `db`: keep the tables in this schema. */
  readonly dbSchema?: string;
  /** Embedded store directory; in memory when undefined (tests). */
  readonly dataDir?: string;
  /** mqtt://… of an existing broker; otherwise an embedded aedes broker. */
  readonly mqtt?: string;
  readonly host?: string;
  /** HTTP port; 0 picks a free one. */
  readonly port?: number;
  /** Port of the embedded broker; 0 picks a free one. */
  readonly mqttPort?: number;
  readonly topicPrefix?: string;
  /** Operators' token for the read APIs; generated when undefined (and reported in `adminToken`). */
  readonly adminToken?: string;
  readonly limits?: IngestLimits;
  readonly logger?: Logger;
  /** Risk and failure analysis settings (silent after N days, …) for the dashboard and its APIs. */
  readonly analytics?: AnalyticsOptions;
}

export interface FleetServer {
  readonly http: string;
  readonly mqtt: string;
  readonly mqttEmbedded: boolean;
  readonly store: FleetStore;
  readonly storeLocation: string;
  readonly migrations: MigrationReport;
  readonly topicPrefix: string;
  readonly adminToken: string;
  readonly adminTokenGenerated: boolean;
  close(): Promise<void>;
}

function listenError(what: string, error: unknown): FleetError {
  const code = (error as { code?: string }).code;
  return new FleetError(fleetErrorCodes.listen, `cannot listen for ${what}: ${error instanceof Error ? error.message : String(error)}`, {
    cause: error,
    hint: code === 'EADDRINUSE' ? 'Something else uses that port (Mosquitto on 1883?): choose another with --port / --mqtt-port, or use that broker with --mqtt mqtt://…' : 'Check --host and the port options.',
  });
}

/** Opens the store (running migrations), then the broker side and the HTTP API. */
export async function startFleetServer(options: FleetServerOptions = {}): Promise<FleetServer> {
  const logger = options.logger ?? silentLogger;
  const host = options.host ?? '127.0.0.1';
  const limits = options.limits ?? defaultIngestLimits;
  const prefix = options.topicPrefix ?? DEFAULT_TOPIC_PREFIX;
  const adminToken = options.adminToken ?? randomBytes(24).toString('base64url');
  const opened = await openFleetStore({
    ...(options.db === undefined ? {} : { db: options.db }),
    ...(options.dbSchema === undefined ? {} : { schema: options.dbSchema }),
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
  });
  const { store } = opened;
  if (opened.migrations.applied.length > 0) logInfo(logger, `fleet store ${opened.location}: applied migrations ${opened.migrations.applied.join(', ')}`);
  const closers: (() => Promise<void>)[] = [() => store.close()];
  const closeAll = async (): Promise<void> => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  };
  try {
    const authenticator = new UnitAuthenticator(store);
    const counters = newIngestCounters();
    const context = { store, limits, logger, counters };
    const broker =
      options.mqtt === undefined
        ? await startEmbeddedBroker({ context, authenticator, prefix, host, port: options.mqttPort ?? 1883 }).catch((error: unknown) => {
            throw listenError('MQTT', error);
          })
        : await startExternalSubscriber({ context, url: options.mqtt, prefix }).catch((error: unknown) => {
            throw new FleetError(fleetErrorCodes.mqtt, `cannot connect to the MQTT broker ${options.mqtt ?? ''}: ${error instanceof Error ? error.message : String(error)}`, {
              cause: error,
              hint: 'Check the --mqtt URL (mqtt://host:1883) and that the broker runs and accepts this client.',
            });
          });
    closers.push(() => broker.close());
    const dashboard = (app: FastifyInstance): void => {
      registerDashboard(app, { store, adminToken, ...(options.analytics === undefined ? {} : { analytics: options.analytics }) });
    };
    const app = await buildHttpServer({ store, authenticator, limits, adminToken, counters, routes: [dashboard] });
    closers.push(() => app.close());
    await app.listen({ host, port: options.port ?? 8080 }).catch((error: unknown) => {
      throw listenError('HTTP', error);
    });
    const address = app.server.address() as AddressInfo;
    const httpHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return {
      http: `http://${httpHost}:${address.port}`,
      mqtt: broker.url,
      mqttEmbedded: options.mqtt === undefined,
      store,
      storeLocation: opened.location,
      migrations: opened.migrations,
      topicPrefix: prefix,
      adminToken,
      adminTokenGenerated: options.adminToken === undefined,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
