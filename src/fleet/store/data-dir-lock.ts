import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { FleetError, fleetErrorCodes } from '../errors.js';

// PGlite is one process's database: a second process opening the same directory would corrupt
// it. A pid file keeps a second `fleet serve` (or `fleet unit add`) out while one is running.

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/** Takes `<dir>/fleet.lock`; the returned function gives it back. */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'fleet.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
      const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new FleetError(fleetErrorCodes.storeBusy, `the fleet data directory ${dir} is in use by process ${pid}`, {
          hint: 'Stop that `medic fleet serve` first, or add units through its API (POST /api/v1/units); to share one database between processes use --db postgres://…',
          details: { dir, pid },
        });
      }
      // Left behind by a process that died: take it over.
      await rm(path, { force: true });
    }
  }
  throw new FleetError(fleetErrorCodes.storeBusy, `could not lock the fleet data directory ${dir}`, { hint: 'Another process keeps creating fleet.lock there; stop it.' });
}
