import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

// Where the rework log lives: an explicit file (--rework-log / --file), else $MEDIC_REWORK_LOG,
// else the XDG Base Directory state home ("data that should persist between restarts but is not
// important enough for $XDG_DATA_HOME" — a local history of runs is exactly that).

export const REWORK_LOG_ENV = 'MEDIC_REWORK_LOG';

export interface ReworkLogLocation {
  readonly file?: string | undefined;
  /** Default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Default os.homedir(). */
  readonly home?: string;
}

export function reworkLogPath(location: ReworkLogLocation = {}): string {
  if (location.file !== undefined && location.file !== '') return location.file;
  const env = location.env ?? process.env;
  const fromEnv = env[REWORK_LOG_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  // The spec says a relative XDG_STATE_HOME is invalid and must be ignored.
  const state = env['XDG_STATE_HOME'];
  const base = state !== undefined && isAbsolute(state) ? state : join(location.home ?? homedir(), '.local', 'state');
  return join(base, 'medic', 'rework-log.jsonl');
}
