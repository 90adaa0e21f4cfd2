// Exit codes are part of the `medic` contract (DESIGN.md): scripts on a rework bench branch on them.
export const ExitCode = {
  /** Done; nothing wrong found. */
  Ok: 0,
  /** The command ran, and what it found is a problem (a fault verdict, an AT command that answered ERROR). */
  Findings: 1,
  /** The command line is wrong. */
  Usage: 2,
  /** Could not talk to the module: no port, port busy, no answer, not a modem. */
  Device: 3,
  /** Refused before anything was changed (for example a package that fails validation). */
  Refused: 4,
  /** Failed part-way; the module is left recoverable. */
  Failed: 5,
  /** A bug in medic: please report it with the output. */
  Internal: 70,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
