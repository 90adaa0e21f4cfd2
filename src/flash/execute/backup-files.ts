import { readFileChunks } from '../../core/file-chunks.js';
import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { md5OfChunks, type Md5Result } from '../package/md5-stream.js';
import { BACKUP_MANIFEST_FILE } from '../plan/flash-plan.js';
import { serializeBackupManifest, type BackupManifest } from '../plan/backup-manifest.js';
import { FlashRefusedError } from './errors.js';

// The host side of "nothing is lost" (DESIGN.md): backup files are written under a temporary name,
// flushed to disk, renamed only once two reads of the module agreed, and read back from disk to
// check the MD5; backup.json comes last, so a folder with a manifest always holds a whole backup.
// An existing backup is never overwritten.

const PARTIAL = '.partial';

/** Refuses a folder that already holds a backup; creates it otherwise. */
export async function prepareBackupDirectory(directory: string): Promise<void> {
  const manifest = join(directory, BACKUP_MANIFEST_FILE);
  if ((await stat(manifest).catch(() => undefined)) !== undefined) {
    throw new FlashRefusedError('FLASH_BACKUP_EXISTS', `${directory} already holds a backup (${BACKUP_MANIFEST_FILE})`, {
      hint: 'Backups are never overwritten. Give another backup folder, or a backup root (each run gets its own timestamped folder).',
      backupDirectory: directory,
    });
  }
  try {
    await mkdir(directory, { recursive: true });
  } catch (error) {
    throw unwritable(directory, directory, error);
  }
}

/** A file being filled with one read of a partition. */
export class PartialBackupFile {
  readonly file: string;
  readonly #handle: FileHandle;
  readonly #directory: string;

  private constructor(file: string, handle: FileHandle, directory: string) {
    this.file = file;
    this.#handle = handle;
    this.#directory = directory;
  }

  static async create(file: string, directory: string): Promise<PartialBackupFile> {
    try {
      await mkdir(dirname(file), { recursive: true });
      return new PartialBackupFile(file, await open(file + PARTIAL, 'w'), directory);
    } catch (error) {
      throw unwritable(directory, file, error);
    }
  }

  async write(chunk: Uint8Array): Promise<void> {
    try {
      await this.#handle.write(chunk);
    } catch (error) {
      throw unwritable(this.#directory, this.file, error);
    }
  }

  /** Flushes, closes and gives the file its final name; then checks what the disk holds. */
  async commit(md5: string, bytes: number): Promise<void> {
    try {
      await this.#handle.sync();
      await this.#handle.close();
      await rename(this.file + PARTIAL, this.file);
    } catch (error) {
      throw unwritable(this.#directory, this.file, error);
    }
    const onDisk = await md5OfFile(this.file).catch((error: unknown) => {
      throw unwritable(this.#directory, this.file, error);
    });
    if (onDisk.md5 !== md5 || onDisk.bytes !== bytes) {
      throw new FlashRefusedError('FLASH_BACKUP_UNWRITABLE', `${this.file} does not read back as written (MD5 ${onDisk.md5}, expected ${md5})`, {
        hint: 'The disk holding the backup is failing or full. Use another backup folder; nothing was written to the module.',
        backupDirectory: this.#directory,
      });
    }
  }

  async discard(): Promise<void> {
    await this.#handle.close().catch(() => undefined);
    await rm(this.file + PARTIAL, { force: true }).catch(() => undefined);
  }
}

export async function writeManifest(directory: string, manifest: BackupManifest): Promise<string> {
  const file = join(directory, BACKUP_MANIFEST_FILE);
  try {
    const handle = await open(file + PARTIAL, 'w');
    try {
      await handle.writeFile(serializeBackupManifest(manifest));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(file + PARTIAL, file);
  } catch (error) {
    throw unwritable(directory, file, error);
  }
  return file;
}

export function md5OfFile(file: string): Promise<Md5Result> {
  return md5OfChunks(readFileChunks(file));
}

function unwritable(directory: string, file: string, error: unknown): FlashRefusedError {
  return new FlashRefusedError('FLASH_BACKUP_UNWRITABLE', `the backup could not be written to ${file}: ${error instanceof Error ? error.message : String(error)}`, {
    hint: 'Check the backup folder\'s free space and permissions, or give another one. Nothing was written to the module.',
    cause: error,
    backupDirectory: directory,
  });
}
