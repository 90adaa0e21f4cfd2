import { readFileSync } from 'node:fs';

/** modem-medic's version, from the package's package.json (dist/src/cli/version.js → ../../../). */
export const TOOL_VERSION = readVersion();

function readVersion(): string {
  try {
    const text = readFileSync(new URL('../../../package.json', import.meta.url), 'utf8');
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}
