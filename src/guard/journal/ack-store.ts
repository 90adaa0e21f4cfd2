import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { logWarn, type Logger } from '../../core/logger.js';
import { syncDirectory } from './segments.js';

// The uplink's cursor: the highest sequence the fleet server has acknowledged. Written to a
// temporary file, fsynced and renamed over the old one, so a power cut leaves either the old or
// the new value, never a torn one. If the file is unreadable anyway we start from 0: the server
// drops duplicates (idempotent by unit + sequence, #6), so replaying too much is safe and
// replaying too little would lose events.

const ACK_FILE = 'acknowledged.json';

export async function readAcknowledged(dir: string, unitId: string, logger: Logger): Promise<number> {
  let text: string;
  try {
    text = await readFile(join(dir, ACK_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  try {
    const value = JSON.parse(text) as { unit?: unknown; acknowledged?: unknown };
    if (value.unit === unitId && typeof value.acknowledged === 'number' && Number.isSafeInteger(value.acknowledged) && value.acknowledged >= 0) return value.acknowledged;
  } catch {
    // fall through to the warning
  }
  logWarn(logger, 'journal: acknowledgement cursor unreadable or for another unit; everything will be sent again (the server drops duplicates)', { file: join(dir, ACK_FILE) });
  return 0;
}

export async function writeAcknowledged(dir: string, unitId: string, acknowledged: number): Promise<void> {
  const temporary = join(dir, `${ACK_FILE}.tmp`);
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(`${JSON.stringify({ unit: unitId, acknowledged })}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, join(dir, ACK_FILE));
  await syncDirectory(dir);
}
