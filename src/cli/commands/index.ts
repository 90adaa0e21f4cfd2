import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { registerAt } from './at.js';
import { registerBackup } from './backup.js';
import { registerDemo } from './demo.js';
import { registerDiagnose } from './diagnose.js';
import { registerFlash } from './flash.js';
import { registerGuard } from './guard.js';
import { registerFleet } from './fleet.js';
import { registerInfo } from './info.js';
import { registerLog } from './log.js';
import { registerScan } from './scan.js';
import { registerSim } from './sim.js';

/** Adds one command to the program; the command reports its exit code through `setExit`. */
export type RegisterCommand = (program: Command, io: CliIo, setExit: (code: number) => void) => void;

export const commands: readonly RegisterCommand[] = [registerAt, registerBackup, registerDemo, registerDiagnose, registerFlash, registerFleet, registerGuard, registerInfo, registerLog, registerScan, registerSim];
