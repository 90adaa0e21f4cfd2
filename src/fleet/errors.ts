import { MedicError, type MedicErrorOptions } from '../core/errors.js';

export const fleetErrorCodes = {
  storeOpen: 'FLEET_STORE_OPEN',
  storeBusy: 'FLEET_STORE_BUSY',
  migration: 'FLEET_MIGRATION',
  unitExists: 'FLEET_UNIT_EXISTS',
  unitInvalid: 'FLEET_UNIT_INVALID',
  mqtt: 'FLEET_MQTT',
  listen: 'FLEET_LISTEN',
} as const;

export type FleetErrorCode = (typeof fleetErrorCodes)[keyof typeof fleetErrorCodes];

/** Something the fleet server could not do: open its store, run a migration, reach the broker. */
export class FleetError extends MedicError {
  constructor(code: FleetErrorCode, message: string, options: MedicErrorOptions = {}) {
    super(code, message, options);
  }
}
