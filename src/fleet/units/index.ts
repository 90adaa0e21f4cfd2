export { generateSecret, hashSecret, secretFingerprint, verifySecret } from './credentials.js';
export { registerUnit, type UnitRegistration } from './register-unit.js';
