import assert from 'node:assert/strict';
import { isMedicError, type MedicError } from '../../src/core/errors.js';

/** An assert.rejects matcher: a MedicError with this code and a hint that says what to do. */
export function isCode(code: string, check: (error: MedicError) => void = () => undefined) {
  return (error: unknown): boolean => {
    assert.ok(isMedicError(error), `a MedicError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.ok((error.hint ?? '').length > 20, 'with a hint that says what to do');
    check(error);
    return true;
  };
}
