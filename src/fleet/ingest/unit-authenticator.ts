import { UNIT_ID_PATTERN } from '../../guard/events/index.js';
import type { FleetStore } from '../store/index.js';
import { secretFingerprint, verifySecret } from '../units/credentials.js';

const unitPattern = new RegExp(UNIT_ID_PATTERN, 'u');

/**
 * Checks a unit's id and secret against its scrypt hash. scrypt costs tens of milliseconds on
 * purpose, so a secret verified once is remembered (as a SHA-256 fingerprint, in memory only):
 * a unit sending a batch a second costs one hash lookup, not one scrypt.
 */
export class UnitAuthenticator {
  readonly #store: FleetStore;
  readonly #verified = new Map<string, string>();
  readonly #capacity: number;

  constructor(store: FleetStore, capacity = 100_000) {
    this.#store = store;
    this.#capacity = capacity;
  }

  async authenticate(unit: string, secret: string): Promise<boolean> {
    if (!unitPattern.test(unit) || secret === '') return false;
    const fingerprint = secretFingerprint(unit, secret);
    if (this.#verified.get(unit) === fingerprint) return true;
    const stored = await this.#store.credentialOf(unit);
    if (stored === undefined || !(await verifySecret(secret, stored))) return false;
    if (this.#verified.size >= this.#capacity) this.#verified.clear();
    this.#verified.set(unit, fingerprint);
    return true;
  }
}
