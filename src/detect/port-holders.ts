import { readdir, readFile, readlink, realpath } from 'node:fs/promises';
import { join } from 'node:path';

export interface PortHolder {
  readonly pid: number;
  readonly command: string;
}

/**
 * Which processes have a device node open, read from /proc/<pid>/fd — what `fuser` does, without
 * needing it installed. ModemManager is the usual culprit on Quectel ports (quectel-ec25.md §1.4).
 * Processes we may not inspect (other users' without root) are skipped.
 */
export async function findPortHolders(node: string, procRoot = '/proc'): Promise<PortHolder[]> {
  const target = await realpath(node).catch(() => node);
  const holders: PortHolder[] = [];
  const pids = (await readdir(procRoot).catch(() => [] as string[])).filter((name) => /^\d+$/.test(name));
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    const fdDir = join(procRoot, pid, 'fd');
    const fds = await readdir(fdDir).catch(() => [] as string[]);
    for (const fd of fds) {
      const link = await readlink(join(fdDir, fd)).catch(() => undefined);
      if (link !== target) continue;
      const comm = await readFile(join(procRoot, pid, 'comm'), 'utf8').catch(() => '?');
      holders.push({ pid: Number(pid), command: comm.trim() });
      break;
    }
  }
  return holders;
}
