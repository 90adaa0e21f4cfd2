import { readFile } from 'node:fs/promises';
import { FlashRefusedError } from './errors.js';

/** The Firehose programmer to upload: its bytes, a path to the .mbn, or none when one already runs. */
export type ProgrammerSource = Uint8Array | string | undefined;

export function programmerLoader(source: ProgrammerSource): (() => Promise<Uint8Array>) | undefined {
  if (source === undefined) return undefined;
  if (typeof source !== 'string') return () => Promise.resolve(source);
  return async () => {
    try {
      return new Uint8Array(await readFile(source));
    } catch (error) {
      throw new FlashRefusedError('FLASH_NOT_STARTED', `the programmer ${source} cannot be read: ${error instanceof Error ? error.message : String(error)}`, {
        hint: 'Give update/firehose/prog_nand_firehose_9x07.mbn of the module\'s firmware package. Nothing was written.',
        cause: error,
      });
    }
  };
}
