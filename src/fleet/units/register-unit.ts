import { UNIT_ID_PATTERN } from '../../guard/events/index.js';
import { FleetError, fleetErrorCodes } from '../errors.js';
import type { FleetStore } from '../store/index.js';
import { generateSecret, hashSecret } from './credentials.js';

export interface UnitRegistration {
  readonly id: string;
  readonly batch?: string;
  readonly tags?: readonly string[];
  /** Use this secret instead of generating one (e.g. one already provisioned on the unit). */
  readonly secret?: string;
}

const unitPattern = new RegExp(UNIT_ID_PATTERN, 'u');

/** Adds a unit and returns its secret: the only time it is visible, only its scrypt hash is kept. */
export async function registerUnit(store: FleetStore, registration: UnitRegistration): Promise<{ id: string; secret: string }> {
  if (!unitPattern.test(registration.id)) {
    throw new FleetError(fleetErrorCodes.unitInvalid, `"${registration.id}" is not a valid unit id`, {
      hint: `A unit id matches ${UNIT_ID_PATTERN} (it is also an MQTT topic level): letters, digits, . _ : -`,
    });
  }
  if (registration.secret !== undefined && registration.secret.length < 16) {
    throw new FleetError(fleetErrorCodes.unitInvalid, 'the secret is shorter than 16 characters', { hint: 'Leave --secret out to have a strong one generated.' });
  }
  const secret = registration.secret ?? generateSecret();
  const added = await store.addUnit({
    id: registration.id,
    credentialHash: await hashSecret(secret),
    ...(registration.batch === undefined ? {} : { batch: registration.batch }),
    tags: registration.tags ?? [],
  });
  if (!added) throw new FleetError(fleetErrorCodes.unitExists, `unit ${registration.id} already exists`, { hint: 'Choose another id; secrets cannot be read back, only replaced (not yet supported).' });
  return { id: registration.id, secret };
}
