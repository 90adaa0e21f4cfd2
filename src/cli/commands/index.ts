import type { Command } from 'commander';
import type { CliIo } from '../io.js';

/** Adds one command to the program; the command reports its exit code through `setExit`. */
export type RegisterCommand = (program: Command, io: CliIo, setExit: (code: number) => void) => void;

/**
 * Each command's module, loaded only when that command runs: a long-running `medic guard` on a
 * product's host carries none of the flasher, the simulator or the fleet server (bench/guard:
 * RSS target < 60 MB). Help and unknown commands load them all.
 */
export const commandModules: Readonly<Record<string, () => Promise<RegisterCommand>>> = {
  at: async () => (await import('./at.js')).registerAt,
  backup: async () => (await import('./backup.js')).registerBackup,
  demo: async () => (await import('./demo.js')).registerDemo,
  diagnose: async () => (await import('./diagnose.js')).registerDiagnose,
  flash: async () => (await import('./flash.js')).registerFlash,
  fleet: async () => (await import('./fleet.js')).registerFleet,
  guard: async () => (await import('./guard.js')).registerGuard,
  info: async () => (await import('./info.js')).registerInfo,
  log: async () => (await import('./log.js')).registerLog,
  scan: async () => (await import('./scan.js')).registerScan,
  sim: async () => (await import('./sim.js')).registerSim,
};

/** The commands `argv` needs: the one it names, or all of them (help, a typo, no command). */
export async function loadCommands(argv: readonly string[]): Promise<RegisterCommand[]> {
  const name = argv.find((arg) => !arg.startsWith('-'));
  const one = name === undefined ? undefined : commandModules[name];
  if (one !== undefined) return [await one()];
  return Promise.all(Object.values(commandModules).map((load) => load()));
}
