import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';

// What the running guard says about itself and the module, for `medic guard status` (which cannot
// open the journal: one writer holds its lock). Written atomically (tmp + fdatasync + rename).

export const STATE_FILE = 'guard-state.json';

export const MODULE_STATES = ['unknown', 'powering-on', 'running', 'recovering', 'gave-up', 'in-edl', 'powering-off', 'off'] as const;
export type ModuleState = (typeof MODULE_STATES)[number];

export interface GuardStateFile {
  readonly unit: string;
  readonly pid: number;
  /** The agent: running, or stopped in order (a crash leaves `running` with a dead pid). */
  readonly agent: 'running' | 'stopped';
  readonly module: ModuleState;
  readonly since: string;
  readonly updatedAt: string;
  readonly gpio: string;
  readonly lastVbatMv?: number;
  readonly detail?: string;
  /** Where applications reach the module through the guard's AT proxy. */
  /** The uplink to the fleet server, as of the last write. */
  readonly uplink?: { readonly server: string; readonly connected: boolean; readonly pending: number; readonly lastSuccessAt?: string; readonly lastError?: string };
  readonly proxy?: { readonly ptys: readonly { readonly name: string; readonly path: string; readonly link?: string }[]; readonly socket?: string };
}

export async function writeStateFile(dir: string, state: GuardStateFile): Promise<void> {
  const path = join(dir, STATE_FILE);
  const temp = `${path}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(`${JSON.stringify(state)}\n`);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
}

export async function readStateFile(dir: string): Promise<GuardStateFile | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, STATE_FILE), 'utf8')) as GuardStateFile;
  } catch {
    return undefined;
  }
}
