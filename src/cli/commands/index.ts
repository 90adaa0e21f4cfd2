import type { Command } from 'commander';
import type { CliIo } from '../io.js';

/** Adds one command to the program; the command reports its exit code through `setExit`. */
export type RegisterCommand = (program: Command, io: CliIo, setExit: (code: number) => void) => void;

export const commands: readonly RegisterCommand[] = [];
