import { join } from 'node:path';
import { backupTimestamp, unitFolderName, type UnitIdentity } from '../plan/unit-identity.js';

// Every unit of a batch gets a backup folder no other unit of the batch uses, decided before
// anything is read: <root>/imei-…|serial-…/<time>/ as for a single flash (plan/unit-identity.ts),
// <root>/usb-<path>/<time>/ for a unit that could not tell who it is. Two units reporting the same
// chip serial (a board that fakes it, or the simulator, whose boot ROM answers one serial for
// every module) get their USB path added to the time, so two runs never share a folder — the
// executor's "backup exists" check cannot see a folder another unit is still filling.

export class BackupClaims {
  readonly root: string;
  readonly #claimed = new Set<string>();

  constructor(root: string) {
    this.root = root;
  }

  directoryFor(unit: UnitIdentity, usbPath: string, now: Date): { readonly directory: string; readonly duplicate: boolean } {
    const slot = `usb-${usbPath.replace(/[^\w.-]/g, '_')}`;
    const folder = unitFolderName(unit) ?? slot;
    const stamp = backupTimestamp(now);
    let directory = join(this.root, folder, stamp);
    const duplicate = this.#claimed.has(directory);
    if (duplicate) directory = join(this.root, folder, `${stamp}-${slot}`);
    this.#claimed.add(directory);
    return { directory, duplicate };
  }
}
