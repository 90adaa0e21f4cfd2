import { createHash } from 'node:crypto';
import { readFileChunks } from '../../core/file-chunks.js';
import { stat } from 'node:fs/promises';
import type { BackupManifestPartition } from './backup-manifest.js';
import { FlashPlanError } from './errors.js';

// Before a backup is written back: is it the file the manifest describes (size, MD5), and how many
// blocks of it hold data? The backup was read with bad_block_at_end (edl-protocols.md §2.5): the
// partition's good blocks in order, then 0xFF. Only the blocks up to the last one with data are
// written back — the erased tail needs no writing, and writing it could run past the partition's
// good blocks into the next partition (program skips bad blocks, §2.4).

/** Checks size and MD5 against the manifest and finds the blocks that hold data (not 0xFF), in one pass. */
export async function inspectBackup(file: string, saved: BackupManifestPartition, options: { readonly blockBytes: number; readonly signal?: AbortSignal | undefined }): Promise<{ readonly blocks: number; readonly md5: string }> {
  const info = await stat(file).catch(() => undefined);
  if (info?.size !== saved.bytes) {
    throw new FlashPlanError('RESTORE_BACKUP_DAMAGED', `${file} is ${info === undefined ? 'missing' : `${info.size} bytes`}; the manifest says ${saved.bytes}`, { hint: 'The backup was damaged or moved. Use another copy of it.' });
  }
  if (saved.bytes % options.blockBytes !== 0) {
    throw new FlashPlanError('RESTORE_BACKUP_DAMAGED', `${file} is not a whole number of ${options.blockBytes}-byte blocks`, { hint: 'The backup is damaged. Use another copy of it.' });
  }
  const whole = createHash('md5');
  // The MD5 of the part that is written back (up to the last block holding data) comes from a
  // second hash whose state is copied at the end of every block that held data.
  const prefix = createHash('md5');
  let prefixAtData = prefix.copy();
  let inBlock = 0;
  let blockHasData = false;
  let offset = 0;
  let lastDataEnd = 0;
  for await (const chunk of readFileChunks(file, { signal: options.signal })) {
    whole.update(chunk);
    let at = 0;
    while (at < chunk.length) {
      const piece = chunk.subarray(at, at + options.blockBytes - inBlock);
      prefix.update(piece);
      if (!blockHasData && piece.some((byte) => byte !== 0xff)) blockHasData = true;
      at += piece.length;
      inBlock += piece.length;
      offset += piece.length;
      if (inBlock === options.blockBytes) {
        if (blockHasData) {
          lastDataEnd = offset;
          prefixAtData = prefix.copy();
        }
        inBlock = 0;
        blockHasData = false;
      }
    }
  }
  const md5 = whole.digest('hex');
  if (md5 !== saved.md5) {
    throw new FlashPlanError('RESTORE_BACKUP_DAMAGED', `${file} has MD5 ${md5}; the manifest says ${saved.md5}`, { hint: 'The backup changed since it was made. Use another copy of it.' });
  }
  const blocks = lastDataEnd / options.blockBytes;
  return { blocks, md5: lastDataEnd === 0 ? '' : prefixAtData.digest('hex') };
}
