import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { JournalError, journalErrorCodes } from './errors.js';

// One writer per journal: two agents appending to the same directory would hand out the same
// sequence numbers. Node has no flock(2) without a native module, so the lock is a file holding
// the writer's pid. A lock left by a process that is gone (SIGKILL, power cut) is taken over.
// UNVERIFIED edge: a stale lock whose pid has been reused by an unrelated live process blocks the
// journal until that process ends; the error's hint says how to clear it.

const LOCK_FILE = 'writer.lock';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function holder(path: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt(await readFile(path, 'utf8'), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Takes the journal's writer lock; resolves with the function that releases it. */
export async function lockJournal(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const handle = await open(path, 'wx');
      try {
        await handle.writeFile(`${process.pid}\n`);
      } finally {
        await handle.close();
      }
      return async () => {
        if ((await holder(path)) === process.pid) await unlink(path).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const pid = await holder(path);
    if (pid !== undefined && isAlive(pid)) {
      throw new JournalError(journalErrorCodes.locked, `the journal in ${dir} is in use by process ${pid}`, {
        hint: `Only one guard may write a journal. Stop the other one; if process ${pid} is not a guard, delete ${path}.`,
        details: { pid },
      });
    }
    // Stale (or half-written by a writer that died at once): remove it and try again.
    await unlink(path).catch(() => undefined);
  }
  throw new JournalError(journalErrorCodes.locked, `could not take the writer lock of ${dir}`, { hint: `Another process keeps taking it; check for a second guard, or delete ${path}.` });
}
