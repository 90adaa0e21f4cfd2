export { FleetError, fleetErrorCodes, type FleetErrorCode } from './errors.js';
export * from './http/index.js';
export * from './ingest/index.js';
export * from './mqtt/index.js';
export { startFleetServer, type FleetServer, type FleetServerOptions } from './serve.js';
export * from './store/index.js';
export * from './units/index.js';
