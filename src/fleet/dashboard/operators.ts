import { MedicError } from '../../core/errors.js';
import type { SqlQueryable } from '../store/executor.js';
import { hashSecret, verifySecret } from '../units/index.js';

// Operators log in to the dashboard with a name and password, stored as scrypt hashes (the same
// format as unit secrets, units/credentials.ts).

export const OPERATOR_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/u;
export const MIN_PASSWORD_LENGTH = 10;

export class OperatorError extends MedicError {}

export function checkOperatorInput(name: string, password: string): void {
  if (!OPERATOR_NAME_PATTERN.test(name)) throw new OperatorError('USAGE', `"${name.slice(0, 70)}" is not an operator name`, { hint: 'Letters, digits and . _ @ - (at most 64), starting with a letter or digit.' });
  if (password.length < MIN_PASSWORD_LENGTH) throw new OperatorError('USAGE', `the password is shorter than ${MIN_PASSWORD_LENGTH} characters`, { hint: `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.` });
}

/** Adds the operator or sets a new password; true when the operator is new. */
export async function setOperator(db: SqlQueryable, name: string, password: string): Promise<boolean> {
  checkOperatorInput(name, password);
  const hash = await hashSecret(password);
  const rows = await db.query(
    `INSERT INTO operators (name, password_hash) VALUES ($1, $2)
     ON CONFLICT (name) DO UPDATE SET password_hash = EXCLUDED.password_hash, updated_at = now()
     RETURNING (xmax = 0) AS inserted`,
    [name, hash],
  );
  return rows[0]?.['inserted'] === true;
}

export async function operatorExists(db: SqlQueryable, name: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM operators WHERE name = $1', [name])).length === 1;
}

/** True when the name and password match. An unknown name costs the same scrypt as a wrong password. */
export async function checkOperator(db: SqlQueryable, name: string, password: string): Promise<boolean> {
  const [row] = await db.query<{ password_hash: string }>('SELECT password_hash FROM operators WHERE name = $1', [name]);
  const ok = await verifySecret(password, row?.password_hash ?? 'scrypt$16384$8$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
  return row !== undefined && ok;
}
